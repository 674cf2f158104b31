//! Governance: members' proposals drive the vault and the fund through a
//! voting period and a timelock; the guardian pauses and vetoes; chain
//! governance acts through `sudo`; nobody else touches the levers.

use std::fmt::Debug;

use ::governance::ContractError;
use anyhow::Result as AnyResult;
use clearing_suite::{contract_error, wasm_execute, GovernanceSpec, Suite, SuiteBuilder};
use clearing_types::fund::{self, FundParams, MemberStatus};
use clearing_types::governance::{self, ConfigResponse, TimelockResponse, VoteWeighting};
use clearing_types::vault::{self, MarginStatus};
use cosmwasm_std::{Addr, CosmosMsg, Decimal, Uint128};
use cw3::{Status, Vote, VoteListResponse, VoterResponse};
use cw_multi_test::{AppResponse, Executor};
use cw_utils::{Threshold, ThresholdResponse};

const DAY: u64 = 86_400;
const VOTING_PERIOD: u64 = 7 * DAY;
const TIMELOCK: u64 = 2 * DAY;

/// Four members (required contributions 400, 300, 200, 100, equal to their
/// balances), a SITG of 1000, and governance as the admin of vault and fund:
/// 51% of four votes is three.
fn suite(weighting: VoteWeighting) -> Suite {
    SuiteBuilder::new()
        .sitg(1_000)
        .member("alice", 5_000, 4_000, 400)
        .member("bob", 4_000, 3_000, 300)
        .member("carol", 3_000, 2_000, 200)
        .member("dave", 2_000, 1_000, 100)
        .with_governance(GovernanceSpec {
            threshold: Threshold::AbsolutePercentage {
                percentage: Decimal::percent(51),
            },
            voting_period: VOTING_PERIOD,
            timelock: TIMELOCK,
            weighting,
        })
        .build()
}

fn gov_err(e: &anyhow::Error) -> &ContractError {
    contract_error::<ContractError>(e)
}

fn vault_err(e: &anyhow::Error) -> &margin_vault::ContractError {
    contract_error::<margin_vault::ContractError>(e)
}

fn fund_err(e: &anyhow::Error) -> &default_fund::ContractError {
    contract_error::<default_fund::ContractError>(e)
}

/// `suite.refused`: the message fails and nothing changes, governance included.
fn refused<T: Debug>(
    suite: &mut Suite,
    f: impl FnOnce(&mut Suite) -> AnyResult<T>,
) -> anyhow::Error {
    suite.refused(f)
}

fn vault_msg(suite: &Suite, msg: &vault::ExecuteMsg) -> CosmosMsg {
    wasm_execute(&suite.vault, msg)
}

fn fund_msg(suite: &Suite, msg: &fund::ExecuteMsg) -> CosmosMsg {
    wasm_execute(&suite.fund, msg)
}

fn gov_msg(suite: &Suite, msg: &governance::ExecuteMsg) -> CosmosMsg {
    wasm_execute(&suite.gov(), msg)
}

/// `sender` sends `msg` to governance.
fn gov_execute(
    suite: &mut Suite,
    sender: &Addr,
    msg: &governance::ExecuteMsg,
) -> AnyResult<AppResponse> {
    let gov = suite.gov();
    suite.app.execute_contract(sender.clone(), gov, msg, &[])
}

fn veto(suite: &mut Suite, sender: &Addr, proposal_id: u64) -> AnyResult<AppResponse> {
    gov_execute(suite, sender, &governance::ExecuteMsg::Veto { proposal_id })
}

fn close(suite: &mut Suite, proposal_id: u64) -> AnyResult<AppResponse> {
    let keeper = suite.addr("keeper");
    gov_execute(
        suite,
        &keeper,
        &governance::ExecuteMsg::Close { proposal_id },
    )
}

fn pause(suite: &mut Suite, sender: &Addr) -> AnyResult<AppResponse> {
    gov_execute(suite, sender, &governance::ExecuteMsg::Pause {})
}

fn voter_weight(suite: &Suite, name: &str) -> Option<u64> {
    let res: VoterResponse = suite
        .app
        .wrap()
        .query_wasm_smart(
            suite.gov(),
            &governance::QueryMsg::Voter {
                address: suite.addr(name).to_string(),
            },
        )
        .unwrap();
    res.weight
}

