//! Weights (SPEC v2 §5, issue 13): `Uint128` end to end, fixed at the
//! block a proposal opens, the same tokens never twice, a defaulter's
//! weight taken out, members in breach keep their vote, suspended and
//! exiting members neither vote nor count.

use clearing_types::governance::{
    DiscountListResponse, QueryMsg, Status, Vote, VoteListResponse, VoteWeighting, VoterResponse,
};
use cosmwasm_std::Uint128;

use super::*;

const E19: u128 = 10_000_000_000_000_000_000;
const E30: u128 = 1_000_000_000_000_000_000_000_000_000_000;

fn five(balance: u128) -> Gov {
    let mut g = Gov::new(VoteWeighting::FundBalance, pct(51));
    g.members(&[
        ("alice", balance),
        ("bob", balance),
        ("carol", balance),
        ("dave", balance),
        ("erin", balance),
    ]);
    g
}

#[test]
fn five_balances_of_ten_to_the_nineteen_do_not_saturate() {
    // Issue 13's input: with weights capped at u64::MAX (1.8 × 10^19),
    // alice's 10^19 was more than 51 % of a total capped at 1.8 × 10^19
    // and passed at once. Exactly, it is 20 % of 5 × 10^19.
    let mut g = five(E19);
    let id = g.propose("alice").unwrap();
    let p = g.proposal(id);
    assert_eq!(p.status, Status::Open);
    assert_eq!(p.opening_total, Uint128::new(5 * E19));
    assert_eq!(p.votes.yes, Uint128::new(E19));
    g.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(g.status(id), Status::Open);
    g.vote("carol", id, Vote::Yes).unwrap();
    assert_eq!(g.status(id), Status::Passed);
    assert_eq!(g.votes(id).yes, Uint128::new(3 * E19));
}

#[test]
fn balances_of_ten_to_the_thirty() {
    let mut g = five(E30);
    let id = g.propose("alice").unwrap();
    assert_eq!(g.total(id), Uint128::new(5 * E30));
    g.vote("bob", id, Vote::Yes).unwrap();
    g.vote("carol", id, Vote::No).unwrap();
    assert_eq!(g.status(id), Status::Open);
    g.vote("dave", id, Vote::Yes).unwrap();
    let p = g.proposal(id);
    assert_eq!(p.status, Status::Passed);
    assert_eq!(p.votes.yes, Uint128::new(3 * E30));
    assert_eq!(p.votes.no, Uint128::new(E30));
    let weight: VoterResponse = g.query(QueryMsg::Voter {
        address: addr("erin").to_string(),
        proposal_id: Some(id),
    });
    assert_eq!(weight.weight, Some(Uint128::new(E30)));
}

#[test]
fn a_top_up_after_opening_changes_nothing() {
    // Four members with 100 each; after the proposal opens, bob
    // contributes 10,000 and votes: his vote counts 100.
    let mut g = Gov::new(VoteWeighting::FundBalance, pct(51));
    g.members(&[("alice", 100), ("bob", 100), ("carol", 100), ("dave", 100)]);
    let id = g.propose("alice").unwrap();
    g.next_block();
    g.fund.contribute(&addr("bob"), 10_000, g.height());
    g.next_block();
    let res = g.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(attr(&res, "weight"), "100");
    assert_eq!(g.ballot(id, "bob"), Some(Uint128::new(100)));
    assert_eq!(g.total(id), Uint128::new(400));
    assert_eq!(g.status(id), Status::Open, "200 of 400 is below 51 %");
    // A new proposal sees the new balance.
    let id2 = g.propose("bob").unwrap();
    assert_eq!(g.total(id2), Uint128::new(10_400));
    assert_eq!(g.votes(id2).yes, Uint128::new(10_100));
    assert_eq!(g.status(id2), Status::Passed);
}

#[test]
fn a_top_up_in_the_opening_block_does_not_count_either() {
    // Weights are those at the START of the opening block: a contribution
    // earlier in the same block is not in them.
    let mut g = Gov::new(VoteWeighting::FundBalance, pct(51));
    g.members(&[("alice", 100), ("bob", 100), ("carol", 100), ("dave", 100)]);
    g.fund.contribute(&addr("alice"), 10_000, g.height());
    let id = g.propose("alice").unwrap();
    let p = g.proposal(id);
    assert_eq!(
        (p.votes.yes, p.opening_total),
        (100u128.into(), 400u128.into())
    );
    assert_eq!(p.status, Status::Open);
}

