//! Plays a scenario through the real contracts: deploys the suite with the
//! scenario's parameters and governance holding every admin right, admits
//! the members, sends every event as the execute message it stands for,
//! from the account that would send it on chain, and collects the report.
//!
//! Governance's messages (`update_params`, `close_default`, `unsuspend`,
//! `force_exit`, `shutdown`, a `default` `by` governance) are sent by the
//! governance contract itself, as a passed proposal executes them, without
//! playing the vote: the clock moves only with `advance`.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::Context;
use clearing_suite::cw_multi_test::{AppResponse, Executor};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{
    self, CoverageResponse, DefaultReceipt, FundParams, FundStateResponse,
    MemberResponse as FundMember,
};
use clearing_types::vault::{self, MemberResponse as VaultMember};
use cosmwasm_std::testing::MockApi;
use cosmwasm_std::{CosmosMsg, Decimal256, Uint128, Uint256};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::SimError;
use crate::names::Names;
use crate::report::{
    Coverage, CoverageOutcome, CoverageReport, DefaultEntry, EventOutcome, FinalMember, FinalState,
    Report, Status, TopExposure,
};
use crate::scenario::{Declarer, DefaultRef, Event, Scenario, SizingMode};
use crate::values::Amount;

/// Plays `scenario` on a fresh deployment settling in `settlement`.
pub fn play(scenario: &Scenario, settlement: Settlement) -> Result<Report, SimError> {
    let mut runner = Runner::deploy(scenario, settlement)?;
    for (index, event) in scenario.events.iter().enumerate() {
        runner.play(index, event)?;
    }
    runner.finish()
}

/// The deployment a scenario is played on, before any event: the suite
/// with the scenario's parameters, governance holding every admin right
/// (the wasm admin of all three contracts included), and the members.
pub fn deploy(scenario: &Scenario, settlement: Settlement) -> Result<Suite, SimError> {
    Ok(Runner::deploy(scenario, settlement)?.suite)
}

struct Runner<'a> {
    scenario: &'a Scenario,
    suite: Suite,
    names: Names,
    /// Everything the runner has minted so far: the asset's total supply,
    /// kept below `u128::MAX` so no balance can overflow.
    minted: u128,
    defaults: Vec<DefaultEntry>,
    coverage: Vec<CoverageOutcome>,
    events: Vec<EventOutcome>,
    warnings: Vec<String>,
}

/// What sending one event to the contracts gave.
type Sent = anyhow::Result<AppResponse>;

/// The contract an event addresses.
#[derive(Clone, Copy)]
enum Target {
    Vault,
    Fund,
}

impl Target {
    fn of(event: &Event) -> Target {
        match event {
            Event::DepositMargin { .. }
            | Event::WithdrawMargin { .. }
            | Event::SetRequiredMargin { .. } => Target::Vault,
            _ => Target::Fund,
        }
    }
}

impl<'a> Runner<'a> {
    fn deploy(scenario: &'a Scenario, settlement: Settlement) -> Result<Self, SimError> {
        let mut names = Names::new(&MockApi::default(), scenario.member_ids());
        let deploy_error = |names: &Names, what: String, err: anyhow::Error| {
            SimError::Deploy(format!("{what}: {}", names.humanize(&refusal(&err))))
        };
        let sitg = scenario.params.sitg();
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .params(scenario.params.fund_params())
            .sitg(sitg)
            .with_governance(scenario.params.governance())
            .try_build()
            .map_err(|e| deploy_error(&names, "deploying the contracts".into(), e))?;
        names.insert(&suite.vault, "margin-vault");
        names.insert(&suite.fund, "default-fund");
        if let Some(gov) = &suite.governance {
            names.insert(gov, "governance");
        }
        if let Some(token) = &suite.token {
            names.insert(token, "settlement-token");
        }
        let mut minted = sitg;
        for (i, m) in scenario.members.iter().enumerate() {
            let what = |step: &str| format!("members[{i}] ({}): {step}", m.id);
            minted = [m.margin.u128(), m.contribution.u128()]
                .into_iter()
                .try_fold(minted, u128::checked_add)
                .ok_or_else(|| {
                    SimError::Deploy(format!(
                        "{}: the members' funds add up to more than u128::MAX",
                        what("funding")
                    ))
                })?;
            suite
                .add_member(&m.id, m.required_margin.u128())
                .map_err(|e| deploy_error(&names, what("admission"), e))?;
            if m.margin.u128() > 0 {
                suite
                    .deposit_margin(&m.id, m.margin.u128())
                    .map_err(|e| deploy_error(&names, what("margin deposit"), e))?;
            }
            if m.contribution.u128() > 0 {
                suite
                    .contribute(&m.id, m.contribution.u128())
                    .map_err(|e| deploy_error(&names, what("contribution"), e))?;
            }
        }
        Ok(Runner {
            scenario,
            suite,
            names,
            minted,
            defaults: vec![],
            coverage: vec![],
            events: vec![],
            warnings: vec![],
        })
    }