/// `(voter, vote, weight)` of every ballot on the proposal.
fn ballots(suite: &Suite, proposal_id: u64) -> Vec<(Addr, Vote, u64)> {
    let res: VoteListResponse = suite
        .app
        .wrap()
        .query_wasm_smart(
            suite.gov(),
            &governance::QueryMsg::ListVotes {
                proposal_id,
                start_after: None,
                limit: None,
            },
        )
        .unwrap();
    let mut out: Vec<_> = res
        .votes
        .into_iter()
        .map(|v| (Addr::unchecked(v.voter), v.vote, v.weight))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn yes_tally(suite: &Suite, proposal_id: u64) -> u64 {
    ballots(suite, proposal_id)
        .iter()
        .filter(|(_, v, _)| *v == Vote::Yes)
        .map(|(_, _, w)| w)
        .sum()
}

/// The weight a proposal's threshold is measured against.
fn total_weight(suite: &Suite, proposal_id: u64) -> u64 {
    match suite.proposal(proposal_id).threshold {
        ThresholdResponse::AbsolutePercentage { total_weight, .. } => total_weight,
        other => panic!("unexpected threshold {other:?}"),
    }
}

fn timelock(suite: &Suite, proposal_id: u64) -> TimelockResponse {
    suite
        .app
        .wrap()
        .query_wasm_smart(suite.gov(), &governance::QueryMsg::Timelock { proposal_id })
        .unwrap()
}

fn gov_config(suite: &Suite) -> ConfigResponse {
    suite
        .app
        .wrap()
        .query_wasm_smart(suite.gov(), &governance::QueryMsg::Config {})
        .unwrap()
}

fn vault_config(suite: &Suite) -> vault::ConfigResponse {
    suite.query_vault(&vault::QueryMsg::Config {})
}

fn fund_config(suite: &Suite) -> fund::ConfigResponse {
    suite.query_fund(&fund::QueryMsg::Config {})
}

/// Alice proposes, bob (and carol, if still needed) vote yes: passed now.
fn pass(suite: &mut Suite, msgs: Vec<CosmosMsg>) -> u64 {
    let id = suite.propose("alice", msgs).unwrap();
    for voter in ["bob", "carol"] {
        // With a member in default, two of three suffice.
        if suite.proposal(id).status == Status::Open {
            suite.vote(voter, id, Vote::Yes).unwrap();
        }
    }
    assert_eq!(suite.proposal(id).status, Status::Passed);
    id
}

/// Passes the proposal, waits out the timelock and executes it.
fn enact(suite: &mut Suite, msgs: Vec<CosmosMsg>) -> AppResponse {
    let id = pass(suite, msgs);
    suite.advance(TIMELOCK);
    let res = suite.execute_proposal(id).unwrap();
    assert_eq!(suite.proposal(id).status, Status::Executed);
    res
}

fn attr(res: &AppResponse, key: &str) -> Option<String> {
    res.events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

#[test]
fn a_member_is_admitted_by_proposal_in_the_vault_and_the_fund() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let erin = suite.addr("erin");
    let admit = vault_msg(
        &suite,
        &vault::ExecuteMsg::AddMember {
            member: erin.to_string(),
            required_margin: Uint128::new(6_000),
        },
    );
    let id = pass(&mut suite, vec![admit]);
    // Passed is not admitted: nothing happens before the proposal executes.
    assert!(suite
        .app
        .wrap()
        .query_wasm_smart::<vault::MemberResponse>(
            &suite.vault,
            &vault::QueryMsg::Member {
                address: erin.to_string()
            }
        )
        .is_err());
    suite.advance(TIMELOCK);
    suite.execute_proposal(id).unwrap();
    suite.names.push("erin".to_string());

    let v = suite.vault_member("erin");
    assert_eq!(v.required_margin.u128(), 6_000);
    assert_eq!(v.balance.u128(), 0);
    assert_eq!(v.status, MarginStatus::Active);
    // The vault forwarded the admission: required contribution 10% of 6000.
    let f = suite.fund_member("erin");
    assert_eq!(f.required_margin.u128(), 6_000);
    assert_eq!(f.required_contribution.u128(), 600);
    assert_eq!(f.status, MemberStatus::Active);
    assert_eq!(suite.fund_state().active_members, 5);
    let totals: vault::TotalsResponse = suite.query_vault(&vault::QueryMsg::Totals {});
    assert_eq!(totals.members, 5);
    // Erin does business and votes like any member.
    suite.deposit_margin("erin", 7_000).unwrap();
    suite.contribute("erin", 600).unwrap();
    assert_eq!(voter_weight(&suite, "erin"), Some(1));
    suite.assert_conservation();
}

#[test]
fn a_parameter_change_applies_only_after_the_timelock() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let old: FundParams = suite.query_fund(&fund::QueryMsg::Params {});
    let new = FundParams {
        withdrawal_notice_period: 3 * DAY,
        assessment_multiple: Decimal::percent(300),
        ..old.clone()
    };
    let msg = fund_msg(
        &suite,
        &fund::ExecuteMsg::UpdateParams {
            params: new.clone(),
        },
    );
    let id = pass(&mut suite, vec![msg]);
    let passed_at = suite.app.block_info().time;
    let lock = timelock(&suite, id);
    assert_eq!(lock.passed_at, Some(passed_at));
    assert_eq!(lock.executable_at, Some(passed_at.plus_seconds(TIMELOCK)));

    let until = passed_at.plus_seconds(TIMELOCK);
    let e = refused(&mut suite, |s| s.execute_proposal(id));
    assert_eq!(*gov_err(&e), ContractError::Timelocked { id, until });
    // One second short is still too early.
    suite.advance(TIMELOCK - 1);
    let e = refused(&mut suite, |s| s.execute_proposal(id));
    assert_eq!(*gov_err(&e), ContractError::Timelocked { id, until });
    let params: FundParams = suite.query_fund(&fund::QueryMsg::Params {});
    assert_eq!(params, old);

    suite.advance(1);
    let res = suite.execute_proposal(id).unwrap();
    assert_eq!(
        attr(&res, "withdrawal_notice_period"),
        Some("259200".into())
    );
    let params: FundParams = suite.query_fund(&fund::QueryMsg::Params {});
    assert_eq!(params, new);
    assert_eq!(suite.proposal(id).status, Status::Executed);
    // Executed once: not again.
    let e = refused(&mut suite, |s| s.execute_proposal(id));
    assert_eq!(*gov_err(&e), ContractError::NotPassed { id });
    // The new notice period is the one a request now gets.
    suite.request_withdrawal("bob", 100).unwrap();
    let pending = suite.fund_member("bob").pending_withdrawal.unwrap();
    assert_eq!(
        pending.claimable_at,
        suite.app.block_info().time.plus_seconds(3 * DAY)
    );
}