#[test]
fn a_member_admitted_after_opening_cannot_vote_on_it() {
    for weighting in [VoteWeighting::OneMemberOneVote, VoteWeighting::FundBalance] {
        let mut g = Gov::new(weighting, pct(51));
        g.members(&[("alice", 100), ("bob", 100), ("carol", 100), ("dave", 100)]);
        let id = g.propose("alice").unwrap();
        // Admitted in the opening block, after the proposal: not in it.
        g.fund.admit(&addr("erin"), g.height());
        g.fund.contribute(&addr("erin"), 1_000, g.height());
        g.next_block();
        g.fund.admit(&addr("frank"), g.height());
        g.next_block();
        for late in ["erin", "frank"] {
            let err = g.refused(
                &addr(late),
                ExecuteMsg::Vote {
                    proposal_id: id,
                    vote: Vote::Yes,
                },
            );
            assert_eq!(
                err,
                ContractError::NotAVoterAtOpening {
                    id,
                    voter: addr(late).to_string(),
                    height: g.proposal(id).start_height,
                }
            );
        }
        // They vote on proposals opened after their admission.
        let id2 = g.propose("bob").unwrap();
        g.vote("erin", id2, Vote::Yes).unwrap();
    }
}

#[test]
fn the_same_tokens_never_vote_twice() {
    // bob votes with his 100, claims a withdrawal of them, and the tokens
    // reach carol's balance (she contributes them): carol votes with her
    // opening balance, not with bob's tokens.
    let mut g = Gov::new(VoteWeighting::FundBalance, pct(100));
    g.members(&[("alice", 100), ("bob", 100), ("carol", 0), ("dave", 100)]);
    let id = g.propose("alice").unwrap();
    g.vote("bob", id, Vote::Yes).unwrap();
    g.next_block();
    g.fund.withdraw(&addr("bob"), 100, g.height());
    g.fund.contribute(&addr("carol"), 100, g.height());
    g.next_block();
    let err = g.refused(
        &addr("carol"),
        ExecuteMsg::Vote {
            proposal_id: id,
            vote: Vote::Yes,
        },
    );
    assert_eq!(
        err,
        ContractError::NoVotingWeight {
            address: addr("carol").to_string(),
            height: g.proposal(id).start_height,
        }
    );
    // bob cannot vote again either.
    let err = g.refused(
        &addr("bob"),
        ExecuteMsg::Vote {
            proposal_id: id,
            vote: Vote::No,
        },
    );
    assert!(matches!(err, ContractError::AlreadyVoted { .. }), "{err}");
    // Ballots sum to what was voted, within the opening total.
    let p = g.proposal(id);
    assert_eq!(p.votes.yes, Uint128::new(200));
    assert_eq!(p.opening_total, Uint128::new(300));
    g.vote("dave", id, Vote::Yes).unwrap();
    let list: VoteListResponse = g.query(QueryMsg::ListVotes {
        proposal_id: id,
        start_after: None,
        limit: None,
    });
    let sum: Uint128 = list.votes.iter().map(|v| v.weight).sum();
    assert_eq!(sum, Uint128::new(300));
    assert!(sum <= g.total(id));
}

#[test]
fn a_withdrawal_after_opening_keeps_the_opening_weight() {
    let mut g = Gov::new(VoteWeighting::FundBalance, pct(51));
    g.members(&[("alice", 100), ("bob", 300)]);
    let id = g.propose("alice").unwrap();
    g.next_block();
    g.fund.withdraw(&addr("bob"), 250, g.height());
    g.next_block();
    let res = g.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(attr(&res, "weight"), "300");
    assert_eq!(g.status(id), Status::Passed);
}

