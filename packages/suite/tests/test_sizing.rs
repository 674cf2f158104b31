//! Risk data drives the fund's size (SPEC v2 §7, issue 15): the top-`cover`
//! stress exposures tracked through every change, the Coverage query's
//! figures checked against the rule, and the bounded recalibration of the
//! contribution rate (mode, interval, bounds, step, anyone may run it),
//! with every requirement and `B` following at once and a raise opening
//! shortfalls with their full replenishment period. Native and cw20
//! wherever money moves.

use clearing_suite::fund_flows::{attr, both, fund_err, DAY};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{self, CoverageResponse, FundParams, SizingParams};
use clearing_types::ledger::Basis;
use cosmwasm_std::{Decimal, Decimal256, Timestamp, Uint128, Uint256};
use cw_multi_test::Executor;
use default_fund::ContractError;

const WEEK: u64 = 7 * DAY;

/// `min 100`, cover mode at 5 %, Cover-2, no buffer, rate within
/// [1 %, 50 %], at most 5 points per recalibration, once a day.
fn cover_params() -> FundParams {
    FundParams {
        min_contribution: Uint128::new(100),
        contribution_rate: Decimal::percent(5),
        sizing: SizingParams {
            mode: Basis::StressExposure,
            cover: 2,
            buffer: Decimal::zero(),
            min_rate: Decimal::percent(1),
            max_rate: Decimal::percent(50),
            max_rate_step: Decimal::percent(5),
            recalibration_interval: DAY,
        },
        ..FundParams::default()
    }
}

/// The block time now.
fn time(suite: &Suite) -> Timestamp {
    suite.app.block_info().time
}

fn dec(s: &str) -> Decimal256 {
    s.parse().unwrap()
}

/// Every live member's required contribution, as the fund shows it.
fn rc(suite: &Suite, name: &str) -> Decimal256 {
    suite.fund_member(name).required_contribution
}

/// `B` as the fund shows it equals the sum of the live members'
/// requirements (each exact at 18 decimals: `min + rate × basis` with an
/// 18-decimal rate and a whole basis), and is `expected`.
fn assert_b(suite: &Suite, live: &[&str], expected: &str) {
    let sum = live
        .iter()
        .fold(Decimal256::zero(), |acc, n| acc + rc(suite, n));
    let b = suite.fund_state().total_required;
    assert_eq!(b, sum, "B is the sum of the required contributions");
    assert_eq!(b, dec(expected), "B");
}

/// The top exposures for `cover` out of the full `ranking` (every
/// exposure above zero, largest first): the amounts are exactly the
/// largest `cover`, each shown member holds the amount shown (ties may be
/// shown in either order), and the requirement is their sum (no buffer).
fn assert_top(suite: &Suite, cover: usize, ranking: &[(&str, u128)]) {
    let top = suite.top_exposures_named();
    let amounts: Vec<u128> = top.iter().map(|(_, a)| *a).collect();
    let expected: Vec<u128> = ranking.iter().take(cover).map(|(_, a)| *a).collect();
    assert_eq!(amounts, expected, "top amounts of {ranking:?}: got {top:?}");
    for (name, amount) in &top {
        assert!(
            ranking.iter().any(|(n, a)| n == name && a == amount),
            "{name} {amount} is not in {ranking:?}"
        );
    }
    let mut names: Vec<&String> = top.iter().map(|(n, _)| n).collect();
    names.dedup();
    assert_eq!(names.len(), top.len(), "a member shown twice: {top:?}");
    let coverage = suite.coverage();
    assert_eq!(coverage.cover as usize, cover);
    assert_eq!(
        coverage.requirement,
        Uint256::from(expected.iter().sum::<u128>())
    );
}

