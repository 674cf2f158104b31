//! Governance weights on the real fund (SPEC v2 §5, issue 13): `Uint128`
//! end to end, fixed at the block a proposal opens (the fund's
//! snapshots, read raw), the same tokens never twice, a defaulter's weight
//! taken out of the total, members in breach keep their vote, suspended
//! and exiting members neither vote nor count.

use ::governance::ContractError;
use clearing_suite::{contract_error, wasm_execute, GovernanceSpec, Suite, SuiteBuilder};
use clearing_types::fund::{FundParams, MemberStatus};
use clearing_types::governance::{self, Status, Vote, VoteWeighting, VoterResponse};
use cosmwasm_std::{CosmosMsg, Decimal, Uint128};
use cw_multi_test::Executor;

const DAY: u64 = 86_400;
const E19: u128 = 10_000_000_000_000_000_000;
const E30: u128 = 1_000_000_000_000_000_000_000_000_000_000;

fn gov_err(e: &anyhow::Error) -> &ContractError {
    contract_error::<ContractError>(e)
}

fn percent(p: u64) -> cw_utils::Threshold {
    cw_utils::Threshold::AbsolutePercentage {
        percentage: Decimal::percent(p),
    }
}

/// A requirement of `min` for everyone (no rate), so that balances are
/// whatever the test contributes.
fn flat(min: u128) -> FundParams {
    FundParams {
        min_contribution: Uint128::new(min),
        contribution_rate: Decimal::zero(),
        ..FundParams::default()
    }
}

/// Members `(name, balance)` with margin equal to their requirement.
fn suite(
    members: &[(&str, u128)],
    weighting: VoteWeighting,
    threshold: cw_utils::Threshold,
) -> Suite {
    let mut b = SuiteBuilder::new().params(flat(100));
    for (name, balance) in members {
        b = b.member(name, 1_000, 1_000, *balance);
    }
    b.with_governance(GovernanceSpec {
        threshold,
        voting_period: 7 * DAY,
        timelock: 2 * DAY,
        execution_window: 7 * DAY,
        weighting,
    })
    .build()
}

fn four(weighting: VoteWeighting, threshold: cw_utils::Threshold) -> Suite {
    suite(
        &[("alice", 100), ("bob", 100), ("carol", 100), ("dave", 100)],
        weighting,
        threshold,
    )
}

fn shut(suite: &Suite) -> CosmosMsg {
    wasm_execute(&suite.gov(), &governance::ExecuteMsg::Shutdown {})
}

fn propose(suite: &mut Suite, name: &str) -> u64 {
    let msg = shut(suite);
    suite.propose(name, vec![msg]).unwrap()
}

fn status(suite: &Suite, id: u64) -> Status {
    suite.proposal(id).status
}

fn weight_now(suite: &Suite, name: &str) -> Option<Uint128> {
    let r: VoterResponse = suite.query_gov(&governance::QueryMsg::Voter {
        address: suite.addr(name).to_string(),
        proposal_id: None,
    });
    r.weight
}

#[test]
fn five_balances_of_ten_to_the_nineteen_do_not_saturate() {
    let mut s = suite(
        &[
            ("alice", E19),
            ("bob", E19),
            ("carol", E19),
            ("dave", E19),
            ("erin", E19),
        ],
        VoteWeighting::FundBalance,
        percent(51),
    );
    let id = propose(&mut s, "alice");
    let p = s.proposal(id);
    assert_eq!(p.status, Status::Open, "one member of five must not pass");
    assert_eq!(p.opening_total, Uint128::new(5 * E19));
    assert_eq!(p.votes.yes, Uint128::new(E19));
    s.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(status(&s, id), Status::Open);
    s.vote("carol", id, Vote::Yes).unwrap();
    assert_eq!(status(&s, id), Status::Passed);
}

