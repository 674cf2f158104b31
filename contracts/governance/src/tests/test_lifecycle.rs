//! A proposal's life (SPEC v2 §5): threshold and quorum, the timelock and
//! its governance-set minimum, the execution window, the guardian's veto,
//! closing, the rules of voting, pause and shutdown (also by `sudo`),
//! migration.

use clearing_types::governance::{
    ConfigResponse, QueryMsg, Status, SudoMsg, Threshold, ThresholdResponse, TimelockResponse,
    Vote, VoteWeighting,
};
use cosmwasm_std::{Decimal, Timestamp, Uint128};
use cw_utils::{Duration, Expiration};

use super::*;
use crate::config::MAX_PERIOD;

fn omov(threshold: Threshold, n: usize) -> Gov {
    let mut g = Gov::new(VoteWeighting::OneMemberOneVote, threshold);
    let names: Vec<String> = NAMES[..n].iter().map(|s| s.to_string()).collect();
    let list: Vec<(&str, u128)> = names.iter().map(|n| (n.as_str(), 100)).collect();
    g.members(&list);
    g
}

const NAMES: [&str; 10] = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
];

fn quorum() -> Threshold {
    Threshold::ThresholdQuorum {
        threshold: Decimal::percent(60),
        quorum: Decimal::percent(40),
    }
}

/// Four members, 51 %: alice, bob and carol pass a proposal now.
fn passed() -> (Gov, u64, Timestamp) {
    let mut g = omov(pct(51), 4);
    let id = g.propose("alice").unwrap();
    g.vote("bob", id, Vote::Yes).unwrap();
    g.vote("carol", id, Vote::Yes).unwrap();
    assert_eq!(g.status(id), Status::Passed);
    let at = g.env.block.time;
    (g, id, at)
}

#[test]
fn threshold_quorum_passes_at_the_end_of_voting() {
    let mut g = omov(quorum(), 10);
    let id = g.propose("alice").unwrap();
    g.vote("bob", id, Vote::Yes).unwrap();
    g.vote("carol", id, Vote::Yes).unwrap();
    g.vote("dave", id, Vote::No).unwrap();
    // 3 of 10 is short of 60 % of everyone who may still vote.
    assert_eq!(g.status(id), Status::Open);
    g.advance(VOTING_PERIOD);
    // Quorum 4 of 10 met; 3 of 4 opinions is 75 % ≥ 60 %.
    let p = g.proposal(id);
    assert_eq!(p.status, Status::Passed);
    let expires = match p.expires {
        Expiration::AtTime(t) => t,
        e => panic!("{e:?}"),
    };
    assert_eq!(p.passed_at, Some(expires));
    assert_eq!(p.executable_at, Some(expires.plus_seconds(MIN_TIMELOCK)));
    g.advance(MIN_TIMELOCK);
    g.execute(id).unwrap();
    assert_eq!(g.status(id), Status::Executed);
}

#[test]
fn threshold_quorum_fails_on_quorum() {
    let mut g = omov(quorum(), 10);
    let id = g.propose("alice").unwrap();
    g.vote("bob", id, Vote::Yes).unwrap();
    g.vote("carol", id, Vote::Yes).unwrap();
    g.advance(VOTING_PERIOD);
    // 3 of 3 opinions, but 3 votes are short of the quorum of 4.
    assert_eq!(g.status(id), Status::Rejected);
    let err = g.refused(&addr("keeper"), ExecuteMsg::Execute { proposal_id: id });
    assert_eq!(
        err,
        ContractError::NotPassed {
            id,
            status: "rejected".to_string()
        }
    );
}

#[test]
fn threshold_quorum_fails_on_threshold() {
    let mut g = omov(quorum(), 10);
    let id = g.propose("alice").unwrap();
    g.vote("bob", id, Vote::Yes).unwrap();
    for no in ["carol", "dave", "erin"] {
        g.vote(no, id, Vote::No).unwrap();
    }
    g.advance(VOTING_PERIOD);
    // Quorum 5 of 10 met; 2 of 5 opinions is 40 % < 60 %.
    assert_eq!(g.status(id), Status::Rejected);
}