#[test]
fn top_exposures_follow_inserts_raises_cuts_ties_removals_defaults_and_exits() {
    for cover in [1usize, 2] {
        let mut p = FundParams::default();
        p.sizing.cover = cover as u8;
        // Five members, each with margin well above its requirement and a
        // balance above its required contribution (100 + 10 % × 1,000 = 200).
        let mut suite = SuiteBuilder::new()
            .params(p)
            .member("a", 10_000, 1_000, 1_000)
            .member("b", 10_000, 1_000, 1_000)
            .member("c", 10_000, 1_000, 1_000)
            .member("d", 10_000, 1_000, 1_000)
            .member("e", 10_000, 1_000, 1_000)
            .build();
        // Nothing posted: no top, no requirement, no ratio.
        assert_top(&suite, cover, &[]);
        assert_eq!(suite.coverage().ratio, None);

        // Insert.
        suite.post_exposures(&[("a", 1_000)]).unwrap();
        assert_top(&suite, cover, &[("a", 1_000)]);
        // Two inserts in one batch, one above the current top.
        suite.post_exposures(&[("b", 3_000), ("c", 2_000)]).unwrap();
        assert_top(&suite, cover, &[("b", 3_000), ("c", 2_000), ("a", 1_000)]);
        // A raise from the bottom to the top.
        suite.post_exposures(&[("a", 5_000)]).unwrap();
        assert_top(&suite, cover, &[("a", 5_000), ("b", 3_000), ("c", 2_000)]);
        // A cut from the top to the bottom.
        suite.post_exposures(&[("a", 500)]).unwrap();
        assert_top(&suite, cover, &[("b", 3_000), ("c", 2_000), ("a", 500)]);
        // A tie at the top: both shown for Cover-2, either one for Cover-1.
        suite.post_exposures(&[("d", 3_000)]).unwrap();
        assert_top(
            &suite,
            cover,
            &[("b", 3_000), ("d", 3_000), ("c", 2_000), ("a", 500)],
        );
        // The same member posted twice in one batch: refused; one post a
        // member per batch, the later batch counts.
        suite.refused(|s| s.post_exposures(&[("e", 9_000), ("e", 2_000)]));
        suite.post_exposures(&[("e", 9_000)]).unwrap();
        suite.post_exposures(&[("e", 2_000)]).unwrap();
        assert_eq!(suite.fund_member("e").exposure.u128(), 2_000);
        assert_top(
            &suite,
            cover,
            &[
                ("b", 3_000),
                ("d", 3_000),
                ("c", 2_000),
                ("e", 2_000),
                ("a", 500),
            ],
        );
        // Removal: an exposure of 0 leaves the ranking.
        suite.post_exposures(&[("b", 0), ("e", 0)]).unwrap();
        assert_top(&suite, cover, &[("d", 3_000), ("c", 2_000), ("a", 500)]);
        // A defaulter leaves the ranking (its margin covers the loss).
        suite.declare_default("d", 100).unwrap();
        assert_top(&suite, cover, &[("c", 2_000), ("a", 500)]);
        // A member giving notice stays in it until its exit completes.
        suite.request_exit("c").unwrap();
        assert_top(&suite, cover, &[("c", 2_000), ("a", 500)]);
        suite.advance(14 * DAY);
        suite.complete_exit("c").unwrap();
        assert_top(&suite, cover, &[("a", 500)]);
        // A newcomer to the ranking after all that.
        suite.post_exposures(&[("e", 700)]).unwrap();
        assert_top(&suite, cover, &[("e", 700), ("a", 500)]);
        // The sums B is made of follow too: a, b, e are left in B.
        assert_eq!(suite.fund_state().members, 3);
        suite.assert_conservation();
    }
}

