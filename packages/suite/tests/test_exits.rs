//! Leaving with a liability tail (SPEC v2 §8, issue 16): a member gives
//! notice (or governance forces it); during the notice it bears losses,
//! assessments and replenishment like any other member and may not vote
//! on what opens after it; after the notice, outside any open cooling-off
//! period and owing nothing, `CompleteExit` pays its whole balance, fees
//! and recovery credits (fund) and it leaves `B`; the vault, reading the
//! fund's record, then lets it take its whole margin (no requirement) with
//! its next withdrawal, and closes its account once it is empty (since
//! 20c75d6: the margin no longer arrives with `CompleteExit`). Native and
//! cw20.

use clearing_suite::fund_flows::{attr, both, fund_blocked, fund_err, overdue, vault_err, DAY};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{self, FundParams, MemberStatus};
use clearing_types::ledger::Blocked;
use clearing_types::vault::{self, MarginStatus};
use cosmwasm_std::{Decimal256, Timestamp, Uint128};
use default_fund::ContractError;

const NOTICE: u64 = 14 * DAY;

fn time(suite: &Suite) -> Timestamp {
    suite.app.block_info().time
}

fn check(suite: &Suite) {
    suite.assert_conservation();
    suite.assert_books_match_tokens();
}

fn b(suite: &Suite) -> Decimal256 {
    suite.fund_state().total_required
}

fn whole(v: u128) -> Decimal256 {
    Decimal256::from_ratio(v, 1u128)
}

fn vault_totals(suite: &Suite) -> vault::TotalsResponse {
    suite.query_vault(&vault::QueryMsg::Totals {})
}

/// A keeper's `SettleMembers`: brings the records up to date (recovery
/// credits are collected lazily; the member query shows them once the
/// record is settled).
fn settle(suite: &mut Suite, names: &[&str]) {
    let members = names.iter().map(|n| suite.addr(n).to_string()).collect();
    let keeper = suite.addr("keeper");
    suite
        .execute_fund(&keeper, &fund::ExecuteMsg::SettleMembers { members })
        .unwrap();
}