    fn play(&mut self, index: usize, event: &Event) -> Result<(), SimError> {
        if let Some(unknown) = event
            .members()
            .into_iter()
            .find(|m| !self.scenario.member_ids().any(|id| id == *m))
        {
            self.events.push(EventOutcome::Refused {
                error: format!("unknown member '{unknown}': not one of the scenario's members"),
            });
            return Ok(());
        }
        let sent = self.send(event)?;
        if let (Event::Default { member, .. }, Ok(_)) = (event, &sent) {
            self.record_default(index, member)?;
        }
        let outcome = match sent {
            Ok(res) => {
                let mut figures = self.figures(event, &res);
                if event.changes_sizing() {
                    figures.extend(self.coverage_figures(index));
                }
                EventOutcome::Ok {
                    kind: event.kind(),
                    figures,
                }
            }
            Err(err) => EventOutcome::Refused {
                error: self.names.humanize(&refusal(&err)),
            },
        };
        if let Err(broken) = self.suite.check_conservation() {
            self.warnings.push(format!(
                "after event {index} ({event}): conservation broken: {}",
                self.names.humanize(&broken)
            ));
        }
        self.events.push(outcome);
        Ok(())
    }

    /// Sends the execute message `event` stands for, from the account that
    /// would send it on chain, minting what a payment needs first.
    fn send(&mut self, event: &Event) -> Result<Sent, SimError> {
        let native = self.native();
        Ok(match event {
            Event::Default { member, loss, by } => {
                let sender = match by {
                    Declarer::RiskEngine => self.suite.risk_engine.clone(),
                    Declarer::Governance => self.suite.governor(),
                };
                let msg = fund::ExecuteMsg::DeclareDefault {
                    member: self.suite.addr(member).to_string(),
                    loss: Uint128::new(loss.u128()),
                };
                self.suite.execute_fund(&sender, &msg)
            }
            Event::Advance { seconds } => {
                self.suite.advance(*seconds);
                Ok(AppResponse::default())
            }
            Event::PayAssessment { member } => {
                // Pays what is owed; with nothing owed, 1 unit, which the
                // fund refuses ("nothing is owed").
                let owed = self.fund_member(member)?.assessment_owed.u128().max(1);
                self.minting(owed, |s| s.pay_assessment_amount(member, owed))
            }
            Event::DepositMargin {
                member,
                amount: Amount(0),
            } if native => {
                let sender = self.suite.addr(member);
                self.without_funds(&sender, Target::Vault, &vault::ExecuteMsg::Deposit {})
            }
            Event::Contribute {
                member,
                amount: Amount(0),
            } if native => {
                let sender = self.suite.addr(member);
                self.without_funds(&sender, Target::Fund, &fund::ExecuteMsg::Contribute {})
            }
            Event::DistributeFees { amount: Amount(0) } if native => {
                let sender = self.suite.addr("fee_payer");
                self.without_funds(&sender, Target::Fund, &fund::ExecuteMsg::DistributeFees {})
            }
            Event::FundSitg { amount: Amount(0) } if native => {
                let sender = self.suite.operator.clone();
                self.without_funds(&sender, Target::Fund, &fund::ExecuteMsg::FundSitg {})
            }
            Event::DepositMargin { member, amount } => {
                self.minting(amount.u128(), |s| s.deposit_margin(member, amount.u128()))
            }
            Event::Contribute { member, amount } => {
                self.minting(amount.u128(), |s| s.contribute(member, amount.u128()))
            }
            Event::DistributeFees { amount } => {
                self.minting(amount.u128(), |s| s.distribute_fees(amount.u128()))
            }
            Event::FundSitg { amount } => {
                self.minting(amount.u128(), |s| s.fund_sitg(amount.u128()))
            }
            Event::RecordRecovery { default, amount } => match self.default_id(default)? {
                Err(why) => Err(why),
                Ok(id) if amount.u128() == 0 && native => {
                    let sender = self.suite.loss_recipient.clone();
                    let msg = fund::ExecuteMsg::RecordRecovery { default_id: id };
                    self.without_funds(&sender, Target::Fund, &msg)
                }
                Ok(id) => self.minting(amount.u128(), |s| s.record_recovery(id, amount.u128())),
            },
            Event::WithdrawMargin { member, amount } => {
                self.suite.withdraw_margin(member, amount.u128())
            }
            Event::SetRequiredMargin { member, amount } => {
                self.suite.set_required_margin(member, amount.u128())
            }
            Event::RequestWithdrawal { member, amount } => {
                self.suite.request_withdrawal(member, amount.u128())
            }
            Event::ClaimWithdrawal { member } => self.suite.claim_withdrawal(member),
            Event::EnforceAssessment { member } => self.suite.enforce_assessment(member),
            Event::EnforceReplenishment { member } => self.suite.enforce_replenishment(member),
            Event::ClaimFees { member } => self.suite.claim_fees(member),
            Event::UpdateParams(patch) => {
                let current: FundParams = self.query_fund(&fund::QueryMsg::Params {})?;
                self.suite.update_params(patch.apply(current))
            }
            Event::SetExposure { member, amount } => self
                .suite
                .post_exposures(&[(member.as_str(), amount.u128())]),
            Event::SetExposures(list) => {
                let posts: Vec<(&str, u128)> = list
                    .iter()
                    .map(|e| (e.member.as_str(), e.amount.u128()))
                    .collect();
                self.suite.post_exposures(&posts)
            }
            Event::Recalibrate {} => self.suite.recalibrate(),
            Event::Suspend { member } => self.suite.suspend(member),
            Event::Unsuspend { member } => self.suite.unsuspend(member),
            Event::RequestExit { member } => self.suite.request_exit(member),
            Event::ForceExit { member } => self.suite.force_exit(member),
            Event::CompleteExit { member } => self.suite.exit_with_margin(member),
            Event::CloseDefault { member } => self.suite.close_default(member),
            Event::ClaimReleased { member } => self.suite.claim_released(member),
            Event::ClaimRecoveries { member } => self.suite.claim_recoveries(member),
            Event::Shutdown {} => self.shutdown(),
            Event::WithdrawSitg {} => self.suite.withdraw_sitg(),
        })
    }