#[test]
fn coverage_figures_are_the_rule_exactly() {
    both(|settlement| {
        let mut p = cover_params();
        p.sizing.buffer = Decimal::percent(15);
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .params(p)
            .sitg(1_000)
            .member("a", 10_000, 0, 500)
            .member("b", 10_000, 0, 400)
            .member("c", 0, 0, 200)
            .build();
        suite
            .post_exposures(&[("a", 6_001), ("b", 4_000), ("c", 1_000)])
            .unwrap();
        let now = time(&suite);

        // requirement = ceil(1.15 × (6,001 + 4,000)) = ceil(11,501.15) = 11,502
        // target      = 11,502 − SITG 1,000 = 10,502
        // prefunded   = SITG 1,000 + balances (500 + 400 + 200) = 2,100
        // B           = 3 × 100 + 0.05 × (6,001 + 4,000 + 1,000) = 850.05
        // capacity    = floor(2 × 850.05) = 1,700 (no cooling-off period)
        let expected = CoverageResponse {
            cover: 2,
            top_exposures: suite.coverage().top_exposures,
            requirement: Uint256::from_u128(11_502),
            target: Uint256::from_u128(10_502),
            prefunded: Uint128::new(2_100),
            ratio: Some(Decimal256::from_ratio(2_100u128, 11_502u128)),
            assessment_capacity: Uint256::from_u128(1_700),
            ratio_with_assessments: Some(Decimal256::from_ratio(3_800u128, 11_502u128)),
            total_required: Uint256::from_u128(851),
            contribution_rate: Decimal::percent(5),
            basis: Basis::StressExposure,
            next_recalibration: Some(now),
        };
        assert_eq!(suite.coverage(), expected);
        assert_eq!(
            suite.top_exposures_named(),
            vec![("a".to_string(), 6_001), ("b".to_string(), 4_000)]
        );
        // The ratios are rounded down at 18 decimals: 2,100 / 11,502.
        assert_eq!(suite.coverage().ratio, Some(dec("0.182576943140323422")));
        assert_b(&suite, &["a", "b", "c"], "850.05");

        // Cover-1: requirement = ceil(1.15 × 6,001) = ceil(6,901.15) = 6,902.
        suite.change_params(|p| p.sizing.cover = 1).unwrap();
        let c1 = suite.coverage();
        assert_eq!(c1.top_exposures.len(), 1);
        assert_eq!(c1.requirement, Uint256::from(6_902u128));
        assert_eq!(c1.target, Uint256::from(5_902u128));
        assert_eq!(c1.ratio, Some(Decimal256::from_ratio(2_100u128, 6_902u128)));
        suite.change_params(|p| p.sizing.cover = 2).unwrap();

        // c defaults on 2,500 with no margin:
        //   L2 its balance 200 → 2,300 left; L3 SITG 1,000 → 1,300;
        //   L4 survivors 500 + 400 = 900 → 400; B without c =
        //   2 × 100 + 0.05 × 10,001 = 700.05, cap floor(2 × 700.05) = 1,400,
        //   so L5 A = 400 and rate_used = 400 / 700.05.
        let r = suite.declare_default("c", 2_500).unwrap();
        assert_eq!(r.layers.mutual_fund.u128(), 900);
        assert_eq!(r.layers.assessments.u128(), 400);
        assert!(r.opened_cooling_off);
        // capacity = floor((2 − 400 / 700.05) × 700.05) = floor(1,000.1) = 1,000;
        // prefunded = 0 (SITG and balances spent); c left the top (it was
        // third anyway) and B: target = 11,502 − 0.
        let after = suite.coverage();
        assert_eq!(after.requirement, Uint256::from(11_502u128));
        assert_eq!(after.target, Uint256::from(11_502u128));
        assert_eq!(after.prefunded.u128(), 0);
        assert_eq!(after.ratio, Some(Decimal256::zero()));
        assert_eq!(after.assessment_capacity, Uint256::from(1_000u128));
        assert_eq!(
            after.ratio_with_assessments,
            Some(Decimal256::from_ratio(1_000u128, 11_502u128))
        );
        assert_eq!(after.total_required, Uint256::from(701u128));
        assert_b(&suite, &["a", "b"], "700.05");

        // Once the period is over the whole multiple is back: floor(2 × 700.05).
        suite.advance(28 * DAY);
        assert!(!suite.fund_state().cooling_off_open);
        let later = suite.coverage();
        assert_eq!(later.assessment_capacity, Uint256::from(1_400u128));
        assert_eq!(
            later.ratio_with_assessments,
            Some(Decimal256::from_ratio(1_400u128, 11_502u128))
        );
        // Top-ups count as pre-funded at once.
        suite.contribute("a", 401).unwrap();
        assert_eq!(suite.coverage().prefunded.u128(), 401);
        suite.assert_conservation();
    });
}

#[test]
fn coverage_in_fixed_mode_has_no_recalibration_date() {
    let mut suite = SuiteBuilder::new()
        .sitg(300)
        .member("a", 10_000, 2_000, 300)
        .build();
    suite.post_exposures(&[("a", 1_000)]).unwrap();
    let c = suite.coverage();
    assert_eq!(c.basis, Basis::RequiredMargin);
    assert_eq!(c.next_recalibration, None);
    // Exposures do not move a fixed-mode requirement: 100 + 0.1 × 2,000.
    assert_eq!(rc(&suite, "a"), dec("300"));
    // requirement 1,000; prefunded 300 + 300 = 600, capacity 2 × 300 = 600.
    assert_eq!(c.requirement, Uint256::from(1_000u128));
    assert_eq!(c.target, Uint256::from(700u128));
    assert_eq!(c.ratio, Some(dec("0.6")));
    assert_eq!(c.ratio_with_assessments, Some(dec("1.2")));
}

#[test]
fn recalibration_needs_cover_mode() {
    let mut suite = SuiteBuilder::new().member("a", 10_000, 2_000, 300).build();
    suite.post_exposures(&[("a", 1_000)]).unwrap();
    let e = suite.refused(|s| s.recalibrate());
    assert_eq!(fund_err(&e), &ContractError::NotCoverMode {});
}

