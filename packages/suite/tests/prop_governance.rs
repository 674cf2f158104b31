//! Property test (issue 13): random interleavings of propose, vote,
//! contribute, withdrawal claims, admissions, defaults, discounts and the
//! passing of time, on the real contracts, against a naive model of
//! governance with snapshotted weights.
//!
//! The model takes its own snapshot of every member at the start of every
//! block, through the fund's smart queries (`may_vote`, balance, `D`, the
//! voter count); a proposal opened in a block is weighed with that
//! block's snapshot: one per member who may vote, or its balance then; the
//! total is the voter count, or `D` (no member here is suspended or giving
//! notice, so nothing is ineligible). It knows nothing of the fund's
//! changelogs, `voter_at` or `stake_balance`.
//!
//! A defaulter's weight may be taken out (`DiscountVote`, by anyone) while
//! voting is open and, once the proposal passed, until it is executed or
//! its execution window ends; a passed proposal that no longer passes
//! without it is open again (or rejected once voting ended), one that
//! still passes keeps its timelock.
//!
//! Every governance message is predicted (accepted or refused) by the model
//! and a refused one must change nothing. After every step, for every
//! proposal: the contract's tally, total, opening total and status equal
//! the model's; the ballots listed sum to the tally; no tally exceeds its
//! opening total; the weights of all who could vote at an opening sum to at
//! most its total (no token counts twice); the opening total is what the
//! fund held in voting balances at the start of the opening block.
//!
//! `PROPTEST_CASES` sets the number of cases.

use std::collections::BTreeMap;

use clearing_suite::{wasm_execute, GovernanceSpec, Suite, SuiteBuilder};
use clearing_types::fund::{FundParams, MemberStatus};
use clearing_types::governance::{
    self, ProposalResponse, Status, Vote, VoteListResponse, VoteWeighting,
};
use cosmwasm_std::{Decimal, Timestamp, Uint128};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const DAY: u64 = 86_400;
const VOTING_PERIOD: u64 = 7 * DAY;
const TIMELOCK: u64 = 2 * DAY;
const WINDOW: u64 = 5 * DAY;

#[derive(Clone, Debug)]
enum Op {
    Propose(usize),
    Vote(usize, usize, u8),
    Discount(usize, usize),
    Contribute(usize, u128),
    RequestWithdrawal(usize, u128),
    Claim(usize),
    Admit(u128),
    Default(usize, u128),
    Advance(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..8usize).prop_map(Op::Propose),
        14 => (0..8usize, 0..8usize, 0..6u8).prop_map(|(m, p, v)| Op::Vote(m, p, v)),
        4 => (0..8usize, 0..8usize).prop_map(|(p, m)| Op::Discount(p, m)),
        3 => (0..8usize, 1..1_000u128).prop_map(|(m, a)| Op::Contribute(m, a)),
        2 => (0..8usize, 1..500u128).prop_map(|(m, a)| Op::RequestWithdrawal(m, a)),
        2 => (0..8usize).prop_map(Op::Claim),
        1 => (0..1_000u128).prop_map(Op::Admit),
        1 => (0..8usize, 0..3_000u128).prop_map(|(m, l)| Op::Default(m, l)),
        4 => (0..6u8).prop_map(Op::Advance),
    ]
}

/// Half the ballots yes, so that proposals pass often enough.
fn vote_of(v: u8) -> Vote {
    match v {
        0..=2 => Vote::Yes,
        3 => Vote::No,
        4 => Vote::Abstain,
        _ => Vote::Veto,
    }
}

/// A member as the model saw it at the start of a block.
#[derive(Clone, Debug)]
struct Seen {
    may_vote: bool,
    balance: u128,
}

#[derive(Clone, Debug, Default)]
struct Snapshot {
    height: u64,
    members: BTreeMap<String, Seen>,
    pool: u128,
    voters: u64,
}

#[derive(Clone, Debug)]
struct Tally {
    yes: u128,
    no: u128,
    abstain: u128,
    veto: u128,
}

impl Tally {
    fn cast(&self) -> u128 {
        self.yes + self.no + self.abstain + self.veto
    }

    fn slot(&mut self, v: Vote) -> &mut u128 {
        match v {
            Vote::Yes => &mut self.yes,
            Vote::No => &mut self.no,
            Vote::Abstain => &mut self.abstain,
            Vote::Veto => &mut self.veto,
        }
    }
}

