//! Property tests: random sequences of contributions, withdrawals, fees,
//! defaults, payments and enforcement, compared step by step with a plain
//! O(N) model in exact (floating-point) arithmetic. After every step:
//! - the contracts hold at least what they owe (conservation);
//! - every default's layers add up to its loss exactly, and each layer is
//!   within the dust bound of the model's;
//! - every member's balance and fees round down: below the model by at most
//!   one unit per event. Rounding leaves a little dust in the pool that
//!   belongs to nobody; it takes its pro-rata part of later losses, so a
//!   member may sit above the exact figure by at most its share of that
//!   dust (one unit per event at most, spread over the pool);
//!   assessments owed are never below the model and above it by at most
//!   one unit per event.
//!
//! Interleaved with those: messages from wrong senders and bad inputs to
//! all three contracts (each must be refused and change nothing), and
//! governance proposals and votes (which must not touch the vault or the
//! fund until executed).
//!
//! `PROPTEST_CASES` scales the number of runs (CI uses the default).

use clearing_suite::{raw, Suite, SuiteBuilder};
use clearing_types::fund::{FundParams, MemberStatus};
use clearing_types::{fund, governance as gov, vault};
use cosmwasm_std::{Addr, CosmosMsg, WasmMsg};
use cosmwasm_std::{Decimal, Uint128};
use cw_multi_test::Executor;
use proptest::prelude::*;

const DAY: u64 = 86_400;
const MULTIPLE: f64 = 2.0;
const EPS: f64 = 1e-6;

#[derive(Clone, Debug)]
enum Action {
    Contribute(usize, u128),
    DepositMargin(usize, u128),
    RequestWithdrawal(usize, u8),
    ClaimWithdrawal(usize),
    DistributeFees(u128),
    ClaimFees(usize),
    Default(usize, u128),
    PayAssessment(usize),
    EnforceAssessment(usize),
    Advance(u64),
    /// A privileged message (index into `privileged`) from member `.1`.
    Unauthorized(usize, usize),
    /// A malformed or out-of-range message (index into `bad_input`).
    BadInput(usize, usize),
    /// Member `.0` proposes a change to the rules of voting.
    Propose(usize),
    /// Member `.0` votes yes (`true`) or no on the latest proposal.
    Vote(usize, bool),
    /// Anyone tries to execute the latest proposal.
    ExecuteLatest,
}

fn action() -> impl Strategy<Value = Action> {
    let m = 0usize..1_000;
    prop_oneof![
        4 => (m.clone(), 1u128..5_000).prop_map(|(i, a)| Action::Contribute(i, a)),
        2 => (m.clone(), 1u128..5_000).prop_map(|(i, a)| Action::DepositMargin(i, a)),
        2 => (m.clone(), 1u8..=100).prop_map(|(i, p)| Action::RequestWithdrawal(i, p)),
        2 => m.clone().prop_map(Action::ClaimWithdrawal),
        3 => (1u128..3_000).prop_map(Action::DistributeFees),
        2 => m.clone().prop_map(Action::ClaimFees),
        2 => (m.clone(), 1u128..40_000).prop_map(|(i, l)| Action::Default(i, l)),
        2 => m.clone().prop_map(Action::PayAssessment),
        2 => m.clone().prop_map(Action::EnforceAssessment),
        3 => prop_oneof![Just(DAY / 2), Just(DAY), Just(15 * DAY), Just(30 * DAY)].prop_map(Action::Advance),
        2 => (0usize..100, m.clone()).prop_map(|(k, i)| Action::Unauthorized(k, i)),
        2 => (0usize..100, m.clone()).prop_map(|(k, i)| Action::BadInput(k, i)),
        1 => m.clone().prop_map(Action::Propose),
        2 => (m.clone(), any::<bool>()).prop_map(|(i, y)| Action::Vote(i, y)),
        1 => Just(Action::ExecuteLatest),
    ]
}

#[derive(Clone, Debug)]
struct ModelMember {
    name: String,
    margin: u128,
    required_margin: u128,
    rc: u128,
    balance: f64,
    fees: f64,
    /// (due, amount) of unpaid assessments.
    owed: Vec<(u64, f64)>,
    status: MemberStatus,
    withdrawal: Option<(u128, u64)>,
    /// How far above the model this member's fees may be: fees follow the
    /// contract's balances, which dust in the pool can lift by its share.
    fee_slack: f64,
}

