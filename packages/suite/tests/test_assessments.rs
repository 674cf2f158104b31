//! Assessments after a default (SPEC v2 §3): the cap shared by the defaults
//! of one cooling-off period, `B` exact after every change of parameters,
//! paying everything owed, enforcing what is past its own date into breach,
//! and declaring a member in breach in default.
//!
//! Replenishment moved to `test_replenishment.rs`; deadlines that must not
//! be hidden, to `test_obligations.rs`.

use clearing_suite::fund_flows::{both, fund_err, vault_blocked, vault_err, DAY};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{ExecuteMsg, FundParams, MemberStatus, ReceiveMsg};
use clearing_types::ledger::{Blocked, Obligation};
use clearing_types::ratio::Ratio;
use cosmwasm_std::{Decimal, Decimal256, Uint128};
use default_fund::ContractError;

fn params() -> FundParams {
    FundParams {
        min_contribution: Uint128::new(100),
        contribution_rate: Decimal::percent(10),
        assessment_multiple: Decimal::percent(200),
        cooling_off_period: 28 * DAY,
        assessment_deadline: DAY,
        replenishment_period: 7 * DAY,
        withdrawal_notice_period: 14 * DAY,
        ..FundParams::default()
    }
}

/// Three defaulters (no margin, no contribution) and two survivors.
/// Required contributions (v2, min + rate × required margin): d1–d3 200
/// each, sam 400, sue 300; `B` = 1,300 while all are live. Nobody
/// contributes, so layers 1–4 are empty and every loss reaches layer 5.
fn suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(params())
        .member("d1", 0, 1_000, 0)
        .member("d2", 0, 1_000, 0)
        .member("d3", 0, 1_000, 0)
        .member("sam", 2_000, 3_000, 0)
        .member("sue", 2_300, 2_000, 0)
        .build()
}

#[test]
fn defaults_in_one_cooling_off_period_share_the_cap() {
    both(|s| {
        let mut suite = suite(s);
        // B without d1 = 1,100: cap 2 × 1,100 = 2,200, all of it assessed (rate 2).
        let r1 = suite.declare_default("d1", 1_000_000).unwrap();
        assert_eq!(r1.layers.assessments.u128(), 2_200);
        assert_eq!(r1.assessment_rate, Decimal256::percent(200));
        assert!(r1.opened_cooling_off);
        // Same period: the cap is used up. d2's unpaid ⌈200 × 2,200 / 1,100⌉
        // = 400 joins its close-out loss of 500, all of it uncovered.
        suite.advance(DAY);
        let r2 = suite.declare_default("d2", 500).unwrap();
        assert_eq!(r2.unpaid_assessments.u128(), 400);
        assert_eq!(r2.loss.u128(), 900);
        assert_eq!(r2.layers.assessments.u128(), 0);
        assert_eq!(r2.layers.uncovered.u128(), 900);
        assert!(!r2.opened_cooling_off);
        // After the period a fresh cap: B = sam 400 + sue 300 = 700 → 1,400
        // of d3's 10,000 + its unpaid 400.
        suite.advance(28 * DAY);
        let r3 = suite.declare_default("d3", 10_000).unwrap();
        assert_eq!(r3.loss.u128(), 10_400);
        assert_eq!(r3.layers.assessments.u128(), 1_400);
        assert!(r3.opened_cooling_off);
        assert_eq!(
            suite.fund_state().uncovered_total,
            cosmwasm_std::Uint256::from((1_000_000u128 - 2_200) + 900 + (10_400 - 1_400))
        );
        suite.assert_conservation();
    });
}

#[test]
fn a_partial_first_assessment_leaves_the_rest_of_the_cap() {
    let mut suite = suite(Settlement::Native);
    // 1,100 of a 2,200 cap: rate 1,100 / 1,100 = 1.
    let r1 = suite.declare_default("d1", 1_100).unwrap();
    assert_eq!(r1.layers.assessments.u128(), 1_100);
    assert_eq!(r1.assessment_rate, Decimal256::one());
    // B = 900 now (d3 200, sam 400, sue 300); (2 − 1) × 900 = 900 left of
    // d2's 10,000 + its unpaid 200.
    let r2 = suite.declare_default("d2", 10_000).unwrap();
    assert_eq!(r2.loss.u128(), 10_200);
    assert_eq!(r2.layers.assessments.u128(), 900);
    assert_eq!(
        suite.fund_state().cooling_off.unwrap().rate_used,
        Ratio::from_int(2u128)
    );
}