#[test]
fn a_default_declared_by_proposal_runs_the_waterfall() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let dave = suite.addr("dave");
    let loss = 3_500u128;
    let declare = fund_msg(
        &suite,
        &fund::ExecuteMsg::DeclareDefault {
            member: dave.to_string(),
            loss: Uint128::new(loss),
        },
    );
    let id = pass(&mut suite, vec![declare]);
    suite.advance(TIMELOCK);
    let preview = suite.preview_default("dave", loss).unwrap();
    let recipient = suite.loss_recipient.clone();
    let before = suite.balance(&recipient);
    let res = suite.execute_proposal(id).unwrap();

    // Margin 2000, own contribution 100, SITG 1000, then 400 of the
    // survivors' 900.
    let receipt = suite.defaults().pop().unwrap();
    assert_eq!(receipt.member, dave);
    assert_eq!(receipt.loss.u128(), loss);
    let layers = &receipt.layers;
    assert_eq!(layers.defaulter_margin.u128(), 2_000);
    assert_eq!(layers.defaulter_contribution.u128(), 100);
    assert_eq!(layers.sitg.u128(), 1_000);
    assert_eq!(layers.mutual_fund.u128(), 400);
    assert_eq!(layers.assessments.u128(), 0);
    assert_eq!(layers.uncovered.u128(), 0);
    assert_eq!(layers.total().unwrap().u128(), loss);
    assert_eq!(*layers, preview.layers);
    // The receipt in the events adds up to the loss too.
    let from_events: u128 = layers
        .named()
        .iter()
        .map(|(name, _)| attr(&res, name).unwrap().parse::<u128>().unwrap())
        .sum();
    assert_eq!(from_events, loss);
    assert_eq!(attr(&res, "action").as_deref(), Some("execute"));
    // Layers 1–4 went to the loss recipient at once.
    assert_eq!(suite.balance(&recipient), before + loss);
    assert_eq!(suite.vault_member("dave").status, MarginStatus::Defaulted);
    assert_eq!(suite.fund_member("dave").status, MemberStatus::Defaulted);
    let state = suite.fund_state();
    assert_eq!(state.total_contributions.u128(), 500);
    assert_eq!(state.sitg.u128(), 0);
    assert_eq!(state.open_defaults, 1);
    // The defaulter no longer votes.
    assert_eq!(voter_weight(&suite, "dave"), None);
    suite.assert_conservation();
}

#[test]
fn the_guardian_vetoes_only_during_the_timelock() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let guardian = suite.guardian.clone();
    let alice = suite.addr("alice");
    let shut = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});

    // Not passed yet: nothing to veto.
    let open = suite.propose("alice", vec![shut.clone()]).unwrap();
    let e = refused(&mut suite, |s| veto(s, &guardian, open));
    assert_eq!(*gov_err(&e), ContractError::NotPassed { id: open });

    let id = pass(&mut suite, vec![shut.clone()]);
    // A member is not the guardian.
    let e = refused(&mut suite, |s| veto(s, &alice, id));
    assert!(matches!(
        gov_err(&e),
        ContractError::Unauthorized { sender, .. } if *sender == alice.to_string()
    ));
    suite.advance(TIMELOCK - 1);
    veto(&mut suite, &guardian, id).unwrap();
    assert!(timelock(&suite, id).vetoed);
    assert_eq!(suite.proposal(id).status, Status::Rejected);
    // After the timelock, the vetoed proposal still cannot run (the exact
    // error is pinned by `a_vetoed_proposal_is_refused_as_vetoed`).
    suite.advance(1);
    let e = refused(&mut suite, |s| s.execute_proposal(id));
    assert!(matches!(
        gov_err(&e),
        ContractError::Vetoed { .. } | ContractError::NotPassed { .. }
    ));
    assert!(timelock(&suite, id).vetoed);
    assert!(!vault_config(&suite).shutdown);
    assert!(!fund_config(&suite).shutdown);

    // Past its timelock a passed proposal can no longer be vetoed.
    let late = pass(&mut suite, vec![shut]);
    suite.advance(TIMELOCK);
    let e = refused(&mut suite, |s| veto(s, &guardian, late));
    assert_eq!(*gov_err(&e), ContractError::TimelockOver { id: late });
    suite.execute_proposal(late).unwrap();
    assert!(vault_config(&suite).shutdown);
    assert!(fund_config(&suite).shutdown);
}

