//! Withdrawal with notice (SPEC v2 §3 "Withdrawal notice", "Cooling-off"):
//! a request only for the part above the required contribution; after the
//! notice, `min(requested, balance − required contribution)` then; no
//! claim while a cooling-off period is open or anything is owed; a claim
//! window that starts at the notice's end, or at the end of a cooling-off
//! period open at that moment (not one that opens later), after which the
//! request lapses. A cooling-off period opens only when survivors pay.
//!
//! Moved here from `test_contributions.rs` (one flow per file).

use clearing_suite::fund_flows::{attr, both, fund_blocked, fund_err, DAY};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{FundParams, PendingWithdrawal};
use clearing_types::ledger::Blocked;
use cosmwasm_std::{Decimal, Timestamp, Uint128};
use default_fund::ContractError;

const NOTICE: u64 = 14 * DAY;
const WINDOW: u64 = 7 * DAY;
const COOLING_OFF: u64 = 28 * DAY;

fn params() -> FundParams {
    FundParams {
        min_contribution: Uint128::new(100),
        contribution_rate: Decimal::percent(10),
        assessment_multiple: Decimal::percent(200),
        cooling_off_period: COOLING_OFF,
        assessment_deadline: DAY,
        replenishment_period: 7 * DAY,
        withdrawal_notice_period: NOTICE,
        withdrawal_claim_window: WINDOW,
        ..FundParams::default()
    }
}

/// Required contributions (100 + 10% of required margin): sam 400 (holds
/// 600: 200 above), sue 300 (holds 400: 100 above), dora 200 (holds
/// nothing, no margin: her defaults fall on SITG 100, then the pool).
fn suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(params())
        .sitg(100)
        .member("dora", 0, 1_000, 0)
        .member("sam", 10_000, 3_000, 600)
        .member("sue", 10_000, 2_000, 400)
        .build()
}

fn lapsed(at: Timestamp) -> ContractError {
    ContractError::WithdrawalLapsed { lapsed_at: at }
}

#[test]
fn withdrawal_after_notice_pays_the_requested_amount() {
    both(|s| {
        let mut suite = suite(s);
        let t = suite.time();
        // All of sam's 200 above his requirement.
        let res = suite.request_withdrawal("sam", 200).unwrap();
        let claimable_at = t.plus_seconds(NOTICE);
        assert_eq!(
            attr(&res, "wasm", "claimable_at"),
            Some(claimable_at.seconds().to_string())
        );
        assert_eq!(
            attr(&res, "wasm", "lapses_at"),
            Some((claimable_at.seconds() + WINDOW).to_string())
        );
        assert_eq!(
            suite.fund_member("sam").pending_withdrawal,
            Some(PendingWithdrawal {
                amount: Uint128::new(200),
                claimable_at,
                // The window in force at the request, fixed with it.
                claim_window: WINDOW,
            })
        );
        suite.advance(NOTICE - 1);
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), ContractError::NoticeNotOver { claimable_at });
        suite.advance(1);
        suite.claim_withdrawal("sam").unwrap();
        assert_eq!(suite.balance_of("sam"), 200);
        let sam = suite.fund_member("sam");
        assert_eq!((sam.balance.u128(), sam.shortfall_due), (400, None));
        assert!(sam.pending_withdrawal.is_none());
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), ContractError::NoWithdrawalRequested {});
        suite.assert_conservation();
    });
}

/// v1 let a member request (and claim) its whole contribution before any
/// default; v2 only the part above the required contribution.
#[test]
fn a_request_only_for_the_part_above_the_requirement() {
    both(|s| {
        let mut suite = suite(s);
        let e = suite.refused(|s| s.request_withdrawal("sam", 201));
        assert_eq!(
            *fund_err(&e),
            ContractError::ExceedsAvailable {
                requested: Uint128::new(201),
                available: Uint128::new(200)
            }
        );
        let e = suite.refused(|s| s.request_withdrawal("sam", 0));
        assert_eq!(*fund_err(&e), ContractError::ZeroAmount {});
        let mallory = suite.addr("mallory").to_string();
        let e = suite.refused(|s| s.request_withdrawal("mallory", 1));
        assert_eq!(
            *fund_err(&e),
            ContractError::UnknownMember { address: mallory }
        );
        // dora holds nothing above her 200: nothing to request.
        let e = suite.refused(|s| s.request_withdrawal("dora", 1));
        assert_eq!(
            *fund_err(&e),
            ContractError::ExceedsAvailable {
                requested: Uint128::new(1),
                available: Uint128::zero()
            }
        );
        // The requirement rises during the notice (rm 4,000: 500 required):
        // the claim pays min(200, 600 − 500) = 100.
        suite.request_withdrawal("sam", 200).unwrap();
        suite.set_required_margin("sam", 4_000).unwrap();
        suite.advance(NOTICE);
        suite.claim_withdrawal("sam").unwrap();
        assert_eq!(suite.balance_of("sam"), 100);
        assert_eq!(suite.stake("sam"), 500);
        suite.assert_conservation();
    });
}

