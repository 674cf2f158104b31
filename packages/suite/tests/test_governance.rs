//! Governance's flow (SPEC v2 §5): members' proposals drive the vault and
//! the fund through a voting period, a timelock with a governance-set
//! minimum and an execution window; the guardian pauses and vetoes; chain
//! governance acts through `sudo` (shutdown included); nobody else touches
//! the levers. Weights are in `test_governance_weights.rs`, migrations in
//! `test_governance_migration.rs`.

use ::governance::ContractError;
use anyhow::Result as AnyResult;
use clearing_suite::{contract_error, wasm_execute, GovernanceSpec, Suite, SuiteBuilder};
use clearing_types::fund::{self, FundParams, MemberStatus};
use clearing_types::governance::{
    self, ConfigResponse, Status, Threshold, TimelockResponse, Vote, VoteWeighting,
};
use clearing_types::vault::{self, MarginStatus};
use cosmwasm_std::{Addr, CosmosMsg, Decimal, Uint128};
use cw_multi_test::{AppResponse, Executor};

const DAY: u64 = 86_400;
const VOTING_PERIOD: u64 = 7 * DAY;
const TIMELOCK: u64 = 2 * DAY;
const WINDOW: u64 = 7 * DAY;

fn spec(threshold: cw_utils::Threshold, weighting: VoteWeighting) -> GovernanceSpec {
    GovernanceSpec {
        threshold,
        voting_period: VOTING_PERIOD,
        timelock: TIMELOCK,
        execution_window: WINDOW,
        weighting,
    }
}

fn percent(p: u64) -> cw_utils::Threshold {
    cw_utils::Threshold::AbsolutePercentage {
        percentage: Decimal::percent(p),
    }
}

/// Four members (balances 400, 300, 200, 100), a SITG of 1000, governance
/// in charge: 51 % of four votes is three.
fn suite() -> Suite {
    suite_with(spec(percent(51), VoteWeighting::OneMemberOneVote))
}