#[test]
fn losses_before_the_opening_count_losses_after_do_not() {
    let mut g = Gov::new(VoteWeighting::FundBalance, pct(51));
    g.members(&[("alice", 300), ("bob", 300), ("carol", 300), ("dave", 100)]);
    // dave defaults; the three survivors (900) lose 300 pro rata: 200 each.
    g.fund.default(&addr("dave"), 300, g.height());
    g.next_block();
    let id = g.propose("alice").unwrap();
    let p = g.proposal(id);
    assert_eq!(p.opening_total, Uint128::new(600));
    assert_eq!(p.votes.yes, Uint128::new(200));
    assert_eq!(p.fund_head, 1);
    // A loss after the opening (erin was admitted before it).
    g.next_block();
    g.fund.admit(&addr("erin"), g.height());
    g.fund.default(&addr("carol"), 200, g.height());
    g.next_block();
    assert_eq!(g.fund.balance(&addr("bob")), 100);
    let res = g.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(attr(&res, "weight"), "200");
    assert_eq!(g.status(id), Status::Passed);
}

#[test]
fn exact_stakes_round_down_once() {
    // Three balances of 100 lose 100 of 300: 66.67 each, a weight of 66
    // (rounded down once); the total is the pool (200), not the sum of
    // the rounded weights.
    let mut g = Gov::new(VoteWeighting::FundBalance, pct(51));
    g.members(&[("alice", 100), ("bob", 100), ("carol", 100), ("dave", 50)]);
    g.fund.default(&addr("dave"), 100, g.height());
    g.next_block();
    let id = g.propose("alice").unwrap();
    let p = g.proposal(id);
    assert_eq!(p.votes.yes, Uint128::new(66));
    assert_eq!(p.opening_total, Uint128::new(200));
    g.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(g.status(id), Status::Passed, "132 of 200 is 66 %");
}

#[test]
fn a_member_in_breach_keeps_its_vote_and_counts() {
    for weighting in [VoteWeighting::OneMemberOneVote, VoteWeighting::FundBalance] {
        let mut g = Gov::new(weighting, pct(75));
        g.members(&[("alice", 100), ("bob", 100), ("carol", 100), ("dave", 100)]);
        g.fund.breach(&addr("dave"));
        g.next_block();
        let id = g.propose("dave").unwrap();
        let total = g.total(id);
        assert_eq!(
            total,
            match weighting {
                VoteWeighting::OneMemberOneVote => Uint128::new(4),
                VoteWeighting::FundBalance => Uint128::new(400),
            }
        );
        g.vote("alice", id, Vote::Yes).unwrap();
        assert_eq!(g.status(id), Status::Open);
        g.vote("bob", id, Vote::Yes).unwrap();
        assert_eq!(g.status(id), Status::Passed);
    }
}

#[test]
fn suspended_and_exiting_members_neither_vote_nor_count() {
    for weighting in [VoteWeighting::OneMemberOneVote, VoteWeighting::FundBalance] {
        let mut g = Gov::new(weighting, pct(51));
        g.members(&[("alice", 100), ("bob", 100), ("carol", 100), ("dave", 100)]);
        g.fund.suspend(&addr("carol"), g.height());
        g.fund
            .give_notice(&addr("dave"), g.height(), g.env.block.time);
        g.next_block();
        for out in ["carol", "dave"] {
            let err = g.refused(&addr(out), Gov::propose_msg(None));
            assert_eq!(
                err,
                ContractError::NotAVoter {
                    address: addr(out).to_string(),
                    height: g.height(),
                }
            );
        }
        let id = g.propose("alice").unwrap();
        assert_eq!(
            g.total(id),
            match weighting {
                VoteWeighting::OneMemberOneVote => Uint128::new(2),
                VoteWeighting::FundBalance => Uint128::new(200),
            }
        );
        for out in ["carol", "dave"] {
            let err = g.refused(
                &addr(out),
                ExecuteMsg::Vote {
                    proposal_id: id,
                    vote: Vote::No,
                },
            );
            assert!(
                matches!(err, ContractError::NotAVoterAtOpening { .. }),
                "{err}"
            );
        }
        // Lifting the suspension after the opening does not bring carol in.
        g.fund.unsuspend(&addr("carol"), g.height());
        g.next_block();
        let err = g.refused(
            &addr("carol"),
            ExecuteMsg::Vote {
                proposal_id: id,
                vote: Vote::No,
            },
        );
        assert!(
            matches!(err, ContractError::NotAVoterAtOpening { .. }),
            "{err}"
        );
        g.vote("bob", id, Vote::Yes).unwrap();
        assert_eq!(g.status(id), Status::Passed);
    }
}

