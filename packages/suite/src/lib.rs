//! A cw-multi-test deployment of the whole suite — margin vault, default
//! fund, governance and a native or cw20 settlement asset — so a test reads
//! as the story it checks:
//!
//! ```ignore
//! let mut suite = SuiteBuilder::new().member("alice", 5_000, 4_000, 400).build();
//! suite.declare_default("alice", 6_000).unwrap();
//! ```

use anyhow::Result as AnyResult;
use clearing_types::fund::{
    self, DefaultReceipt, FundParams, FundStateResponse, MemberResponse as FundMember,
};
use clearing_types::governance::{self, VoteWeighting};
use clearing_types::vault::{self, MemberResponse as VaultMember};
use clearing_types::AssetInfo;
use cosmwasm_std::{coins, to_json_binary, Addr, Binary, Coin, CosmosMsg, Empty, Uint128};
use cw_multi_test::{App, AppResponse, BankSudo, Contract, ContractWrapper, Executor, SudoMsg};
use cw_utils::{Duration, Threshold};
use serde::de::DeserializeOwned;
use std::fmt::Debug;

pub use cw_multi_test;

pub mod access_helpers;
pub mod audit_helpers;
pub mod fund_flows;
pub mod v2_helpers;

pub const DENOM: &str = "uclear";

pub fn vault_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            margin_vault::contract::execute,
            margin_vault::contract::instantiate,
            margin_vault::contract::query,
        )
        .with_sudo(margin_vault::contract::sudo)
        .with_migrate(margin_vault::contract::migrate),
    )
}

pub fn fund_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            default_fund::contract::execute,
            default_fund::contract::instantiate,
            default_fund::contract::query,
        )
        .with_sudo(default_fund::contract::sudo)
        .with_migrate(default_fund::contract::migrate),
    )
}

pub fn governance_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            ::governance::contract::execute,
            ::governance::contract::instantiate,
            ::governance::contract::query,
        )
        .with_sudo(::governance::contract::sudo)
        .with_migrate(::governance::contract::migrate),
    )
}

pub fn cw20_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        cw20_base::contract::execute,
        cw20_base::contract::instantiate,
        cw20_base::contract::query,
    ))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    Native,
    Cw20,
}

#[derive(Clone, Debug)]
pub struct MemberSpec {
    pub name: String,
    pub margin: u128,
    pub required_margin: u128,
    pub contribution: u128,
}

/// Voting rules when the suite is deployed with governance as admin.
#[derive(Clone, Debug)]
pub struct GovernanceSpec {
    pub threshold: Threshold,
    pub voting_period: u64,
    pub timelock: u64,
    /// Seconds a passed proposal stays executable after its timelock.
    pub execution_window: u64,
    pub weighting: VoteWeighting,
}

impl Default for GovernanceSpec {
    fn default() -> Self {
        GovernanceSpec {
            threshold: Threshold::AbsolutePercentage {
                percentage: cosmwasm_std::Decimal::percent(51),
            },
            voting_period: 7 * 86_400,
            timelock: 2 * 86_400,
            execution_window: 7 * 86_400,
            weighting: VoteWeighting::OneMemberOneVote,
        }
    }
}

pub struct SuiteBuilder {
    settlement: Settlement,
    params: FundParams,
    sitg: u128,
    members: Vec<MemberSpec>,
    governance: Option<GovernanceSpec>,
}

impl Default for SuiteBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl SuiteBuilder {
    pub fn new() -> Self {
        SuiteBuilder {
            settlement: Settlement::Native,
            params: FundParams::default(),
            sitg: 0,
            members: vec![],
            governance: None,
        }
    }

    pub fn settlement(mut self, settlement: Settlement) -> Self {
        self.settlement = settlement;
        self
    }

    pub fn cw20(self) -> Self {
        self.settlement(Settlement::Cw20)
    }

    pub fn params(mut self, params: FundParams) -> Self {
        self.params = params;
        self
    }

    pub fn sitg(mut self, sitg: u128) -> Self {
        self.sitg = sitg;
        self
    }

    /// A member admitted with `required_margin`, holding `margin` in the
    /// vault and `contribution` in the fund.
    pub fn member(
        mut self,
        name: &str,
        margin: u128,
        required_margin: u128,
        contribution: u128,
    ) -> Self {
        self.members.push(MemberSpec {
            name: name.to_string(),
            margin,
            required_margin,
            contribution,
        });
        self
    }

    /// Deploy governance too and hand it the admin role of vault and fund.
    pub fn with_governance(mut self, spec: GovernanceSpec) -> Self {
        self.governance = Some(spec);
        self
    }