#[test]
fn threshold_quorum_passes_early_with_enough_yes() {
    let mut g = omov(quorum(), 10);
    let id = g.propose("alice").unwrap();
    for yes in ["bob", "carol", "dave", "erin"] {
        assert_eq!(g.status(id), Status::Open);
        g.vote(yes, id, Vote::Yes).unwrap();
    }
    assert_eq!(g.status(id), Status::Open, "5 of 10 < 60 %");
    g.vote("frank", id, Vote::Yes).unwrap();
    assert_eq!(g.status(id), Status::Passed);
    assert_eq!(g.proposal(id).passed_at, Some(g.env.block.time));
}

#[test]
fn threshold_quorum_counts_abstentions_for_the_quorum_only() {
    let mut g = omov(quorum(), 10);
    let id = g.propose("alice").unwrap();
    for a in ["bob", "carol", "dave"] {
        g.vote(a, id, Vote::Abstain).unwrap();
    }
    g.advance(VOTING_PERIOD);
    assert_eq!(g.status(id), Status::Passed, "quorum 4, 1 of 1 opinion");
}

#[test]
fn execution_waits_for_the_timelock_and_ends_with_the_window() {
    let (mut g, id, passed_at) = passed();
    let until = passed_at.plus_seconds(MIN_TIMELOCK);
    let err = g.refused(&addr("keeper"), ExecuteMsg::Execute { proposal_id: id });
    assert_eq!(err, ContractError::Timelocked { id, until });
    g.advance(MIN_TIMELOCK - 1);
    let err = g.refused(&addr("keeper"), ExecuteMsg::Execute { proposal_id: id });
    assert_eq!(err, ContractError::Timelocked { id, until });
    // The last second of the window.
    g.advance(EXECUTION_WINDOW);
    assert_eq!(g.status(id), Status::Passed);
    let t: TimelockResponse = g.query(QueryMsg::Timelock { proposal_id: id });
    assert_eq!(
        t,
        TimelockResponse {
            timelock: MIN_TIMELOCK,
            passed_at: Some(passed_at),
            executable_at: Some(until),
            execution_deadline: Some(until.plus_seconds(EXECUTION_WINDOW)),
            vetoed: false,
        }
    );
    let res = g.execute(id).unwrap();
    assert_eq!(sent(&res), vec![sent_payload()]);
    assert_eq!(g.status(id), Status::Executed);
    let err = g.refused(&addr("keeper"), ExecuteMsg::Execute { proposal_id: id });
    assert_eq!(err, ContractError::AlreadyExecuted { id });
}

fn sent_payload() -> (String, String) {
    (
        addr("vault").to_string(),
        "{\"set_pause\":{\"paused\":true}}".to_string(),
    )
}

#[test]
fn a_passed_proposal_not_executed_within_its_window_expires() {
    let (mut g, id, passed_at) = passed();
    g.advance(MIN_TIMELOCK + EXECUTION_WINDOW);
    assert_eq!(g.status(id), Status::Expired);
    let deadline = passed_at.plus_seconds(MIN_TIMELOCK + EXECUTION_WINDOW);
    let err = g.refused(&addr("keeper"), ExecuteMsg::Execute { proposal_id: id });
    assert_eq!(err, ContractError::ExecutionExpired { id, deadline });
    // Nor vetoed, nor closed.
    let guardian = g.guardian.clone();
    let err = g.refused(&guardian, ExecuteMsg::Veto { proposal_id: id });
    assert!(matches!(err, ContractError::TimelockOver { .. }), "{err}");
    let err = g.refused(&addr("keeper"), ExecuteMsg::Close { proposal_id: id });
    assert!(matches!(err, ContractError::CannotClose { .. }), "{err}");
    g.advance(100 * DAY);
    assert_eq!(g.status(id), Status::Expired);
}