#[test]
fn a_vetoed_proposal_is_refused_as_vetoed() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let guardian = suite.guardian.clone();
    let shut = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});
    let id = pass(&mut suite, vec![shut]);
    veto(&mut suite, &guardian, id).unwrap();
    let e = refused(&mut suite, |s| s.execute_proposal(id));
    assert_eq!(*gov_err(&e), ContractError::Vetoed { id });
    suite.advance(TIMELOCK);
    let e = refused(&mut suite, |s| s.execute_proposal(id));
    assert_eq!(*gov_err(&e), ContractError::Vetoed { id });
}

#[test]
fn a_pause_stops_withdrawals_but_not_deposits_contributions_or_defaults() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let guardian = suite.guardian.clone();
    suite.request_withdrawal("bob", 100).unwrap();
    suite.advance(14 * DAY);

    pause(&mut suite, &guardian).unwrap();
    assert!(vault_config(&suite).paused);
    assert!(fund_config(&suite).paused);
    // The exits close: margin withdrawals and withdrawal claims.
    let e = refused(&mut suite, |s| s.withdraw_margin("alice", 100));
    assert_eq!(*vault_err(&e), margin_vault::ContractError::Paused {});
    let e = refused(&mut suite, |s| s.claim_withdrawal("bob"));
    assert_eq!(*fund_err(&e), default_fund::ContractError::Paused {});
    // Money still comes in.
    suite.deposit_margin("alice", 500).unwrap();
    suite.contribute("carol", 50).unwrap();
    assert_eq!(suite.vault_member("alice").balance.u128(), 5_500);
    assert_eq!(suite.fund_member("carol").balance.u128(), 250);
    // And a default is still declared and paid.
    let receipt = suite.declare_default("dave", 1_500).unwrap();
    assert_eq!(receipt.layers.defaulter_margin.u128(), 1_500);
    assert_eq!(receipt.layers.total().unwrap().u128(), 1_500);
    assert_eq!(suite.balance(&suite.loss_recipient.clone()), 1_500);
    assert_eq!(suite.vault_member("dave").status, MarginStatus::Defaulted);
    // Still paused.
    assert!(vault_config(&suite).paused);
    assert!(fund_config(&suite).paused);
    suite.assert_conservation();
}

#[test]
fn only_a_proposal_or_chain_governance_unpauses() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let guardian = suite.guardian.clone();
    let alice = suite.addr("alice");
    let gov = suite.gov();
    pause(&mut suite, &guardian).unwrap();

    // Neither the guardian nor a member may unpause directly.
    for sender in [guardian.clone(), alice.clone()] {
        let e = refused(&mut suite, |s| {
            gov_execute(s, &sender, &governance::ExecuteMsg::Unpause {})
        });
        assert!(
            matches!(gov_err(&e), ContractError::Unauthorized { sender: who, .. } if *who == sender.to_string()),
            "{e:?}"
        );
    }
    // Nor go around governance to the vault or the fund.
    let e = refused(&mut suite, |s| {
        let vault = s.vault.clone();
        s.app.execute_contract(
            guardian.clone(),
            vault,
            &vault::ExecuteMsg::SetPause { paused: false },
            &[],
        )
    });
    assert!(matches!(
        vault_err(&e),
        margin_vault::ContractError::Unauthorized { .. }
    ));

    // A proposal does, after its timelock.
    let unpause = gov_msg(&suite, &governance::ExecuteMsg::Unpause {});
    let id = pass(&mut suite, vec![unpause]);
    assert!(vault_config(&suite).paused);
    suite.advance(TIMELOCK);
    suite.execute_proposal(id).unwrap();
    assert!(!vault_config(&suite).paused);
    assert!(!fund_config(&suite).paused);
    suite.withdraw_margin("alice", 100).unwrap();
    assert_eq!(suite.balance_of("alice"), 100);

    // Chain governance does, at once, through sudo.
    pause(&mut suite, &guardian).unwrap();
    let e = refused(&mut suite, |s| s.withdraw_margin("alice", 100));
    assert_eq!(*vault_err(&e), margin_vault::ContractError::Paused {});
    suite
        .app
        .wasm_sudo(gov, &governance::SudoMsg::SetPause { paused: false })
        .unwrap();
    assert!(!vault_config(&suite).paused);
    assert!(!fund_config(&suite).paused);
    suite.withdraw_margin("alice", 100).unwrap();
    assert_eq!(suite.balance_of("alice"), 200);
}