#[test]
fn notice_the_day_before_a_default_bears_it_all_then_leaves() {
    both(|settlement| {
        // Default params: min 100, rate 10 %, multiple 2, notice 14 days,
        // cooling-off 28 days, deadline 1 day, replenishment 7 days.
        //   x: rm 4,000 → rc 500, balance 800, margin 8,000 (the leaver)
        //   y: rm 4,000 → rc 500, balance 500
        //   z: rm 2,000 → rc 300, balance 300
        //   d: rm 1,000 → rc 200, balance 200, margin 1,000 (the defaulter)
        // B = 4 × 100 + 0.1 × 11,000 = 1,500.
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .sitg(1_000)
            .member("x", 8_000, 4_000, 800)
            .member("y", 8_000, 4_000, 500)
            .member("z", 5_000, 2_000, 300)
            .member("d", 1_000, 1_000, 200)
            .build();
        assert_eq!(b(&suite), whole(1_500));
        assert_eq!(suite.fund_state().voters, 4);

        // Day 0: x gives notice. It may not vote on anything opened from
        // now on; it is still in B and in the pool.
        let t0 = time(&suite);
        let res = suite.request_exit("x").unwrap();
        assert_eq!(
            attr(&res, "wasm", "exit_available_at").unwrap(),
            t0.plus_seconds(NOTICE).seconds().to_string()
        );
        let x = suite.fund_member("x");
        assert_eq!(x.exit_notice_at, Some(t0));
        assert_eq!(x.exit_available_at, Some(t0.plus_seconds(NOTICE)));
        assert!(!x.may_vote);
        assert_eq!(x.status, MemberStatus::Active);
        let s = suite.fund_state();
        assert_eq!((s.voters, s.members), (3, 4));
        assert_eq!(s.total_required, whole(1_500));
        // Not twice.
        let e = suite.refused(|s| s.request_exit("x"));
        assert_eq!(
            fund_err(&e),
            &ContractError::ExitAlreadyRequested {
                address: suite.addr("x").to_string()
            }
        );

        // Day 1: d defaults on 4,000.
        //   L1 margin 1,000 → 3,000; L2 balance 200 → 2,800; L3 SITG 1,000
        //   → 1,800; L4 survivors 800 + 500 + 300 = 1,600 → 200;
        //   L5: B without d = 3 × 100 + 0.1 × 10,000 = 1,300, cap 2,600, A = 200.
        // x bears its full share of both: its whole 800 in L4 (800 / 1,600
        // of 1,600) and ceil(500 × 200 / 1,300) = ceil(76.9) = 77 in L5.
        suite.advance(DAY);
        let t1 = time(&suite);
        let r = suite.declare_default("d", 4_000).unwrap();
        assert_eq!(r.layers.mutual_fund.u128(), 1_600);
        assert_eq!(r.layers.assessments.u128(), 200);
        assert!(r.opened_cooling_off);
        let x = suite.fund_member("x");
        assert_eq!(x.balance.u128(), 0);
        assert_eq!(x.assessment_owed.u128(), 77);
        assert_eq!(suite.owed("y"), 77);
        assert_eq!(suite.owed("z"), 47); // ceil(300 × 200 / 1,300) = ceil(46.2)
                                         // Its shortfall (500 − 0) falls due a replenishment period after the default.
        assert_eq!(x.shortfall.u128(), 500);
        assert_eq!(x.shortfall_due, Some(t1.plus_seconds(7 * DAY)));
        assert_eq!(suite.recipient_wallet(), 1_000 + 200 + 1_000 + 1_600);
        // It pays its share.
        suite.pay_assessment("x").unwrap();
        assert_eq!(suite.recipient_wallet(), 3_800 + 77);
        assert_eq!(suite.owed("x"), 0);
        check(&suite);

        // Day 8: its shortfall is overdue; a keeper draws it from its
        // excess margin (8,000 − 4,000) into its balance.
        suite.advance(7 * DAY);
        assert_eq!(suite.fund_member("x").replenishment_overdue.u128(), 500);
        suite.enforce_replenishment("x").unwrap();
        assert_eq!(suite.stake("x"), 500);
        assert_eq!(suite.margin("x"), 7_500);
        check(&suite);

        // Day 14: the notice is over, but the cooling-off period the
        // default opened runs to day 29.
        suite.advance(6 * DAY);
        let ends = t1.plus_seconds(28 * DAY);
        let e = suite.refused(|s| s.complete_exit("x"));
        assert_eq!(fund_err(&e), &ContractError::CoolingOffOpen { ends });

        // Day 29: it leaves the fund with its balance (500, no fees, no
        // recovery credits); its margin (7,500) waits in the vault.
        suite.advance(ends.seconds() - time(&suite).seconds());
        let before = suite.balance_of("x");
        let res = suite.complete_exit("x").unwrap();
        assert_eq!(suite.balance_of("x") - before, 500);
        assert_eq!(attr(&res, "wasm", "balance").unwrap(), "500");
        assert_eq!(attr(&res, "wasm", "fees").unwrap(), "0");
        assert_eq!(attr(&res, "wasm", "recovered").unwrap(), "0");
        // Out of B (now 2 × 100 + 0.1 × 6,000 = 800) and both contracts.
        let s = suite.fund_state();
        assert_eq!(s.total_required, whole(800));
        assert_eq!((s.members, s.voters), (2, 2));
        let x = suite.fund_member("x");
        assert_eq!(x.status, MemberStatus::Exited);
        assert_eq!(
            (x.balance.u128(), x.required_contribution),
            (0, Decimal256::zero())
        );
        // The vault still holds its 7,500 in an open account (its
        // requirement total lost d's 1,000 so far).
        let vx = suite.vault_member("x");
        assert_eq!(
            (vx.status, vx.balance.u128()),
            (MarginStatus::Active, 7_500)
        );
        let vt = vault_totals(&suite);
        assert_eq!((vt.members, vt.total_required.u128()), (4, 10_000));
        check(&suite);
        // Its next withdrawal may take all of it, not only the 3,500 above
        // its 4,000 requirement; not a unit more.
        let e = suite.refused(|s| s.withdraw_margin("x", 7_501));
        assert_eq!(
            vault_err(&e),
            &margin_vault::ContractError::InsufficientExcessMargin {
                available: Uint128::new(7_500),
                requested: Uint128::new(7_501)
            }
        );
        let before = suite.balance_of("x");
        suite.withdraw_margin("x", 7_500).unwrap();
        assert_eq!(suite.balance_of("x") - before, 7_500);
        let vx = suite.vault_member("x");
        assert_eq!((vx.status, vx.balance.u128()), (MarginStatus::Exited, 0));
        let vt = vault_totals(&suite);
        // The vault counts admitted members (the defaulter's account stays);
        // its requirement total lost d's 1,000 and x's 4,000.
        assert_eq!((vt.members, vt.total_required.u128()), (3, 6_000));
        check(&suite);
    });
}