/// A suspension after the opening changes nothing on that proposal: the
/// member votes with its opening weight, and nobody can take that weight
/// out (else the risk engine could turn any vote by suspending voters:
/// the second audit). A notice given after the opening (in a later block)
/// keeps the opening vote too.
#[test]
fn a_suspension_after_the_opening_keeps_the_opening_vote() {
    let mut g = Gov::new(VoteWeighting::OneMemberOneVote, pct(51));
    g.members(&[("alice", 100), ("bob", 100), ("carol", 100)]);
    let id = g.propose("alice").unwrap();
    g.fund.suspend(&addr("bob"), g.height());
    g.next_block();
    g.fund
        .give_notice(&addr("carol"), g.height(), g.env.block.time);
    g.next_block();
    g.vote("carol", id, Vote::No).unwrap();
    for name in ["bob", "carol"] {
        let err = g.refused(
            &addr("keeper"),
            ExecuteMsg::DiscountVote {
                proposal_id: id,
                voter: addr(name).to_string(),
            },
        );
        assert!(
            matches!(err, ContractError::VoterNotDefaulted { .. }),
            "{name}: {err}"
        );
    }
    // bob votes, suspended, with its opening weight: 2 yes of 3 pass.
    g.vote("bob", id, Vote::Yes).unwrap();
    let p = g.proposal(id);
    assert_eq!(
        (p.votes.yes, p.total_weight),
        (Uint128::new(2), Uint128::new(3))
    );
    assert_eq!(p.status, Status::Passed);
}

/// A member suspended after voting: its ballot stands, and the proposal it
/// carried stays passed.
#[test]
fn a_suspended_members_ballot_stands() {
    let mut g = Gov::new(VoteWeighting::OneMemberOneVote, pct(51));
    g.members(&[("alice", 100), ("bob", 100), ("carol", 100)]);
    let id = g.propose("alice").unwrap();
    g.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(g.status(id), Status::Passed);
    g.fund.suspend(&addr("bob"), g.height());
    g.next_block();
    let err = g.refused(
        &addr("keeper"),
        ExecuteMsg::DiscountVote {
            proposal_id: id,
            voter: addr("bob").to_string(),
        },
    );
    assert!(
        matches!(err, ContractError::VoterNotDefaulted { .. }),
        "{err}"
    );
    assert_eq!(g.status(id), Status::Passed);
}

/// A notice to exit in the opening block, after the snapshot: the member
/// may not vote, and anyone may take its weight out (SPEC v2 §8).
#[test]
fn a_notice_in_the_opening_block_takes_the_vote_away() {
    let mut g = Gov::new(VoteWeighting::OneMemberOneVote, pct(51));
    g.members(&[("alice", 100), ("bob", 100), ("carol", 100)]);
    let id = g.propose("alice").unwrap();
    g.fund
        .give_notice(&addr("carol"), g.height(), g.env.block.time);
    let err = g.refused(
        &addr("carol"),
        ExecuteMsg::Vote {
            proposal_id: id,
            vote: Vote::No,
        },
    );
    assert_eq!(
        err,
        ContractError::Defaulted {
            address: addr("carol").to_string(),
            status: "exiting".to_string()
        }
    );
    let res = g.discount(id, "carol").unwrap();
    assert_eq!(attr(&res, "weight"), "1");
    assert_eq!(g.proposal(id).total_weight, Uint128::new(2));
}

/// Four members, all yes needed: a defaulter's weight must leave the
/// total for the survivors to pass anything.
fn unanimous(weighting: VoteWeighting) -> Gov {
    let mut g = Gov::new(weighting, pct(100));
    g.members(&[("alice", 100), ("bob", 100), ("carol", 100), ("dave", 100)]);
    g
}