#[test]
fn recalibration_waits_its_interval_and_anyone_may_run_it() {
    let mut suite = SuiteBuilder::new()
        .params(cover_params())
        .sitg(5_700)
        .member("a", 10_000, 0, 10_000)
        .member("b", 10_000, 0, 10_000)
        .member("c", 10_000, 0, 10_000)
        .build();
    suite
        .post_exposures(&[("a", 5_000), ("b", 3_000), ("c", 2_000)])
        .unwrap();
    // Never run: due now.
    let t0 = time(&suite);
    assert_eq!(suite.coverage().next_recalibration, Some(t0));
    // A keeper runs the first one at once.
    suite.recalibrate().unwrap();
    let due = t0.plus_seconds(DAY);
    assert_eq!(suite.coverage().next_recalibration, Some(due));
    assert_eq!(suite.fund_state().last_recalibration, Some(t0));
    // Not again before the interval, naming the due time; not a second early.
    let e = suite.refused(|s| s.recalibrate());
    assert_eq!(fund_err(&e), &ContractError::RecalibrationNotDue { due });
    suite.advance(DAY - 1);
    let e = suite.refused(|s| s.recalibrate());
    assert_eq!(fund_err(&e), &ContractError::RecalibrationNotDue { due });
    // On the second: a member may run it.
    suite.advance(1);
    let a = suite.addr("a");
    suite
        .execute_fund(&a, &fund::ExecuteMsg::Recalibrate {})
        .unwrap();
    // A day later, a stranger.
    suite.advance(DAY);
    let stranger = suite.addr("stranger");
    suite
        .execute_fund(&stranger, &fund::ExecuteMsg::Recalibrate {})
        .unwrap();
    // Governance lengthens the interval: the next date follows.
    let last = time(&suite);
    suite
        .change_params(|p| p.sizing.recalibration_interval = 3 * DAY)
        .unwrap();
    let due = last.plus_seconds(3 * DAY);
    assert_eq!(suite.coverage().next_recalibration, Some(due));
    suite.advance(2 * DAY);
    let e = suite.refused(|s| s.recalibrate());
    assert_eq!(fund_err(&e), &ContractError::RecalibrationNotDue { due });
    // Funds attached are refused.
    suite.mint(&stranger, 1).unwrap();
    let fund = suite.fund.clone();
    suite.advance(DAY);
    let e = suite.refused(|s| {
        s.app.execute_contract(
            stranger,
            fund,
            &fund::ExecuteMsg::Recalibrate {},
            &clearing_suite::native(1),
        )
    });
    assert!(matches!(fund_err(&e), ContractError::Payment(_)));
}

/// Three members with exposures 5,000, 3,000 and 2,000 (Σ 10,000, top-2
/// 8,000), `sitg` in the tranche and 10,000 of margin each, nothing
/// required of the margin.
fn three_step_suite(settlement: Settlement, p: FundParams, sitg: u128, stake: u128) -> Suite {
    let mut suite = SuiteBuilder::new()
        .settlement(settlement)
        .params(p)
        .sitg(sitg)
        .member("a", 10_000, 0, stake)
        .member("b", 10_000, 0, stake)
        .member("c", 10_000, 0, stake)
        .build();
    suite
        .post_exposures(&[("a", 5_000), ("b", 3_000), ("c", 2_000)])
        .unwrap();
    suite
}

#[test]
fn a_target_three_steps_away_takes_three_recalibrations() {
    // requirement 8,000 − SITG 5,700 = T 2,300 ≥ n × min 300;
    // desired rate = (2,300 − 300) / 10,000 = 0.2; from 0.05 by 0.05 a step.
    let mut suite = three_step_suite(Settlement::Native, cover_params(), 5_700, 10_000);
    assert_b(&suite, &["a", "b", "c"], "800"); // 300 + 0.05 × 10,000
    let mut head = suite.fund_state();
    for (step, rate, b) in [(1, "0.1", "1300"), (2, "0.15", "1800"), (3, "0.2", "2300")] {
        let res = suite.recalibrate().unwrap();
        assert_eq!(attr(&res, "wasm", "desired_rate").unwrap(), "0.2");
        assert_eq!(attr(&res, "wasm", "requirement").unwrap(), "8000");
        assert_eq!(attr(&res, "wasm", "target").unwrap(), "2300");
        assert_eq!(attr(&res, "wasm", "contribution_rate").unwrap(), rate);
        let rate: Decimal = rate.parse().unwrap();
        assert_eq!(suite.params().contribution_rate, rate, "step {step}");
        assert_eq!(suite.fund_state().contribution_rate, rate);
        assert_eq!(suite.coverage().contribution_rate, rate);
        // Every member follows at once: 100 + rate × exposure.
        for (name, exposure) in [("a", 5_000u128), ("b", 3_000), ("c", 2_000)] {
            let expected = Decimal256::from_ratio(100u128, 1u128)
                + Decimal256::from(rate) * Decimal256::from_ratio(exposure, 1u128);
            assert_eq!(rc(&suite, name), expected, "{name} at step {step}");
        }
        assert_b(&suite, &["a", "b", "c"], b);
        head = suite.fund_state();
        suite.advance(DAY);
    }
    // At the target: a fourth run changes nothing but its date.
    let res = suite.recalibrate().unwrap();
    assert_eq!(attr(&res, "wasm", "previous_rate").unwrap(), "0.2");
    assert_eq!(attr(&res, "wasm", "contribution_rate").unwrap(), "0.2");
    let now = suite.fund_state();
    assert_eq!(now.total_required, head.total_required);
    assert_eq!(now.contribution_rate, head.contribution_rate);
    // B = max(T, n × min) = 2,300 = SITG-adjusted Cover-2 target.
    assert_eq!(suite.coverage().total_required, Uint256::from(2_300u128));
    assert_eq!(suite.coverage().target, Uint256::from(2_300u128));
}