#[test]
fn a_proposal_may_ask_for_a_longer_timelock_never_a_shorter_one() {
    let mut g = omov(pct(51), 2);
    let err = g.refused(&addr("alice"), Gov::propose_msg(Some(MIN_TIMELOCK - 1)));
    assert_eq!(
        err,
        ContractError::TimelockBelowMinimum {
            requested: MIN_TIMELOCK - 1,
            minimum: MIN_TIMELOCK,
        }
    );
    let err = g.refused(&addr("alice"), Gov::propose_msg(Some(0)));
    assert!(matches!(err, ContractError::TimelockBelowMinimum { .. }));
    let err = g.refused(&addr("alice"), Gov::propose_msg(Some(MAX_PERIOD + 1)));
    assert_eq!(
        err,
        ContractError::InvalidPeriod {
            field: "timelock".to_string(),
            seconds: MAX_PERIOD + 1,
            max: MAX_PERIOD,
        }
    );
    let res = g
        .exec(&addr("alice"), Gov::propose_msg(Some(MIN_TIMELOCK + DAY)))
        .unwrap();
    let id: u64 = attr(&res, "proposal_id").parse().unwrap();
    g.vote("bob", id, Vote::Yes).unwrap();
    let passed_at = g.env.block.time;
    g.advance(MIN_TIMELOCK);
    let err = g.refused(&addr("keeper"), ExecuteMsg::Execute { proposal_id: id });
    assert_eq!(
        err,
        ContractError::Timelocked {
            id,
            until: passed_at.plus_seconds(MIN_TIMELOCK + DAY)
        }
    );
    // The guardian can still veto.
    let guardian = g.guardian.clone();
    g.exec(&guardian, ExecuteMsg::Veto { proposal_id: id })
        .unwrap();
    assert_eq!(g.status(id), Status::Vetoed);
}

#[test]
fn governance_sets_the_minimum_timelock() {
    let mut g = omov(pct(51), 2);
    let me = g.me();
    let update = |min_timelock| ExecuteMsg::UpdateConfig {
        threshold: None,
        voting_period: None,
        min_timelock: Some(min_timelock),
        execution_window: None,
        weighting: None,
    };
    let err = g.refused(&addr("alice"), update(DAY));
    assert!(matches!(err, ContractError::Unauthorized { .. }), "{err}");
    let err = g.refused(&me, update(0));
    assert_eq!(
        err,
        ContractError::InvalidPeriod {
            field: "min_timelock".to_string(),
            seconds: 0,
            max: MAX_PERIOD,
        }
    );
    let open = g.propose("alice").unwrap();
    g.exec(&me, update(5 * DAY)).unwrap();
    let c: ConfigResponse = g.query(QueryMsg::Config {});
    assert_eq!(c.min_timelock, 5 * DAY);
    // The open proposal keeps the timelock it opened with.
    assert_eq!(g.proposal(open).timelock, MIN_TIMELOCK);
    let err = g.refused(&addr("alice"), Gov::propose_msg(Some(MIN_TIMELOCK)));
    assert!(matches!(
        err,
        ContractError::TimelockBelowMinimum { minimum, .. } if minimum == 5 * DAY
    ));
    let id = g.propose("bob").unwrap();
    assert_eq!(g.proposal(id).timelock, 5 * DAY);
}