    pub fn build(self) -> Suite {
        self.try_build().expect("suite deploys")
    }

    pub fn try_build(self) -> AnyResult<Suite> {
        let mut app = App::default();
        let api = *app.api();
        let admin = api.addr_make("admin");
        let risk_engine = api.addr_make("risk_engine");
        let operator = api.addr_make("operator");
        let loss_recipient = api.addr_make("loss_recipient");
        let guardian = api.addr_make("guardian");
        let vault_id = app.store_code(vault_contract());
        let fund_id = app.store_code(fund_contract());
        let gov_id = app.store_code(governance_contract());

        let (asset, token) = match self.settlement {
            Settlement::Native => (
                AssetInfo::Native {
                    denom: DENOM.to_string(),
                },
                None,
            ),
            Settlement::Cw20 => {
                let cw20_id = app.store_code(cw20_contract());
                let token = app.instantiate_contract(
                    cw20_id,
                    admin.clone(),
                    &cw20_base::msg::InstantiateMsg {
                        name: "Clearing settlement".to_string(),
                        symbol: "CLEAR".to_string(),
                        decimals: 6,
                        initial_balances: vec![],
                        mint: Some(cw20::MinterResponse {
                            minter: admin.to_string(),
                            cap: None,
                        }),
                        marketing: None,
                    },
                    &[],
                    "settlement token",
                    None,
                )?;
                (
                    AssetInfo::Cw20 {
                        address: token.to_string(),
                    },
                    Some(token),
                )
            }
        };

        let vault = app.instantiate_contract(
            vault_id,
            admin.clone(),
            &vault::InstantiateMsg {
                governance: admin.to_string(),
                risk_engine: risk_engine.to_string(),
                asset: asset.clone(),
                default_fund: None,
            },
            &[],
            "margin vault",
            Some(admin.to_string()),
        )?;
        let fund = app.instantiate_contract(
            fund_id,
            admin.clone(),
            &fund::InstantiateMsg {
                governance: admin.to_string(),
                risk_engine: risk_engine.to_string(),
                operator: operator.to_string(),
                loss_recipient: loss_recipient.to_string(),
                vault: vault.to_string(),
                asset,
                params: self.params.clone(),
            },
            &[],
            "default fund",
            Some(admin.to_string()),
        )?;
        app.execute_contract(
            admin.clone(),
            vault.clone(),
            &vault::ExecuteMsg::UpdateConfig {
                governance: None,
                risk_engine: None,
                default_fund: Some(fund.to_string()),
            },
            &[],
        )?;

        let mut suite = Suite {
            app,
            vault,
            fund,
            governance: None,
            token,
            admin,
            risk_engine,
            operator,
            loss_recipient,
            guardian,
            names: vec![],
        };
        if self.sitg > 0 {
            suite.fund_sitg(self.sitg)?;
        }
        for m in &self.members {
            suite.add_member(&m.name, m.required_margin)?;
            if m.margin > 0 {
                suite.deposit_margin(&m.name, m.margin)?;
            }
            if m.contribution > 0 {
                suite.contribute(&m.name, m.contribution)?;
            }
        }
        if let Some(spec) = self.governance {
            let gov = suite.app.instantiate_contract(
                gov_id,
                suite.admin.clone(),
                &governance::InstantiateMsg {
                    vault: suite.vault.to_string(),
                    fund: suite.fund.to_string(),
                    guardian: Some(suite.guardian.to_string()),
                    threshold: spec.threshold.into(),
                    voting_period: Duration::Time(spec.voting_period),
                    min_timelock: spec.timelock,
                    execution_window: spec.execution_window,
                    weighting: spec.weighting,
                },
                &[],
                "governance",
                Some(suite.admin.to_string()),
            )?;
            let admin = suite.admin.clone();
            suite.app.execute_contract(
                admin.clone(),
                suite.vault.clone(),
                &vault::ExecuteMsg::UpdateConfig {
                    governance: Some(gov.to_string()),
                    risk_engine: None,
                    default_fund: None,
                },
                &[],
            )?;
            suite.app.execute_contract(
                admin,
                suite.fund.clone(),
                &fund::ExecuteMsg::UpdateConfig {
                    governance: Some(gov.to_string()),
                    risk_engine: None,
                    operator: None,
                    loss_recipient: None,
                },
                &[],
            )?;
            // Governance holds the wasm admin right of all three, its own included.
            for contract in [suite.vault.clone(), suite.fund.clone(), gov.clone()] {
                suite.app.execute(
                    suite.admin.clone(),
                    cosmwasm_std::WasmMsg::UpdateAdmin {
                        contract_addr: contract.to_string(),
                        admin: gov.to_string(),
                    }
                    .into(),
                )?;
            }
            suite.governance = Some(gov);
            // Proposals weigh votes as the fund stood at the start of their
            // block: open the story in the block after the set-up.
            suite.next_block();
        }
        Ok(suite)
    }
}