#[test]
fn rejected_and_expired_proposals_cannot_execute_and_are_closed() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let shut = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});

    // Rejected: three of four vote no.
    let rejected = suite.propose("alice", vec![shut.clone()]).unwrap();
    suite.vote("bob", rejected, Vote::No).unwrap();
    suite.vote("carol", rejected, Vote::No).unwrap();
    assert_eq!(suite.proposal(rejected).status, Status::Open);
    suite.vote("dave", rejected, Vote::No).unwrap();
    assert_eq!(suite.proposal(rejected).status, Status::Rejected);
    let e = refused(&mut suite, |s| s.vote("dave", rejected, Vote::Yes));
    assert_eq!(*gov_err(&e), ContractError::NotOpen { id: rejected });

    // Expiring: only the proposer's yes.
    let expiring = suite.propose("alice", vec![shut]).unwrap();
    suite.vote("bob", expiring, Vote::Abstain).unwrap();
    // Closing while voting is open is refused.
    let e = refused(&mut suite, |s| close(s, expiring));
    assert!(matches!(
        gov_err(&e),
        ContractError::CannotClose { id, .. } if *id == expiring
    ));
    suite.advance(VOTING_PERIOD);
    assert_eq!(suite.proposal(expiring).status, Status::Rejected);
    let e = refused(&mut suite, |s| s.vote("carol", expiring, Vote::Yes));
    assert_eq!(*gov_err(&e), ContractError::NotOpen { id: expiring });

    for id in [rejected, expiring] {
        let e = refused(&mut suite, |s| s.execute_proposal(id));
        assert_eq!(*gov_err(&e), ContractError::NotPassed { id });
    }
    suite.advance(TIMELOCK);
    for id in [rejected, expiring] {
        let e = refused(&mut suite, |s| s.execute_proposal(id));
        assert_eq!(*gov_err(&e), ContractError::NotPassed { id });
    }
    // The expired one is closed by anyone: it becomes final.
    close(&mut suite, expiring).unwrap();
    assert_eq!(suite.proposal(expiring).status, Status::Rejected);
    // As in cw3's multisigs, a proposal voted down is final at the deciding
    // vote: it is already closed, and so is the expired one now.
    for id in [rejected, expiring] {
        let e = refused(&mut suite, |s| close(s, id));
        assert_eq!(
            *gov_err(&e),
            ContractError::CannotClose {
                id,
                reason: "it is already closed".to_string()
            }
        );
        let e = refused(&mut suite, |s| s.execute_proposal(id));
        assert_eq!(*gov_err(&e), ContractError::NotPassed { id });
    }
    assert!(!vault_config(&suite).shutdown);
    assert!(!fund_config(&suite).shutdown);
}

#[test]
fn one_member_one_vote_counts_each_member_once() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    for name in ["alice", "bob", "carol", "dave"] {
        assert_eq!(voter_weight(&suite, name), Some(1), "{name}");
    }
    assert_eq!(voter_weight(&suite, "mallory"), None);

    let shut = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});
    let id = suite.propose("dave", vec![shut]).unwrap();
    assert_eq!(total_weight(&suite, id), 4);
    // The proposer's yes is counted.
    assert_eq!(
        ballots(&suite, id),
        vec![(suite.addr("dave"), Vote::Yes, 1)]
    );
    suite.vote("alice", id, Vote::Yes).unwrap();
    suite.vote("bob", id, Vote::No).unwrap();
    // Alice holds four times dave's balance but still counts one.
    assert_eq!(yes_tally(&suite, id), 2);
    assert_eq!(suite.proposal(id).status, Status::Open);
    suite.vote("carol", id, Vote::Yes).unwrap();
    assert_eq!(yes_tally(&suite, id), 3);
    assert_eq!(suite.proposal(id).status, Status::Passed);
    assert!(ballots(&suite, id).iter().all(|(_, _, w)| *w == 1));
}

#[test]
fn fund_balance_weighs_each_vote_by_the_members_balance() {
    let mut suite = suite(VoteWeighting::FundBalance);
    for (name, balance) in [("alice", 400), ("bob", 300), ("carol", 200), ("dave", 100)] {
        assert_eq!(voter_weight(&suite, name), Some(balance), "{name}");
    }
    assert_eq!(voter_weight(&suite, "mallory"), None);
    // The weight follows the balance.
    suite.contribute("dave", 50).unwrap();
    assert_eq!(voter_weight(&suite, "dave"), Some(150));

    let shut = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});
    // Carol and dave hold 350 of 1050: not enough.
    let small = suite.propose("carol", vec![shut.clone()]).unwrap();
    assert_eq!(total_weight(&suite, small), 1_050);
    suite.vote("dave", small, Vote::Yes).unwrap();
    assert_eq!(yes_tally(&suite, small), 350);
    assert_eq!(suite.proposal(small).status, Status::Open);
    // 700 against: more than the 49% that may oppose.
    suite.vote("alice", small, Vote::No).unwrap();
    assert_eq!(suite.proposal(small).status, Status::Open);
    suite.vote("bob", small, Vote::No).unwrap();
    assert_eq!(suite.proposal(small).status, Status::Rejected);

    // Alice and bob hold 700 of 1050: passed with two members of four.
    let big = suite.propose("alice", vec![shut]).unwrap();
    assert_eq!(suite.proposal(big).status, Status::Open);
    suite.vote("bob", big, Vote::Yes).unwrap();
    assert_eq!(suite.proposal(big).status, Status::Passed);
    let (alice, bob) = (suite.addr("alice"), suite.addr("bob"));
    let mut expected = vec![(alice, Vote::Yes, 400), (bob, Vote::Yes, 300)];
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(ballots(&suite, big), expected);
    assert_eq!(yes_tally(&suite, big), 700);
}