#[test]
fn paying_settles_everything_owed_and_forwards_it() {
    both(|s| {
        let mut suite = suite(s);
        // Rate 1: sam 400, sue 300, d2 and d3 200 each, due in a day.
        suite.declare_default("d1", 1_100).unwrap();
        // d2: 100 + its unpaid 200 over B = 900, rate 1/3: sam ⌈133.3⌉ = 134,
        // sue 100, d3 ⌈66.7⌉ = 67.
        suite.declare_default("d2", 100).unwrap();
        let now = suite.time();
        assert_eq!(suite.owed("sam"), 534);
        assert_eq!(suite.owed("d3"), 267);
        assert_eq!(
            suite.fund_member("sue").obligations,
            vec![
                Obligation {
                    default_id: 1,
                    amount: Uint128::new(300),
                    due: now.plus_seconds(DAY),
                    breached: false,
                },
                Obligation {
                    default_id: 2,
                    amount: Uint128::new(100),
                    due: now.plus_seconds(DAY),
                    breached: false,
                },
            ]
        );
        let before = suite.recipient_wallet();
        suite.pay_assessment("sam").unwrap();
        assert_eq!(suite.owed("sam"), 0);
        assert_eq!(suite.recipient_wallet(), before + 534);
        // Paying again: nothing owed.
        let sam = suite.addr("sam");
        let fund = suite.fund.clone();
        suite.mint(&sam, 10).unwrap();
        let e = suite.refused(|s| {
            s.pay_into(
                &sam,
                &fund,
                10,
                &ExecuteMsg::PayAssessment {},
                &ReceiveMsg::PayAssessment {},
            )
        });
        assert_eq!(*fund_err(&e), ContractError::NothingOwed {});
        // Underpaying is refused; overpaying refunds the excess.
        let sue = suite.addr("sue");
        assert_eq!(suite.owed("sue"), 400);
        suite.mint(&sue, 1_000).unwrap();
        let e = suite.refused(|s| {
            s.pay_into(
                &sue,
                &fund,
                399,
                &ExecuteMsg::PayAssessment {},
                &ReceiveMsg::PayAssessment {},
            )
        });
        assert_eq!(
            *fund_err(&e),
            ContractError::WrongPaymentAmount {
                paid: Uint128::new(399),
                owed: Uint128::new(400)
            }
        );
        suite
            .pay_into(
                &sue,
                &fund,
                1_000,
                &ExecuteMsg::PayAssessment {},
                &ReceiveMsg::PayAssessment {},
            )
            .unwrap();
        assert_eq!(suite.balance(&sue), 600);
        assert_eq!(suite.recipient_wallet(), before + 534 + 400);
        suite.assert_conservation();
    });
}

#[test]
fn enforcement_waits_for_the_deadline_then_draws_excess_margin() {
    both(|s| {
        let mut suite = suite(s);
        // Rate 2: sam owes 800, sue 600, d2 and d3 400, all due in a day.
        suite.declare_default("d1", 1_000_000).unwrap();
        let due = suite.time().plus_seconds(DAY);
        for name in ["sam", "d2"] {
            let e = suite.refused(|s| s.enforce_assessment(name));
            assert_eq!(*fund_err(&e), ContractError::NotYetDue { due });
        }
        suite.advance(DAY);
        // sue has 300 of excess margin against 600 overdue: 300 drawn, in breach.
        let recipient_before = suite.recipient_wallet();
        let res = suite.enforce_assessment("sue").unwrap();
        let a = |k| clearing_suite::fund_flows::attr(&res, "wasm", k).unwrap();
        assert_eq!(
            (a("overdue"), a("drawn"), a("unpaid"), a("status")),
            ("600".into(), "300".into(), "300".into(), "in_breach".into())
        );
        let sue = suite.fund_member("sue");
        assert_eq!(
            (sue.assessment_owed.u128(), sue.status),
            (300, MemberStatus::InBreach)
        );
        assert_eq!(suite.margin("sue"), 2_000);
        assert_eq!(suite.recipient_wallet(), recipient_before + 300);
        // In breach: no margin withdrawal.
        let e = suite.refused(|s| s.withdraw_margin("sue", 1));
        assert_eq!(*vault_err(&e), vault_blocked(Blocked::InBreach));
        // sam has no excess at all: drawn 0, in breach with everything owed.
        suite.enforce_assessment("sam").unwrap();
        assert_eq!(suite.fund_member("sam").status, MemberStatus::InBreach);
        assert_eq!(suite.owed("sam"), 800);
        // Paying ends the breach.
        suite.pay_assessment("sue").unwrap();
        assert_eq!(suite.fund_member("sue").status, MemberStatus::Active);
        let e = suite.refused(|s| s.enforce_assessment("sue"));
        assert_eq!(*fund_err(&e), ContractError::NothingOwed {});
        suite.assert_conservation();
    });
}