pub struct Suite {
    pub app: App,
    pub vault: Addr,
    pub fund: Addr,
    pub governance: Option<Addr>,
    /// The cw20 settlement token, if the deployment uses one.
    pub token: Option<Addr>,
    /// Deployer, and admin of vault and fund until governance takes over.
    pub admin: Addr,
    pub risk_engine: Addr,
    pub operator: Addr,
    pub loss_recipient: Addr,
    pub guardian: Addr,
    /// Names of every member ever admitted, in order.
    pub names: Vec<String>,
}

/// The typed error of a refused message, whichever contract raised it.
pub fn contract_error<E: std::fmt::Display + Debug + Send + Sync + 'static>(
    err: &anyhow::Error,
) -> &E {
    err.downcast_ref::<E>().unwrap_or_else(|| {
        panic!(
            "expected a {} error, got: {err:?}",
            std::any::type_name::<E>()
        )
    })
}

impl Suite {
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn now(&self) -> u64 {
        self.app.block_info().time.seconds()
    }

    pub fn advance(&mut self, seconds: u64) {
        self.app.update_block(|b| {
            b.time = b.time.plus_seconds(seconds);
            b.height += seconds.div_ceil(5).max(1);
        });
    }

    /// The next block, 5 seconds later.
    pub fn next_block(&mut self) {
        self.advance(5);
    }

    /// The governing address of vault and fund.
    pub fn governor(&self) -> Addr {
        self.governance
            .clone()
            .unwrap_or_else(|| self.admin.clone())
    }

    // ---- money ----------------------------------------------------------

    /// Gives `who` `amount` of the settlement asset.
    pub fn mint(&mut self, who: &Addr, amount: u128) -> AnyResult<()> {
        if amount == 0 {
            return Ok(());
        }
        match self.token.clone() {
            None => {
                self.app.sudo(SudoMsg::Bank(BankSudo::Mint {
                    to_address: who.to_string(),
                    amount: coins(amount, DENOM),
                }))?;
            }
            Some(token) => {
                let admin = self.admin.clone();
                self.app.execute_contract(
                    admin,
                    token,
                    &cw20::Cw20ExecuteMsg::Mint {
                        recipient: who.to_string(),
                        amount: Uint128::new(amount),
                    },
                    &[],
                )?;
            }
        }
        Ok(())
    }

    pub fn balance(&self, who: &Addr) -> u128 {
        match &self.token {
            None => self
                .app
                .wrap()
                .query_balance(who, DENOM)
                .unwrap()
                .amount
                .u128(),
            Some(token) => {
                let res: cw20::BalanceResponse = self
                    .app
                    .wrap()
                    .query_wasm_smart(
                        token,
                        &cw20::Cw20QueryMsg::Balance {
                            address: who.to_string(),
                        },
                    )
                    .unwrap();
                res.balance.u128()
            }
        }
    }

    pub fn balance_of(&self, name: &str) -> u128 {
        self.balance(&self.addr(name))
    }

    /// Pays `amount` from `sender` into `contract` with `native` (funds
    /// attached) or `receive` (a cw20 `Send` carrying it).
    pub fn pay_into<N: serde::Serialize + Debug, R: serde::Serialize>(
        &mut self,
        sender: &Addr,
        contract: &Addr,
        amount: u128,
        native: &N,
        receive: &R,
    ) -> AnyResult<AppResponse> {
        match self.token.clone() {
            None => self.app.execute_contract(
                sender.clone(),
                contract.clone(),
                native,
                &coins(amount, DENOM),
            ),
            Some(token) => self.app.execute_contract(
                sender.clone(),
                token,
                &cw20::Cw20ExecuteMsg::Send {
                    contract: contract.to_string(),
                    amount: Uint128::new(amount),
                    msg: to_json_binary(receive)?,
                },
                &[],
            ),
        }
    }

    /// Mints what is needed into `sender`'s wallet, then pays.
    fn mint_and_pay<N: serde::Serialize + Debug, R: serde::Serialize>(
        &mut self,
        sender: &Addr,
        contract: &Addr,
        amount: u128,
        native: &N,
        receive: &R,
    ) -> AnyResult<AppResponse> {
        self.mint(sender, amount)?;
        self.pay_into(sender, contract, amount, native, receive)
    }