#[test]
fn recalibration_stays_within_max_rate_and_min_rate() {
    // Up toward 0.2, capped at max_rate 0.12: 0.05 → 0.10 → 0.12 → 0.12.
    let mut p = cover_params();
    p.sizing.max_rate = Decimal::percent(12);
    let mut suite = three_step_suite(Settlement::Native, p, 5_700, 10_000);
    for rate in ["0.1", "0.12", "0.12"] {
        suite.recalibrate().unwrap();
        assert_eq!(
            suite.params().contribution_rate,
            rate.parse::<Decimal>().unwrap()
        );
        suite.advance(DAY);
    }
    // 300 + 0.12 × 10,000
    assert_b(&suite, &["a", "b", "c"], "1500");

    // Down: SITG 8,000 covers the requirement, T = 0 < n × min, so the
    // desired rate is 0; bounded below by min_rate 0.03, from 0.12 by at
    // most 0.05 a run: 0.07 → 0.03 → 0.03.
    let mut p = cover_params();
    p.contribution_rate = Decimal::percent(12);
    p.sizing.min_rate = Decimal::percent(3);
    let mut suite = three_step_suite(Settlement::Native, p, 8_000, 10_000);
    for rate in ["0.07", "0.03", "0.03"] {
        let res = suite.recalibrate().unwrap();
        assert_eq!(attr(&res, "wasm", "desired_rate").unwrap(), "0");
        assert_eq!(attr(&res, "wasm", "target").unwrap(), "0");
        assert_eq!(
            suite.params().contribution_rate,
            rate.parse::<Decimal>().unwrap()
        );
        suite.advance(DAY);
    }
    // 300 + 0.03 × 10,000
    assert_b(&suite, &["a", "b", "c"], "600");

    // No exposure at all: the rate goes to min_rate.
    let mut p = cover_params();
    p.contribution_rate = Decimal::percent(4);
    let mut suite = SuiteBuilder::new()
        .params(p)
        .member("a", 0, 0, 1_000)
        .build();
    suite.recalibrate().unwrap();
    assert_eq!(suite.params().contribution_rate, Decimal::percent(1));
    assert_b(&suite, &["a"], "100");
}

#[test]
fn a_recalibrated_rate_is_rounded_up_so_b_meets_the_target() {
    // Exposures 1,000 each, Cover-2 requirement 2,000, SITG 700: T = 1,300;
    // desired = (1,300 − 3 × 100) / 3,000 = 1/3, rounded up at 18 decimals.
    let mut p = cover_params();
    p.sizing.max_rate_step = Decimal::one();
    p.sizing.max_rate = Decimal::one();
    let mut suite = SuiteBuilder::new()
        .params(p)
        .sitg(700)
        .member("a", 0, 0, 1_000)
        .member("b", 0, 0, 1_000)
        .member("c", 0, 0, 1_000)
        .build();
    suite
        .post_exposures(&[("a", 1_000), ("b", 1_000), ("c", 1_000)])
        .unwrap();
    suite.recalibrate().unwrap();
    assert_eq!(
        suite.params().contribution_rate,
        "0.333333333333333334".parse::<Decimal>().unwrap()
    );
    // Each: 100 + 0.333333333333333334 × 1,000 = 433.333333333333334;
    // B = 1,300.000000000000002 ≥ T, exact.
    for name in ["a", "b", "c"] {
        assert_eq!(rc(&suite, name), dec("433.333333333333334"));
    }
    assert_b(&suite, &["a", "b", "c"], "1300.000000000000002");
    assert_eq!(suite.coverage().total_required, Uint256::from(1_301u128));
}