    fn native(&self) -> bool {
        self.suite.token.is_none()
    }

    /// The fund's id of the default a recovery names: its own, or the
    /// default of the member it names (a refusal if it has none).
    fn default_id(&self, default: &DefaultRef) -> Result<anyhow::Result<u64>, SimError> {
        Ok(match default {
            DefaultRef::Id(id) => Ok(*id),
            DefaultRef::Member(member) => {
                let receipt: Option<DefaultReceipt> =
                    self.query_fund(&fund::QueryMsg::DefaultOf {
                        member: self.suite.addr(member).to_string(),
                    })?;
                receipt.map(|r| r.id).ok_or_else(|| {
                    anyhow::anyhow!("{member} has not defaulted: no default to credit")
                })
            }
        })
    }

    /// Governance shuts the vault and the fund down in one transaction:
    /// both or neither.
    fn shutdown(&mut self) -> Sent {
        let gov = self.suite.governor();
        let msgs: Vec<CosmosMsg> = vec![
            clearing_suite::wasm_execute(&self.suite.vault, &vault::ExecuteMsg::Shutdown {}),
            clearing_suite::wasm_execute(&self.suite.fund, &fund::ExecuteMsg::Shutdown {}),
        ];
        let responses = self.suite.app.execute_multi(gov, msgs)?;
        Ok(AppResponse {
            events: responses.into_iter().flat_map(|r| r.events).collect(),
            ..AppResponse::default()
        })
    }