impl ModelMember {
    fn live(&self) -> bool {
        !matches!(self.status, MemberStatus::Defaulted | MemberStatus::Closed)
    }
    fn owed(&self) -> f64 {
        self.owed.iter().map(|(_, a)| a).sum()
    }
    fn overdue(&self, now: u64) -> f64 {
        self.owed
            .iter()
            .filter(|(d, _)| *d <= now)
            .map(|(_, a)| a)
            .sum()
    }
}

struct Model {
    members: Vec<ModelMember>,
    sitg: u128,
    now: u64,
    cooling: Option<(u64, f64)>,
    last_due: u64,
    events: u64,
    defaults: u64,
}

fn params() -> FundParams {
    FundParams {
        min_contribution: Uint128::new(100),
        contribution_rate: Decimal::percent(10),
        assessment_multiple: Decimal::percent(200),
        cooling_off_period: 28 * DAY,
        assessment_deadline: DAY,
        // Long enough never to end inside a run: replenishment has its own tests.
        replenishment_period: 3_650 * DAY,
        withdrawal_notice_period: 14 * DAY,
    }
}

/// The dust bound after `events` events: one unit per event, plus float slack.
fn tol(events: u64, v: f64) -> f64 {
    events as f64 + 1.0 + EPS * v.abs().max(1.0)
}

fn setup(specs: &[(u128, u128, u128)], sitg: u128) -> (Suite, Model) {
    let mut b = SuiteBuilder::new()
        .params(params())
        .sitg(sitg)
        .with_governance(Default::default());
    let mut members = vec![];
    for (i, (margin, req, contribution)) in specs.iter().enumerate() {
        let name = format!("m{i}");
        b = b.member(&name, *margin, *req, *contribution);
        members.push(ModelMember {
            name,
            margin: *margin,
            required_margin: *req,
            rc: (req.div_ceil(10)).max(100),
            balance: *contribution as f64,
            fees: 0.0,
            owed: vec![],
            status: MemberStatus::Active,
            withdrawal: None,
            fee_slack: 0.0,
        });
    }
    let suite = b.build();
    let now = suite.now();
    (
        suite,
        Model {
            members,
            sitg,
            now,
            cooling: None,
            last_due: 0,
            events: 0,
            defaults: 0,
        },
    )
}

fn within(
    what: &str,
    contract: f64,
    model: f64,
    below: f64,
    above: f64,
) -> Result<(), TestCaseError> {
    prop_assert!(
        contract >= model - below - EPS * model.abs().max(1.0)
            && contract <= model + above + EPS * model.abs().max(1.0),
        "{what}: contract {contract} vs model {model} (allowed -{below} / +{above})"
    );
    Ok(())
}

fn check_members(suite: &Suite, model: &Model) -> Result<(), TestCaseError> {
    let t = tol(model.events, 0.0);
    let pool: f64 = model
        .members
        .iter()
        .filter(|m| m.live())
        .map(|m| m.balance)
        .sum();
    for m in &model.members {
        let dust_share = if pool > 0.0 {
            model.events as f64 * m.balance / pool
        } else {
            0.0
        };
        let c = suite.fund_member(&m.name);
        let v = suite.vault_member(&m.name);
        prop_assert_eq!(v.balance.u128(), m.margin, "{} margin", m.name);
        prop_assert_eq!(
            c.status == MemberStatus::Defaulted,
            m.status == MemberStatus::Defaulted,
            "{} status",
            m.name
        );
        // Rounding favours the fund: at most dust below the model, and
        // above it by no more than the member's share of unowned dust.
        within(
            &format!("{} balance", m.name),
            c.balance.u128() as f64,
            m.balance,
            t,
            dust_share,
        )?;
        within(
            &format!("{} fees", m.name),
            c.fees_claimable.u128() as f64,
            m.fees,
            t,
            dust_share + m.fee_slack,
        )?;
        // Obligations round up: never below the model, at most dust above.
        within(
            &format!("{} owed", m.name),
            c.assessment_owed.u128() as f64,
            m.owed(),
            0.0,
            t,
        )?;
    }
    let s = suite.fund_state();
    prop_assert_eq!(s.sitg.u128(), model.sitg);
    if let Err(e) = suite.check_conservation() {
        return Err(TestCaseError::fail(e));
    }
    Ok(())
}