    // ---- vault ----------------------------------------------------------

    pub fn add_member(&mut self, name: &str, required_margin: u128) -> AnyResult<AppResponse> {
        let member = self.addr(name);
        let gov = self.governor();
        let vault = self.vault.clone();
        let res = self.app.execute_contract(
            gov,
            vault,
            &vault::ExecuteMsg::AddMember {
                member: member.to_string(),
                required_margin: Uint128::new(required_margin),
            },
            &[],
        )?;
        if !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_string());
        }
        Ok(res)
    }

    pub fn deposit_margin(&mut self, name: &str, amount: u128) -> AnyResult<AppResponse> {
        let member = self.addr(name);
        let vault = self.vault.clone();
        self.mint_and_pay(
            &member,
            &vault,
            amount,
            &vault::ExecuteMsg::Deposit {},
            &vault::ReceiveMsg::Deposit {},
        )
    }

    pub fn withdraw_margin(&mut self, name: &str, amount: u128) -> AnyResult<AppResponse> {
        let member = self.addr(name);
        let vault = self.vault.clone();
        self.app.execute_contract(
            member,
            vault,
            &vault::ExecuteMsg::Withdraw {
                amount: Uint128::new(amount),
            },
            &[],
        )
    }

    pub fn set_required_margin(&mut self, name: &str, amount: u128) -> AnyResult<AppResponse> {
        let member = self.addr(name);
        let (engine, vault) = (self.risk_engine.clone(), self.vault.clone());
        self.app.execute_contract(
            engine,
            vault,
            &vault::ExecuteMsg::SetRequiredMargin {
                member: member.to_string(),
                amount: Uint128::new(amount),
            },
            &[],
        )
    }

    pub fn vault_member(&self, name: &str) -> VaultMember {
        self.query_vault(&vault::QueryMsg::Member {
            address: self.addr(name).to_string(),
        })
    }

    pub fn query_vault<T: DeserializeOwned>(&self, msg: &vault::QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.vault, msg).unwrap()
    }

    // ---- fund -----------------------------------------------------------

    pub fn contribute(&mut self, name: &str, amount: u128) -> AnyResult<AppResponse> {
        let member = self.addr(name);
        let fund = self.fund.clone();
        self.mint_and_pay(
            &member,
            &fund,
            amount,
            &fund::ExecuteMsg::Contribute {},
            &fund::ReceiveMsg::Contribute {},
        )
    }

    pub fn fund_sitg(&mut self, amount: u128) -> AnyResult<AppResponse> {
        let (operator, fund) = (self.operator.clone(), self.fund.clone());
        self.mint_and_pay(
            &operator,
            &fund,
            amount,
            &fund::ExecuteMsg::FundSitg {},
            &fund::ReceiveMsg::FundSitg {},
        )
    }

    pub fn distribute_fees(&mut self, amount: u128) -> AnyResult<AppResponse> {
        let payer = self.addr("fee_payer");
        let fund = self.fund.clone();
        self.mint_and_pay(
            &payer,
            &fund,
            amount,
            &fund::ExecuteMsg::DistributeFees {},
            &fund::ReceiveMsg::DistributeFees {},
        )
    }

    /// Pays exactly what the member owes (minting it first).
    pub fn pay_assessment(&mut self, name: &str) -> AnyResult<AppResponse> {
        let owed = self.fund_member(name).assessment_owed.u128();
        self.pay_assessment_amount(name, owed.max(1))
    }

    pub fn pay_assessment_amount(&mut self, name: &str, amount: u128) -> AnyResult<AppResponse> {
        let member = self.addr(name);
        let fund = self.fund.clone();
        self.mint_and_pay(
            &member,
            &fund,
            amount,
            &fund::ExecuteMsg::PayAssessment {},
            &fund::ReceiveMsg::PayAssessment {},
        )
    }

    pub fn execute_fund(
        &mut self,
        sender: &Addr,
        msg: &fund::ExecuteMsg,
    ) -> AnyResult<AppResponse> {
        let fund = self.fund.clone();
        self.app.execute_contract(sender.clone(), fund, msg, &[])
    }

    pub fn member_executes_fund(
        &mut self,
        name: &str,
        msg: &fund::ExecuteMsg,
    ) -> AnyResult<AppResponse> {
        let member = self.addr(name);
        self.execute_fund(&member, msg)
    }

    pub fn request_withdrawal(&mut self, name: &str, amount: u128) -> AnyResult<AppResponse> {
        self.member_executes_fund(
            name,
            &fund::ExecuteMsg::RequestWithdrawal {
                amount: Uint128::new(amount),
            },
        )
    }

    pub fn claim_withdrawal(&mut self, name: &str) -> AnyResult<AppResponse> {
        self.member_executes_fund(name, &fund::ExecuteMsg::ClaimWithdrawal {})
    }

    pub fn claim_fees(&mut self, name: &str) -> AnyResult<AppResponse> {
        self.member_executes_fund(name, &fund::ExecuteMsg::ClaimFees {})
    }

    pub fn declare_default(&mut self, name: &str, loss: u128) -> AnyResult<DefaultReceipt> {
        let engine = self.risk_engine.clone();
        let msg = fund::ExecuteMsg::DeclareDefault {
            member: self.addr(name).to_string(),
            loss: Uint128::new(loss),
        };
        self.execute_fund(&engine, &msg)?;
        let state = self.fund_state();
        Ok(self.query_fund(&fund::QueryMsg::Default { id: state.defaults }))
    }

    pub fn preview_default(&self, name: &str, loss: u128) -> AnyResult<DefaultReceipt> {
        Ok(self.app.wrap().query_wasm_smart(
            &self.fund,
            &fund::QueryMsg::PreviewDefault {
                member: self.addr(name).to_string(),
                loss: Uint128::new(loss),
            },
        )?)
    }

    pub fn enforce_assessment(&mut self, name: &str) -> AnyResult<AppResponse> {
        let keeper = self.addr("keeper");
        let msg = fund::ExecuteMsg::EnforceAssessment {
            member: self.addr(name).to_string(),
        };
        self.execute_fund(&keeper, &msg)
    }

    pub fn enforce_replenishment(&mut self, name: &str) -> AnyResult<AppResponse> {
        let keeper = self.addr("keeper");
        let msg = fund::ExecuteMsg::EnforceReplenishment {
            member: self.addr(name).to_string(),
        };
        self.execute_fund(&keeper, &msg)
    }

    pub fn request_exit(&mut self, name: &str) -> AnyResult<AppResponse> {
        self.member_executes_fund(name, &fund::ExecuteMsg::RequestExit {})
    }

    /// Governance forces a member's exit notice.
    pub fn force_exit(&mut self, name: &str) -> AnyResult<AppResponse> {
        let gov = self.governor();
        let msg = fund::ExecuteMsg::ForceExit {
            member: self.addr(name).to_string(),
        };
        self.execute_fund(&gov, &msg)
    }

    /// Anyone completes a member's exit after its notice.
    pub fn complete_exit(&mut self, name: &str) -> AnyResult<AppResponse> {
        let keeper = self.addr("keeper");
        let msg = fund::ExecuteMsg::CompleteExit {
            member: self.addr(name).to_string(),
        };
        self.execute_fund(&keeper, &msg)
    }

    /// A member's whole exit: `CompleteExit` in the fund (its balance, fees
    /// and recovery credits), then `CloseAccount` in the vault (its whole
    /// margin; the vault reads the exit from the fund's record). Returns the
    /// fund's response.
    pub fn exit_with_margin(&mut self, name: &str) -> AnyResult<AppResponse> {
        let res = self.complete_exit(name)?;
        self.close_account(name)?;
        Ok(res)
    }

    /// A keeper closes an exited member's vault account, paying it its margin.
    pub fn close_account(&mut self, name: &str) -> AnyResult<AppResponse> {
        let keeper = self.addr("keeper");
        let vault = self.vault.clone();
        let member = self.addr(name).to_string();
        self.app.execute_contract(
            keeper,
            vault,
            &vault::ExecuteMsg::CloseAccount { member },
            &[],
        )
    }

    /// The risk engine suspends a member.
    pub fn suspend(&mut self, name: &str) -> AnyResult<AppResponse> {
        let engine = self.risk_engine.clone();
        let msg = fund::ExecuteMsg::Suspend {
            member: self.addr(name).to_string(),
        };
        self.execute_fund(&engine, &msg)
    }

    /// Governance lifts a suspension.
    pub fn unsuspend(&mut self, name: &str) -> AnyResult<AppResponse> {
        let gov = self.governor();
        let msg = fund::ExecuteMsg::Unsuspend {
            member: self.addr(name).to_string(),
        };
        self.execute_fund(&gov, &msg)
    }

    /// The risk engine posts stress exposures `(member, amount)`.
    pub fn post_exposures(&mut self, posts: &[(&str, u128)]) -> AnyResult<AppResponse> {
        let engine = self.risk_engine.clone();
        let msg = fund::ExecuteMsg::PostExposures {
            exposures: posts
                .iter()
                .map(|(name, amount)| fund::ExposurePost {
                    member: self.addr(name).to_string(),
                    amount: Uint128::new(*amount),
                })
                .collect(),
        };
        self.execute_fund(&engine, &msg)
    }

    pub fn recalibrate(&mut self) -> AnyResult<AppResponse> {
        let keeper = self.addr("keeper");
        self.execute_fund(&keeper, &fund::ExecuteMsg::Recalibrate {})
    }

    /// The loss recipient records a recovery against a default.
    pub fn record_recovery(&mut self, default_id: u64, amount: u128) -> AnyResult<AppResponse> {
        let recipient = self.loss_recipient.clone();
        let fund = self.fund.clone();
        self.mint_and_pay(
            &recipient,
            &fund,
            amount,
            &fund::ExecuteMsg::RecordRecovery { default_id },
            &fund::ReceiveMsg::RecordRecovery { default_id },
        )
    }

    pub fn claim_recoveries(&mut self, name: &str) -> AnyResult<AppResponse> {
        self.member_executes_fund(name, &fund::ExecuteMsg::ClaimRecoveries {})
    }

    /// Governance closes a member's default.
    pub fn close_default(&mut self, name: &str) -> AnyResult<AppResponse> {
        let gov = self.governor();
        let msg = fund::ExecuteMsg::CloseDefault {
            member: self.addr(name).to_string(),
        };
        self.execute_fund(&gov, &msg)
    }

    pub fn claim_released(&mut self, name: &str) -> AnyResult<AppResponse> {
        self.member_executes_fund(name, &fund::ExecuteMsg::ClaimReleased {})
    }

    /// Governance changes the fund's parameters.
    pub fn update_params(&mut self, params: FundParams) -> AnyResult<AppResponse> {
        let gov = self.governor();
        self.execute_fund(&gov, &fund::ExecuteMsg::UpdateParams { params })
    }

    pub fn params(&self) -> FundParams {
        self.query_fund(&fund::QueryMsg::Params {})
    }

    /// Governance shuts the vault and the fund down.
    pub fn shutdown(&mut self) -> AnyResult<()> {
        let gov = self.governor();
        let vault = self.vault.clone();
        self.app
            .execute_contract(gov.clone(), vault, &vault::ExecuteMsg::Shutdown {}, &[])?;
        self.execute_fund(&gov, &fund::ExecuteMsg::Shutdown {})?;
        Ok(())
    }

    pub fn obligations(&self, name: &str) -> fund::ObligationsResponse {
        self.query_fund(&fund::QueryMsg::Obligations {
            address: self.addr(name).to_string(),
        })
    }

    pub fn coverage(&self) -> fund::CoverageResponse {
        self.query_fund(&fund::QueryMsg::Coverage {})
    }

    pub fn fund_member(&self, name: &str) -> FundMember {
        self.query_fund(&fund::QueryMsg::Member {
            address: self.addr(name).to_string(),
        })
    }

    pub fn fund_state(&self) -> FundStateResponse {
        self.query_fund(&fund::QueryMsg::State {})
    }

    pub fn defaults(&self) -> Vec<DefaultReceipt> {
        let res: fund::DefaultsResponse = self.query_fund(&fund::QueryMsg::Defaults {
            start_after: None,
            limit: Some(100),
        });
        res.defaults
    }

    pub fn query_fund<T: DeserializeOwned>(&self, msg: &fund::QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.fund, msg).unwrap()
    }

    // ---- governance -------------------------------------------------------

    pub fn gov(&self) -> Addr {
        self.governance
            .clone()
            .expect("suite built with governance")
    }

    /// `name` opens a proposal with the default voting period and
    /// timelock; returns its id (`propose_until` for the others).
    pub fn propose(&mut self, name: &str, msgs: Vec<CosmosMsg>) -> AnyResult<u64> {
        self.propose_until(name, msgs, None, None)
    }

    pub fn vote(
        &mut self,
        name: &str,
        proposal_id: u64,
        vote: cw3::Vote,
    ) -> AnyResult<AppResponse> {
        let voter = self.addr(name);
        let gov = self.gov();
        self.app.execute_contract(
            voter,
            gov,
            &governance::ExecuteMsg::Vote { proposal_id, vote },
            &[],
        )
    }

    pub fn execute_proposal(&mut self, proposal_id: u64) -> AnyResult<AppResponse> {
        let keeper = self.addr("keeper");
        let gov = self.gov();
        self.app.execute_contract(
            keeper,
            gov,
            &governance::ExecuteMsg::Execute { proposal_id },
            &[],
        )
    }

    pub fn proposal(&self, proposal_id: u64) -> governance::ProposalResponse {
        self.query_gov(&governance::QueryMsg::Proposal { proposal_id })
    }

    pub fn query_gov<T: DeserializeOwned>(&self, msg: &governance::QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(self.gov(), msg).unwrap()
    }

    /// `sender` sends `msg` to governance.
    pub fn execute_gov(
        &mut self,
        sender: &Addr,
        msg: &governance::ExecuteMsg,
    ) -> AnyResult<AppResponse> {
        let gov = self.gov();
        self.app.execute_contract(sender.clone(), gov, msg, &[])
    }

    /// Anyone (a keeper) takes a defaulter's weight out of a proposal.
    pub fn discount_vote(&mut self, proposal_id: u64, voter: &str) -> AnyResult<AppResponse> {
        let keeper = self.addr("keeper");
        let msg = governance::ExecuteMsg::DiscountVote {
            proposal_id,
            voter: self.addr(voter).to_string(),
        };
        self.execute_gov(&keeper, &msg)
    }

    /// The weight of `name`'s ballot that counts on a proposal.
    pub fn ballot(&self, proposal_id: u64, name: &str) -> Option<Uint128> {
        let res: governance::VoteResponse = self.query_gov(&governance::QueryMsg::Vote {
            proposal_id,
            voter: self.addr(name).to_string(),
        });
        res.vote.map(|v| v.weight)
    }

    // ---- invariants -----------------------------------------------------

    /// Everything the fund and the vault owe, against what they hold: the
    /// fund's claims (balances, SITG, unclaimed fees, held stakes, recovery
    /// credits) against its books and its token balance, the vault's
    /// margin against its token balance.
    pub fn check_conservation(&self) -> Result<(), String> {
        let books: fund::BooksResponse = self.query_fund(&fund::QueryMsg::Books {});
        let s = self.fund_state();
        // `books.balances` is `D`: the members' balances and the dust below
        // one unit that leavers left (the state shows the balances alone).
        let fund_claims = books.balances.u128()
            + s.sitg.u128()
            + s.fees_unclaimed.u128()
            + s.held.u128()
            + s.recoveries_held.u128();
        if books.claims.u128() != fund_claims {
            return Err(format!(
                "fund books claims {} != state {fund_claims}",
                books.claims
            ));
        }
        let fund_holds = self.balance(&self.fund);
        if fund_holds < books.holdings.u128() || books.holdings.u128() < fund_claims {
            return Err(format!(
                "fund holds {fund_holds}, books {}, claims {fund_claims} ({s:?})",
                books.holdings
            ));
        }
        let totals: vault::TotalsResponse = self.query_vault(&vault::QueryMsg::Totals {});
        let vault_holds = self.balance(&self.vault);
        if vault_holds < totals.total_margin.u128() {
            return Err(format!(
                "vault holds {vault_holds} < margin {}",
                totals.total_margin
            ));
        }
        Ok(())
    }

    /// Everything observable about the deployment: [`Self::clearing_snapshot`]
    /// and governance's config, proposals, ballots and timelocks. Two equal
    /// snapshots mean a refused message changed nothing.
    pub fn snapshot(&self) -> String {
        let mut out = self.clearing_snapshot();
        if let Some(gov) = &self.governance {
            out.push('\n');
            out.push_str(&self.governance_snapshot(gov));
        }
        out
    }

    /// The vault and the fund: configs, totals, every known member in both,
    /// every default, and the token balances of the contracts, members and
    /// roles.
    pub fn clearing_snapshot(&self) -> String {
        let q = self.app.wrap();
        let mut out = vec![
            format!(
                "{:?}",
                self.query_vault::<vault::ConfigResponse>(&vault::QueryMsg::Config {})
            ),
            format!(
                "{:?}",
                self.query_vault::<vault::TotalsResponse>(&vault::QueryMsg::Totals {})
            ),
            format!(
                "{:?}",
                self.query_fund::<fund::ConfigResponse>(&fund::QueryMsg::Config {})
            ),
            format!(
                "{:?}",
                self.query_fund::<FundParams>(&fund::QueryMsg::Params {})
            ),
            format!("{:?}", self.fund_state()),
            format!("{:?}", self.defaults()),
        ];
        for name in &self.names {
            let a = self.addr(name).to_string();
            out.push(format!(
                "{name}: {:?} {:?}",
                q.query_wasm_smart::<VaultMember>(
                    &self.vault,
                    &vault::QueryMsg::Member { address: a.clone() }
                )
                .ok(),
                q.query_wasm_smart::<FundMember>(
                    &self.fund,
                    &fund::QueryMsg::Member { address: a }
                )
                .ok(),
            ));
        }
        let mut holders = vec![
            self.vault.clone(),
            self.fund.clone(),
            self.admin.clone(),
            self.operator.clone(),
            self.loss_recipient.clone(),
            self.risk_engine.clone(),
            self.guardian.clone(),
        ];
        holders.extend(self.names.iter().map(|n| self.addr(n)));
        for h in holders {
            out.push(format!("{h}: {}", self.balance(&h)));
        }
        out.join("\n")
    }

    /// Governance's config, and every proposal with its ballots, the
    /// weights taken out of it and its timelock.
    fn governance_snapshot(&self, gov: &Addr) -> String {
        fn shown<T: Debug>(r: cosmwasm_std::StdResult<T>) -> String {
            match r {
                Ok(v) => format!("{v:?}"),
                Err(e) => format!("error: {e}"),
            }
        }
        let q = self.app.wrap();
        let mut out = vec![shown(q.query_wasm_smart::<governance::ConfigResponse>(
            gov,
            &governance::QueryMsg::Config {},
        ))];
        let list: governance::ProposalListResponse = q
            .query_wasm_smart(
                gov,
                &governance::QueryMsg::ListProposals {
                    start_after: None,
                    limit: Some(100),
                },
            )
            .unwrap_or(governance::ProposalListResponse { proposals: vec![] });
        for p in list.proposals {
            let votes = q.query_wasm_smart::<governance::VoteListResponse>(
                gov,
                &governance::QueryMsg::ListVotes {
                    proposal_id: p.id,
                    start_after: None,
                    limit: Some(100),
                },
            );
            let discounts = q.query_wasm_smart::<governance::DiscountListResponse>(
                gov,
                &governance::QueryMsg::ListDiscounts {
                    proposal_id: p.id,
                    start_after: None,
                    limit: Some(100),
                },
            );
            let timelock = q.query_wasm_smart::<governance::TimelockResponse>(
                gov,
                &governance::QueryMsg::Timelock { proposal_id: p.id },
            );
            out.push(format!(
                "{p:?} {} {} {}",
                shown(votes),
                shown(discounts),
                shown(timelock)
            ));
        }
        out.join("\n")
    }

    /// Runs `f`, which must be refused, and checks that nothing changed.
    /// Returns the error for the caller to inspect.
    pub fn refused<T: Debug>(
        &mut self,
        f: impl FnOnce(&mut Suite) -> AnyResult<T>,
    ) -> anyhow::Error {
        let before = self.snapshot();
        let err = match f(self) {
            Ok(v) => panic!("expected a refusal, got {v:?}"),
            Err(e) => e,
        };
        let after = self.snapshot();
        assert_eq!(before, after, "a refused message changed state: {err:?}");
        err
    }

    pub fn assert_conservation(&self) {
        if let Err(e) = self.check_conservation() {
            panic!("conservation broken: {e}");
        }
    }
}