    /// A payment of nothing in the native denom: the bank cannot move zero
    /// coins, so the message goes without funds and the contract answers.
    fn without_funds<M: Serialize + fmt::Debug>(
        &mut self,
        sender: &cosmwasm_std::Addr,
        target: Target,
        msg: &M,
    ) -> Sent {
        let contract = match target {
            Target::Vault => self.suite.vault.clone(),
            Target::Fund => self.suite.fund.clone(),
        };
        self.suite
            .app
            .execute_contract(sender.clone(), contract, msg, &[])
    }

    /// Runs `pay`, which mints `amount` into a wallet first, unless that
    /// would take the asset's supply past `u128::MAX` (the bank and cw20
    /// would overflow).
    fn minting(&mut self, amount: u128, pay: impl FnOnce(&mut Suite) -> Sent) -> Sent {
        match self.minted.checked_add(amount) {
            Some(total) => {
                self.minted = total;
                pay(&mut self.suite)
            }
            None => Err(anyhow::anyhow!(
                "the runner cannot mint {amount} more: the settlement asset's supply would exceed u128::MAX"
            )),
        }
    }

    /// Adds the default just declared to the report: its receipt, every
    /// other member's share of its assessment, and coverage after it.
    fn record_default(&mut self, index: usize, member: &str) -> Result<(), SimError> {
        let state: FundStateResponse = self.query_fund(&fund::QueryMsg::State {})?;
        let receipt: DefaultReceipt =
            self.query_fund(&fund::QueryMsg::Default { id: state.defaults })?;
        let mut assessed = BTreeMap::new();
        if !receipt.layers.assessments.is_zero() {
            for id in self.scenario.member_ids().filter(|id| *id != member) {
                let share = self
                    .fund_member(id)?
                    .obligations
                    .iter()
                    .filter(|o| o.default_id == receipt.id)
                    .fold(Uint128::zero(), |sum, o| sum + o.amount);
                if !share.is_zero() {
                    assessed.insert(id.to_string(), share);
                }
            }
        }
        self.defaults.push(DefaultEntry {
            member: member.to_string(),
            loss: receipt.loss,
            close_out_loss: receipt.close_out_loss,
            unpaid_assessments: receipt.unpaid_assessments,
            layers: receipt.layers,
            assessed,
            event_index: index,
            declared_by: receipt.declared_by,
        });
        let coverage = self.coverage(&format!("after event {index}"));
        self.coverage.push(coverage);
        Ok(())
    }

    /// Coverage after an event that changes exposures, the rate or the
    /// sizing parameters: the requirement, what is pre-funded and the ratio
    /// (`none` with no exposure posted).
    fn coverage_figures(&mut self, index: usize) -> Vec<(String, String)> {
        match self.coverage(&format!("after event {index}")) {
            CoverageOutcome::Ok(c) => vec![
                ("coverage_requirement".into(), c.requirement.to_string()),
                ("prefunded".into(), c.prefunded.to_string()),
                (
                    "coverage_ratio".into(),
                    c.ratio.map_or("none".into(), |r| r.to_string()),
                ),
            ],
            CoverageOutcome::Failed { error } => vec![("coverage_error".into(), error)],
        }
    }

    /// The fund's Coverage query, members named; a query the fund cannot
    /// answer is recorded (and warned about on stderr), not fatal.
    fn coverage(&mut self, when: &str) -> CoverageOutcome {
        let c: CoverageResponse = match self
            .suite
            .app
            .wrap()
            .query_wasm_smart(&self.suite.fund, &fund::QueryMsg::Coverage {})
        {
            Ok(c) => c,
            Err(e) => {
                let error = self.names.humanize(&e.to_string());
                self.warnings
                    .push(format!("{when}: the Coverage query failed: {error}"));
                return CoverageOutcome::Failed { error };
            }
        };
        CoverageOutcome::Ok(Box::new(Coverage {
            cover: c.cover,
            top_exposures: c
                .top_exposures
                .iter()
                .map(|t| TopExposure {
                    member: self.names.humanize(t.member.as_str()),
                    exposure: Uint256::from(t.exposure),
                })
                .collect(),
            requirement: c.requirement,
            target: c.target,
            prefunded: Uint256::from(c.prefunded),
            below_one: c.ratio.is_some_and(|r| r < Decimal256::one()),
            ratio: c.ratio,
            assessment_capacity: c.assessment_capacity,
            ratio_with_assessments: c.ratio_with_assessments,
            total_required: c.total_required,
            contribution_rate: c.contribution_rate,
            sizing: SizingMode::of(c.basis),
        }))
    }