#[test]
fn balances_of_ten_to_the_thirty() {
    let mut s = suite(
        &[("alice", E30), ("bob", E30), ("carol", 2 * E30)],
        VoteWeighting::FundBalance,
        percent(51),
    );
    assert_eq!(weight_now(&s, "carol"), Some(Uint128::new(2 * E30)));
    let id = propose(&mut s, "carol");
    let p = s.proposal(id);
    assert_eq!(p.opening_total, Uint128::new(4 * E30));
    assert_eq!(p.status, Status::Open, "exactly 50 %");
    s.vote("alice", id, Vote::Yes).unwrap();
    let p = s.proposal(id);
    assert_eq!(p.votes.yes, Uint128::new(3 * E30));
    assert_eq!(p.status, Status::Passed);
}

#[test]
fn a_top_up_after_opening_changes_nothing() {
    // Four members with 100 each; after the proposal opens, bob
    // contributes 10,000 and votes: his vote counts 100.
    let mut s = four(VoteWeighting::FundBalance, percent(51));
    let id = propose(&mut s, "alice");
    s.contribute("bob", 10_000).unwrap();
    s.next_block();
    s.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(s.ballot(id, "bob"), Some(Uint128::new(100)));
    let p = s.proposal(id);
    assert_eq!(p.total_weight, Uint128::new(400));
    assert_eq!(p.votes.yes, Uint128::new(200));
    assert_eq!(p.status, Status::Open);
    // The next proposal sees it.
    assert_eq!(weight_now(&s, "bob"), Some(Uint128::new(10_100)));
    let next = propose(&mut s, "bob");
    assert_eq!(s.proposal(next).total_weight, Uint128::new(10_400));
    assert_eq!(status(&s, next), Status::Passed);
}

#[test]
fn a_member_admitted_after_opening_cannot_vote_on_it() {
    for weighting in [VoteWeighting::OneMemberOneVote, VoteWeighting::FundBalance] {
        let mut s = four(weighting, percent(51));
        let id = propose(&mut s, "alice");
        s.add_member("erin", 1_000).unwrap();
        s.deposit_margin("erin", 1_000).unwrap();
        s.contribute("erin", 5_000).unwrap();
        s.next_block();
        let height = s.proposal(id).start_height;
        let erin = s.addr("erin").to_string();
        let e = s.refused(|s| s.vote("erin", id, Vote::Yes));
        assert_eq!(
            *gov_err(&e),
            ContractError::NotAVoterAtOpening {
                id,
                voter: erin,
                height
            }
        );
        let p = s.proposal(id);
        assert_eq!(
            p.total_weight,
            match weighting {
                VoteWeighting::OneMemberOneVote => Uint128::new(4),
                VoteWeighting::FundBalance => Uint128::new(400),
            }
        );
        let next = propose(&mut s, "bob");
        s.vote("erin", next, Vote::No).unwrap();
    }
}

#[test]
fn the_same_tokens_never_vote_twice() {
    // bob votes, claims a matured withdrawal of 50, and carol contributes
    // the same tokens and votes: she counts her opening balance only.
    let mut s = suite(
        &[("alice", 100), ("bob", 150), ("carol", 100), ("dave", 100)],
        VoteWeighting::FundBalance,
        percent(100),
    );
    s.request_withdrawal("bob", 50).unwrap();
    s.advance(14 * DAY);
    let id = propose(&mut s, "alice");
    s.vote("bob", id, Vote::Yes).unwrap();
    let wallet = s.balance_of("bob");
    s.claim_withdrawal("bob").unwrap();
    assert_eq!(s.balance_of("bob"), wallet + 50);
    let (bob, carol, fund) = (s.addr("bob"), s.addr("carol"), s.fund.clone());
    s.app
        .send_tokens(
            bob,
            carol.clone(),
            &cosmwasm_std::coins(50, clearing_suite::DENOM),
        )
        .unwrap();
    s.pay_into(
        &carol,
        &fund,
        50,
        &clearing_types::fund::ExecuteMsg::Contribute {},
        &clearing_types::fund::ReceiveMsg::Contribute {},
    )
    .unwrap();
    s.next_block();
    s.vote("carol", id, Vote::Yes).unwrap();
    assert_eq!(s.ballot(id, "bob"), Some(Uint128::new(150)));
    assert_eq!(s.ballot(id, "carol"), Some(Uint128::new(100)));
    s.vote("dave", id, Vote::Yes).unwrap();
    let p = s.proposal(id);
    assert_eq!(p.votes.yes, Uint128::new(450));
    assert_eq!(p.votes.yes, p.total_weight);
    assert_eq!(p.status, Status::Passed);
}