#[test]
fn a_raise_opens_shortfalls_with_their_full_replenishment_period() {
    both(|settlement| {
        // Balances 400, 300, 200 meet 0.05: 350, 250, 200.
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .params(cover_params())
            .sitg(5_700)
            .member("a", 10_000, 0, 400)
            .member("b", 10_000, 0, 300)
            .member("c", 10_000, 0, 200)
            .build();
        suite
            .post_exposures(&[("a", 5_000), ("b", 3_000), ("c", 2_000)])
            .unwrap();
        for name in ["a", "b", "c"] {
            assert_eq!(suite.fund_member(name).shortfall_due, None, "{name}");
        }
        let t1 = time(&suite);
        // 0.05 → 0.10: a 600 (short 200), b 400 (short 100), c 300 (short 100),
        // each due a full replenishment period after the raise.
        suite.recalibrate().unwrap();
        let due1 = t1.plus_seconds(WEEK);
        for (name, short) in [("a", 200u128), ("b", 100), ("c", 100)] {
            let m = suite.fund_member(name);
            assert_eq!(m.shortfall.u128(), short, "{name}");
            assert_eq!(m.shortfall_due, Some(due1), "{name}");
            assert_eq!(m.replenishment_overdue.u128(), 0, "{name}");
        }
        suite.assert_conservation();

        // A day later a tops up to its requirement: its shortfall closes.
        suite.advance(DAY);
        suite.contribute("a", 200).unwrap();
        assert_eq!(suite.fund_member("a").shortfall_due, None);
        // Then 0.10 → 0.15: a opens a new shortfall with its own full period
        // (600 → 850: short 250); b's and c's dates do not move, their
        // amounts follow (b 550 − 300 = 250, c 400 − 200 = 200).
        let t2 = time(&suite);
        suite.recalibrate().unwrap();
        let due2 = t2.plus_seconds(WEEK);
        let a = suite.fund_member("a");
        assert_eq!((a.shortfall.u128(), a.shortfall_due), (250, Some(due2)));
        let b = suite.fund_member("b");
        assert_eq!((b.shortfall.u128(), b.shortfall_due), (250, Some(due1)));
        let c = suite.fund_member("c");
        assert_eq!((c.shortfall.u128(), c.shortfall_due), (200, Some(due1)));

        // One second before b's date: enforcement is refused, naming it.
        suite.advance(WEEK - DAY - 1);
        let e = suite.refused(|s| s.enforce_replenishment("b"));
        assert_eq!(
            fund_err(&e),
            &ContractError::NoReplenishmentDue {
                shortfall: Uint128::new(250),
                due: Some(due1),
            }
        );
        // On its date: 250 drawn from b's excess margin into its balance.
        suite.advance(1);
        assert_eq!(suite.fund_member("b").replenishment_overdue.u128(), 250);
        suite.enforce_replenishment("b").unwrap();
        let b = suite.fund_member("b");
        assert_eq!(b.balance.u128(), 550);
        assert_eq!(b.shortfall.u128(), 0);
        assert_eq!(b.shortfall_due, None);
        assert_eq!(suite.vault_member("b").balance.u128(), 9_750);
        // a's own date is a day later.
        let e = suite.refused(|s| s.enforce_replenishment("a"));
        assert_eq!(
            fund_err(&e),
            &ContractError::NoReplenishmentDue {
                shortfall: Uint128::new(250),
                due: Some(due2),
            }
        );
        suite.advance(DAY);
        suite.enforce_replenishment("a").unwrap();
        assert_eq!(suite.fund_member("a").balance.u128(), 850);
        assert_eq!(suite.vault_member("a").balance.u128(), 9_750);
        // c, never touched since the first raise, is enforced on the same rule.
        suite.enforce_replenishment("c").unwrap();
        assert_eq!(suite.fund_member("c").balance.u128(), 400);
        assert_b(&suite, &["a", "b", "c"], "1800");
        suite.assert_books_match_tokens();
    });
}

#[test]
fn a_posted_raise_opens_a_shortfall_and_a_cut_closes_it() {
    both(|settlement| {
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .params(cover_params())
            .member("a", 10_000, 0, 300)
            .build();
        suite.post_exposures(&[("a", 4_000)]).unwrap();
        // 100 + 0.05 × 4,000 = 300: met.
        assert_eq!(suite.fund_member("a").shortfall_due, None);
        suite.advance(DAY);
        let t = time(&suite);
        // 100 + 0.05 × 6,000 = 400: short 100, due a full period after the post.
        suite.post_exposures(&[("a", 6_000)]).unwrap();
        let m = suite.fund_member("a");
        assert_eq!(m.shortfall.u128(), 100);
        assert_eq!(m.shortfall_due, Some(t.plus_seconds(WEEK)));
        assert_b(&suite, &["a"], "400");
        // A cut back under the balance closes it.
        suite.post_exposures(&[("a", 3_000)]).unwrap();
        let m = suite.fund_member("a");
        assert_eq!((m.shortfall.u128(), m.shortfall_due), (0, None));
        assert_b(&suite, &["a"], "250");
        // In fixed mode an exposure moves nothing.
        suite
            .change_params(|p| {
                p.sizing.mode = Basis::RequiredMargin;
            })
            .unwrap();
        suite.post_exposures(&[("a", 1_000_000)]).unwrap();
        assert_eq!(suite.fund_member("a").shortfall_due, None);
        assert_b(&suite, &["a"], "100");
        suite.assert_conservation();
    });
}