#[test]
fn an_exit_pays_balance_fees_recovery_credits_and_the_whole_margin() {
    both(|settlement| {
        // rc 200 each (100 + 0.1 × 1,000); d has nothing but its requirement.
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .member("x", 5_000, 1_000, 1_000)
            .member("y", 5_000, 1_000, 1_000)
            .member("d", 0, 1_000, 0)
            .build();
        // 300 in fees over balances 1,000 : 1,000: 150 each.
        suite.distribute_fees(300).unwrap();
        suite.request_exit("x").unwrap();
        // d defaults on 400, all in L4: x and y keep 1,600 / 2,000 of 1,000.
        let r = suite.declare_default("d", 400).unwrap();
        assert_eq!(r.layers.mutual_fund.u128(), 400);
        assert_eq!(suite.stake("x"), 800);
        // B = 2 × 100 + 0.1 × 2,000 = 400 while x gives notice.
        assert_eq!(b(&suite), whole(400));
        suite.close_default("d").unwrap();
        // 100 recovered, all in the mutual-fund layer: x floor(1,000 / 2,000 × 100) = 50.
        suite.record_recovery(1, 100).unwrap();
        settle(&mut suite, &["x"]);
        assert_eq!(suite.fund_member("x").recovered.u128(), 50);
        suite.advance(28 * DAY);
        let before = suite.balance_of("x");
        let res = suite.complete_exit("x").unwrap();
        // 800 + 150 + 50 from the fund; the margin stays for its withdrawal.
        assert_eq!(suite.balance_of("x") - before, 800 + 150 + 50);
        assert_eq!(suite.margin("x"), 5_000);
        // Its whole 5,000 (4,000 above its 1,000 requirement) leaves in two
        // withdrawals: 4,999 (more than the excess), then the last unit,
        // which closes the account.
        suite.withdraw_margin("x", 4_999).unwrap();
        assert_eq!(suite.vault_member("x").status, MarginStatus::Active);
        suite.withdraw_margin("x", 1).unwrap();
        assert_eq!(suite.vault_member("x").status, MarginStatus::Exited);
        assert_eq!(suite.balance_of("x") - before, 800 + 150 + 50 + 5_000);
        assert_eq!(attr(&res, "wasm", "balance").unwrap(), "800");
        assert_eq!(attr(&res, "wasm", "fees").unwrap(), "150");
        assert_eq!(attr(&res, "wasm", "recovered").unwrap(), "50");
        assert_eq!(attr(&res, "wasm", "action").unwrap(), "complete_exit");
        // What is left is y's alone.
        let s = suite.fund_state();
        assert_eq!(s.total_contributions.u128(), 800);
        assert_eq!(s.fees_unclaimed.u128(), 150);
        assert_eq!(s.recoveries_held.u128(), 50);
        assert_eq!(s.total_required, whole(200));
        assert_eq!(s.members, 1);
        assert_eq!(vault_totals(&suite).total_margin.u128(), 5_000);
        check(&suite);

        // Gone from both contracts: nothing more goes in or out.
        let x_addr = suite.addr("x");
        suite.mint(&x_addr, 2).unwrap();
        let (fund, vault) = (suite.fund.clone(), suite.vault.clone());
        let e = suite.refused(|s| {
            s.pay_into(
                &x_addr,
                &fund,
                1,
                &fund::ExecuteMsg::Contribute {},
                &fund::ReceiveMsg::Contribute {},
            )
        });
        let xs = suite.addr("x").to_string();
        assert_eq!(
            fund_err(&e),
            &ContractError::MemberExited {
                address: xs.clone()
            }
        );
        let e = suite.refused(|s| {
            s.pay_into(
                &x_addr,
                &vault,
                1,
                &vault::ExecuteMsg::Deposit {},
                &vault::ReceiveMsg::Deposit {},
            )
        });
        assert_eq!(
            vault_err(&e),
            &margin_vault::ContractError::MemberExited {
                address: xs.clone()
            }
        );
        let e = suite.refused(|s| s.withdraw_margin("x", 1));
        assert_eq!(
            vault_err(&e),
            &margin_vault::ContractError::MemberExited {
                address: xs.clone()
            }
        );
        // Its requirement can no longer be set: it left (not "in default").
        let e = suite.refused(|s| s.set_required_margin("x", 1));
        assert_eq!(
            vault_err(&e),
            &margin_vault::ContractError::MemberExited {
                address: xs.clone()
            }
        );
        for (what, e) in [
            ("request", suite.refused(|s| s.request_exit("x"))),
            ("complete", suite.refused(|s| s.complete_exit("x"))),
            ("post", suite.refused(|s| s.post_exposures(&[("x", 1)]))),
        ] {
            assert_eq!(
                fund_err(&e),
                &ContractError::MemberExited {
                    address: xs.clone()
                },
                "{what}"
            );
        }
        // And it cannot be admitted again.
        let e = suite.refused(|s| s.add_member("x", 1_000));
        assert_eq!(
            vault_err(&e),
            &margin_vault::ContractError::AlreadyMember { address: xs }
        );
        check(&suite);
    });
}