fn step(suite: &mut Suite, model: &mut Model, action: &Action) -> Result<(), TestCaseError> {
    let n = model.members.len();
    let now = model.now;
    let t = tol(model.events, 0.0);
    match action.clone() {
        Action::Unauthorized(k, i) => return unauthorized(suite, model, k, i),
        Action::BadInput(k, i) => return bad_input(suite, model, k, i),
        Action::Propose(i) => {
            let m = &model.members[i % n];
            let before = suite.clearing_snapshot();
            let msg = wasm(
                &suite.gov(),
                &gov::ExecuteMsg::UpdateConfig {
                    threshold: None,
                    voting_period: None,
                    timelock: Some(DAY + i as u64),
                    weighting: None,
                    guardian: None,
                },
            );
            let res = suite.propose(&m.name.clone(), vec![msg]);
            prop_assert_eq!(
                res.is_ok(),
                m.status == MemberStatus::Active,
                "propose {:?}",
                res.err()
            );
            prop_assert_eq!(
                before,
                suite.clearing_snapshot(),
                "a proposal touched the vault or the fund"
            );
            return Ok(());
        }
        Action::Vote(i, yes) => {
            let Some(id) = latest_proposal(suite) else {
                return Ok(());
            };
            let before = suite.clearing_snapshot();
            let vote = if yes { cw3::Vote::Yes } else { cw3::Vote::No };
            let _ = suite.vote(&model.members[i % n].name.clone(), id, vote);
            prop_assert_eq!(
                before,
                suite.clearing_snapshot(),
                "a vote touched the vault or the fund"
            );
            let votes: cw3::VoteListResponse = suite
                .app
                .wrap()
                .query_wasm_smart(
                    suite.gov(),
                    &gov::QueryMsg::ListVotes {
                        proposal_id: id,
                        start_after: None,
                        limit: Some(100),
                    },
                )
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(votes.votes.len() <= n);
            let ones = votes.votes.iter().all(|v| v.weight == 1);
            prop_assert!(ones, "one member one vote");
            return Ok(());
        }
        Action::ExecuteLatest => {
            let Some(id) = latest_proposal(suite) else {
                return Ok(());
            };
            let before = suite.clearing_snapshot();
            let _ = suite.execute_proposal(id);
            prop_assert_eq!(
                before,
                suite.clearing_snapshot(),
                "a voting-rules proposal touched the vault or the fund"
            );
            return Ok(());
        }
        Action::Advance(s) => {
            suite.advance(s);
            model.now += s;
            return Ok(());
        }
        Action::Contribute(i, a) => {
            let m = &mut model.members[i % n];
            let res = suite.contribute(&m.name.clone(), a);
            prop_assert_eq!(res.is_ok(), m.live(), "contribute {:?}", res.err());
            if m.live() {
                m.balance += a as f64;
                if m.status == MemberStatus::InBreach && m.overdue(now) < EPS {
                    m.status = MemberStatus::Active;
                }
            }
        }
        Action::DepositMargin(i, a) => {
            let m = &mut model.members[i % n];
            let res = suite.deposit_margin(&m.name.clone(), a);
            prop_assert_eq!(res.is_ok(), m.live());
            if m.live() {
                m.margin += a;
            }
        }
        Action::RequestWithdrawal(i, pct) => {
            let name = model.members[i % n].name.clone();
            let held = suite.fund_member(&name).balance.u128();
            let m = &mut model.members[i % n];
            let amount = (held.min(m.balance.floor() as u128)) * pct as u128 / 100;
            let res = suite.request_withdrawal(&name, amount);
            prop_assert_eq!(
                res.is_ok(),
                m.live() && amount > 0,
                "request {:?}",
                res.err()
            );
            if res.is_ok() {
                m.withdrawal = Some((amount, now + 14 * DAY));
            }
        }
        Action::ClaimWithdrawal(i) => {
            let cooling_open = model.cooling.is_some_and(|(end, _)| now < end);
            let m = &mut model.members[i % n];
            let name = m.name.clone();
            let before = suite.balance_of(&name);
            let res = suite.claim_withdrawal(&name);
            let expect = m.live()
                && m.owed() < EPS
                && m.status != MemberStatus::InBreach
                && !cooling_open
                && m.withdrawal.is_some_and(|(_, at)| now >= at);
            let expected_amount = m.withdrawal.map_or(0.0, |(a, _)| (a as f64).min(m.balance));
            if expect && expected_amount >= t {
                prop_assert!(res.is_ok(), "claim refused: {:?}", res.err());
            } else if !expect {
                prop_assert!(res.is_err(), "claim allowed against the rules");
            }
            if res.is_ok() {
                let paid = (suite.balance_of(&name) - before) as f64;
                within("claimed", paid, expected_amount, t, 0.0)?;
                m.balance = (m.balance - paid).max(0.0);
                m.withdrawal = None;
            }
        }
        Action::DistributeFees(f) => {
            let total: f64 = model
                .members
                .iter()
                .filter(|m| m.live())
                .map(|m| m.balance)
                .sum();
            if total < 1.0 {
                return Ok(()); // only dust: either answer is right
            }
            suite
                .distribute_fees(f)
                .map_err(|e| TestCaseError::fail(format!("fees: {e:?}")))?;
            // Defaulters leave a fraction of a token each in the pool.
            let dust = model.defaults as f64 + 1.0;
            for m in model.members.iter_mut().filter(|m| m.live()) {
                m.fees += f as f64 * m.balance / total;
                m.fee_slack += f as f64 * m.balance / total * dust / total;
            }
        }
        Action::ClaimFees(i) => {
            let m = &mut model.members[i % n];
            let name = m.name.clone();
            let before = suite.balance_of(&name);
            let res = suite.claim_fees(&name);
            if m.fees > t {
                prop_assert!(res.is_ok(), "fee claim refused: {:?}", res.err());
            } else if m.fees < EPS {
                prop_assert!(res.is_err());
            }
            if res.is_ok() {
                let paid = (suite.balance_of(&name) - before) as f64;
                within("fees paid", paid, m.fees, t, m.fee_slack)?;
                m.fees = 0.0;
                m.fee_slack = 0.0;
            }
        }
        Action::PayAssessment(i) => {
            let m = &mut model.members[i % n];
            let res = suite.pay_assessment(&m.name.clone());
            prop_assert_eq!(
                res.is_ok(),
                m.live() && m.owed() > EPS,
                "pay {:?}",
                res.err()
            );
            if res.is_ok() {
                m.owed.clear();
                if m.status == MemberStatus::InBreach {
                    m.status = MemberStatus::Active;
                }
            }
        }
        Action::EnforceAssessment(i) => {
            let m = &mut model.members[i % n];
            let name = m.name.clone();
            let overdue_c = suite.fund_member(&name).assessment_overdue.u128();
            let res = suite.enforce_assessment(&name);
            let overdue = m.overdue(now);
            prop_assert_eq!(
                res.is_ok(),
                m.live() && overdue > EPS,
                "enforce {:?}",
                res.err()
            );
            if res.is_ok() {
                within("overdue", overdue_c as f64, overdue, 0.0, t)?;
                let excess = m.margin.saturating_sub(m.required_margin);
                let drawn = overdue_c.min(excess);
                let margin_after = suite.vault_member(&name).balance.u128();
                prop_assert_eq!(margin_after, m.margin - drawn);
                m.margin -= drawn;
                let left = (overdue - drawn as f64).max(0.0);
                let latest_due = m
                    .owed
                    .iter()
                    .filter(|(d, _)| *d <= now)
                    .map(|(d, _)| *d)
                    .max()
                    .unwrap_or(now);
                m.owed.retain(|(d, _)| *d > now);
                if drawn < overdue_c {
                    m.owed.push((latest_due, left));
                    m.status = MemberStatus::InBreach;
                } else if m.status == MemberStatus::InBreach {
                    m.status = MemberStatus::Active;
                }
            }
        }
        Action::Default(i, loss) => {
            let idx = i % n;
            if !model.members[idx].live() {
                let res = suite.declare_default(&model.members[idx].name.clone(), loss);
                prop_assert!(res.is_err());
                return Ok(());
            }
            // The model's own waterfall.
            let d = &model.members[idx];
            let mut rem = loss as f64;
            let mut take = |avail: f64| {
                let x = rem.min(avail);
                rem -= x;
                x
            };
            let l1 = take(d.margin as f64);
            let l2 = take(d.balance + d.fees);
            let l3 = take(model.sitg as f64);
            let survivors: f64 = model
                .members
                .iter()
                .enumerate()
                .filter(|(j, m)| *j != idx && m.live())
                .map(|(_, m)| m.balance)
                .sum();
            let l4 = take(survivors);
            let rate_used = match model.cooling {
                Some((end, r)) if now < end => r,
                _ => 0.0,
            };
            let base: u128 = model
                .members
                .iter()
                .enumerate()
                .filter(|(j, m)| *j != idx && m.live())
                .map(|(_, m)| m.rc)
                .sum();
            let cap = ((MULTIPLE - rate_used).max(0.0) * base as f64).floor();
            let l5 = take(cap);
            let l6 = rem;

            let receipt = suite
                .declare_default(&model.members[idx].name.clone(), loss)
                .map_err(|e| TestCaseError::fail(format!("default refused: {e:?}")))?;
            let c = receipt.layers.named().map(|(_, a)| a.u128());
            prop_assert_eq!(c.iter().sum::<u128>(), loss, "layers add up to the loss");
            let per_layer_tol = t * n as f64 + 2.0;
            for (k, (cv, mv)) in c.iter().zip([l1, l2, l3, l4, l5, l6]).enumerate() {
                within(
                    &format!("layer {}", k + 1),
                    *cv as f64,
                    mv,
                    per_layer_tol,
                    per_layer_tol,
                )?;
            }
            prop_assert_eq!(c[0], l1 as u128, "layer 1 is exact");

            // Move the model along what actually happened.
            model.defaults += 1;
            model.sitg -= c[2];
            let (l4c, l5c) = (c[3] as f64, c[4] as f64);
            if model.cooling.map_or(true, |(end, _)| now >= end) {
                model.cooling = Some((now + 28 * DAY, 0.0));
            }
            if let Some((_, r)) = model.cooling.as_mut() {
                if base > 0 {
                    *r += l5c / base as f64;
                }
            }
            let due = if l5c > 0.0 {
                model.last_due = (now + DAY).max(model.last_due);
                model.last_due
            } else {
                0
            };
            for (j, m) in model.members.iter_mut().enumerate() {
                if j == idx {
                    m.margin -= c[0];
                    m.balance = 0.0;
                    m.fees = 0.0;
                    m.owed.clear();
                    m.withdrawal = None;
                    m.status = MemberStatus::Defaulted;
                } else if m.live() {
                    if survivors > 0.0 {
                        m.balance *= (survivors - l4c).max(0.0) / survivors;
                    }
                    if l5c > 0.0 {
                        m.owed.push((due, m.rc as f64 * l5c / base as f64));
                    }
                }
            }
        }
    }
    model.events += 1;
    Ok(())
}