#[test]
fn the_guardian_vetoes_during_the_timelock_only() {
    let (mut g, id, passed_at) = passed();
    let guardian = g.guardian.clone();
    let err = g.refused(&addr("alice"), ExecuteMsg::Veto { proposal_id: id });
    assert_eq!(
        err,
        ContractError::Unauthorized {
            action: "veto a proposal".to_string(),
            sender: addr("alice").to_string(),
        }
    );
    g.advance(MIN_TIMELOCK - 1);
    g.exec(&guardian, ExecuteMsg::Veto { proposal_id: id })
        .unwrap();
    assert_eq!(g.status(id), Status::Vetoed);
    let t: TimelockResponse = g.query(QueryMsg::Timelock { proposal_id: id });
    assert!(t.vetoed);
    assert_eq!(t.passed_at, Some(passed_at));
    g.advance(1);
    let err = g.refused(&addr("keeper"), ExecuteMsg::Execute { proposal_id: id });
    assert_eq!(err, ContractError::Vetoed { id });
    let err = g.refused(&guardian, ExecuteMsg::Veto { proposal_id: id });
    assert_eq!(
        err,
        ContractError::NotPassed {
            id,
            status: "vetoed".to_string()
        }
    );

    // After the timelock: too late.
    let (mut g, id, passed_at) = passed();
    g.advance(MIN_TIMELOCK);
    let err = g.refused(&guardian, ExecuteMsg::Veto { proposal_id: id });
    assert_eq!(
        err,
        ContractError::TimelockOver {
            id,
            ended: passed_at.plus_seconds(MIN_TIMELOCK)
        }
    );
    // Before passing: nothing to veto.
    let id2 = g.propose("alice").unwrap();
    let err = g.refused(&guardian, ExecuteMsg::Veto { proposal_id: id2 });
    assert_eq!(
        err,
        ContractError::NotPassed {
            id: id2,
            status: "open".to_string()
        }
    );
}

#[test]
fn voting_ends_with_the_period_or_when_it_passes() {
    let (mut g, id, _) = passed();
    let err = g.refused(
        &addr("dave"),
        ExecuteMsg::Vote {
            proposal_id: id,
            vote: Vote::No,
        },
    );
    assert!(
        matches!(&err, ContractError::VotingClosed { status, .. } if status == "passed"),
        "{err}"
    );
    let id2 = g.propose("alice").unwrap();
    g.advance(VOTING_PERIOD);
    let err = g.refused(
        &addr("bob"),
        ExecuteMsg::Vote {
            proposal_id: id2,
            vote: Vote::Yes,
        },
    );
    assert!(
        matches!(&err, ContractError::VotingClosed { status, .. } if status == "rejected"),
        "{err}"
    );
    // A defaulter's weight cannot be taken out once voting is over.
    g.fund.default(&addr("dave"), 0, g.height());
    let err = g.refused(
        &addr("keeper"),
        ExecuteMsg::DiscountVote {
            proposal_id: id2,
            voter: addr("dave").to_string(),
        },
    );
    assert!(matches!(err, ContractError::VotingClosed { .. }), "{err}");
}

#[test]
fn close_only_what_did_not_pass_once_voting_is_over() {
    let mut g = omov(pct(51), 4);
    let id = g.propose("alice").unwrap();
    let close = ExecuteMsg::Close { proposal_id: id };
    let err = g.refused(&addr("keeper"), close.clone());
    assert_eq!(
        err,
        ContractError::CannotClose {
            id,
            status: "open".to_string(),
            voting_open: true
        }
    );
    g.advance(VOTING_PERIOD);
    g.exec(&addr("keeper"), close.clone()).unwrap();
    assert_eq!(g.status(id), Status::Rejected);
    let err = g.refused(&addr("keeper"), close);
    assert_eq!(
        err,
        ContractError::CannotClose {
            id,
            status: "already closed".to_string(),
            voting_open: false
        }
    );
    let (mut g, id, _) = passed();
    let err = g.refused(&addr("keeper"), ExecuteMsg::Close { proposal_id: id });
    assert!(
        matches!(&err, ContractError::CannotClose { status, .. } if status == "passed"),
        "{err}"
    );
}