/// Governance reads the fund's records raw and compounds balances itself:
/// after a default eats half the mutual fund, weights follow the fund's
/// own balances.
#[test]
fn fund_balance_weights_follow_losses_from_a_default() {
    let mut suite = suite(VoteWeighting::FundBalance);
    // dave's margin 2,000, contribution 100, SITG 1,000, then 450 of the 900.
    let receipt = suite.declare_default("dave", 3_550).unwrap();
    assert_eq!(receipt.layers.mutual_fund.u128(), 450);
    for (name, weight) in [("alice", 200), ("bob", 150), ("carol", 100)] {
        assert_eq!(voter_weight(&suite, name), Some(weight), "{name}");
        assert_eq!(suite.fund_member(name).balance.u128(), weight as u128);
    }
    assert_eq!(voter_weight(&suite, "dave"), None);
    let shut = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});
    let id = suite.propose("alice", vec![shut]).unwrap();
    assert_eq!(total_weight(&suite, id), 450);
    assert_eq!(suite.fund_state().total_contributions.u128(), 450);
}

#[test]
fn strangers_cannot_propose_or_vote_and_members_vote_once() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let mallory = suite.addr("mallory");
    let shut = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});

    let e = refused(&mut suite, |s| s.propose("mallory", vec![shut.clone()]));
    assert_eq!(
        *gov_err(&e),
        ContractError::NotAVoter {
            address: mallory.to_string(),
            action: "propose".to_string()
        }
    );
    let id = suite.propose("alice", vec![shut]).unwrap();
    let e = refused(&mut suite, |s| s.vote("mallory", id, Vote::Yes));
    assert_eq!(
        *gov_err(&e),
        ContractError::NotAVoter {
            address: mallory.to_string(),
            action: "vote".to_string()
        }
    );
    // Neither the operator's roles nor the guardian are voters.
    for who in [suite.guardian.clone(), suite.risk_engine.clone()] {
        let e = refused(&mut suite, |s| {
            gov_execute(
                s,
                &who,
                &governance::ExecuteMsg::Vote {
                    proposal_id: id,
                    vote: Vote::Yes,
                },
            )
        });
        assert!(matches!(gov_err(&e), ContractError::NotAVoter { .. }));
    }

    suite.vote("bob", id, Vote::Yes).unwrap();
    for (name, vote) in [("bob", Vote::Yes), ("bob", Vote::No), ("alice", Vote::Yes)] {
        let e = refused(&mut suite, |s| s.vote(name, id, vote));
        assert_eq!(
            *gov_err(&e),
            ContractError::AlreadyVoted {
                id,
                voter: suite.addr(name).to_string()
            }
        );
    }
    assert_eq!(yes_tally(&suite, id), 2);
    assert_eq!(suite.proposal(id).status, Status::Open);
}

#[test]
fn a_defaulters_vote_is_taken_back() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let keeper = suite.addr("keeper");
    let dave = suite.addr("dave");
    let alice = suite.addr("alice");
    let shut = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});
    let id = suite.propose("alice", vec![shut.clone()]).unwrap();
    suite.vote("dave", id, Vote::Yes).unwrap();
    assert_eq!(total_weight(&suite, id), 4);

    // A vote of a member in good standing stays.
    let discount = |voter: &Addr| governance::ExecuteMsg::DiscountVote {
        proposal_id: id,
        voter: voter.to_string(),
    };
    let e = refused(&mut suite, |s| gov_execute(s, &keeper, &discount(&dave)));
    assert_eq!(
        *gov_err(&e),
        ContractError::VoterNotDefaulted {
            voter: dave.to_string()
        }
    );

    suite.declare_default("dave", 500).unwrap();
    // The defaulter can neither vote nor propose any more.
    assert_eq!(voter_weight(&suite, "dave"), None);
    let e = refused(&mut suite, |s| s.propose("dave", vec![shut.clone()]));
    assert!(matches!(gov_err(&e), ContractError::NotAVoter { .. }));
    let other = suite.propose("bob", vec![shut]).unwrap();
    let e = refused(&mut suite, |s| s.vote("dave", other, Vote::No));
    assert!(matches!(gov_err(&e), ContractError::NotAVoter { .. }));

    // Anyone takes its earlier vote back: out of the tally and the total.
    gov_execute(&mut suite, &keeper, &discount(&dave)).unwrap();
    assert_eq!(total_weight(&suite, id), 3);
    let e = refused(&mut suite, |s| gov_execute(s, &keeper, &discount(&dave)));
    assert!(matches!(gov_err(&e), ContractError::NoVote { .. }));
    // Alice is not in default; bob did not vote.
    let e = refused(&mut suite, |s| gov_execute(s, &keeper, &discount(&alice)));
    assert_eq!(
        *gov_err(&e),
        ContractError::VoterNotDefaulted {
            voter: alice.to_string()
        }
    );
    let bob = suite.addr("bob");
    let e = refused(&mut suite, |s| gov_execute(s, &keeper, &discount(&bob)));
    assert!(matches!(gov_err(&e), ContractError::NoVote { .. }));

    // With dave's yes gone only alice's counts: two of three still pass it.
    assert_eq!(suite.proposal(id).status, Status::Open);
    suite.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(suite.proposal(id).status, Status::Passed);
}