#[test]
fn a_defaulters_vote_is_taken_back_and_leaves_the_total() {
    for weighting in [VoteWeighting::OneMemberOneVote, VoteWeighting::FundBalance] {
        let mut g = unanimous(weighting);
        let unit = match weighting {
            VoteWeighting::OneMemberOneVote => 1u128,
            VoteWeighting::FundBalance => 100,
        };
        let id = g.propose("alice").unwrap();
        g.vote("dave", id, Vote::No).unwrap();
        g.next_block();
        g.fund.default(&addr("dave"), 0, g.height());
        g.next_block();
        g.vote("bob", id, Vote::Yes).unwrap();
        g.vote("carol", id, Vote::Yes).unwrap();
        assert_eq!(g.status(id), Status::Open, "dave's no still counts");
        let res = g.discount(id, "dave").unwrap();
        assert_eq!(attr(&res, "weight"), unit.to_string());
        assert_eq!(attr(&res, "vote"), "no");
        let p = g.proposal(id);
        assert_eq!(p.total_weight, Uint128::new(3 * unit));
        assert_eq!(p.opening_total, Uint128::new(4 * unit));
        assert_eq!(p.votes.no, Uint128::zero());
        assert_eq!(p.status, Status::Passed, "every survivor supports it");
        assert_eq!(p.passed_at, Some(g.env.block.time));
        assert_eq!(g.ballot(id, "dave"), None);
        let d: DiscountListResponse = g.query(QueryMsg::ListDiscounts {
            proposal_id: id,
            start_after: None,
            limit: None,
        });
        assert_eq!(d.discounts.len(), 1);
        assert_eq!(d.discounts[0].vote, Some(Vote::No));
        assert_eq!(d.discounts[0].weight, Uint128::new(unit));
    }
}

#[test]
fn a_defaulter_who_did_not_vote_leaves_the_total() {
    for weighting in [VoteWeighting::OneMemberOneVote, VoteWeighting::FundBalance] {
        let mut g = unanimous(weighting);
        let id = g.propose("alice").unwrap();
        g.vote("bob", id, Vote::Yes).unwrap();
        g.next_block();
        // dave defaults, a loss spread over the survivors after the
        // opening: weights stay those at the opening.
        g.fund.default(&addr("dave"), 30, g.height());
        g.next_block();
        g.vote("carol", id, Vote::Yes).unwrap();
        assert_eq!(g.status(id), Status::Open);
        let res = g.discount(id, "dave").unwrap();
        assert_eq!(attr(&res, "vote"), "none");
        assert_eq!(g.status(id), Status::Passed);
        let v = g.votes(id);
        assert_eq!(v.yes, g.total(id));
    }
}

#[test]
fn a_closed_default_is_still_a_defaulter() {
    let mut g = unanimous(VoteWeighting::OneMemberOneVote);
    let id = g.propose("alice").unwrap();
    g.fund.default(&addr("dave"), 0, g.height());
    g.fund.close_default(&addr("dave"));
    g.next_block();
    g.discount(id, "dave").unwrap();
    assert_eq!(g.total(id), Uint128::new(3));
}

#[test]
fn a_discount_once_per_voter_and_proposal() {
    let mut g = unanimous(VoteWeighting::FundBalance);
    let id = g.propose("alice").unwrap();
    let id2 = g.propose("bob").unwrap();
    g.vote("dave", id, Vote::Yes).unwrap();
    g.fund.default(&addr("dave"), 0, g.height());
    g.next_block();
    g.discount(id, "dave").unwrap();
    let err = g.refused(
        &addr("keeper"),
        ExecuteMsg::DiscountVote {
            proposal_id: id,
            voter: addr("dave").to_string(),
        },
    );
    assert_eq!(
        err,
        ContractError::AlreadyDiscounted {
            id,
            voter: addr("dave").to_string(),
            weight: Uint128::new(100),
        }
    );
    // A defaulter cannot vote, before or after its discount.
    for p in [id, id2] {
        let err = g.refused(
            &addr("dave"),
            ExecuteMsg::Vote {
                proposal_id: p,
                vote: Vote::Yes,
            },
        );
        assert!(
            matches!(
                err,
                ContractError::AlreadyDiscounted { .. } | ContractError::Defaulted { .. }
            ),
            "{err}"
        );
    }
    // The other proposal is discounted on its own.
    g.discount(id2, "dave").unwrap();
    assert_eq!(g.total(id2), Uint128::new(300));
}