/// A `WasmMsg::Execute` to `contract`, for proposals.
pub fn wasm_execute<T: serde::Serialize + Debug>(contract: &Addr, msg: &T) -> CosmosMsg {
    clearing_types::call::execute_msg(contract, msg).expect("serializable")
}

impl Suite {
    /// A second cw20 token, not the settlement asset, with `amount` held by
    /// `owner`: what a member would try to pass off as the real one.
    pub fn foreign_token(&mut self, owner: &Addr, amount: u128) -> Addr {
        let code = self.app.store_code(cw20_contract());
        self.app
            .instantiate_contract(
                code,
                owner.clone(),
                &cw20_base::msg::InstantiateMsg {
                    name: "Foreign".into(),
                    symbol: "FRGN".into(),
                    decimals: 6,
                    initial_balances: vec![cw20::Cw20Coin {
                        address: owner.to_string(),
                        amount: Uint128::new(amount),
                    }],
                    mint: None,
                    marketing: None,
                },
                &[],
                "foreign token",
                None,
            )
            .expect("foreign token deploys")
    }
}

/// Raw JSON for malformed-input tests.
pub fn raw(json: &str) -> Binary {
    Binary::from(json.as_bytes())
}

pub fn native(amount: u128) -> Vec<Coin> {
    coins(amount, DENOM)
}