#[test]
fn a_member_in_breach_can_be_declared_in_default_by_governance() {
    both(|s| {
        let mut suite = suite(s);
        suite.declare_default("d1", 1_000_000).unwrap();
        // d2, d3, sam and sue each owe a share.
        assert_eq!(suite.fund_state().open_obligations, 4);
        suite.advance(DAY);
        suite.enforce_assessment("sam").unwrap();
        assert_eq!(suite.fund_member("sam").status, MemberStatus::InBreach);
        // Its unpaid 800 joins the close-out loss of 100; its 2,000 of margin covers both.
        let r = suite.declare_default_by_governance("sam", 100).unwrap();
        assert_eq!(r.unpaid_assessments.u128(), 800);
        assert_eq!(r.layers.defaulter_margin.u128(), 900);
        assert_eq!(r.declared_by, "governance");
        assert_eq!(suite.fund_member("sam").status, MemberStatus::Defaulted);
        assert_eq!(suite.margin("sam"), 1_100);
        assert_eq!(suite.fund_state().open_obligations, 3);
        suite.assert_conservation();
    });
}

/// Margin leaves the vault only while nothing is overdue: an assessment owed
/// but not yet due does not hold back excess margin, one past its date does,
/// whether the member's record was settled since the default or not.
#[test]
fn margin_withdrawal_is_refused_only_while_an_assessment_is_overdue() {
    use margin_vault::ContractError::InsufficientExcessMargin;
    both(|s| {
        let mut suite = suite(s);
        // sam owes 800, sue 600, due in a day. Not due: sue's excess (300)
        // is free, and sam is refused only for having no excess.
        suite.declare_default("d1", 1_000_000).unwrap();
        suite.withdraw_margin("sue", 50).unwrap();
        let e = suite.refused(|s| s.withdraw_margin("sam", 1));
        assert_eq!(
            *vault_err(&e),
            InsufficientExcessMargin {
                available: Uint128::zero(),
                requested: Uint128::one()
            }
        );
        // A requirement change settles the assessment into sue's record;
        // it is still not due.
        suite.set_required_margin("sue", 2_000).unwrap();
        suite.withdraw_margin("sue", 50).unwrap();
        // At the deadline both are refused with the exact overdue amount,
        // settled (sue) or not (sam).
        suite.advance(DAY);
        for (name, overdue) in [("sue", 600u128), ("sam", 800)] {
            let e = suite.refused(|s| s.withdraw_margin(name, 1));
            assert_eq!(
                *vault_err(&e),
                vault_blocked(clearing_suite::fund_flows::overdue(overdue, 0))
            );
        }
        // Paid in full: sue's remaining excess is free again.
        suite.pay_assessment("sue").unwrap();
        suite.withdraw_margin("sue", 200).unwrap();
        assert_eq!(suite.margin("sue"), 2_000);
        let e = suite.refused(|s| s.withdraw_margin("sue", 1));
        assert_eq!(
            *vault_err(&e),
            InsufficientExcessMargin {
                available: Uint128::zero(),
                requested: Uint128::one()
            }
        );
        suite.assert_conservation();
    });
}

