//! Unit tests of the governance contract on cosmwasm mock dependencies,
//! against a stand-in for the fund's storage (`mock_fund`) read through
//! `WasmQuery::Raw` only: the querier refuses every other query, so these
//! tests also show that governance never smart-queries the fund.

mod mock_fund;
mod test_lifecycle;
mod test_refusals;
mod test_weights;

use std::cell::Cell;
use std::rc::Rc;

use clearing_types::governance::{
    ExecuteMsg, InstantiateMsg, ProposalResponse, QueryMsg, Status, SudoMsg, Threshold, Vote,
    VoteWeighting, Votes,
};
use cosmwasm_schema::serde::de::DeserializeOwned;
use cosmwasm_std::testing::{
    message_info, mock_dependencies, mock_env, MockApi, MockQuerier, MockStorage,
};
use cosmwasm_std::{
    from_json, Addr, Binary, ContractResult, CosmosMsg, Decimal, Empty, Env, Order, OwnedDeps,
    Response, Storage, SystemError, SystemResult, Uint128, WasmMsg, WasmQuery,
};
use cw_utils::Duration;

use crate::contract;
use crate::error::ContractError;
use mock_fund::MockFund;

pub const DAY: u64 = 86_400;
pub const VOTING_PERIOD: u64 = 7 * DAY;
pub const MIN_TIMELOCK: u64 = 2 * DAY;
pub const EXECUTION_WINDOW: u64 = 7 * DAY;

/// Governance on mock dependencies with a mock fund, on a chain whose
/// blocks advance by hand.
pub struct Gov {
    pub deps: OwnedDeps<MockStorage, MockApi, MockQuerier>,
    pub env: Env,
    pub fund: MockFund,
    pub vault: Addr,
    pub guardian: Addr,
    /// Raw reads of the fund's storage so far.
    pub reads: Rc<Cell<usize>>,
}

pub fn addr(name: &str) -> Addr {
    MockApi::default().addr_make(name)
}

pub fn pct(p: u64) -> Threshold {
    Threshold::AbsolutePercentage {
        percentage: Decimal::percent(p),
    }
}

/// A message a proposal carries (never run here: execution only emits it).
pub fn payload() -> CosmosMsg {
    WasmMsg::Execute {
        contract_addr: addr("vault").to_string(),
        msg: Binary::from(b"{\"set_pause\":{\"paused\":true}}".to_vec()),
        funds: vec![],
    }
    .into()
}

impl Gov {
    pub fn new(weighting: VoteWeighting, threshold: Threshold) -> Self {
        let mut deps = mock_dependencies();
        let fund = MockFund::new(addr("fund"));
        let reads = Rc::new(Cell::new(0));
        let (store, fund_addr, counter) =
            (fund.store.clone(), fund.addr.to_string(), reads.clone());
        deps.querier.update_wasm(move |q| match q {
            WasmQuery::Raw { contract_addr, key } if *contract_addr == fund_addr => {
                counter.set(counter.get() + 1);
                let v = store.borrow().get(key.as_slice()).unwrap_or_default();
                SystemResult::Ok(ContractResult::Ok(Binary::from(v)))
            }
            other => SystemResult::Err(SystemError::UnsupportedRequest {
                kind: format!("governance may only read the fund raw: {other:?}"),
            }),
        });
        let mut env = mock_env();
        env.block.height = 100;
        let mut gov = Gov {
            deps,
            env,
            fund,
            vault: addr("vault"),
            guardian: addr("guardian"),
            reads,
        };
        let msg = gov.instantiate_msg(weighting, threshold);
        contract::instantiate(
            gov.deps.as_mut(),
            gov.env.clone(),
            message_info(&addr("deployer"), &[]),
            msg,
        )
        .unwrap();
        gov
    }

    pub fn instantiate_msg(
        &self,
        weighting: VoteWeighting,
        threshold: Threshold,
    ) -> InstantiateMsg {
        InstantiateMsg {
            vault: self.vault.to_string(),
            fund: self.fund.addr.to_string(),
            guardian: Some(self.guardian.to_string()),
            threshold,
            voting_period: Duration::Time(VOTING_PERIOD),
            min_timelock: MIN_TIMELOCK,
            execution_window: EXECUTION_WINDOW,
            weighting,
        }
    }

    /// The contract's own address (a passed proposal's sender).
    pub fn me(&self) -> Addr {
        self.env.contract.address.clone()
    }

    pub fn height(&self) -> u64 {
        self.env.block.height
    }

    /// The next block, 5 seconds later.
    pub fn next_block(&mut self) {
        self.advance(5);
    }