#[test]
fn a_member_is_admitted_once_even_while_giving_notice() {
    let mut suite = SuiteBuilder::new().member("x", 1_000, 1_000, 200).build();
    suite.request_exit("x").unwrap();
    let e = suite.refused(|s| s.add_member("x", 2_000));
    assert!(matches!(
        vault_err(&e),
        margin_vault::ContractError::AlreadyMember { .. }
    ));
}

/// Assessment deadline 40 days and replenishment 60 days, so that the
/// cooling-off period (28 days), the assessment's date and the
/// shortfall's date come one after the other.
///   a: margin 1,000 = rm 1,000 (no excess), rc 200, balance 200 (the leaver)
///   b: margin 10,000, rm 1,000, rc 200, balance 200
///   d: no margin, rm 1,000, nothing paid in (the defaulter)
fn refusal_suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(FundParams {
            assessment_deadline: 40 * DAY,
            replenishment_period: 60 * DAY,
            ..FundParams::default()
        })
        .member("a", 1_000, 1_000, 200)
        .member("b", 10_000, 1_000, 200)
        .member("d", 0, 1_000, 0)
        .build()
}

#[test]
fn completing_an_exit_is_refused_until_every_condition_holds() {
    both(|settlement| {
        let mut suite = refusal_suite(settlement);
        let a = suite.addr("a").to_string();
        // No notice given.
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(
            fund_err(&e),
            &ContractError::NoExitRequested { address: a.clone() }
        );
        let t0 = time(&suite);
        suite.request_exit("a").unwrap();
        // Governance makes the member's notice a forced one: same dates, no
        // lapse (the rest of this test runs long past the claim window).
        suite.force_exit("a").unwrap();
        let m = suite.fund_member("a");
        assert_eq!((m.exit_notice_at, m.exit_lapses_at), (Some(t0), None));
        let e = suite.refused(|s| s.force_exit("a"));
        assert_eq!(
            fund_err(&e),
            &ContractError::ExitAlreadyRequested { address: a.clone() }
        );
        // Day 1: d defaults on 500: L4 takes the 400 of balances, A = 100
        // over B = 2 × 100 + 0.1 × 2,000 = 400: a owes ceil(200 × 100 / 400) = 50,
        // due day 41; a's shortfall 200 falls due day 61; cooling-off to day 29.
        suite.advance(DAY);
        let t1 = time(&suite);
        let r = suite.declare_default("d", 500).unwrap();
        assert_eq!(r.layers.assessments.u128(), 100);
        assert_eq!(suite.owed("a"), 50);

        // One second before the notice ends.
        suite.advance(NOTICE - DAY - 1);
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(
            fund_err(&e),
            &ContractError::ExitNoticeNotOver {
                available_at: t0.plus_seconds(NOTICE)
            }
        );
        // The notice is over; the cooling-off period is not.
        suite.advance(1);
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(
            fund_err(&e),
            &ContractError::CoolingOffOpen {
                ends: t1.plus_seconds(28 * DAY)
            }
        );
        // Day 29: the period is over; a owes 50, not yet due.
        suite.advance(t1.plus_seconds(28 * DAY).seconds() - time(&suite).seconds());
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(fund_err(&e), &fund_blocked(Blocked::Owes(Uint128::new(50))));
        // Day 41: due.
        suite.advance(12 * DAY);
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(fund_err(&e), &fund_blocked(overdue(50, 0)));
        // Enforced with no excess margin: a is in breach.
        suite.enforce_assessment("a").unwrap();
        assert_eq!(suite.fund_member("a").status, MemberStatus::InBreach);
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(fund_err(&e), &fund_blocked(Blocked::InBreach));
        // Paying ends the breach.
        suite.pay_assessment("a").unwrap();
        assert_eq!(suite.fund_member("a").status, MemberStatus::Active);
        // Day 61: the shortfall is overdue (rc 200, balance 0).
        suite.advance(20 * DAY);
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(fund_err(&e), &fund_blocked(overdue(0, 200)));
        suite.contribute("a", 200).unwrap();
        // Suspended by the risk engine.
        suite.suspend("a").unwrap();
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(fund_err(&e), &fund_blocked(Blocked::Suspended));
        suite.unsuspend("a").unwrap();
        // Paused.
        suite.pause_fund(true).unwrap();
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(fund_err(&e), &ContractError::Paused {});
        suite.pause_fund(false).unwrap();
        // Now: 200 from the fund, then 1,000 from the vault: its whole
        // margin, all of it at its requirement (nothing above it).
        let before = suite.balance_of("a");
        suite.complete_exit("a").unwrap();
        assert_eq!(suite.balance_of("a") - before, 200);
        assert_eq!(suite.vault_member("a").excess.u128(), 0);
        suite.withdraw_margin("a", 1_000).unwrap();
        assert_eq!(suite.balance_of("a") - before, 1_200);
        assert_eq!(suite.vault_member("a").status, MarginStatus::Exited);
        // Not twice.
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(fund_err(&e), &ContractError::MemberExited { address: a });
        check(&suite);
    });
}