/// A proposal as the model sees it.
#[derive(Clone, Debug)]
struct MProp {
    id: u64,
    /// The block whose start the weights are taken at.
    start_height: u64,
    /// Opening weights of everyone who could vote then (zero included).
    weights: BTreeMap<String, u128>,
    opening_total: u128,
    total: u128,
    tally: Tally,
    ballots: BTreeMap<String, (Vote, u128)>,
    discounted: BTreeMap<String, u128>,
    expires: Timestamp,
    passed_at: Option<Timestamp>,
}

struct Model {
    weighting: VoteWeighting,
    /// The threshold: `yes ≥ (total − abstain) × pct / 100`.
    pct: u128,
    snap: Snapshot,
    props: Vec<MProp>,
}

impl Model {
    fn passes(&self, p: &MProp) -> bool {
        // yes ≥ ⌈(total − abstain) × pct⌉ ⇔ 100 × yes ≥ (total − abstain) × pct.
        p.tally.yes > 0 && p.tally.yes * 100 >= (p.total - p.tally.abstain) * self.pct
    }

    fn status(&self, p: &MProp, now: Timestamp) -> Status {
        match p.passed_at {
            Some(at) if now >= at.plus_seconds(TIMELOCK + WINDOW) => Status::Expired,
            Some(_) => Status::Passed,
            None if now >= p.expires => Status::Rejected,
            None => Status::Open,
        }
    }

    fn voting_open(&self, p: &MProp, now: Timestamp) -> bool {
        p.passed_at.is_none() && now < p.expires
    }

    fn weight_of(&self, name: &str) -> Option<u128> {
        let seen = self.snap.members.get(name)?;
        if !seen.may_vote {
            return None;
        }
        Some(match self.weighting {
            VoteWeighting::OneMemberOneVote => 1,
            VoteWeighting::FundBalance => seen.balance,
        })
    }
}

fn take_snapshot(suite: &Suite) -> Snapshot {
    let state = suite.fund_state();
    let members = suite
        .names
        .iter()
        .map(|n| {
            let m = suite.fund_member(n);
            (
                n.clone(),
                Seen {
                    may_vote: m.may_vote,
                    balance: m.balance.u128(),
                },
            )
        })
        .collect();
    Snapshot {
        height: suite.app.block_info().height,
        members,
        pool: state.total_contributions.u128(),
        voters: state.voters,
    }
}

fn is_defaulter(suite: &Suite, name: &str) -> bool {
    matches!(
        suite.fund_member(name).status,
        MemberStatus::Defaulted | MemberStatus::Closed
    )
}

fn build(weighting: VoteWeighting, pct: u64, balances: &[u128], scale: u128) -> Suite {
    let mut b = SuiteBuilder::new().params(FundParams {
        min_contribution: Uint128::zero(),
        contribution_rate: Decimal::zero(),
        withdrawal_notice_period: DAY,
        withdrawal_claim_window: 7 * DAY,
        cooling_off_period: DAY,
        ..FundParams::default()
    });
    for (i, bal) in balances.iter().enumerate() {
        b = b.member(&format!("m{i}"), 1_000 * scale, 1_000 * scale, bal * scale);
    }
    b.with_governance(GovernanceSpec {
        threshold: cw_utils::Threshold::AbsolutePercentage {
            percentage: Decimal::percent(pct),
        },
        voting_period: VOTING_PERIOD,
        timelock: TIMELOCK,
        execution_window: WINDOW,
        weighting,
    })
    .build()
}

fn ensure(cond: bool, msg: impl FnOnce() -> String) -> Result<(), TestCaseError> {
    if cond {
        Ok(())
    } else {
        Err(TestCaseError::fail(msg()))
    }
}

/// Runs a governance message the model predicts: accepted, or refused with
/// nothing changed.
fn predicted<T>(
    suite: &mut Suite,
    accept: bool,
    what: &str,
    f: impl FnOnce(&mut Suite) -> anyhow::Result<T>,
) -> Result<Option<T>, TestCaseError> {
    if accept {
        match f(suite) {
            Ok(r) => Ok(Some(r)),
            Err(e) => Err(TestCaseError::fail(format!("{what}: refused: {e:?}"))),
        }
    } else {
        let before = suite.snapshot();
        match f(suite) {
            Ok(_) => Err(TestCaseError::fail(format!("{what}: accepted"))),
            Err(_) => {
                ensure(before == suite.snapshot(), || {
                    format!("{what}: refused but changed state")
                })?;
                Ok(None)
            }
        }
    }
}

