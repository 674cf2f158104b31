//! Every refusal is a typed error and changes nothing (SPEC v2 §4 "Access",
//! "Bad input"): funds sent with any message, unknown proposals, invalid
//! addresses, malformed proposals, the wrong sender.

use clearing_types::governance::{Threshold, Vote, VoteWeighting};
use cosmwasm_std::{coins, Decimal, Uint128};
use cw_utils::PaymentError;

use super::*;

/// Every execute message, as someone may try it.
fn every_message(g: &Gov, id: u64) -> Vec<ExecuteMsg> {
    vec![
        Gov::propose_msg(None),
        ExecuteMsg::Vote {
            proposal_id: id,
            vote: Vote::Yes,
        },
        ExecuteMsg::Execute { proposal_id: id },
        ExecuteMsg::Close { proposal_id: id },
        ExecuteMsg::DiscountVote {
            proposal_id: id,
            voter: addr("dave").to_string(),
        },
        ExecuteMsg::Veto { proposal_id: id },
        ExecuteMsg::Pause {},
        ExecuteMsg::Unpause {},
        ExecuteMsg::Shutdown {},
        ExecuteMsg::UpdateConfig {
            threshold: None,
            voting_period: None,
            min_timelock: None,
            execution_window: None,
            weighting: None,
        },
        ExecuteMsg::SetGuardian {
            guardian: Some(g.guardian.to_string()),
        },
    ]
}

fn gov() -> (Gov, u64) {
    let mut g = Gov::new(VoteWeighting::FundBalance, pct(51));
    g.members(&[("alice", 100), ("bob", 100), ("carol", 100), ("dave", 100)]);
    let id = g.propose("alice").unwrap();
    g.next_block();
    (g, id)
}

#[test]
fn funds_sent_with_any_message_are_refused() {
    let (mut g, id) = gov();
    let senders = [addr("alice"), g.guardian.clone(), g.me(), addr("keeper")];
    for msg in every_message(&g, id) {
        for sender in &senders {
            let before = g.dump();
            let err = contract::execute(
                g.deps.as_mut(),
                g.env.clone(),
                message_info(sender, &coins(1, "uusd")),
                msg.clone(),
            )
            .unwrap_err();
            assert_eq!(
                err,
                ContractError::Payment(PaymentError::NonPayable {}),
                "{msg:?} from {sender}"
            );
            assert_eq!(before, g.dump());
        }
    }
}

#[test]
fn unknown_proposals_are_refused() {
    let (mut g, _) = gov();
    let guardian = g.guardian.clone();
    for id in [0, 2, u64::MAX] {
        for (sender, msg) in [
            (
                addr("bob"),
                ExecuteMsg::Vote {
                    proposal_id: id,
                    vote: Vote::Yes,
                },
            ),
            (addr("keeper"), ExecuteMsg::Execute { proposal_id: id }),
            (addr("keeper"), ExecuteMsg::Close { proposal_id: id }),
            (
                addr("keeper"),
                ExecuteMsg::DiscountVote {
                    proposal_id: id,
                    voter: addr("dave").to_string(),
                },
            ),
            (guardian.clone(), ExecuteMsg::Veto { proposal_id: id }),
        ] {
            assert_eq!(
                g.refused(&sender, msg),
                ContractError::UnknownProposal { id }
            );
        }
    }
}

#[test]
fn malformed_proposals_and_addresses_are_refused() {
    let (mut g, id) = gov();
    let alice = addr("alice");
    let propose = |title: &str, msgs: Vec<CosmosMsg>| ExecuteMsg::Propose {
        title: title.to_string(),
        description: String::new(),
        msgs,
        latest: None,
        timelock: None,
    };
    assert_eq!(
        g.refused(&alice, propose("t", vec![])),
        ContractError::EmptyProposal {}
    );
    assert_eq!(
        g.refused(&alice, propose("  ", vec![payload()])),
        ContractError::EmptyTitle {}
    );
    for bad in ["", "not an address", "COSMWASM1UPPER"] {
        let err = g.refused(
            &addr("keeper"),
            ExecuteMsg::DiscountVote {
                proposal_id: id,
                voter: bad.to_string(),
            },
        );
        assert!(matches!(err, ContractError::Std(_)), "{bad}: {err}");
        let me = g.me();
        let err = g.refused(
            &me,
            ExecuteMsg::SetGuardian {
                guardian: Some(bad.to_string()),
            },
        );
        assert!(matches!(err, ContractError::Std(_)), "{bad}: {err}");
    }
}