#[test]
fn only_a_defaulter_with_an_opening_weight_is_discounted() {
    let mut g = unanimous(VoteWeighting::FundBalance);
    g.fund.default(&addr("dave"), 0, g.height());
    g.next_block();
    let id = g.propose("alice").unwrap();
    assert_eq!(g.total(id), Uint128::new(300));
    let err = g.refused(
        &addr("keeper"),
        ExecuteMsg::DiscountVote {
            proposal_id: id,
            voter: addr("dave").to_string(),
        },
    );
    assert_eq!(
        err,
        ContractError::NothingToDiscount {
            id,
            voter: addr("dave").to_string(),
            height: g.proposal(id).start_height,
        }
    );
    for (who, status) in [("bob", "active"), ("stranger", "not_a_member")] {
        let err = g.refused(
            &addr("keeper"),
            ExecuteMsg::DiscountVote {
                proposal_id: id,
                voter: addr(who).to_string(),
            },
        );
        assert_eq!(
            err,
            ContractError::VoterNotDefaulted {
                voter: addr(who).to_string(),
                status: status.to_string(),
            }
        );
    }
    g.fund.breach(&addr("bob"));
    let err = g.refused(
        &addr("keeper"),
        ExecuteMsg::DiscountVote {
            proposal_id: id,
            voter: addr("bob").to_string(),
        },
    );
    assert!(matches!(err, ContractError::VoterNotDefaulted { .. }));
}

#[test]
fn a_defaulter_cannot_propose() {
    let mut g = unanimous(VoteWeighting::OneMemberOneVote);
    // Defaulted earlier in this block: the snapshot still has dave as a
    // voter, his record does not.
    g.fund.default(&addr("dave"), 0, g.height());
    let err = g.refused(&addr("dave"), Gov::propose_msg(None));
    assert_eq!(
        err,
        ContractError::Defaulted {
            address: addr("dave").to_string(),
            status: "defaulted".to_string(),
        }
    );
}

#[test]
fn the_discount_itself_can_pass_a_proposal() {
    let mut g = unanimous(VoteWeighting::OneMemberOneVote);
    let id = g.propose("alice").unwrap();
    g.vote("bob", id, Vote::Yes).unwrap();
    g.vote("carol", id, Vote::Yes).unwrap();
    g.fund.default(&addr("dave"), 0, g.height());
    g.next_block();
    assert_eq!(g.status(id), Status::Open);
    let res = g.discount(id, "dave").unwrap();
    assert_eq!(attr(&res, "status"), "passed");
}

#[test]
fn one_member_one_vote_counts_members_not_balances() {
    let mut g = Gov::new(VoteWeighting::OneMemberOneVote, pct(51));
    g.members(&[("alice", E30), ("bob", 0), ("carol", 1)]);
    let id = g.propose("bob").unwrap();
    assert_eq!(g.total(id), Uint128::new(3));
    assert_eq!(g.votes(id).yes, Uint128::one());
    g.vote("carol", id, Vote::Yes).unwrap();
    assert_eq!(g.status(id), Status::Passed);
}

#[test]
fn a_member_without_a_balance_has_no_weight_by_balance() {
    let mut g = Gov::new(VoteWeighting::FundBalance, pct(51));
    g.members(&[("alice", 100), ("bob", 0)]);
    let err = g.refused(&addr("bob"), Gov::propose_msg(None));
    assert_eq!(
        err,
        ContractError::NoVotingWeight {
            address: addr("bob").to_string(),
            height: g.height(),
        }
    );
}

#[test]
fn vote_and_propose_read_the_fund_at_constant_cost() {
    // The number of raw reads of a vote does not grow with the number of
    // members or of open proposals.
    let mut counts = vec![];
    for (members, open) in [(5usize, 1usize), (300, 1), (5, 40)] {
        let mut g = Gov::new(VoteWeighting::FundBalance, pct(100));
        let names: Vec<String> = (0..members).map(|i| format!("m{i}")).collect();
        let list: Vec<(&str, u128)> = names.iter().map(|n| (n.as_str(), 100)).collect();
        g.members(&list);
        for _ in 0..open {
            g.propose("m0").unwrap();
        }
        g.next_block();
        let (propose, id) = g.reads_of(|g| g.propose("m1").unwrap());
        let (vote, _) = g.reads_of(|g| g.vote("m2", id, Vote::Yes).unwrap());
        counts.push((propose, vote));
    }
    assert!(counts.windows(2).all(|w| w[0] == w[1]), "{counts:?}");
    // propose: pool, proposer's voter record, its member record; vote:
    // the voter's record and its member record.
    assert_eq!(counts[0], (3, 2));
}