    /// The figures of a done event: for `advance` the new block time, for
    /// the others the attributes of the addressed contract's own action
    /// and of the typed events it emitted (`wasm-default`,
    /// `wasm-recovery`), not of the hooks it called; addresses named.
    fn figures(&self, event: &Event, res: &AppResponse) -> Vec<(String, String)> {
        if let Event::Advance { seconds } = event {
            return vec![
                ("seconds".into(), seconds.to_string()),
                ("time".into(), self.suite.now().to_string()),
            ];
        }
        let target = match Target::of(event) {
            Target::Vault => self.suite.vault.as_str(),
            Target::Fund => self.suite.fund.as_str(),
        };
        let from_target = |e: &cosmwasm_std::Event| {
            e.attributes
                .iter()
                .any(|a| a.key == "_contract_address" && a.value == target)
        };
        let is_action = |e: &cosmwasm_std::Event| {
            e.ty == "wasm" && e.attributes.iter().any(|a| a.key == "action")
        };
        let Some(action) = res
            .events
            .iter()
            .position(|e| from_target(e) && is_action(e))
        else {
            return vec![];
        };
        // The action, then the typed events of the same call (they follow
        // it, before any other contract's events).
        let typed = res.events[action + 1..]
            .iter()
            .take_while(|e| e.ty.starts_with("wasm-") && from_target(e));
        let mut figures: Vec<(String, String)> = vec![];
        for a in std::iter::once(&res.events[action])
            .chain(typed)
            .flat_map(|e| &e.attributes)
        {
            let skip = matches!(
                a.key.as_str(),
                "_contract_address" | "action" | "ok" | "error"
            );
            if !skip && !figures.iter().any(|(k, _)| *k == a.key) {
                figures.push((a.key.clone(), self.names.humanize(&a.value)));
            }
        }
        figures
    }

    fn finish(mut self) -> Result<Report, SimError> {
        let mut members = BTreeMap::new();
        for id in self.scenario.member_ids() {
            let vault_member: VaultMember = self.query_vault(&vault::QueryMsg::Member {
                address: self.suite.addr(id).to_string(),
            })?;
            let fund_member = self.fund_member(id)?;
            let status = Status::of(&fund_member);
            let contribution = match status {
                Status::Defaulted | Status::Closed => fund_member.held,
                _ => fund_member.balance,
            };
            members.insert(
                id.to_string(),
                FinalMember {
                    margin: vault_member.balance,
                    contribution,
                    assessment_owed: fund_member.assessment_owed,
                    fees_claimable: fund_member.fees_claimable,
                    status,
                },
            );
        }
        let state: FundStateResponse = self.query_fund(&fund::QueryMsg::State {})?;
        let end = self.coverage("at the end");
        let refused_event_indexes = self
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.is_refused())
            .map(|(i, _)| i)
            .collect();
        Ok(Report {
            defaults: self.defaults,
            final_state: FinalState {
                members,
                sitg: state.sitg,
                uncovered_total: state.uncovered_total,
            },
            events: self.events,
            refused_event_indexes,
            coverage: CoverageReport {
                after_defaults: self.coverage,
                end,
            },
            warnings: self.warnings,
        })
    }

    fn fund_member(&self, id: &str) -> Result<FundMember, SimError> {
        self.query_fund(&fund::QueryMsg::Member {
            address: self.suite.addr(id).to_string(),
        })
    }

    fn query_fund<T: DeserializeOwned>(&self, msg: &fund::QueryMsg) -> Result<T, SimError> {
        self.suite
            .app
            .wrap()
            .query_wasm_smart(&self.suite.fund, msg)
            .with_context(|| format!("default fund: {msg:?}"))
            .map_err(SimError::Query)
    }

    fn query_vault<T: DeserializeOwned>(&self, msg: &vault::QueryMsg) -> Result<T, SimError> {
        self.suite
            .app
            .wrap()
            .query_wasm_smart(&self.suite.vault, msg)
            .with_context(|| format!("margin vault: {msg:?}"))
            .map_err(SimError::Query)
    }
}

/// The message of the contract that refused: the innermost error, below
/// cw-multi-test's "error executing WasmMsg" wrappers.
fn refusal(err: &anyhow::Error) -> String {
    err.root_cause().to_string()
}