/// Two defaults, two deadlines: enforcing at the first draws only the
/// first default's share (SPEC v2 "Deadlines": each on its own date).
#[test]
fn only_the_overdue_part_is_enforced() {
    both(|s| {
        let mut suite = suite(s);
        suite.deposit_margin("sue", 100).unwrap(); // 400 of excess margin
        let t0 = suite.time();
        // Rate 1: sue owes 300, due at t0 + 1 day.
        suite.declare_default("d1", 1_100).unwrap();
        suite.advance(DAY / 2);
        // d2: 100 + its unpaid 200, rate 1/3: sue owes 100 more, due at t0 + 1.5 days.
        suite.declare_default("d2", 100).unwrap();
        suite.advance(DAY / 2);
        let sue = suite.fund_member("sue");
        assert_eq!(
            (sue.assessment_owed.u128(), sue.assessment_overdue.u128()),
            (400, 300)
        );
        let res = suite.enforce_assessment("sue").unwrap();
        assert_eq!(
            clearing_suite::fund_flows::attr(&res, "wasm", "drawn").as_deref(),
            Some("300")
        );
        let sue = suite.fund_member("sue");
        assert_eq!(
            (sue.assessment_owed.u128(), sue.assessment_overdue.u128()),
            (100, 0)
        );
        assert_eq!(sue.status, MemberStatus::Active);
        assert_eq!(
            sue.obligations,
            vec![Obligation {
                default_id: 2,
                amount: Uint128::new(100),
                due: t0.plus_seconds(DAY + DAY / 2),
                breached: false,
            }]
        );
        let e = suite.refused(|s| s.enforce_assessment("sue"));
        assert_eq!(
            *fund_err(&e),
            ContractError::NotYetDue {
                due: t0.plus_seconds(DAY + DAY / 2)
            }
        );
        suite.advance(DAY / 2);
        suite.enforce_assessment("sue").unwrap();
        assert_eq!(suite.owed("sue"), 0);
        assert_eq!(suite.margin("sue"), 2_400 - 400);
        suite.assert_conservation();
    });
}

/// The issue 11 example: raising the rate 10% → 50% by `UpdateParams`
/// moves `B`, and with it the assessment cap, at once (5,000, not 1,000).
#[test]
fn raising_the_rate_moves_b_and_the_cap_at_once() {
    both(|s| {
        let mut suite = SuiteBuilder::new()
            .settlement(s)
            .params(FundParams {
                min_contribution: Uint128::zero(),
                ..params()
            })
            .member("d", 0, 0, 0)
            .member("a", 0, 3_000, 0)
            .member("b", 0, 2_000, 0)
            .build();
        // B = 10% × 5,000 = 500: cap 1,000.
        assert_eq!(
            suite.fund_state().total_required,
            Decimal256::from_ratio(500u128, 1u128)
        );
        assert_eq!(
            suite
                .preview_default("d", 100_000)
                .unwrap()
                .layers
                .assessments
                .u128(),
            1_000
        );
        suite
            .change_params(|p| p.contribution_rate = Decimal::percent(50))
            .unwrap();
        // B = 50% × 5,000 = 2,500 at once, every requirement with it: cap 5,000.
        assert_eq!(
            suite.fund_state().total_required,
            Decimal256::from_ratio(2_500u128, 1u128)
        );
        assert_eq!(
            suite.fund_member("a").required_contribution,
            Decimal256::from_ratio(1_500u128, 1u128)
        );
        let r = suite.declare_default("d", 100_000).unwrap();
        assert_eq!(r.layers.assessments.u128(), 5_000);
        assert_eq!(r.assessment_base, Decimal256::from_ratio(2_500u128, 1u128));
        // a ⌈1,500 × 5,000 / 2,500⌉ = 3,000, b 2,000.
        assert_eq!((suite.owed("a"), suite.owed("b")), (3_000, 2_000));
        suite.assert_conservation();
    });
}

/// A zero rate is valid: every requirement is the minimum, and an
/// assessment is shared equally.
#[test]
fn a_zero_rate_is_valid_and_shares_by_the_minimum() {
    both(|s| {
        let mut suite = suite(s);
        let res = suite
            .change_params(|p| p.contribution_rate = Decimal::zero())
            .unwrap();
        // B = 5 × 100.
        assert_eq!(
            clearing_suite::fund_flows::attr(&res, "wasm", "total_required").as_deref(),
            Some("500")
        );
        assert_eq!(
            suite.fund_member("sam").required_contribution,
            Decimal256::from_ratio(100u128, 1u128)
        );
        // d1 defaults with 301: B = 400, A = 301, each of four owes ⌈100 × 301 / 400⌉ = 76.
        let r = suite.declare_default("d1", 301).unwrap();
        assert_eq!(r.assessment_base, Decimal256::from_ratio(400u128, 1u128));
        for name in ["d2", "d3", "sam", "sue"] {
            assert_eq!(suite.owed(name), 76, "{name}");
        }
        suite.assert_conservation();
    });
}