#[test]
fn a_loss_during_the_notice_still_applies_and_cooling_off_blocks_the_claim() {
    both(|s| {
        let mut suite = suite(s);
        suite.contribute("sam", 600).unwrap(); // 1,200: 800 above 400
        let t = suite.time();
        suite.request_withdrawal("sam", 800).unwrap();
        suite.advance(DAY);
        // dora's 600: SITG 100, then 500 of the 1,600 pool: sam keeps
        // 1,200 × 1,100/1,600 = 825, sue 400 × 1,100/1,600 = 275.
        let r = suite.declare_default("dora", 600).unwrap();
        assert!(r.opened_cooling_off);
        assert_eq!((suite.stake("sam"), suite.stake("sue")), (825, 275));
        let ends = t.plus_seconds(DAY + COOLING_OFF);
        suite.advance(NOTICE);
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), ContractError::CoolingOffOpen { ends });
        suite.advance(COOLING_OFF - NOTICE);
        assert_eq!(suite.time(), ends);
        suite.claim_withdrawal("sam").unwrap();
        // min(requested 800, 825 − 400) = 425.
        assert_eq!(suite.balance_of("sam"), 425);
        assert_eq!(suite.stake("sam"), 400);
        suite.assert_conservation();
    });
}

/// A claim while owing anything at all, due or not, is refused (margin
/// may still leave until it is due).
#[test]
fn no_claim_while_owing() {
    both(|s| {
        let mut suite = SuiteBuilder::new()
            .settlement(s)
            .params(FundParams {
                assessment_deadline: 60 * DAY,
                ..params()
            })
            .member("dora", 0, 1_000, 0)
            .member("sam", 10_000, 3_000, 0)
            .build();
        suite.contribute("sam", 450).unwrap();
        suite.request_withdrawal("sam", 50).unwrap();
        // dora's 10,000 takes the whole pool (450) and assesses sam the
        // cap: 2 × B = 2 × 400 = 800, due in 60 days.
        let r = suite.declare_default("dora", 10_000).unwrap();
        assert_eq!(r.layers.assessments.u128(), 800);
        assert_eq!(suite.stake("sam"), 0);
        suite.contribute("sam", 500).unwrap(); // 100 above 400
        suite.request_withdrawal("sam", 100).unwrap();
        suite.advance(COOLING_OFF);
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(
            *fund_err(&e),
            fund_blocked(Blocked::Owes(Uint128::new(800)))
        );
        suite.withdraw_margin("sam", 1).unwrap();
        suite.pay_assessment("sam").unwrap();
        let wallet = suite.balance_of("sam");
        suite.claim_withdrawal("sam").unwrap();
        assert_eq!(suite.balance_of("sam"), wallet + 100);
        suite.assert_conservation();
    });
}

/// The issue 11 input: a request made once and claimed 200 days later (in
/// v1, in the block before a default) has lapsed.
#[test]
fn a_request_lapses_after_its_claim_window() {
    both(|s| {
        let mut suite = suite(s);
        let t = suite.time();
        suite.request_withdrawal("sam", 200).unwrap();
        suite.advance(200 * DAY);
        let lapsed_at = t.plus_seconds(NOTICE + WINDOW);
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), lapsed(lapsed_at));
        // Requesting again starts a new notice.
        suite.request_withdrawal("sam", 200).unwrap();
        suite.advance(NOTICE);
        suite.claim_withdrawal("sam").unwrap();
        assert_eq!(suite.balance_of("sam"), 200);
    });
}

#[test]
fn the_claim_window_ends_to_the_second() {
    both(|s| {
        for (wait, claims) in [(NOTICE + WINDOW - 1, true), (NOTICE + WINDOW, false)] {
            let mut suite = suite(s);
            let t = suite.time();
            suite.request_withdrawal("sam", 200).unwrap();
            suite.advance(wait);
            if claims {
                suite.claim_withdrawal("sam").unwrap();
                assert_eq!(suite.balance_of("sam"), 200);
            } else {
                let e = suite.refused(|s| s.claim_withdrawal("sam"));
                assert_eq!(*fund_err(&e), lapsed(t.plus_seconds(NOTICE + WINDOW)));
            }
        }
    });
}