/// Runs per property: `default`, or `PROPTEST_CASES` when set (long runs).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn wasm<T: serde::Serialize>(contract: &Addr, msg: &T) -> CosmosMsg {
    WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: cosmwasm_std::to_json_binary(msg).expect("serializable"),
        funds: vec![],
    }
    .into()
}

fn latest_proposal(suite: &Suite) -> Option<u64> {
    let list: cw3::ProposalListResponse = suite
        .app
        .wrap()
        .query_wasm_smart(
            suite.gov(),
            &gov::QueryMsg::ListProposals {
                start_after: None,
                limit: Some(100),
            },
        )
        .ok()?;
    list.proposals.last().map(|p| p.id)
}

/// Runs `f`; it must be refused and leave vault, fund and balances as they were.
fn must_refuse(
    suite: &mut Suite,
    what: &str,
    f: impl FnOnce(&mut Suite) -> anyhow::Result<cw_multi_test::AppResponse>,
) -> Result<(), TestCaseError> {
    let before = suite.snapshot();
    let res = f(suite);
    prop_assert!(res.is_err(), "{what} was accepted");
    prop_assert_eq!(before, suite.snapshot(), "{} changed state", what);
    Ok(())
}

/// Every privileged message of the three contracts, sent by a member.
fn unauthorized(suite: &mut Suite, model: &Model, k: usize, i: usize) -> Result<(), TestCaseError> {
    let n = model.members.len();
    let sender = suite.addr(&model.members[i % n].name);
    let other = suite.addr(&model.members[(i + 1) % n].name).to_string();
    let one = Uint128::one();
    let (vault_addr, fund_addr, gov_addr) = (suite.vault.clone(), suite.fund.clone(), suite.gov());
    let table: Vec<(Addr, CosmosMsg)> = vec![
        (
            fund_addr.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::DeclareDefault {
                    member: other.clone(),
                    loss: one,
                },
            ),
        ),
        (
            fund_addr.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::UpdateParams {
                    params: FundParams::default(),
                },
            ),
        ),
        (
            fund_addr.clone(),
            wasm(&fund_addr, &fund::ExecuteMsg::SetPause { paused: true }),
        ),
        (
            fund_addr.clone(),
            wasm(&fund_addr, &fund::ExecuteMsg::Shutdown {}),
        ),
        (
            fund_addr.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::CloseDefault {
                    member: other.clone(),
                },
            ),
        ),
        (
            fund_addr.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::UpdateConfig {
                    governance: Some(sender.to_string()),
                    risk_engine: None,
                    operator: None,
                    loss_recipient: None,
                },
            ),
        ),
        (
            fund_addr.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::VaultHook(fund::VaultHookMsg::MemberAdded {
                    member: sender.to_string(),
                    required_margin: one,
                }),
            ),
        ),
        (
            fund_addr.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::VaultHook(fund::VaultHookMsg::RequirementChanged {
                    member: other.clone(),
                    required_margin: one,
                }),
            ),
        ),
        (
            vault_addr.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::AddMember {
                    member: suite.addr("mallory").to_string(),
                    required_margin: one,
                },
            ),
        ),
        (
            vault_addr.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::RemoveMember {
                    member: other.clone(),
                },
            ),
        ),
        (
            vault_addr.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::SetRequiredMargin {
                    member: other.clone(),
                    amount: one,
                },
            ),
        ),
        (
            vault_addr.clone(),
            wasm(&vault_addr, &vault::ExecuteMsg::SetPause { paused: true }),
        ),
        (
            vault_addr.clone(),
            wasm(&vault_addr, &vault::ExecuteMsg::Shutdown {}),
        ),
        (
            vault_addr.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::FundHook(vault::FundHookMsg::Seize {
                    member: other.clone(),
                    amount: one,
                    recipient: sender.to_string(),
                }),
            ),
        ),
        (
            vault_addr.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::FundHook(vault::FundHookMsg::Draw {
                    member: other.clone(),
                    amount: one,
                    recipient: sender.to_string(),
                }),
            ),
        ),
        (
            vault_addr.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::FundHook(vault::FundHookMsg::Release {
                    member: other.clone(),
                }),
            ),
        ),
        (
            gov_addr.clone(),
            wasm(&gov_addr, &gov::ExecuteMsg::Unpause {}),
        ),
        (
            gov_addr.clone(),
            wasm(&gov_addr, &gov::ExecuteMsg::Shutdown {}),
        ),
        (
            gov_addr.clone(),
            wasm(&gov_addr, &gov::ExecuteMsg::Pause {}),
        ),
        (
            gov_addr.clone(),
            wasm(&gov_addr, &gov::ExecuteMsg::Veto { proposal_id: 1 }),
        ),
    ];
    let (_, msg) = table[k % table.len()].clone();
    must_refuse(
        suite,
        &format!("privileged message {k} from a member"),
        |s| s.app.execute(sender, msg),
    )
}