/// `latest` may not shorten the voting period (since 20c75d6; it used to
/// end voting then, which let a proposer's own ballot meet a quorum before
/// the others could vote): one second short is refused, and a later
/// `latest` is cut to the voting period.
#[test]
fn latest_may_not_shorten_voting() {
    let mut g = omov(pct(51), 4);
    let now = g.env.block.time;
    let with_latest = |latest| ExecuteMsg::Propose {
        title: "t".to_string(),
        description: String::new(),
        msgs: vec![payload()],
        latest: Some(latest),
        timelock: None,
    };
    let ends = now.plus_seconds(VOTING_PERIOD);
    for short in [now.plus_seconds(DAY), ends.minus_seconds(1)] {
        let err = g.refused(&addr("alice"), with_latest(Expiration::AtTime(short)));
        assert_eq!(
            err,
            ContractError::VotingPeriodShortened {
                latest: short,
                ends
            }
        );
        assert!(err.to_string().contains("would cut it short"), "{err}");
    }
    // Exactly the voting period.
    let res = g
        .exec(&addr("alice"), with_latest(Expiration::AtTime(ends)))
        .unwrap();
    let id: u64 = attr(&res, "proposal_id").parse().unwrap();
    assert_eq!(g.proposal(id).expires, Expiration::AtTime(ends));
    // Never longer than the voting period.
    let res = g
        .exec(
            &addr("alice"),
            with_latest(Expiration::AtTime(now.plus_seconds(VOTING_PERIOD * 2))),
        )
        .unwrap();
    let id: u64 = attr(&res, "proposal_id").parse().unwrap();
    assert_eq!(g.proposal(id).expires, Expiration::AtTime(ends));
    let err = g.refused(&addr("alice"), with_latest(Expiration::AtTime(now)));
    assert_eq!(err, ContractError::LatestPast { latest: now, now });
    let err = g.refused(&addr("alice"), with_latest(Expiration::AtHeight(1_000_000)));
    assert_eq!(
        err,
        ContractError::NotATime {
            field: "latest".to_string()
        }
    );
    let err = g.refused(&addr("alice"), with_latest(Expiration::Never {}));
    assert!(matches!(err, ContractError::NotATime { .. }));
}

#[test]
fn open_proposals_keep_their_rules() {
    let mut g = omov(pct(51), 4);
    let me = g.me();
    let id = g.propose("alice").unwrap();
    g.exec(
        &me,
        ExecuteMsg::UpdateConfig {
            threshold: Some(pct(100)),
            voting_period: Some(Duration::Time(DAY)),
            min_timelock: None,
            execution_window: Some(DAY),
            weighting: Some(VoteWeighting::FundBalance),
        },
    )
    .unwrap();
    let id2 = g.propose("bob").unwrap();
    g.vote("bob", id, Vote::Yes).unwrap();
    g.vote("carol", id, Vote::Yes).unwrap();
    let p = g.proposal(id);
    assert_eq!(p.status, Status::Passed);
    assert_eq!(p.execution_window, EXECUTION_WINDOW);
    assert_eq!(p.weighting, VoteWeighting::OneMemberOneVote);
    let p2 = g.proposal(id2);
    assert_eq!(p2.weighting, VoteWeighting::FundBalance);
    assert_eq!(p2.total_weight, Uint128::new(400));
    assert_eq!(
        p2.threshold,
        ThresholdResponse::AbsolutePercentage {
            percentage: Decimal::one(),
            total_weight: Uint128::new(400)
        }
    );
    g.vote("alice", id2, Vote::Yes).unwrap();
    g.vote("carol", id2, Vote::Yes).unwrap();
    assert_eq!(g.status(id2), Status::Open);
}

#[test]
fn an_unreachable_absolute_count_is_refused_at_opening() {
    let mut g = omov(
        Threshold::AbsoluteCount {
            weight: Uint128::new(5),
        },
        4,
    );
    let err = g.refused(&addr("alice"), Gov::propose_msg(None));
    assert_eq!(
        err,
        ContractError::UnreachableThreshold {
            needed: Uint128::new(5),
            total: Uint128::new(4)
        }
    );
    let mut g = omov(
        Threshold::AbsoluteCount {
            weight: Uint128::new(2),
        },
        4,
    );
    let id = g.propose("alice").unwrap();
    g.vote("bob", id, Vote::Yes).unwrap();
    assert_eq!(g.status(id), Status::Passed);
    let th: ThresholdResponse = g.query(QueryMsg::Threshold {});
    assert_eq!(
        th,
        ThresholdResponse::AbsoluteCount {
            weight: Uint128::new(2),
            total_weight: Uint128::new(4)
        }
    );
}