#[test]
fn an_emergency_shutdown_stops_new_business_and_lets_members_leave() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    // Dave's default is open when the shutdown comes: 2000 margin, 100
    // contribution, 400 SITG.
    let receipt = suite.declare_default("dave", 2_500).unwrap();
    assert_eq!(receipt.layers.sitg.u128(), 400);

    let shut = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});
    enact(&mut suite, vec![shut]);
    assert!(vault_config(&suite).shutdown);
    assert!(fund_config(&suite).shutdown);

    // No new business.
    let (alice, vault, fund) = (suite.addr("alice"), suite.vault.clone(), suite.fund.clone());
    suite.mint(&alice, 200).unwrap();
    let e = refused(&mut suite, |s| {
        s.pay_into(
            &alice,
            &fund,
            100,
            &fund::ExecuteMsg::Contribute {},
            &fund::ReceiveMsg::Contribute {},
        )
    });
    assert_eq!(*fund_err(&e), default_fund::ContractError::ShutDown {});
    let e = refused(&mut suite, |s| {
        s.pay_into(
            &alice,
            &vault,
            100,
            &vault::ExecuteMsg::Deposit {},
            &vault::ReceiveMsg::Deposit {},
        )
    });
    assert_eq!(*vault_err(&e), margin_vault::ContractError::ShutDown {});
    let erin = suite.addr("erin").to_string();
    let admit = vault_msg(
        &suite,
        &vault::ExecuteMsg::AddMember {
            member: erin,
            required_margin: Uint128::new(1_000),
        },
    );
    let id = pass(&mut suite, vec![admit]);
    suite.advance(TIMELOCK);
    let e = refused(&mut suite, |s| s.execute_proposal(id));
    assert_eq!(*vault_err(&e), margin_vault::ContractError::ShutDown {});

    // While the default is open the usual rules hold.
    let e = refused(&mut suite, |s| s.claim_withdrawal("alice"));
    assert_eq!(
        *fund_err(&e),
        default_fund::ContractError::NoWithdrawalRequested {}
    );
    let e = refused(&mut suite, |s| s.withdraw_margin("alice", 5_000));
    assert_eq!(
        *vault_err(&e),
        margin_vault::ContractError::InsufficientExcessMargin {
            available: Uint128::new(1_000),
            requested: Uint128::new(5_000)
        }
    );

    // Governance closes the default; then members take out everything.
    let dave = suite.addr("dave").to_string();
    let close_default = fund_msg(&suite, &fund::ExecuteMsg::CloseDefault { member: dave });
    enact(&mut suite, vec![close_default]);
    assert_eq!(suite.fund_state().open_defaults, 0);

    for (name, margin, contribution) in [
        ("alice", 5_000, 400),
        ("bob", 4_000, 300),
        ("carol", 3_000, 200),
    ] {
        let wallet = suite.balance_of(name);
        // Inside the cooling-off period and without notice.
        suite.claim_withdrawal(name).unwrap();
        assert_eq!(suite.balance_of(name), wallet + contribution, "{name}");
        assert_eq!(suite.fund_member(name).balance.u128(), 0);
        let e = refused(&mut suite, |s| s.withdraw_margin(name, margin + 1));
        assert!(matches!(
            vault_err(&e),
            margin_vault::ContractError::InsufficientExcessMargin { .. }
        ));
        suite.withdraw_margin(name, margin).unwrap();
        assert_eq!(
            suite.balance_of(name),
            wallet + contribution + margin,
            "{name}"
        );
        assert_eq!(suite.vault_member(name).balance.u128(), 0);
    }
    assert_eq!(suite.fund_state().total_contributions.u128(), 0);
    suite.assert_conservation();
}

