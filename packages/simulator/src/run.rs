//! Plays a scenario through the real contracts: deploys the suite with the
//! scenario's parameters, admits the members, sends every event as the
//! execute message it stands for, and collects the report.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::Context;
use clearing_suite::cw_multi_test::{AppResponse, Executor};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{self, DefaultReceipt, FundStateResponse, MemberResponse as FundMember};
use clearing_types::vault::{self, MemberResponse as VaultMember};
use cosmwasm_std::testing::MockApi;
use cosmwasm_std::Uint128;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::SimError;
use crate::names::Names;
use crate::report::{DefaultEntry, EventOutcome, FinalMember, FinalState, Report};
use crate::scenario::{Event, Scenario};
use crate::values::Amount;

/// Plays `scenario` on a fresh deployment settling in `settlement`.
pub fn play(scenario: &Scenario, settlement: Settlement) -> Result<Report, SimError> {
    let mut runner = Runner::deploy(scenario, settlement)?;
    for (index, event) in scenario.events.iter().enumerate() {
        runner.play(index, event)?;
    }
    runner.finish()
}

struct Runner<'a> {
    scenario: &'a Scenario,
    suite: Suite,
    names: Names,
    /// Everything the runner has minted so far: the asset's total supply,
    /// kept below `u128::MAX` so no balance can overflow.
    minted: u128,
    defaults: Vec<DefaultEntry>,
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
            .try_build()
            .map_err(|e| deploy_error(&names, "deploying the contracts".into(), e))?;
        names.insert(&suite.vault, "margin-vault");
        names.insert(&suite.fund, "default-fund");
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
            events: vec![],
            warnings: vec![],
        })
    }

    fn play(&mut self, index: usize, event: &Event) -> Result<(), SimError> {
        let owed_before = match event {
            Event::Default { member, .. } => Some(self.assessments_owed(member)?),
            _ => None,
        };
        let sent = self.send(event)?;
        if let (Event::Default { member, .. }, Some(before), Ok(_)) = (event, owed_before, &sent) {
            self.record_default(index, member, before)?;
        }
        let outcome = match sent {
            Ok(res) => EventOutcome::Ok {
                kind: event.kind(),
                figures: self.figures(event, &res),
            },
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
        Ok(match event {
            Event::Default { member, loss } => {
                let engine = self.suite.risk_engine.clone();
                let msg = fund::ExecuteMsg::DeclareDefault {
                    member: self.suite.addr(member).to_string(),
                    loss: Uint128::new(loss.u128()),
                };
                self.suite.execute_fund(&engine, &msg)
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
            } if self.native() => {
                self.without_funds(member, Target::Vault, &vault::ExecuteMsg::Deposit {})
            }
            Event::Contribute {
                member,
                amount: Amount(0),
            } if self.native() => {
                self.without_funds(member, Target::Fund, &fund::ExecuteMsg::Contribute {})
            }
            Event::DistributeFees { amount: Amount(0) } if self.native() => self.without_funds(
                "fee_payer",
                Target::Fund,
                &fund::ExecuteMsg::DistributeFees {},
            ),
            Event::DepositMargin { member, amount } => {
                self.minting(amount.u128(), |s| s.deposit_margin(member, amount.u128()))
            }
            Event::Contribute { member, amount } => {
                self.minting(amount.u128(), |s| s.contribute(member, amount.u128()))
            }
            Event::DistributeFees { amount } => {
                self.minting(amount.u128(), |s| s.distribute_fees(amount.u128()))
            }
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
        })
    }

    fn native(&self) -> bool {
        self.suite.token.is_none()
    }

    /// A payment of nothing in the native denom: the bank cannot move zero
    /// coins, so the message goes without funds and the contract answers.
    fn without_funds<M: Serialize + fmt::Debug>(
        &mut self,
        sender: &str,
        target: Target,
        msg: &M,
    ) -> Sent {
        let sender = self.suite.addr(sender);
        let contract = match target {
            Target::Vault => self.suite.vault.clone(),
            Target::Fund => self.suite.fund.clone(),
        };
        self.suite.app.execute_contract(sender, contract, msg, &[])
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

    /// Adds the default just declared to the report, with what it added to
    /// every other member's assessment since `before`.
    fn record_default(
        &mut self,
        index: usize,
        member: &str,
        before: BTreeMap<String, Uint128>,
    ) -> Result<(), SimError> {
        let state: FundStateResponse = self.query_fund(&fund::QueryMsg::State {})?;
        let receipt: DefaultReceipt =
            self.query_fund(&fund::QueryMsg::Default { id: state.defaults })?;
        let assessed = self
            .assessments_owed(member)?
            .into_iter()
            .filter_map(|(id, owed)| {
                let added = owed.saturating_sub(before.get(&id).copied().unwrap_or_default());
                (!added.is_zero()).then_some((id, added))
            })
            .collect();
        self.defaults.push(DefaultEntry {
            member: member.to_string(),
            loss: receipt.loss,
            layers: receipt.layers,
            assessed,
            event_index: index,
        });
        Ok(())
    }

    /// `assessment_owed` of every member but `except`, by id.
    fn assessments_owed(&self, except: &str) -> Result<BTreeMap<String, Uint128>, SimError> {
        self.scenario
            .member_ids()
            .filter(|id| *id != except)
            .map(|id| Ok((id.to_string(), self.fund_member(id)?.assessment_owed)))
            .collect()
    }

    /// The figures of a done event: for `advance` the new block time, for
    /// the others the attributes of the addressed contract's own action
    /// (not of the hooks it called), addresses named.
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
        let is_target = |e: &&cosmwasm_std::Event| {
            e.ty == "wasm"
                && e.attributes
                    .iter()
                    .any(|a| a.key == "_contract_address" && a.value == target)
                && e.attributes.iter().any(|a| a.key == "action")
        };
        res.events
            .iter()
            .find(is_target)
            .map(|e| {
                e.attributes
                    .iter()
                    .filter(|a| {
                        !matches!(
                            a.key.as_str(),
                            "_contract_address" | "action" | "ok" | "error"
                        )
                    })
                    .map(|a| (a.key.clone(), self.names.humanize(&a.value)))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn finish(self) -> Result<Report, SimError> {
        let mut members = BTreeMap::new();
        for id in self.scenario.member_ids() {
            let vault_member: VaultMember = self.query_vault(&vault::QueryMsg::Member {
                address: self.suite.addr(id).to_string(),
            })?;
            let fund_member = self.fund_member(id)?;
            members.insert(
                id.to_string(),
                FinalMember {
                    margin: vault_member.balance,
                    contribution: fund_member.balance,
                    assessment_owed: fund_member.assessment_owed,
                    fees_claimable: fund_member.fees_claimable,
                    status: fund_member.status.into(),
                },
            );
        }
        let state: FundStateResponse = self.query_fund(&fund::QueryMsg::State {})?;
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