fn step(suite: &mut Suite, model: &mut Model, op: &Op, scale: u128) -> Result<(), TestCaseError> {
    let now = suite.app.block_info().time;
    let names = suite.names.clone();
    let name = |i: usize| names[i % names.len()].clone();
    match op {
        Op::Propose(m) => {
            let who = name(*m);
            let weight = model.weight_of(&who);
            let accept = matches!(weight, Some(w) if w > 0) && !is_defaulter(suite, &who);
            let msg = wasm_execute(
                &suite.gov(),
                &governance::ExecuteMsg::SetGuardian { guardian: None },
            );
            let res = predicted(suite, accept, &format!("propose by {who}"), |s| {
                s.propose(&who, vec![msg])
            })?;
            if let Some(id) = res {
                ensure(id == model.props.len() as u64 + 1, || {
                    format!("proposal id {id}")
                })?;
                let weights: BTreeMap<String, u128> = model
                    .snap
                    .members
                    .keys()
                    .filter_map(|n| model.weight_of(n).map(|w| (n.clone(), w)))
                    .collect();
                let total = match model.weighting {
                    VoteWeighting::OneMemberOneVote => u128::from(model.snap.voters),
                    VoteWeighting::FundBalance => model.snap.pool,
                };
                let w = weights[&who];
                let mut p = MProp {
                    id: model.props.len() as u64 + 1,
                    start_height: model.snap.height,
                    weights,
                    opening_total: total,
                    total,
                    tally: Tally {
                        yes: w,
                        no: 0,
                        abstain: 0,
                        veto: 0,
                    },
                    ballots: BTreeMap::from([(who.clone(), (Vote::Yes, w))]),
                    discounted: BTreeMap::new(),
                    expires: now.plus_seconds(VOTING_PERIOD),
                    passed_at: None,
                };
                if model.passes(&p) {
                    p.passed_at = Some(now);
                }
                model.props.push(p);
            }
        }
        Op::Vote(m, p, v) => {
            if model.props.is_empty() {
                return Ok(());
            }
            let who = name(*m);
            let idx = p % model.props.len();
            let vote = vote_of(*v);
            let prop = &model.props[idx];
            let weight = prop.weights.get(&who).copied();
            let accept = model.voting_open(prop, now)
                && !prop.ballots.contains_key(&who)
                && !prop.discounted.contains_key(&who)
                && matches!(weight, Some(w) if w > 0)
                && !is_defaulter(suite, &who);
            let id = prop.id;
            let accepted = predicted(suite, accept, &format!("vote by {who} on {id}"), |s| {
                s.vote(&who, id, vote)
            })?;
            if accepted.is_some() {
                let w = weight.unwrap_or_default();
                let passes = {
                    let prop = &mut model.props[idx];
                    *prop.tally.slot(vote) += w;
                    prop.ballots.insert(who, (vote, w));
                    prop.clone()
                };
                if model.passes(&passes) {
                    model.props[idx].passed_at = Some(now);
                }
            }
        }
        Op::Discount(p, m) => {
            if model.props.is_empty() {
                return Ok(());
            }
            let who = name(*m);
            let idx = p % model.props.len();
            let prop = &model.props[idx];
            let weight = prop
                .ballots
                .get(&who)
                .map(|b| b.1)
                .or_else(|| prop.weights.get(&who).copied().filter(|w| *w > 0));
            // While voting is open and, once the proposal passed, until it
            // is executed or its window ends (since 20c75d6: a defaulter's
            // deciding vote must not carry a proposal). The model never
            // executes a proposal.
            let accept = !prop.discounted.contains_key(&who)
                && (model.voting_open(prop, now) || model.status(prop, now) == Status::Passed)
                && is_defaulter(suite, &who)
                && weight.is_some();
            let id = prop.id;
            let accepted = predicted(suite, accept, &format!("discount {who} on {id}"), |s| {
                s.discount_vote(id, &who)
            })?;
            if accepted.is_some() {
                let w = weight.unwrap_or_default();
                let passes = {
                    let prop = &mut model.props[idx];
                    if let Some((v, bw)) = prop.ballots.remove(&who) {
                        *prop.tally.slot(v) -= bw;
                    }
                    prop.total -= w;
                    prop.discounted.insert(who, w);
                    prop.clone()
                };
                let still = model.passes(&passes);
                let prop = &mut model.props[idx];
                match prop.passed_at {
                    // Passed before: its timelock runs on from then if it
                    // still passes; otherwise it is open again, or rejected
                    // once voting ended (`status` reads that off `expires`).
                    Some(_) if !still => prop.passed_at = None,
                    Some(_) => {}
                    None if still => prop.passed_at = Some(now),
                    None => {}
                }
            }
        }
        // The fund's own messages: the model does not predict them, it
        // sees their effect in the next block's snapshot.
        Op::Contribute(m, a) => {
            let _ = suite.contribute(&name(*m), a * scale);
        }
        Op::RequestWithdrawal(m, a) => {
            let _ = suite.request_withdrawal(&name(*m), a * scale);
        }
        Op::Claim(m) => {
            let _ = suite.claim_withdrawal(&name(*m));
        }
        Op::Admit(a) => {
            let who = format!("m{}", names.len());
            if suite.add_member(&who, 1_000 * scale).is_ok() {
                let _ = suite.deposit_margin(&who, 1_000 * scale);
                if *a > 0 {
                    let _ = suite.contribute(&who, a * scale);
                }
            }
        }
        Op::Default(m, l) => {
            let _ = suite.declare_default(&name(*m), 1_000 * scale + l * scale);
        }
        Op::Advance(k) => {
            let secs = [5, 5, 5, DAY, 3 * DAY, 8 * DAY][*k as usize];
            suite.advance(secs);
            model.snap = take_snapshot(suite);
        }
    }
    Ok(())
}