#[test]
fn sizing_parameters_change_by_governance_and_by_sudo() {
    let mut suite = SuiteBuilder::new()
        .member("a", 10_000, 2_000, 1_000)
        .member("b", 10_000, 1_000, 1_000)
        .build();
    suite.post_exposures(&[("a", 3_000), ("b", 5_000)]).unwrap();
    // Fixed: 100 + 0.1 × required margin.
    assert_eq!(rc(&suite, "a"), dec("300"));
    assert_b(&suite, &["a", "b"], "500");

    // Chain governance switches to cover mode: every requirement follows
    // the exposures at once: a 100 + 0.05 × 3,000 = 250, b 350.
    let mut p = cover_params();
    p.sizing.cover = 1;
    p.sizing.buffer = Decimal::percent(50);
    let fund = suite.fund.clone();
    let res = suite
        .app
        .wasm_sudo(
            fund.clone(),
            &fund::SudoMsg::UpdateParams { params: p.clone() },
        )
        .unwrap();
    assert_eq!(attr(&res, "wasm", "sizing").unwrap(), "cover");
    assert_eq!(suite.params(), p);
    assert_eq!(suite.fund_state().basis, Basis::StressExposure);
    assert_eq!(rc(&suite, "a"), dec("250"));
    assert_eq!(rc(&suite, "b"), dec("350"));
    assert_b(&suite, &["a", "b"], "600");
    // Cover-1 with a 50 % buffer: ceil(1.5 × 5,000) = 7,500.
    let c = suite.coverage();
    assert_eq!(c.requirement, Uint256::from(7_500u128));
    assert_eq!(c.basis, Basis::StressExposure);
    assert_eq!(c.next_recalibration, Some(time(&suite)));

    // Governance: Cover-2, buffer 0.1: ceil(1.1 × 8,000) = 8,800.
    suite
        .change_params(|p| {
            p.sizing.cover = 2;
            p.sizing.buffer = Decimal::percent(10);
        })
        .unwrap();
    assert_eq!(suite.coverage().requirement, Uint256::from(8_800u128));
    // Back to fixed by sudo: requirements follow the margins again.
    p.sizing.mode = Basis::RequiredMargin;
    suite
        .app
        .wasm_sudo(fund, &fund::SudoMsg::UpdateParams { params: p })
        .unwrap();
    assert_eq!(rc(&suite, "a"), dec("200")); // 100 + 0.05 × 2,000
    assert_b(&suite, &["a", "b"], "350");
    assert_eq!(suite.coverage().next_recalibration, None);
}

#[test]
fn bad_sizing_parameters_are_refused_and_change_nothing() {
    let mut suite = SuiteBuilder::new()
        .params(cover_params())
        .member("a", 10_000, 0, 1_000)
        .build();
    suite.post_exposures(&[("a", 3_000)]).unwrap();
    type Change = fn(&mut FundParams);
    let cases: [(&str, Change); 9] = [
        ("sizing.cover", |p| p.sizing.cover = 0),
        ("sizing.cover", |p| p.sizing.cover = 3),
        ("sizing.buffer", |p| {
            p.sizing.buffer = Decimal::percent(1_001)
        }),
        ("sizing.max_rate", |p| {
            p.sizing.max_rate = Decimal::percent(101)
        }),
        ("sizing.min_rate", |p| {
            p.sizing.min_rate = Decimal::percent(20);
            p.sizing.max_rate = Decimal::percent(10);
        }),
        ("sizing.max_rate_step", |p| {
            p.sizing.max_rate_step = Decimal::zero()
        }),
        ("sizing.max_rate_step", |p| {
            p.sizing.max_rate_step = Decimal::percent(101)
        }),
        ("sizing.recalibration_interval", |p| {
            p.sizing.recalibration_interval = 0
        }),
        // In cover mode the rate must lie within the bounds.
        ("contribution_rate", |p| {
            p.contribution_rate = Decimal::percent(60)
        }),
    ];
    for (name, change) in cases {
        let mut p = suite.params();
        change(&mut p);
        let cov = suite.coverage();
        let e = suite.refused(|s| s.update_params(p.clone()));
        match fund_err(&e) {
            ContractError::InvalidParam { name: n, .. } => assert_eq!(n, name),
            other => panic!("{name}: {other:?}"),
        }
        // Chain governance is held to the same rules.
        let fund = suite.fund.clone();
        let e = suite.refused(|s| {
            s.app
                .wasm_sudo(fund, &fund::SudoMsg::UpdateParams { params: p })
        });
        assert!(matches!(fund_err(&e), ContractError::InvalidParam { .. }));
        assert_eq!(suite.coverage(), cov);
    }
    // A negative buffer does not even parse.
    let mut json = serde_json::to_value(fund::ExecuteMsg::UpdateParams {
        params: suite.params(),
    })
    .unwrap();
    json["update_params"]["params"]["sizing"]["buffer"] = "-0.1".into();
    let gov = suite.governor();
    let fund = suite.fund.clone();
    let e = suite.refused(|s| s.app.execute_contract(gov, fund, &json, &[]));
    assert!(
        format!("{e:?}").contains("Error parsing decimal '-0.1'"),
        "{e:?}"
    );
    // Only governance changes them.
    let p = suite.params();
    let a = suite.addr("a");
    let e = suite.refused(|s| s.execute_fund(&a, &fund::ExecuteMsg::UpdateParams { params: p }));
    assert!(matches!(fund_err(&e), ContractError::Unauthorized { .. }));
}