#[test]
fn losses_before_the_opening_count_and_losses_after_do_not() {
    let mut s = suite(
        &[
            ("alice", 300),
            ("bob", 300),
            ("carol", 300),
            ("dave", 100),
            ("erin", 100),
        ],
        VoteWeighting::FundBalance,
        percent(51),
    );
    // dave defaults: margin 1,000, stake 100, then 300 of the 1,000 left.
    let r = s.declare_default("dave", 1_400).unwrap();
    assert_eq!(r.layers.mutual_fund.u128(), 300);
    s.next_block();
    let alice = s.fund_member("alice").balance.u128();
    assert_eq!(alice, 210);
    let id = propose(&mut s, "alice");
    let p = s.proposal(id);
    assert_eq!(p.votes.yes.u128(), 210);
    assert_eq!(p.opening_total.u128(), 700);
    // erin defaults after the opening: the survivors lose again.
    s.declare_default("erin", 1_000 + 70 + 200).unwrap();
    s.next_block();
    assert!(s.fund_member("bob").balance.u128() < 210);
    s.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(s.ballot(id, "bob"), Some(Uint128::new(210)));
    assert_eq!(status(&s, id), Status::Passed, "420 of 700 ≥ 51 %");
}

/// All four must agree; dave's weight must leave the total for three to
/// pass anything once he defaults.
#[test]
fn a_defaulters_vote_is_taken_back_and_leaves_the_total() {
    for weighting in [VoteWeighting::OneMemberOneVote, VoteWeighting::FundBalance] {
        let unit = match weighting {
            VoteWeighting::OneMemberOneVote => 1u128,
            VoteWeighting::FundBalance => 100,
        };
        let mut s = four(weighting, percent(100));
        let id = propose(&mut s, "alice");
        s.vote("dave", id, Vote::No).unwrap();
        // A vote of a member in good standing stays.
        let dave = s.addr("dave").to_string();
        let e = s.refused(|s| s.discount_vote(id, "dave"));
        assert_eq!(
            *gov_err(&e),
            ContractError::VoterNotDefaulted {
                voter: dave.clone(),
                status: "active".into()
            }
        );
        s.declare_default("dave", 500).unwrap();
        s.vote("bob", id, Vote::Yes).unwrap();
        s.vote("carol", id, Vote::Yes).unwrap();
        assert_eq!(status(&s, id), Status::Open);
        s.discount_vote(id, "dave").unwrap();
        let p = s.proposal(id);
        assert_eq!(p.total_weight.u128(), 3 * unit);
        assert_eq!(p.votes.no, Uint128::zero());
        assert_eq!(p.status, Status::Passed, "every survivor supports it");
        // Once.
        let e = s.refused(|s| s.discount_vote(id, "dave"));
        assert_eq!(
            *gov_err(&e),
            ContractError::AlreadyDiscounted {
                id,
                voter: dave.clone(),
                weight: Uint128::new(unit)
            }
        );
    }
}

#[test]
fn a_defaulter_who_did_not_vote_leaves_the_total() {
    for weighting in [VoteWeighting::OneMemberOneVote, VoteWeighting::FundBalance] {
        let mut s = four(weighting, percent(100));
        let id = propose(&mut s, "alice");
        s.vote("bob", id, Vote::Yes).unwrap();
        s.vote("carol", id, Vote::Yes).unwrap();
        // dave's default also costs the survivors part of their balances:
        // their opening weights do not move.
        let r = s.declare_default("dave", 1_150).unwrap();
        assert!(r.layers.mutual_fund.u128() > 0);
        s.next_block();
        // dave can no longer vote.
        let e = s.refused(|s| s.vote("dave", id, Vote::Yes));
        assert_eq!(
            *gov_err(&e),
            ContractError::Defaulted {
                address: s.addr("dave").to_string(),
                status: "defaulted".into()
            }
        );
        assert_eq!(status(&s, id), Status::Open);
        let res = s.discount_vote(id, "dave").unwrap();
        let vote = res
            .events
            .iter()
            .flat_map(|e| e.attributes.iter())
            .find(|a| a.key == "vote")
            .unwrap();
        assert_eq!(vote.value, "none");
        let p = s.proposal(id);
        assert_eq!(p.status, Status::Passed);
        assert_eq!(p.votes.yes, p.total_weight);
    }
}