fn check(suite: &Suite, model: &Model) -> Result<(), TestCaseError> {
    let now = suite.app.block_info().time;
    for p in &model.props {
        let got: ProposalResponse = suite.proposal(p.id);
        let want = (
            p.tally.yes,
            p.tally.no,
            p.tally.abstain,
            p.tally.veto,
            p.total,
            p.opening_total,
            p.start_height,
            model.status(p, now),
        );
        let have = (
            got.votes.yes.u128(),
            got.votes.no.u128(),
            got.votes.abstain.u128(),
            got.votes.veto.u128(),
            got.total_weight.u128(),
            got.opening_total.u128(),
            got.start_height,
            got.status,
        );
        ensure(want == have, || {
            format!("proposal {}: model {want:?}, contract {have:?}", p.id)
        })?;
        // The ballots listed are the tally.
        let list: VoteListResponse = suite.query_gov(&governance::QueryMsg::ListVotes {
            proposal_id: p.id,
            start_after: None,
            limit: Some(100),
        });
        let listed: u128 = list.votes.iter().map(|v| v.weight.u128()).sum();
        ensure(listed == p.tally.cast(), || {
            format!("proposal {}: ballots {listed} != tally", p.id)
        })?;
        // No tally beyond its total, no total beyond the opening's.
        ensure(
            p.tally.cast() <= p.total && p.total <= p.opening_total,
            || format!("proposal {}: tally {:?} total {}", p.id, p.tally, p.total),
        )?;
        // The same tokens never twice: every opening weight together fits
        // in the opening total.
        let all: u128 = p.weights.values().sum();
        ensure(all <= p.opening_total, || {
            format!(
                "proposal {}: weights {all} > opening total {}",
                p.id, p.opening_total
            )
        })?;
        let counted: u128 =
            p.ballots.values().map(|b| b.1).sum::<u128>() + p.discounted.values().sum::<u128>();
        ensure(counted <= p.opening_total, || {
            format!("proposal {}: counted {counted} twice over", p.id)
        })?;
    }
    Ok(())
}

fn run(
    weighting: VoteWeighting,
    pct: u64,
    balances: Vec<u128>,
    scale: u128,
    ops: Vec<Op>,
) -> Result<(), TestCaseError> {
    let mut suite = build(weighting, pct, &balances, scale);
    let mut model = Model {
        weighting,
        pct: u128::from(pct),
        snap: take_snapshot(&suite),
        props: vec![],
    };
    for op in &ops {
        step(&mut suite, &mut model, op, scale)?;
        check(&suite, &model)?;
    }
    if std::env::var("PROP_GOV_STATS").is_ok() {
        let ballots: usize = model.props.iter().map(|p| p.ballots.len()).sum();
        let discounts: usize = model.props.iter().map(|p| p.discounted.len()).sum();
        let passed = model.props.iter().filter(|p| p.passed_at.is_some()).count();
        eprintln!(
            "{weighting:?} {pct}% scale {scale}: {} proposals, {passed} passed, {ballots} ballots, {discounts} discounts",
            model.props.len()
        );
    }
    Ok(())
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(48);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn governance_matches_a_model_with_snapshotted_weights(
        by_balance in any::<bool>(),
        pct in prop_oneof![Just(51u64), Just(67), Just(100)],
        balances in prop::collection::vec(0..2_000u128, 3..6),
        scale in prop_oneof![Just(1u128), Just(1_000_000_000_000_000_000), Just(100_000_000_000_000_000_000_000_000)],
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let weighting = if by_balance {
            VoteWeighting::FundBalance
        } else {
            VoteWeighting::OneMemberOneVote
        };
        run(weighting, pct, balances, scale, ops)?;
    }
}