#[test]
fn who_may_give_notice() {
    let mut suite = refusal_suite(Settlement::Native);
    suite.declare_default("d", 100).unwrap();
    let d = suite.addr("d").to_string();
    let e = suite.refused(|s| s.request_exit("d"));
    assert_eq!(fund_err(&e), &ContractError::MemberInDefault { address: d });
    let nobody = suite.addr("nobody").to_string();
    let e = suite.refused(|s| s.request_exit("nobody"));
    assert_eq!(
        fund_err(&e),
        &ContractError::UnknownMember { address: nobody }
    );
    // A suspended member may not give notice itself...
    suite.suspend("b").unwrap();
    let e = suite.refused(|s| s.request_exit("b"));
    assert_eq!(
        fund_err(&e),
        &ContractError::Suspended {
            address: suite.addr("b").to_string()
        }
    );
    // ... nor with funds attached.
    let a = suite.addr("a");
    suite.mint(&a, 5).unwrap();
    let fund = suite.fund.clone();
    let e = suite.refused(|s| {
        cw_multi_test::Executor::execute_contract(
            &mut s.app,
            a,
            fund,
            &fund::ExecuteMsg::RequestExit {},
            &clearing_suite::native(5),
        )
    });
    assert!(matches!(fund_err(&e), ContractError::Payment(_)));
}