#[test]
fn exposures_are_the_risk_engines_for_live_members_only() {
    let mut suite = SuiteBuilder::new()
        .params(cover_params())
        .member("a", 10_000, 0, 1_000)
        .member("d", 10_000, 0, 1_000)
        .member("x", 10_000, 0, 1_000)
        .build();
    suite.post_exposures(&[("a", 3_000)]).unwrap();
    suite.declare_default("d", 100).unwrap();
    suite.request_exit("x").unwrap();
    suite.advance(14 * DAY);
    suite.complete_exit("x").unwrap();
    let check = |suite: &mut Suite, posts: Vec<(&str, u128)>| -> anyhow::Error {
        let cov = suite.coverage();
        let e = suite.refused(|s| s.post_exposures(&posts));
        assert_eq!(suite.coverage(), cov);
        e
    };
    let unknown = suite.addr("nobody").to_string();
    let e = check(&mut suite, vec![("nobody", 1)]);
    assert_eq!(
        fund_err(&e),
        &ContractError::UnknownMember { address: unknown }
    );
    // A batch is refused whole: a's post does not stay.
    let d = suite.addr("d").to_string();
    let e = check(&mut suite, vec![("a", 5), ("d", 1)]);
    assert_eq!(fund_err(&e), &ContractError::MemberInDefault { address: d });
    let x = suite.addr("x").to_string();
    let e = check(&mut suite, vec![("x", 1)]);
    assert_eq!(fund_err(&e), &ContractError::MemberExited { address: x });
    let e = check(&mut suite, vec![]);
    assert!(matches!(fund_err(&e), ContractError::InvalidParam { .. }));
    let e = check(&mut suite, vec![("a", 1); 51]);
    assert_eq!(
        fund_err(&e),
        &ContractError::TooManyExposures { count: 51, max: 50 }
    );
    // Not the risk engine: governance and members are refused.
    for sender in [suite.governor(), suite.addr("a")] {
        let msg = fund::ExecuteMsg::PostExposures {
            exposures: vec![fund::ExposurePost {
                member: suite.addr("a").to_string(),
                amount: Uint128::new(1),
            }],
        };
        let e = suite.refused(|s| s.execute_fund(&sender, &msg));
        assert!(matches!(fund_err(&e), ContractError::Unauthorized { .. }));
    }
    // A batch at the limit is fine (each member once).
    let names: Vec<String> = (0..50).map(|i| format!("x{i}")).collect();
    for n in &names {
        suite.add_member(n, 0).unwrap();
    }
    let posts: Vec<(&str, u128)> = names.iter().map(|n| (n.as_str(), 7)).collect();
    suite.post_exposures(&posts).unwrap();
    assert_eq!(suite.fund_member("x49").exposure.u128(), 7);
}

#[test]
fn sizing_holds_for_exposures_of_ten_to_the_thirty() {
    both(|settlement| {
        let e30 = 10u128.pow(30);
        let mut p = cover_params();
        p.sizing.cover = 1;
        p.sizing.max_rate = Decimal::one();
        p.sizing.max_rate_step = Decimal::one();
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .params(p)
            .member("a", 0, 0, e30)
            .member("b", 0, 0, e30 / 2)
            .build();
        suite.post_exposures(&[("a", e30), ("b", e30 / 2)]).unwrap();
        // Cover-1: requirement 10^30; prefunded 1.5 × 10^30: ratio 1.5.
        let c = suite.coverage();
        assert_eq!(c.requirement, Uint256::from(e30));
        assert_eq!(c.prefunded.u128(), e30 + e30 / 2);
        assert_eq!(c.ratio, Some(dec("1.5")));
        // desired = (10^30 − 2 × 100) / (1.5 × 10^30), just under 2/3,
        // rounded up at 18 decimals: 0.666666666666666667.
        suite.recalibrate().unwrap();
        assert_eq!(
            suite.params().contribution_rate,
            "0.666666666666666667".parse::<Decimal>().unwrap()
        );
        // a: 100 + 0.666666666666666667 × 10^30
        //  = 666,666,666,666,666,667,000,000,000,100
        // b: 100 + 0.666666666666666667 × 5 × 10^29
        //  = 333,333,333,333,333,333,500,000,000,100
        // B = 1,000,000,000,000,000,000,500,000,000,200 ≥ T = 10^30.
        assert_eq!(rc(&suite, "a"), dec("666666666666666667000000000100"));
        assert_eq!(rc(&suite, "b"), dec("333333333333333333500000000100"));
        assert_b(&suite, &["a", "b"], "1000000000000000000500000000200");
        // Both balances (10^30 and 5 × 10^29) still meet them.
        for name in ["a", "b"] {
            let m = suite.fund_member(name);
            assert_eq!((m.shortfall.u128(), m.shortfall_due), (0, None), "{name}");
        }
        suite.assert_conservation();
    });
}