#[test]
fn strangers_neither_propose_nor_vote() {
    let (mut g, id) = gov();
    let stranger = addr("stranger");
    assert_eq!(
        g.refused(&stranger, Gov::propose_msg(None)),
        ContractError::NotAVoter {
            address: stranger.to_string(),
            height: g.height(),
        }
    );
    assert_eq!(
        g.refused(
            &stranger,
            ExecuteMsg::Vote {
                proposal_id: id,
                vote: Vote::No,
            }
        ),
        ContractError::NotAVoterAtOpening {
            id,
            voter: stranger.to_string(),
            height: g.proposal(id).start_height,
        }
    );
    // The proposer already voted yes.
    assert_eq!(
        g.refused(
            &addr("alice"),
            ExecuteMsg::Vote {
                proposal_id: id,
                vote: Vote::No,
            }
        ),
        ContractError::AlreadyVoted {
            id,
            voter: addr("alice").to_string(),
            vote: "yes".to_string(),
            weight: Uint128::new(100),
        }
    );
}

#[test]
fn only_a_proposal_changes_the_rules() {
    let (mut g, _) = gov();
    let guardian = g.guardian.clone();
    let update = ExecuteMsg::UpdateConfig {
        threshold: Some(pct(60)),
        voting_period: None,
        min_timelock: None,
        execution_window: None,
        weighting: None,
    };
    for sender in [addr("alice"), guardian, addr("deployer"), addr("fund")] {
        let err = g.refused(&sender, update.clone());
        assert_eq!(
            err,
            ContractError::Unauthorized {
                action: "change the rules of voting (only a passed proposal may)".to_string(),
                sender: sender.to_string(),
            }
        );
    }
    let me = g.me();
    for (threshold, expected) in [
        (
            Threshold::ThresholdQuorum {
                threshold: Decimal::percent(40),
                quorum: Decimal::percent(20),
            },
            ContractError::InvalidFraction {
                field: "threshold".to_string(),
                value: Decimal::percent(40),
                min: Decimal::percent(50),
                max: Decimal::one(),
            },
        ),
        (
            Threshold::ThresholdQuorum {
                threshold: Decimal::percent(60),
                quorum: Decimal::percent(120),
            },
            ContractError::InvalidFraction {
                field: "quorum".to_string(),
                value: Decimal::percent(120),
                min: Decimal::zero(),
                max: Decimal::one(),
            },
        ),
    ] {
        let err = g.refused(
            &me,
            ExecuteMsg::UpdateConfig {
                threshold: Some(threshold),
                voting_period: None,
                min_timelock: None,
                execution_window: None,
                weighting: None,
            },
        );
        assert_eq!(err, expected);
    }
    let err = g.refused(
        &me,
        ExecuteMsg::UpdateConfig {
            threshold: None,
            voting_period: None,
            min_timelock: None,
            execution_window: Some(MAX_PERIOD_PLUS_ONE),
            weighting: None,
        },
    );
    assert!(matches!(err, ContractError::InvalidPeriod { .. }), "{err}");
}

const MAX_PERIOD_PLUS_ONE: u64 = crate::config::MAX_PERIOD + 1;

#[test]
fn a_snapshot_that_would_count_tokens_twice_is_refused() {
    // Should the fund ever give voters more than the total it recorded,
    // the ballot that would push the tally past the total is refused.
    let mut g = Gov::new(VoteWeighting::FundBalance, pct(100));
    g.members(&[("alice", 100), ("bob", 100)]);
    // Tamper with the pool: D of 150 for balances of 200.
    let h = g.height();
    let mut pool = g.fund.pool();
    pool.total = Uint128::new(150);
    pool.changed_at = h;
    clearing_types::fund_storage::POOL
        .save(&mut *g.fund.store.borrow_mut(), &pool, h)
        .unwrap();
    g.next_block();
    let id = g.propose("alice").unwrap();
    let err = g.refused(
        &addr("bob"),
        ExecuteMsg::Vote {
            proposal_id: id,
            vote: Vote::Yes,
        },
    );
    assert_eq!(
        err,
        ContractError::WeightBeyondTotal {
            id,
            weight: Uint128::new(100),
            remaining: Uint128::new(50),
            total: Uint128::new(150),
        }
    );
}