#[test]
fn governance_forces_an_exit_on_the_same_terms() {
    both(|settlement| {
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .member("a", 3_000, 1_000, 500)
            .member("b", 3_000, 1_000, 500)
            .member("c", 3_000, 1_000, 500)
            .build();
        // Only governance forces an exit.
        for sender in [
            suite.risk_engine.clone(),
            suite.addr("b"),
            suite.operator.clone(),
        ] {
            let msg = fund::ExecuteMsg::ForceExit {
                member: suite.addr("a").to_string(),
            };
            let e = suite.refused(|s| s.execute_fund(&sender, &msg));
            assert!(matches!(fund_err(&e), ContractError::Unauthorized { .. }));
        }
        // B = 3 × 200 = 600.
        assert_eq!(b(&suite), whole(600));
        let t0 = time(&suite);
        let res = suite.force_exit("a").unwrap();
        assert_eq!(attr(&res, "wasm", "action").unwrap(), "force_exit");
        let a = suite.fund_member("a");
        assert_eq!(a.exit_notice_at, Some(t0));
        assert!(!a.may_vote);
        assert_eq!(suite.fund_state().voters, 2);
        // A suspended member's exit can be forced; it cannot complete
        // while suspended.
        suite.suspend("c").unwrap();
        suite.force_exit("c").unwrap();
        assert_eq!(suite.fund_state().voters, 1);
        // The forced notice is the ordinary one.
        suite.advance(NOTICE - 1);
        let e = suite.refused(|s| s.complete_exit("a"));
        assert_eq!(
            fund_err(&e),
            &ContractError::ExitNoticeNotOver {
                available_at: t0.plus_seconds(NOTICE)
            }
        );
        suite.advance(1);
        let before = suite.balance_of("a");
        suite.complete_exit("a").unwrap();
        assert_eq!(suite.balance_of("a") - before, 500);
        // Its whole margin (3,000, 2,000 above its requirement) next.
        suite.withdraw_margin("a", 3_000).unwrap();
        assert_eq!(suite.balance_of("a") - before, 500 + 3_000);
        assert_eq!(b(&suite), whole(400));
        let e = suite.refused(|s| s.complete_exit("c"));
        assert_eq!(fund_err(&e), &fund_blocked(Blocked::Suspended));
        suite.unsuspend("c").unwrap();
        // Lifting the suspension does not give the vote back during notice.
        assert_eq!(suite.fund_state().voters, 1);
        suite.exit_with_margin("c").unwrap();
        assert_eq!(suite.vault_member("c").status, MarginStatus::Exited);
        let s = suite.fund_state();
        assert_eq!((s.members, s.voters), (1, 1));
        assert_eq!(s.total_required, whole(200));
        assert_eq!(vault_totals(&suite).total_margin.u128(), 3_000);
        check(&suite);
    });
}