/// A cooling-off period open when the notice ends pushes the start of the
/// claim window to the period's end — also one that opens at that very
/// second.
#[test]
fn a_cooling_off_period_open_at_the_notice_end_moves_the_window() {
    both(|s| {
        // The default comes 1 day into the notice, or exactly at its end.
        for default_after in [DAY, NOTICE] {
            // Claim one second before the window closes, and at its close.
            for last_second in [true, false] {
                let mut suite = suite(s);
                suite.align_to_second();
                let t = suite.time();
                suite.request_withdrawal("sam", 100).unwrap();
                suite.advance(default_after);
                // 101: SITG 100, then 1 of the pool: a cooling-off period opens.
                assert!(
                    suite
                        .declare_default("dora", 101)
                        .unwrap()
                        .opened_cooling_off
                );
                let window_ends = t.plus_seconds(default_after + COOLING_OFF + WINDOW);
                let now = suite.time();
                let wait = window_ends.seconds() - now.seconds() - u64::from(last_second);
                suite.advance(wait);
                if last_second {
                    suite.claim_withdrawal("sam").unwrap();
                    assert_eq!(suite.balance_of("sam"), 100, "{default_after}");
                } else {
                    let e = suite.refused(|s| s.claim_withdrawal("sam"));
                    assert_eq!(*fund_err(&e), lapsed(window_ends), "{default_after}");
                }
            }
        }
    });
}

/// A request made while a cooling-off period is open, with its notice
/// ending inside the period, announces the lapse from the period's end
/// (`lapses_at`, as the claim then applies it). Was a bug until this
/// test's commit: the response said notice end + window (found by a
/// newcomer's review of the scenario runner's report).
#[test]
fn a_request_inside_a_cooling_off_period_announces_the_lapse_from_its_end() {
    both(|s| {
        let mut suite = suite(s);
        suite.align_to_second();
        let t = suite.time();
        // 101: SITG 100, then 1 of the pool: a period from t to t + 28 days.
        assert!(
            suite
                .declare_default("dora", 101)
                .unwrap()
                .opened_cooling_off
        );
        suite.advance(DAY);
        let res = suite.request_withdrawal("sam", 100).unwrap();
        let lapses = t.plus_seconds(COOLING_OFF + WINDOW);
        assert_eq!(
            attr(&res, "wasm", "lapses_at"),
            Some(lapses.seconds().to_string())
        );
        suite.advance(COOLING_OFF + WINDOW - DAY - 1);
        suite.claim_withdrawal("sam").unwrap();
        assert_eq!(suite.balance_of("sam"), 100);
    });
}

/// One that opens after the notice ended does not: the request lapses
/// while the period blocks every claim.
#[test]
fn a_cooling_off_period_opening_later_does_not_move_the_window() {
    both(|s| {
        let mut suite = suite(s);
        let t = suite.time();
        suite.request_withdrawal("sam", 100).unwrap();
        suite.advance(NOTICE + 1);
        assert!(
            suite
                .declare_default("dora", 101)
                .unwrap()
                .opened_cooling_off
        );
        let ends = t.plus_seconds(NOTICE + 1 + COOLING_OFF);
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), ContractError::CoolingOffOpen { ends });
        suite.advance(COOLING_OFF);
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), lapsed(t.plus_seconds(NOTICE + WINDOW)));
    });
}

/// A default covered by layers 1–3 opens no cooling-off period and blocks
/// nobody's claim; one unit more reaches the survivors and opens one.
#[test]
fn cooling_off_opens_only_when_survivors_pay() {
    both(|s| {
        // 100: exactly the SITG tranche.
        let mut suite = suite(s);
        suite.request_withdrawal("sam", 200).unwrap();
        suite.advance(DAY);
        assert!(
            !suite
                .preview_default("dora", 100)
                .unwrap()
                .opened_cooling_off
        );
        let r = suite.declare_default("dora", 100).unwrap();
        assert_eq!(r.layers.sitg.u128(), 100);
        assert!(!r.opened_cooling_off);
        let state = suite.fund_state();
        assert_eq!((state.cooling_off, state.cooling_off_open), (None, false));
        suite.advance(NOTICE);
        suite.claim_withdrawal("sam").unwrap();
        assert_eq!(suite.balance_of("sam"), 200);

        // 101: one unit on the pool.
        let mut suite = suite_fresh(s);
        suite.request_withdrawal("sam", 100).unwrap();
        suite.advance(DAY);
        let r = suite.declare_default("dora", 101).unwrap();
        assert_eq!(r.layers.mutual_fund.u128(), 1);
        assert!(r.opened_cooling_off);
        let ends = suite.time().plus_seconds(COOLING_OFF);
        assert_eq!(suite.fund_state().cooling_off.unwrap().ends, ends);
        suite.advance(NOTICE);
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), ContractError::CoolingOffOpen { ends });
        suite.assert_conservation();
    });
}