/// Malformed and out-of-range input from a member.
fn bad_input(suite: &mut Suite, model: &Model, k: usize, i: usize) -> Result<(), TestCaseError> {
    let n = model.members.len();
    let name = model.members[i % n].name.clone();
    let sender = suite.addr(&name);
    let (vault_addr, fund_addr, gov_addr) = (suite.vault.clone(), suite.fund.clone(), suite.gov());
    suite
        .mint(&sender, 10)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let engine = suite.risk_engine.clone();
    let raw_to = |c: &Addr, bytes: &str| -> CosmosMsg {
        WasmMsg::Execute {
            contract_addr: c.to_string(),
            msg: raw(bytes),
            funds: vec![],
        }
        .into()
    };
    let table: Vec<(Addr, CosmosMsg)> = vec![
        (
            sender.clone(),
            wasm(&fund_addr, &fund::ExecuteMsg::Contribute {}),
        ),
        (
            sender.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::Withdraw {
                    amount: Uint128::zero(),
                },
            ),
        ),
        (
            sender.clone(),
            wasm(
                &vault_addr,
                &vault::ExecuteMsg::Withdraw {
                    amount: Uint128::MAX,
                },
            ),
        ),
        (
            sender.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::RequestWithdrawal {
                    amount: Uint128::zero(),
                },
            ),
        ),
        (
            sender.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::RequestWithdrawal {
                    amount: Uint128::MAX,
                },
            ),
        ),
        (
            engine.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::DeclareDefault {
                    member: sender.to_string(),
                    loss: Uint128::zero(),
                },
            ),
        ),
        (
            engine.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::DeclareDefault {
                    member: suite.addr("nobody").to_string(),
                    loss: Uint128::one(),
                },
            ),
        ),
        (
            sender.clone(),
            wasm(&fund_addr, &fund::ExecuteMsg::ClaimReleased {}),
        ),
        (
            sender.clone(),
            wasm(
                &fund_addr,
                &fund::ExecuteMsg::RefreshRequirements {
                    members: vec![sender.to_string(); 31],
                },
            ),
        ),
        (sender.clone(), raw_to(&fund_addr, "{\"contribute\":")),
        (
            sender.clone(),
            raw_to(&vault_addr, "{\"withdraw\":{\"amount\":\"-1\"}}"),
        ),
        (
            sender.clone(),
            raw_to(
                &gov_addr,
                "{\"vote\":{\"proposal_id\":1,\"vote\":\"maybe\"}}",
            ),
        ),
        (
            sender.clone(),
            wasm(
                &gov_addr,
                &gov::ExecuteMsg::Propose {
                    title: "empty".into(),
                    description: String::new(),
                    msgs: vec![],
                    latest: None,
                },
            ),
        ),
        (
            sender.clone(),
            wasm(
                &gov_addr,
                &gov::ExecuteMsg::Vote {
                    proposal_id: 9_999,
                    vote: cw3::Vote::Yes,
                },
            ),
        ),
    ];
    let (who, msg) = table[k % table.len()].clone();
    if k % table.len() == 0 {
        // A contribution with no funds attached.
        return must_refuse(suite, "contribution without funds", |s| {
            s.app
                .execute_contract(who, fund_addr, &fund::ExecuteMsg::Contribute {}, &[])
        });
    }
    must_refuse(suite, &format!("bad input {k}"), |s| {
        s.app.execute(who, msg)
    })
}