#[test]
fn chain_governance_replaces_the_guardian_and_the_governance_address() {
    let mut suite = suite(VoteWeighting::OneMemberOneVote);
    let gov = suite.gov();
    let old_guardian = suite.guardian.clone();
    let new_guardian = suite.addr("new_guardian");

    suite
        .app
        .wasm_sudo(
            gov.clone(),
            &governance::SudoMsg::SetGuardian {
                guardian: Some(new_guardian.to_string()),
            },
        )
        .unwrap();
    assert_eq!(gov_config(&suite).guardian, Some(new_guardian.clone()));
    let e = refused(&mut suite, |s| pause(s, &old_guardian));
    assert!(matches!(gov_err(&e), ContractError::Unauthorized { .. }));
    // The new guardian pauses and vetoes.
    pause(&mut suite, &new_guardian).unwrap();
    assert!(vault_config(&suite).paused);
    let shut = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});
    let id = pass(&mut suite, vec![shut]);
    let e = refused(&mut suite, |s| veto(s, &old_guardian, id));
    assert!(matches!(gov_err(&e), ContractError::Unauthorized { .. }));
    veto(&mut suite, &new_guardian, id).unwrap();
    assert!(timelock(&suite, id).vetoed);

    // No guardian at all: nobody pauses at once.
    suite
        .app
        .wasm_sudo(
            gov.clone(),
            &governance::SudoMsg::SetGuardian { guardian: None },
        )
        .unwrap();
    assert_eq!(gov_config(&suite).guardian, None);
    let e = refused(&mut suite, |s| pause(s, &new_guardian));
    assert!(matches!(gov_err(&e), ContractError::Unauthorized { .. }));

    // Chain governance hands vault and fund to a new governance address.
    let successor = suite.addr("successor");
    let vault = suite.vault.clone();
    let fund = suite.fund.clone();
    suite
        .app
        .wasm_sudo(
            vault.clone(),
            &vault::SudoMsg::SetRoles {
                governance: Some(successor.to_string()),
                risk_engine: None,
            },
        )
        .unwrap();
    suite
        .app
        .wasm_sudo(
            fund.clone(),
            &fund::SudoMsg::SetRoles {
                governance: Some(successor.to_string()),
                risk_engine: None,
            },
        )
        .unwrap();
    assert_eq!(vault_config(&suite).governance, successor);
    assert_eq!(fund_config(&suite).governance, successor);
    assert_eq!(vault_config(&suite).risk_engine, suite.risk_engine);
    assert_eq!(fund_config(&suite).risk_engine, suite.risk_engine);

    // The old governance contract no longer moves them: a passed proposal
    // to unpause fails at the vault.
    let unpause = gov_msg(&suite, &governance::ExecuteMsg::Unpause {});
    let id = pass(&mut suite, vec![unpause]);
    suite.advance(TIMELOCK);
    let e = refused(&mut suite, |s| s.execute_proposal(id));
    assert!(matches!(
        vault_err(&e),
        margin_vault::ContractError::Unauthorized { sender, .. } if *sender == gov.to_string()
    ));
    // The successor does.
    suite
        .app
        .execute_contract(
            successor.clone(),
            vault,
            &vault::ExecuteMsg::SetPause { paused: false },
            &[],
        )
        .unwrap();
    suite
        .app
        .execute_contract(
            successor,
            fund,
            &fund::ExecuteMsg::SetPause { paused: false },
            &[],
        )
        .unwrap();
    assert!(!vault_config(&suite).paused);
    assert!(!fund_config(&suite).paused);
}

#[test]
fn weight_gained_after_a_proposal_opens_cannot_push_the_tally_past_its_total() {
    let mut suite = suite(VoteWeighting::FundBalance);
    let msg = gov_msg(&suite, &governance::ExecuteMsg::Shutdown {});
    // alice proposes with 400 of 1000.
    let id = suite.propose("alice", vec![msg]).unwrap();
    assert!(matches!(
        suite.proposal(id).threshold,
        cw_utils::ThresholdResponse::AbsolutePercentage {
            total_weight: 1_000,
            ..
        }
    ));
    // dave tops up from 100 to 10,100 after the proposal opened: his vote
    // counts only the 600 not yet voted.
    suite.contribute("dave", 10_000).unwrap();
    suite.vote("dave", id, Vote::No).unwrap();
    let votes: cw3::VoteResponse = suite
        .app
        .wrap()
        .query_wasm_smart(
            suite.gov(),
            &governance::QueryMsg::Vote {
                proposal_id: id,
                voter: suite.addr("dave").to_string(),
            },
        )
        .unwrap();
    assert_eq!(votes.vote.unwrap().weight, 600);
    // The tally never exceeds the total fixed at opening: 400 yes, 600 no.
    let status = suite.proposal(id).status;
    assert_eq!(status, Status::Rejected);
    let e = refused(&mut suite, |s| s.vote("bob", id, Vote::Yes));
    assert!(matches!(
        contract_error::<ContractError>(&e),
        ContractError::NotOpen { .. }
    ));
}