#[test]
fn pause_unpause_and_shutdown() {
    let mut g = omov(pct(51), 2);
    let me = g.me();
    let guardian = g.guardian.clone();
    let pause = |paused: bool| {
        vec![
            (
                addr("vault").to_string(),
                format!("{{\"set_pause\":{{\"paused\":{paused}}}}}"),
            ),
            (
                addr("fund").to_string(),
                format!("{{\"set_pause\":{{\"paused\":{paused}}}}}"),
            ),
        ]
    };
    let shutdown = vec![
        (addr("vault").to_string(), "{\"shutdown\":{}}".to_string()),
        (addr("fund").to_string(), "{\"shutdown\":{}}".to_string()),
    ];
    assert_eq!(
        sent(&g.exec(&guardian, ExecuteMsg::Pause {}).unwrap()),
        pause(true)
    );
    assert_eq!(
        sent(&g.exec(&me, ExecuteMsg::Pause {}).unwrap()),
        pause(true)
    );
    assert_eq!(
        sent(&g.exec(&me, ExecuteMsg::Unpause {}).unwrap()),
        pause(false)
    );
    assert_eq!(
        sent(&g.exec(&me, ExecuteMsg::Shutdown {}).unwrap()),
        shutdown
    );
    for (who, msg) in [
        (addr("alice"), ExecuteMsg::Pause {}),
        (guardian.clone(), ExecuteMsg::Unpause {}),
        (guardian.clone(), ExecuteMsg::Shutdown {}),
        (addr("alice"), ExecuteMsg::Shutdown {}),
    ] {
        let err = g.refused(&who, msg);
        assert!(matches!(err, ContractError::Unauthorized { .. }), "{err}");
    }
    // Chain governance.
    assert_eq!(
        sent(&g.sudo(SudoMsg::SetPause { paused: false }).unwrap()),
        pause(false)
    );
    let res = g.sudo(SudoMsg::Shutdown {}).unwrap();
    assert_eq!(sent(&res), shutdown);
    assert_eq!(attr(&res, "action"), "shutdown");
}

#[test]
fn the_guardian_is_named_by_a_proposal_or_by_sudo() {
    let mut g = omov(pct(51), 2);
    let me = g.me();
    let set = |who: Option<&str>| ExecuteMsg::SetGuardian {
        guardian: who.map(|w| addr(w).to_string()),
    };
    let guardian = g.guardian.clone();
    let err = g.refused(&guardian, set(Some("mallory")));
    assert!(matches!(err, ContractError::Unauthorized { .. }), "{err}");
    g.exec(&me, set(Some("newguard"))).unwrap();
    let c: ConfigResponse = g.query(QueryMsg::Config {});
    assert_eq!(c.guardian, Some(addr("newguard")));
    let err = g.refused(&guardian, ExecuteMsg::Pause {});
    assert!(matches!(err, ContractError::Unauthorized { .. }), "{err}");
    g.exec(&addr("newguard"), ExecuteMsg::Pause {}).unwrap();
    g.exec(&me, set(None)).unwrap();
    let c: ConfigResponse = g.query(QueryMsg::Config {});
    assert_eq!(c.guardian, None);
    g.sudo(SudoMsg::SetGuardian {
        guardian: Some(addr("chain").to_string()),
    })
    .unwrap();
    let c: ConfigResponse = g.query(QueryMsg::Config {});
    assert_eq!(c.guardian, Some(addr("chain")));
}