fn member_specs(max: usize) -> impl Strategy<Value = Vec<(u128, u128, u128)>> {
    prop::collection::vec((0u128..20_000, 0u128..10_000, 0u128..3_000), 2..=max)
}

fn run(
    specs: Vec<(u128, u128, u128)>,
    sitg: u128,
    actions: Vec<Action>,
) -> Result<(), TestCaseError> {
    let (mut suite, mut model) = setup(&specs, sitg);
    check_members(&suite, &model)?;
    for a in &actions {
        step(&mut suite, &mut model, a)?;
        check_members(&suite, &model)
            .map_err(|e| TestCaseError::fail(format!("after {a:?}: {e}")))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(48), ..ProptestConfig::default() })]

    #[test]
    fn small_funds_follow_the_model(
        specs in member_specs(8),
        sitg in 0u128..5_000,
        actions in prop::collection::vec(action(), 1..60),
    ) {
        run(specs, sitg, actions)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2).min(20), ..ProptestConfig::default() })]

    #[test]
    fn a_few_hundred_members_follow_the_model(
        specs in prop::collection::vec((0u128..20_000, 0u128..10_000, 0u128..3_000), 200..=250),
        sitg in 0u128..5_000,
        actions in prop::collection::vec(action(), 10..30),
    ) {
        run(specs, sitg, actions)?;
    }
}

/// The long run (outside CI): `cargo test --release -p clearing-suite
/// --test prop_fund_model -- --ignored --nocapture`. Stops after
/// `PROP_STEPS` steps in total (default 100,000) and prints the count.
#[test]
#[ignore = "long run: about 100,000 steps"]
fn long_run() {
    use proptest::test_runner::{Config, TestRunner};
    use std::sync::atomic::{AtomicU64, Ordering};
    let target: u64 = std::env::var("PROP_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let steps = AtomicU64::new(0);
    let strategy = (
        member_specs(12),
        0u128..5_000,
        prop::collection::vec(action(), 20..120),
    );
    let mut runs = 0u64;
    while steps.load(Ordering::Relaxed) < target {
        let mut runner = TestRunner::new(Config {
            cases: 50,
            ..Config::default()
        });
        runner
            .run(&strategy, |(specs, sitg, actions)| {
                steps.fetch_add(actions.len() as u64, Ordering::Relaxed);
                run(specs, sitg, actions)
            })
            .unwrap();
        runs += 50;
    }
    println!(
        "long run: {runs} runs, {} steps, all checks held",
        steps.load(Ordering::Relaxed)
    );
}