    /// A later block, `seconds` later.
    pub fn advance(&mut self, seconds: u64) {
        self.env.block.height += 1;
        self.env.block.time = self.env.block.time.plus_seconds(seconds);
    }

    /// Members admitted and funded in this block; then the next block.
    pub fn members(&mut self, members: &[(&str, u128)]) {
        let h = self.height();
        for (name, balance) in members {
            self.fund.admit(&addr(name), h);
            if *balance > 0 {
                self.fund.contribute(&addr(name), *balance, h);
            }
        }
        self.next_block();
    }

    pub fn exec(&mut self, sender: &Addr, msg: ExecuteMsg) -> Result<Response, ContractError> {
        contract::execute(
            self.deps.as_mut(),
            self.env.clone(),
            message_info(sender, &[]),
            msg,
        )
    }

    pub fn sudo(&mut self, msg: SudoMsg) -> Result<Response, ContractError> {
        contract::sudo(self.deps.as_mut(), self.env.clone(), msg)
    }

    pub fn propose_msg(timelock: Option<u64>) -> ExecuteMsg {
        ExecuteMsg::Propose {
            title: "admit a member".to_string(),
            description: "a test proposal".to_string(),
            msgs: vec![payload()],
            latest: None,
            timelock,
        }
    }

    pub fn propose(&mut self, who: &str) -> Result<u64, ContractError> {
        let res = self.exec(&addr(who), Self::propose_msg(None))?;
        Ok(attr(&res, "proposal_id").parse().unwrap())
    }

    pub fn vote(&mut self, who: &str, id: u64, vote: Vote) -> Result<Response, ContractError> {
        self.exec(
            &addr(who),
            ExecuteMsg::Vote {
                proposal_id: id,
                vote,
            },
        )
    }

    pub fn discount(&mut self, id: u64, voter: &str) -> Result<Response, ContractError> {
        self.exec(
            &addr("keeper"),
            ExecuteMsg::DiscountVote {
                proposal_id: id,
                voter: addr(voter).to_string(),
            },
        )
    }

    pub fn execute(&mut self, id: u64) -> Result<Response, ContractError> {
        self.exec(&addr("keeper"), ExecuteMsg::Execute { proposal_id: id })
    }

    pub fn query<T: DeserializeOwned>(&self, msg: QueryMsg) -> T {
        from_json(contract::query(self.deps.as_ref(), self.env.clone(), msg).unwrap()).unwrap()
    }

    pub fn proposal(&self, id: u64) -> ProposalResponse {
        self.query(QueryMsg::Proposal { proposal_id: id })
    }

    pub fn status(&self, id: u64) -> Status {
        self.proposal(id).status
    }

    pub fn votes(&self, id: u64) -> Votes {
        self.proposal(id).votes
    }

    pub fn total(&self, id: u64) -> Uint128 {
        self.proposal(id).total_weight
    }

    /// The weight of `who`'s ballot that counts on `id`.
    pub fn ballot(&self, id: u64, who: &str) -> Option<Uint128> {
        let res: clearing_types::governance::VoteResponse = self.query(QueryMsg::Vote {
            proposal_id: id,
            voter: addr(who).to_string(),
        });
        res.vote.map(|v| v.weight)
    }

    /// Every key and value governance stores.
    pub fn dump(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.deps
            .storage
            .range(None, None, Order::Ascending)
            .collect()
    }

    /// `sender` sends `msg`: it is refused and governance's storage is
    /// byte for byte what it was.
    pub fn refused(&mut self, sender: &Addr, msg: ExecuteMsg) -> ContractError {
        let before = self.dump();
        let err = self
            .exec(sender, msg.clone())
            .expect_err(&format!("{msg:?} from {sender} should be refused"));
        assert_eq!(
            before,
            self.dump(),
            "{msg:?} refused ({err}) but changed state"
        );
        err
    }

    /// Raw reads of the fund that `f` makes.
    pub fn reads_of<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> (usize, T) {
        let before = self.reads.get();
        let out = f(self);
        (self.reads.get() - before, out)
    }
}

pub fn attr(res: &Response, key: &str) -> String {
    res.attributes
        .iter()
        .find(|a| a.key == key)
        .unwrap_or_else(|| panic!("no attribute {key}"))
        .value
        .clone()
}

/// The `WasmMsg::Execute` messages a response sends, as (contract, json).
pub fn sent(res: &Response) -> Vec<(String, String)> {
    res.messages
        .iter()
        .map(|m| match &m.msg {
            CosmosMsg::<Empty>::Wasm(WasmMsg::Execute {
                contract_addr, msg, ..
            }) => (
                contract_addr.clone(),
                String::from_utf8(msg.to_vec()).unwrap(),
            ),
            other => panic!("unexpected message {other:?}"),
        })
        .collect()
}