#[test]
fn a_member_in_breach_keeps_its_vote_and_counts() {
    // The fund: minimum 100, no SITG. dave defaults deep enough to assess
    // the three survivors 100 each; carol, with no excess margin, cannot
    // be drawn from when it falls due: she is in breach.
    let mut s = SuiteBuilder::new()
        .params(FundParams {
            assessment_multiple: Decimal::percent(200),
            ..flat(100)
        })
        .member("alice", 2_000, 1_000, 100)
        .member("bob", 2_000, 1_000, 100)
        .member("carol", 1_000, 1_000, 100)
        .member("dave", 1_000, 1_000, 100)
        .with_governance(GovernanceSpec {
            threshold: percent(75),
            voting_period: 7 * DAY,
            timelock: 2 * DAY,
            execution_window: 7 * DAY,
            weighting: VoteWeighting::OneMemberOneVote,
        })
        .build();
    let r = s.declare_default("dave", 1_000 + 100 + 300 + 300).unwrap();
    assert_eq!(r.layers.assessments.u128(), 300);
    s.advance(DAY + 1);
    let _ = s.enforce_assessment("carol");
    assert_eq!(s.fund_member("carol").status, MemberStatus::InBreach);
    assert!(s.fund_member("carol").may_vote);
    s.next_block();
    let id = propose(&mut s, "carol");
    assert_eq!(s.proposal(id).total_weight, Uint128::new(3));
    s.vote("alice", id, Vote::Yes).unwrap();
    assert_eq!(status(&s, id), Status::Open);
    s.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(status(&s, id), Status::Passed);
}

#[test]
fn suspended_and_exiting_members_neither_vote_nor_count() {
    for weighting in [VoteWeighting::OneMemberOneVote, VoteWeighting::FundBalance] {
        let mut s = four(weighting, percent(51));
        s.suspend("carol").unwrap();
        s.request_exit("dave").unwrap();
        s.next_block();
        for name in ["carol", "dave"] {
            assert_eq!(weight_now(&s, name), None, "{name}");
            let msg = shut(&s);
            let e = s.refused(|s| s.propose(name, vec![msg]));
            assert!(
                matches!(gov_err(&e), ContractError::NotAVoter { .. }),
                "{e:?}"
            );
        }
        let id = propose(&mut s, "alice");
        assert_eq!(
            s.proposal(id).total_weight,
            match weighting {
                VoteWeighting::OneMemberOneVote => Uint128::new(2),
                VoteWeighting::FundBalance => Uint128::new(200),
            }
        );
        for name in ["carol", "dave"] {
            let e = s.refused(|s| s.vote(name, id, Vote::No));
            assert!(
                matches!(gov_err(&e), ContractError::NotAVoterAtOpening { .. }),
                "{e:?}"
            );
        }
        // Lifting the suspension after the opening does not bring carol in.
        s.unsuspend("carol").unwrap();
        s.next_block();
        let e = s.refused(|s| s.vote("carol", id, Vote::No));
        assert!(matches!(
            gov_err(&e),
            ContractError::NotAVoterAtOpening { .. }
        ));
        s.vote("bob", id, Vote::Yes).unwrap();
        assert_eq!(status(&s, id), Status::Passed);
        // She is back for the next one.
        assert!(weight_now(&s, "carol").is_some());
    }
}

#[test]
fn one_member_one_vote_counts_members_not_balances() {
    let mut s = suite(
        &[("alice", E30), ("bob", 100), ("carol", 100)],
        VoteWeighting::OneMemberOneVote,
        percent(51),
    );
    let id = propose(&mut s, "bob");
    assert_eq!(s.proposal(id).total_weight, Uint128::new(3));
    assert_eq!(s.ballot(id, "bob"), Some(Uint128::one()));
    s.vote("carol", id, Vote::Yes).unwrap();
    assert_eq!(status(&s, id), Status::Passed);
}