#[test]
fn instantiate_checks_the_rules() {
    let g = Gov::new(VoteWeighting::OneMemberOneVote, pct(51));
    let base = g.instantiate_msg(VoteWeighting::OneMemberOneVote, pct(51));
    let cases: Vec<(InstantiateMsg, ContractError)> = vec![
        (
            InstantiateMsg {
                threshold: pct(49),
                ..base.clone()
            },
            ContractError::InvalidFraction {
                field: "percentage".to_string(),
                value: Decimal::percent(49),
                min: Decimal::percent(50),
                max: Decimal::one(),
            },
        ),
        (
            InstantiateMsg {
                threshold: pct(101),
                ..base.clone()
            },
            ContractError::InvalidFraction {
                field: "percentage".to_string(),
                value: Decimal::percent(101),
                min: Decimal::percent(50),
                max: Decimal::one(),
            },
        ),
        (
            InstantiateMsg {
                threshold: Threshold::ThresholdQuorum {
                    threshold: Decimal::percent(60),
                    quorum: Decimal::zero(),
                },
                ..base.clone()
            },
            ContractError::ZeroFraction {
                field: "quorum".to_string(),
            },
        ),
        (
            InstantiateMsg {
                threshold: Threshold::AbsoluteCount {
                    weight: Uint128::zero(),
                },
                ..base.clone()
            },
            ContractError::ZeroThresholdWeight {},
        ),
        (
            InstantiateMsg {
                voting_period: Duration::Height(10),
                ..base.clone()
            },
            ContractError::NotATime {
                field: "voting_period".to_string(),
            },
        ),
        (
            InstantiateMsg {
                voting_period: Duration::Time(0),
                ..base.clone()
            },
            ContractError::InvalidPeriod {
                field: "voting_period".to_string(),
                seconds: 0,
                max: MAX_PERIOD,
            },
        ),
        (
            InstantiateMsg {
                execution_window: 0,
                ..base.clone()
            },
            ContractError::InvalidPeriod {
                field: "execution_window".to_string(),
                seconds: 0,
                max: MAX_PERIOD,
            },
        ),
        (
            InstantiateMsg {
                min_timelock: u64::MAX,
                ..base.clone()
            },
            ContractError::InvalidPeriod {
                field: "min_timelock".to_string(),
                seconds: u64::MAX,
                max: MAX_PERIOD,
            },
        ),
    ];
    for (msg, expected) in cases {
        let mut deps = mock_dependencies();
        let err = contract::instantiate(
            deps.as_mut(),
            mock_env(),
            message_info(&addr("deployer"), &[]),
            msg,
        )
        .unwrap_err();
        assert_eq!(err, expected);
        assert_eq!(deps.storage.range(None, None, Order::Ascending).count(), 0);
    }
}

#[test]
fn migrate_refuses_a_downgrade_and_a_foreign_contract() {
    use clearing_types::governance::MigrateMsg;

    use crate::contract::{migrate, CONTRACT_NAME, CONTRACT_VERSION};

    let mut g = omov(pct(51), 2);
    // An older version of governance: migrates, records the new one.
    cw2::set_contract_version(&mut g.deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    let res = migrate(g.deps.as_mut(), g.env.clone(), MigrateMsg {}).unwrap();
    assert_eq!(attr(&res, "from_version"), "0.0.1");
    assert_eq!(
        cw2::get_contract_version(&g.deps.storage).unwrap().version,
        CONTRACT_VERSION
    );
    // A newer one: refused.
    cw2::set_contract_version(&mut g.deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
    assert!(migrate(g.deps.as_mut(), g.env.clone(), MigrateMsg {}).is_err());
    // Another contract: refused.
    cw2::set_contract_version(&mut g.deps.storage, "crates.io:default-fund", "0.0.1").unwrap();
    let err = migrate(g.deps.as_mut(), g.env.clone(), MigrateMsg {}).unwrap_err();
    assert!(err.to_string().contains("default-fund"), "{err}");
}