fn suite_with(spec: GovernanceSpec) -> Suite {
    SuiteBuilder::new()
        .sitg(1_000)
        .member("alice", 5_000, 4_000, 400)
        .member("bob", 4_000, 3_000, 300)
        .member("carol", 3_000, 2_000, 200)
        .member("dave", 2_000, 1_000, 100)
        .with_governance(spec)
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

fn vault_msg(suite: &Suite, msg: &vault::ExecuteMsg) -> CosmosMsg {
    wasm_execute(&suite.vault, msg)
}

fn fund_msg(suite: &Suite, msg: &fund::ExecuteMsg) -> CosmosMsg {
    wasm_execute(&suite.fund, msg)
}

fn gov_msg(suite: &Suite, msg: &governance::ExecuteMsg) -> CosmosMsg {
    wasm_execute(&suite.gov(), msg)
}

fn veto(suite: &mut Suite, sender: &Addr, proposal_id: u64) -> AnyResult<AppResponse> {
    suite.execute_gov(sender, &governance::ExecuteMsg::Veto { proposal_id })
}

fn close(suite: &mut Suite, proposal_id: u64) -> AnyResult<AppResponse> {
    let keeper = suite.addr("keeper");
    suite.execute_gov(&keeper, &governance::ExecuteMsg::Close { proposal_id })
}

fn pause(suite: &mut Suite, sender: &Addr) -> AnyResult<AppResponse> {
    suite.execute_gov(sender, &governance::ExecuteMsg::Pause {})
}

fn timelock(suite: &Suite, proposal_id: u64) -> TimelockResponse {
    suite.query_gov(&governance::QueryMsg::Timelock { proposal_id })
}

fn gov_config(suite: &Suite) -> ConfigResponse {
    suite.query_gov(&governance::QueryMsg::Config {})
}

fn vault_config(suite: &Suite) -> vault::ConfigResponse {
    suite.query_vault(&vault::QueryMsg::Config {})
}

fn fund_config(suite: &Suite) -> fund::ConfigResponse {
    suite.query_fund(&fund::QueryMsg::Config {})
}

fn status(suite: &Suite, id: u64) -> Status {
    suite.proposal(id).status
}

/// Alice proposes, bob and carol vote yes while it is still open: passed now.
fn pass(suite: &mut Suite, msgs: Vec<CosmosMsg>) -> u64 {
    let id = suite.propose("alice", msgs).unwrap();
    for voter in ["bob", "carol"] {
        if status(suite, id) == Status::Open {
            suite.vote(voter, id, Vote::Yes).unwrap();
        }
    }
    assert_eq!(status(suite, id), Status::Passed);
    id
}

/// Passes the proposal, waits out the timelock and executes it.
fn enact(suite: &mut Suite, msgs: Vec<CosmosMsg>) -> AppResponse {
    let id = pass(suite, msgs);
    suite.advance(TIMELOCK);
    let res = suite.execute_proposal(id).unwrap();
    assert_eq!(status(suite, id), Status::Executed);
    res
}

fn attr(res: &AppResponse, key: &str) -> Option<String> {
    res.events
        .iter()
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}

/// `name` pays `amount` into the vault (a deposit) or the fund (a
/// contribution) from its wallet, minted first: refused, nothing changed.
fn refused_payment(suite: &mut Suite, name: &str, amount: u128, vault: bool) -> anyhow::Error {
    let who = suite.addr(name);
    suite.mint(&who, amount).unwrap();
    let (v, f) = (suite.vault.clone(), suite.fund.clone());
    suite.refused(|s| {
        if vault {
            s.pay_into(
                &who,
                &v,
                amount,
                &vault::ExecuteMsg::Deposit {},
                &vault::ReceiveMsg::Deposit {},
            )
        } else {
            s.pay_into(
                &who,
                &f,
                amount,
                &fund::ExecuteMsg::Contribute {},
                &fund::ReceiveMsg::Contribute {},
            )
        }
    })
}

fn shutdown_msg(suite: &Suite) -> CosmosMsg {
    gov_msg(suite, &governance::ExecuteMsg::Shutdown {})
}

#[test]
fn a_member_is_admitted_by_proposal_in_the_vault_and_the_fund() {
    let mut suite = suite();
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
    assert_eq!(v.status, MarginStatus::Active);
    let f = suite.fund_member("erin");
    assert_eq!(f.required_margin.u128(), 6_000);
    assert_eq!(f.status, MemberStatus::Active);
    assert!(f.may_vote);
    assert_eq!(suite.fund_state().voters, 5);
    // She votes on proposals opened after her admission.
    suite.deposit_margin("erin", 7_000).unwrap();
    suite.contribute("erin", 700).unwrap();
    suite.next_block();
    let next = suite.propose("erin", vec![shutdown_msg(&suite)]).unwrap();
    assert_eq!(suite.proposal(next).total_weight.u128(), 5);
    suite.assert_conservation();
}

#[test]
fn a_parameter_change_applies_only_after_the_timelock() {
    let mut suite = suite();
    let old = suite.params();
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
    let until = passed_at.plus_seconds(TIMELOCK);
    assert_eq!(lock.executable_at, Some(until));
    assert_eq!(lock.execution_deadline, Some(until.plus_seconds(WINDOW)));

    let e = suite.refused(|s| s.execute_proposal(id));
    assert_eq!(*gov_err(&e), ContractError::Timelocked { id, until });
    // One second short is still too early.
    suite.advance(TIMELOCK - 1);
    let e = suite.refused(|s| s.execute_proposal(id));
    assert_eq!(*gov_err(&e), ContractError::Timelocked { id, until });
    assert_eq!(suite.params(), old);

    suite.advance(1);
    suite.execute_proposal(id).unwrap();
    assert_eq!(suite.params(), new);
    assert_eq!(status(&suite, id), Status::Executed);
    // Executed once: not again.
    let e = suite.refused(|s| s.execute_proposal(id));
    assert_eq!(*gov_err(&e), ContractError::AlreadyExecuted { id });
}

#[test]
fn a_default_declared_by_proposal_runs_the_waterfall() {
    let mut suite = suite();
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
    suite.execute_proposal(id).unwrap();

    let receipt = suite.defaults().pop().unwrap();
    assert_eq!(receipt.member, dave);
    assert_eq!(receipt.declared_by, "governance");
    assert_eq!(receipt.layers.total().unwrap().u128(), loss);
    assert_eq!(receipt.layers, preview.layers);
    assert_eq!(suite.balance(&recipient), before + loss);
    assert_eq!(suite.fund_member("dave").status, MemberStatus::Defaulted);
    // The defaulter no longer proposes.
    suite.next_block();
    let e = suite.refused(|s| s.propose("dave", vec![shutdown_msg(s)]));
    assert!(
        matches!(gov_err(&e), ContractError::NotAVoter { .. }),
        "{e:?}"
    );
    suite.assert_conservation();
}

#[test]
fn the_guardian_vetoes_only_during_the_timelock() {
    let mut suite = suite();
    let guardian = suite.guardian.clone();
    let alice = suite.addr("alice");
    let shut = shutdown_msg(&suite);

    // Not passed yet: nothing to veto.
    let open = suite.propose("alice", vec![shut.clone()]).unwrap();
    let e = suite.refused(|s| veto(s, &guardian, open));
    assert_eq!(
        *gov_err(&e),
        ContractError::NotPassed {
            id: open,
            status: "open".into()
        }
    );

    let id = pass(&mut suite, vec![shut.clone()]);
    let e = suite.refused(|s| veto(s, &alice, id));
    assert!(matches!(
        gov_err(&e),
        ContractError::Unauthorized { sender, .. } if *sender == alice.to_string()
    ));
    suite.advance(TIMELOCK - 1);
    veto(&mut suite, &guardian, id).unwrap();
    assert!(timelock(&suite, id).vetoed);
    assert_eq!(status(&suite, id), Status::Vetoed);
    suite.advance(1);
    let e = suite.refused(|s| s.execute_proposal(id));
    assert_eq!(*gov_err(&e), ContractError::Vetoed { id });
    assert!(!vault_config(&suite).shutdown);
    assert!(!fund_config(&suite).shutdown);

    // Past its timelock a passed proposal can no longer be vetoed.
    let late = pass(&mut suite, vec![shut]);
    let ended = suite.app.block_info().time.plus_seconds(TIMELOCK);
    suite.advance(TIMELOCK);
    let e = suite.refused(|s| veto(s, &guardian, late));
    assert_eq!(
        *gov_err(&e),
        ContractError::TimelockOver { id: late, ended }
    );
    suite.execute_proposal(late).unwrap();
    assert!(vault_config(&suite).shutdown);
    assert!(fund_config(&suite).shutdown);
}

#[test]
fn a_passed_proposal_not_executed_within_its_window_expires() {
    let mut suite = suite();
    let shut = shutdown_msg(&suite);
    let id = pass(&mut suite, vec![shut]);
    let deadline = suite.app.block_info().time.plus_seconds(TIMELOCK + WINDOW);
    suite.advance(TIMELOCK + WINDOW - 1);
    assert_eq!(status(&suite, id), Status::Passed);
    suite.advance(1);
    assert_eq!(status(&suite, id), Status::Expired);
    let e = suite.refused(|s| s.execute_proposal(id));
    assert_eq!(
        *gov_err(&e),
        ContractError::ExecutionExpired { id, deadline }
    );
    assert!(!vault_config(&suite).shutdown);
    // Within the window it would have run: a new proposal, executed on
    // the last second of its window.
    let shut = shutdown_msg(&suite);
    let again = pass(&mut suite, vec![shut]);
    suite.advance(TIMELOCK + WINDOW - 1);
    suite.execute_proposal(again).unwrap();
    assert!(vault_config(&suite).shutdown);
    assert!(fund_config(&suite).shutdown);
}

#[test]
fn a_proposal_may_lengthen_its_timelock_never_shorten_it() {
    let mut suite = suite();
    let alice = suite.addr("alice");
    let propose = |timelock: Option<u64>, suite: &Suite| governance::ExecuteMsg::Propose {
        title: "shut down".into(),
        description: String::new(),
        msgs: vec![shutdown_msg(suite)],
        latest: None,
        timelock,
    };
    let msg = propose(Some(TIMELOCK - 1), &suite);
    let e = suite.refused(|s| s.execute_gov(&alice, &msg));
    assert_eq!(
        *gov_err(&e),
        ContractError::TimelockBelowMinimum {
            requested: TIMELOCK - 1,
            minimum: TIMELOCK
        }
    );
    let msg = propose(Some(TIMELOCK + 3 * DAY), &suite);
    let res = suite.execute_gov(&alice, &msg).unwrap();
    let id: u64 = attr(&res, "proposal_id").unwrap().parse().unwrap();
    suite.vote("bob", id, Vote::Yes).unwrap();
    suite.vote("carol", id, Vote::Yes).unwrap();
    let passed_at = suite.app.block_info().time;
    suite.advance(TIMELOCK);
    let e = suite.refused(|s| s.execute_proposal(id));
    assert_eq!(
        *gov_err(&e),
        ContractError::Timelocked {
            id,
            until: passed_at.plus_seconds(TIMELOCK + 3 * DAY)
        }
    );
    // The guardian's veto window is the whole of it.
    let guardian = suite.guardian.clone();
    veto(&mut suite, &guardian, id).unwrap();
}

#[test]
fn governance_sets_its_minimum_timelock_by_proposal() {
    let mut suite = suite();
    let update = gov_msg(
        &suite,
        &governance::ExecuteMsg::UpdateConfig {
            threshold: None,
            voting_period: None,
            min_timelock: Some(5 * DAY),
            execution_window: Some(10 * DAY),
            weighting: None,
        },
    );
    // Not directly, not even by the guardian.
    let guardian = suite.guardian.clone();
    let direct = governance::ExecuteMsg::UpdateConfig {
        threshold: None,
        voting_period: None,
        min_timelock: Some(DAY),
        execution_window: None,
        weighting: None,
    };
    let e = suite.refused(|s| s.execute_gov(&guardian, &direct));
    assert!(matches!(gov_err(&e), ContractError::Unauthorized { .. }));
    enact(&mut suite, vec![update]);
    let c = gov_config(&suite);
    assert_eq!((c.min_timelock, c.execution_window), (5 * DAY, 10 * DAY));
    let shut = shutdown_msg(&suite);
    let id = pass(&mut suite, vec![shut]);
    let p = suite.proposal(id);
    assert_eq!((p.timelock, p.execution_window), (5 * DAY, 10 * DAY));
    suite.advance(TIMELOCK);
    let e = suite.refused(|s| s.execute_proposal(id));
    assert!(matches!(gov_err(&e), ContractError::Timelocked { .. }));
}

#[test]
fn threshold_quorum_passes_fails_on_quorum_fails_on_threshold() {
    // Four members; 40 % quorum (2 votes), 60 % of opinions.
    let quorum = Threshold::ThresholdQuorum {
        threshold: Decimal::percent(60),
        quorum: Decimal::percent(40),
    };
    let cw_quorum = cw_utils::Threshold::ThresholdQuorum {
        threshold: Decimal::percent(60),
        quorum: Decimal::percent(40),
    };
    // Passes: 2 yes of 2 votes at the end of voting.
    let mut suite = suite_with(spec(cw_quorum.clone(), VoteWeighting::OneMemberOneVote));
    assert_eq!(gov_config(&suite).threshold, quorum);
    let shut = shutdown_msg(&suite);
    let passes = suite.propose("alice", vec![shut.clone()]).unwrap();
    suite.vote("bob", passes, Vote::Yes).unwrap();
    // Fails on quorum: 1 yes of 1 vote.
    let no_quorum = suite.propose("carol", vec![shut.clone()]).unwrap();
    // Fails on threshold: 1 yes, 1 no, 1 veto.
    let no_threshold = suite.propose("dave", vec![shut]).unwrap();
    suite.vote("alice", no_threshold, Vote::No).unwrap();
    suite.vote("bob", no_threshold, Vote::Veto).unwrap();
    for id in [passes, no_quorum, no_threshold] {
        assert_eq!(status(&suite, id), Status::Open);
    }
    suite.advance(VOTING_PERIOD);
    assert_eq!(status(&suite, passes), Status::Passed);
    assert_eq!(status(&suite, no_quorum), Status::Rejected);
    assert_eq!(status(&suite, no_threshold), Status::Rejected);
    suite.advance(TIMELOCK);
    suite.execute_proposal(passes).unwrap();
    assert!(fund_config(&suite).shutdown);
    for id in [no_quorum, no_threshold] {
        let e = suite.refused(|s| s.execute_proposal(id));
        assert_eq!(
            *gov_err(&e),
            ContractError::NotPassed {
                id,
                status: "rejected".into()
            }
        );
    }
}

#[test]
fn a_pause_stops_withdrawals_but_not_deposits_contributions_or_defaults() {
    let mut suite = suite();
    let guardian = suite.guardian.clone();
    pause(&mut suite, &guardian).unwrap();
    assert!(vault_config(&suite).paused);
    assert!(fund_config(&suite).paused);
    let e = suite.refused(|s| s.withdraw_margin("alice", 100));
    assert_eq!(*vault_err(&e), margin_vault::ContractError::Paused {});
    // Money still comes in, and a default is still declared.
    suite.deposit_margin("alice", 500).unwrap();
    suite.contribute("carol", 50).unwrap();
    let receipt = suite.declare_default("dave", 1_500).unwrap();
    assert_eq!(receipt.layers.total().unwrap().u128(), 1_500);
    assert!(vault_config(&suite).paused);
    suite.assert_conservation();
}

#[test]
fn only_a_proposal_or_chain_governance_unpauses() {
    let mut suite = suite();
    let guardian = suite.guardian.clone();
    let alice = suite.addr("alice");
    let gov = suite.gov();
    pause(&mut suite, &guardian).unwrap();

    for sender in [guardian.clone(), alice.clone()] {
        let e = suite.refused(|s| s.execute_gov(&sender, &governance::ExecuteMsg::Unpause {}));
        assert!(
            matches!(gov_err(&e), ContractError::Unauthorized { sender: who, .. } if *who == sender.to_string()),
            "{e:?}"
        );
    }
    // Nor around governance, at the vault.
    let e = suite.refused(|s| {
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

    let unpause = gov_msg(&suite, &governance::ExecuteMsg::Unpause {});
    enact(&mut suite, vec![unpause]);
    assert!(!vault_config(&suite).paused);
    assert!(!fund_config(&suite).paused);
    suite.withdraw_margin("alice", 100).unwrap();

    // Chain governance, at once.
    pause(&mut suite, &guardian).unwrap();
    suite
        .app
        .wasm_sudo(gov, &governance::SudoMsg::SetPause { paused: false })
        .unwrap();
    assert!(!vault_config(&suite).paused);
    assert!(!fund_config(&suite).paused);
}

#[test]
fn rejected_proposals_cannot_execute_and_are_closed_once_voting_ends() {
    let mut suite = suite();
    let shut = shutdown_msg(&suite);
    // Three of four vote no: it stays open until voting ends (a
    // defaulter's no could still be taken back).
    let rejected = suite.propose("alice", vec![shut.clone()]).unwrap();
    for no in ["bob", "carol", "dave"] {
        suite.vote(no, rejected, Vote::No).unwrap();
    }
    assert_eq!(status(&suite, rejected), Status::Open);
    let e = suite.refused(|s| close(s, rejected));
    assert_eq!(
        *gov_err(&e),
        ContractError::CannotClose {
            id: rejected,
            status: "open".into(),
            voting_open: true
        }
    );
    let e = suite.refused(|s| s.execute_proposal(rejected));
    assert_eq!(
        *gov_err(&e),
        ContractError::NotPassed {
            id: rejected,
            status: "open".into()
        }
    );
    suite.advance(VOTING_PERIOD);
    assert_eq!(status(&suite, rejected), Status::Rejected);
    let e = suite.refused(|s| s.vote("alice", rejected, Vote::Yes));
    assert!(matches!(gov_err(&e), ContractError::VotingClosed { .. }));
    close(&mut suite, rejected).unwrap();
    let e = suite.refused(|s| close(s, rejected));
    assert!(matches!(gov_err(&e), ContractError::CannotClose { .. }));
    suite.advance(TIMELOCK);
    let e = suite.refused(|s| s.execute_proposal(rejected));
    assert_eq!(
        *gov_err(&e),
        ContractError::NotPassed {
            id: rejected,
            status: "rejected".into()
        }
    );
    assert!(!vault_config(&suite).shutdown);
}

#[test]
fn an_emergency_shutdown_by_proposal_stops_new_business() {
    let mut suite = suite();
    let shut = shutdown_msg(&suite);
    enact(&mut suite, vec![shut]);
    assert!(vault_config(&suite).shutdown);
    assert!(fund_config(&suite).shutdown);
    let e = refused_payment(&mut suite, "alice", 100, true);
    assert_eq!(*vault_err(&e), margin_vault::ContractError::ShutDown {});
    let e = refused_payment(&mut suite, "alice", 100, false);
    assert_eq!(*fund_err(&e), default_fund::ContractError::ShutDown {});
    // Governance goes on (closing defaults is its business after a
    // shutdown); a second shutdown is refused by the contracts.
    let shut = shutdown_msg(&suite);
    let again = pass(&mut suite, vec![shut]);
    suite.advance(TIMELOCK);
    suite.refused(|s| s.execute_proposal(again));
    suite.assert_conservation();
}

#[test]
fn chain_governance_shuts_down_through_sudo() {
    let mut suite = suite();
    let gov = suite.gov();
    let res = suite
        .app
        .wasm_sudo(gov, &governance::SudoMsg::Shutdown {})
        .unwrap();
    assert_eq!(attr(&res, "by").as_deref(), Some("sudo"));
    assert!(vault_config(&suite).shutdown);
    assert!(fund_config(&suite).shutdown);
    let e = refused_payment(&mut suite, "bob", 10, false);
    assert_eq!(*fund_err(&e), default_fund::ContractError::ShutDown {});
    // Members take out their balances (no default open).
    let wallet = suite.balance_of("bob");
    suite.claim_withdrawal("bob").unwrap();
    assert_eq!(suite.balance_of("bob"), wallet + 300);
    suite.assert_conservation();
}

#[test]
fn chain_governance_replaces_the_guardian() {
    let mut suite = suite();
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
    let e = suite.refused(|s| pause(s, &old_guardian));
    assert!(matches!(gov_err(&e), ContractError::Unauthorized { .. }));
    pause(&mut suite, &new_guardian).unwrap();
    let shut = shutdown_msg(&suite);
    let id = pass(&mut suite, vec![shut]);
    let e = suite.refused(|s| veto(s, &old_guardian, id));
    assert!(matches!(gov_err(&e), ContractError::Unauthorized { .. }));
    veto(&mut suite, &new_guardian, id).unwrap();

    // A proposal removes the guardian: nobody pauses at once.
    let remove = gov_msg(
        &suite,
        &governance::ExecuteMsg::SetGuardian { guardian: None },
    );
    enact(&mut suite, vec![remove]);
    assert_eq!(gov_config(&suite).guardian, None);
    let e = suite.refused(|s| pause(s, &new_guardian));
    assert!(matches!(gov_err(&e), ContractError::Unauthorized { .. }));
}

#[test]
fn strangers_and_roles_cannot_propose_or_vote() {
    let mut suite = suite();
    let id = suite.propose("alice", vec![shutdown_msg(&suite)]).unwrap();
    let height = suite.proposal(id).start_height;
    for who in [
        suite.addr("mallory"),
        suite.guardian.clone(),
        suite.risk_engine.clone(),
        suite.operator.clone(),
    ] {
        let e = suite.refused(|s| {
            s.execute_gov(
                &who,
                &governance::ExecuteMsg::Vote {
                    proposal_id: id,
                    vote: Vote::Yes,
                },
            )
        });
        assert_eq!(
            *gov_err(&e),
            ContractError::NotAVoterAtOpening {
                id,
                voter: who.to_string(),
                height
            }
        );
    }
    suite.vote("bob", id, Vote::Yes).unwrap();
    for name in ["alice", "bob"] {
        let e = suite.refused(|s| s.vote(name, id, Vote::No));
        assert!(
            matches!(gov_err(&e), ContractError::AlreadyVoted { voter, .. } if *voter == suite.addr(name).to_string())
        );
    }
}
