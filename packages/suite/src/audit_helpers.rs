//! Helpers for the independent audit's findings
//! (`tests/test_audit_findings.rs`): proposals with a chosen end of
//! voting, the fund's history head, a member's settlement lag, chain
//! governance's shutdown of one contract.

use anyhow::Result as AnyResult;
use clearing_types::fund::{self, FundContract};
use clearing_types::governance;
use cosmwasm_std::{CosmosMsg, Timestamp};
use cw_multi_test::AppResponse;
use cw_utils::Expiration;

use crate::Suite;

impl Suite {
    /// `name` opens a proposal whose voting ends at `latest` (if given)
    /// with the timelock it asks for (if given); returns its id.
    pub fn propose_until(
        &mut self,
        name: &str,
        msgs: Vec<CosmosMsg>,
        latest: Option<Timestamp>,
        timelock: Option<u64>,
    ) -> AnyResult<u64> {
        let proposer = self.addr(name);
        let res = self.execute_gov(
            &proposer,
            &governance::ExecuteMsg::Propose {
                title: "proposal".to_string(),
                description: "a test proposal".to_string(),
                msgs,
                latest: latest.map(Expiration::AtTime),
                timelock,
            },
        )?;
        let id = res
            .events
            .iter()
            .flat_map(|e| e.attributes.iter())
            .find(|a| a.key == "proposal_id")
            .map(|a| a.value.parse::<u64>())
            .transpose()?
            .ok_or_else(|| anyhow::anyhow!("no proposal id"))?;
        Ok(id)
    }

    /// The last event of the fund's history (the pool's `head`).
    pub fn fund_head(&self) -> u64 {
        FundContract(self.fund.clone())
            .pool(&self.app.wrap())
            .expect("fund pool")
            .head
    }

    /// How many events of the fund's history `name`'s stored record has
    /// not been settled against: what its next settlement walks.
    pub fn settlement_lag(&self, name: &str) -> u64 {
        let record = FundContract(self.fund.clone())
            .member_record(&self.app.wrap(), &self.addr(name))
            .expect("member record")
            .expect("a member");
        self.fund_head() - record.seq
    }

    /// Chain governance shuts the default fund down through its own
    /// `sudo` entry point (the vault is not told).
    pub fn sudo_shutdown_fund_only(&mut self) -> AnyResult<AppResponse> {
        self.sudo_fund(&fund::SudoMsg::Shutdown {})
    }
}