/// An exit whose notice is over waits for the end of an open cooling-off
/// period too.
#[test]
fn an_exit_waits_for_the_cooling_off_period() {
    both(|s| {
        let mut suite = suite(s);
        suite.declare_default("dora", 101).unwrap();
        let ends = suite.time().plus_seconds(COOLING_OFF);
        suite.request_exit("sue").unwrap();
        suite.advance(NOTICE);
        let e = suite.refused(|s| s.complete_exit("sue"));
        assert_eq!(*fund_err(&e), ContractError::CoolingOffOpen { ends });
        suite.advance(COOLING_OFF - NOTICE);
        // sue holds 400 × 999/1,000 = 399.6: 399 paid; her whole margin
        // (10,000) leaves with her next withdrawal.
        let wallet = suite.balance_of("sue");
        suite.complete_exit("sue").unwrap();
        assert_eq!(suite.balance_of("sue"), wallet + 399);
        suite.withdraw_margin("sue", 10_000).unwrap();
        assert_eq!(suite.balance_of("sue"), wallet + 399 + 10_000);
        suite.assert_conservation();
    });
}

fn suite_fresh(settlement: Settlement) -> Suite {
    suite(settlement)
}

/// A claim window that starts at the end of a cooling-off period runs
/// from that end to the nanosecond: half a second before it closes, the
/// request is still claimable. (Was a bug until 20c75d6: the fund kept
/// cooling-off periods in whole seconds in `COOLING_OFF_PERIODS`, so the
/// window started at the period's end truncated to the second and closed
/// up to a second early. Block times on a chain carry nanoseconds, and so
/// do cw-multi-test's.)
#[test]
fn the_claim_window_after_cooling_off_runs_to_the_nanosecond() {
    let mut suite = suite(Settlement::Native);
    let t = suite.time();
    assert_ne!(t.subsec_nanos(), 0, "the block time carries nanoseconds");
    suite.request_withdrawal("sam", 100).unwrap();
    suite.advance(DAY);
    suite.declare_default("dora", 101).unwrap();
    let ends = suite.fund_state().cooling_off.unwrap().ends;
    assert_eq!(ends, t.plus_seconds(DAY + COOLING_OFF));
    // The window runs from the period's end for WINDOW seconds: half a
    // second before it closes the request must still be claimable.
    let window_ends = ends.plus_seconds(WINDOW);
    suite.app.update_block(|b| {
        b.time = window_ends.minus_nanos(500_000_000);
        b.height += 1;
    });
    suite
        .claim_withdrawal("sam")
        .expect("claimable until the window's end (got WithdrawalLapsed at the whole second)");
    assert_eq!(suite.balance_of("sam"), 100);
}

/// A cooling-off period that opened and ended before the notice's end does
/// not move the window: it runs from the notice's end.
#[test]
fn a_cooling_off_period_over_before_the_notice_ends_does_not_move_the_window() {
    both(|s| {
        let mut suite = SuiteBuilder::new()
            .settlement(s)
            .params(FundParams {
                cooling_off_period: 5 * DAY,
                ..params()
            })
            .sitg(100)
            .member("dora", 0, 1_000, 0)
            .member("sam", 10_000, 3_000, 600)
            .build();
        suite.align_to_second();
        let t = suite.time();
        suite.request_withdrawal("sam", 100).unwrap();
        suite.advance(DAY);
        // 101: SITG 100, then 1 of sam's 600: a period from day 1 to day 6.
        assert!(
            suite
                .declare_default("dora", 101)
                .unwrap()
                .opened_cooling_off
        );
        suite.advance(NOTICE + WINDOW - DAY);
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), lapsed(t.plus_seconds(NOTICE + WINDOW)));
    });
}

/// The claim window is fixed when the request is made
/// (`PendingWithdrawal.claim_window`): governance shortening it afterwards
/// does not make the request lapse before the `lapses_at` its response
/// announced. (Was a bug until 20c75d6: the window was read from the
/// parameters at claim time.)
#[test]
fn a_request_keeps_the_claim_window_in_force_when_it_was_made() {
    let mut suite = suite(Settlement::Native);
    let res = suite.request_withdrawal("sam", 200).unwrap();
    let announced: u64 = attr(&res, "wasm", "lapses_at").unwrap().parse().unwrap();
    suite
        .change_params(|p| p.withdrawal_claim_window = 1)
        .unwrap();
    let pending = suite.fund_member("sam").pending_withdrawal.unwrap();
    assert_eq!(pending.claim_window, WINDOW);
    assert_eq!(
        pending.claimable_at.plus_seconds(WINDOW).seconds(),
        announced
    );
    suite.advance(NOTICE + DAY);
    assert!(suite.now() < announced);
    suite
        .claim_withdrawal("sam")
        .expect("claimable until the lapses_at its request announced");
    assert_eq!(suite.balance_of("sam"), 200);
}
