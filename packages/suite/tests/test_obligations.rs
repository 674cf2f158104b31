//! Owed and overdue (SPEC v2 §3 "Deadlines", "Owed and overdue", "Exits
//! check every obligation"): each default's shares fall due on their own
//! date, to the second; nothing that happens later — a routine
//! `SetRequiredMargin`, `UpdateParams`, another default, a top-up of one
//! unit — hides or lifts what is overdue; exits refuse whatever the shared
//! rule says is owed or overdue.

use clearing_suite::fund_flows::{
    attr, both, fund_blocked, fund_err, overdue, vault_blocked, vault_err, DAY,
};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{FundParams, MemberStatus};
use clearing_types::ledger::{Blocked, Obligation};
use cosmwasm_std::{Decimal, Uint128};
use default_fund::ContractError;

/// A replenishment period of 60 days keeps the shortfalls every member has
/// from admission (nobody contributes) out of the way: only assessments
/// fall due here.
fn params() -> FundParams {
    FundParams {
        min_contribution: Uint128::new(100),
        contribution_rate: Decimal::percent(10),
        assessment_multiple: Decimal::percent(200),
        assessment_deadline: DAY,
        replenishment_period: 60 * DAY,
        ..FundParams::default()
    }
}

/// Required contributions (100 + 10% of required margin): dora and dan
/// 200, alice 500, bob 200; `B` = 1,100. alice has 1,000 of excess
/// margin, bob none.
fn suite_with(settlement: Settlement, params: FundParams) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(params)
        .member("dora", 0, 1_000, 0)
        .member("dan", 0, 1_000, 0)
        .member("alice", 5_000, 4_000, 0)
        .member("bob", 1_000, 1_000, 0)
        .build()
}

fn suite(settlement: Settlement) -> Suite {
    suite_with(settlement, params())
}

/// dora defaults with 900: `B` without her is 900, all 900 assessed (rate
/// 1): alice owes 500, bob 200, dan 200, due a day later.
fn first_default(suite: &mut Suite) {
    let r = suite.declare_default("dora", 900).unwrap();
    assert_eq!(r.layers.assessments.u128(), 900);
    assert_eq!(
        (suite.owed("alice"), suite.owed("bob"), suite.owed("dan")),
        (500, 200, 200)
    );
}

#[test]
fn a_share_is_overdue_from_its_due_date_to_the_second() {
    both(|s| {
        let mut suite = suite(s);
        let admitted = suite.time();
        suite.advance(DAY);
        let t = suite.time();
        first_default(&mut suite);
        suite.advance(DAY - 1);
        let o = suite.obligations("alice");
        assert_eq!((o.owed.u128(), o.overdue.u128()), (500, 0));
        assert_eq!(o.next_due, Some(t.plus_seconds(DAY)));
        // Her shortfall from admission (500 below 500 required) is due later.
        assert_eq!(o.shortfall.u128(), 500);
        assert_eq!(o.shortfall_due, Some(admitted.plus_seconds(60 * DAY)));
        assert_eq!(o.replenishment_overdue.u128(), 0);
        // Owed but not due: margin may leave, enforcement waits.
        suite.withdraw_margin("alice", 1).unwrap();
        let e = suite.refused(|s| s.enforce_assessment("alice"));
        assert_eq!(
            *fund_err(&e),
            ContractError::NotYetDue {
                due: t.plus_seconds(DAY)
            }
        );
        suite.advance(1);
        let o = suite.obligations("alice");
        assert_eq!((o.owed.u128(), o.overdue.u128()), (500, 500));
        let e = suite.refused(|s| s.withdraw_margin("alice", 1));
        assert_eq!(*vault_err(&e), vault_blocked(overdue(500, 0)));
        suite.enforce_assessment("alice").unwrap();
        assert_eq!(suite.margin("alice"), 5_000 - 1 - 500);
        suite.assert_conservation();
    });
}

/// In v1 a routine `SetRequiredMargin` with an unchanged value merged the
/// pending shares under the latest due date: enforcement then said
/// NotYetDue and the vault let excess margin out.
#[test]
fn a_routine_set_required_margin_does_not_hide_an_overdue_share() {
    both(|s| {
        let mut suite = suite(s);
        let t = suite.time();
        first_default(&mut suite);
        suite.advance(DAY);
        suite.set_required_margin("alice", 4_000).unwrap();
        let alice = suite.fund_member("alice");
        assert_eq!(alice.assessment_overdue.u128(), 500);
        assert_eq!(
            alice.obligations,
            vec![Obligation {
                default_id: 1,
                amount: Uint128::new(500),
                due: t.plus_seconds(DAY),
                breached: false,
            }]
        );
        let e = suite.refused(|s| s.withdraw_margin("alice", 1));
        assert_eq!(*vault_err(&e), vault_blocked(overdue(500, 0)));
        let res = suite.enforce_assessment("alice").unwrap();
        assert_eq!(attr(&res, "wasm", "drawn").as_deref(), Some("500"));
        assert_eq!(suite.owed("alice"), 0);
        // Drawn: the rest of her excess margin is free again.
        suite.withdraw_margin("alice", 500).unwrap();
        suite.assert_conservation();
    });
}

#[test]
fn new_parameters_do_not_hide_an_overdue_share() {
    both(|s| {
        let mut suite = suite(s);
        let t = suite.time();
        first_default(&mut suite);
        suite.advance(DAY);
        // A longer deadline and a longer replenishment period (a new
        // requirement regime every member follows) move no date already set.
        suite
            .change_params(|p| {
                p.assessment_deadline = 30 * DAY;
                p.replenishment_period = 90 * DAY;
            })
            .unwrap();
        let alice = suite.fund_member("alice");
        assert_eq!(alice.assessment_overdue.u128(), 500);
        assert_eq!(alice.obligations[0].due, t.plus_seconds(DAY));
        let e = suite.refused(|s| s.withdraw_margin("alice", 1));
        assert_eq!(*vault_err(&e), vault_blocked(overdue(500, 0)));
        suite.enforce_assessment("alice").unwrap();
        assert_eq!(suite.margin("alice"), 4_500);
        suite.assert_conservation();
    });
}

#[test]
fn a_later_default_does_not_hide_an_overdue_share() {
    both(|s| {
        let mut suite = suite(s);
        let t = suite.time();
        first_default(&mut suite);
        suite.advance(DAY);
        // dan defaults with 100 + his unpaid 200: B = alice 500 + bob 200
        // = 700, cap (2 − 1) × 700 = 700, A = 300: alice owes ⌈500 × 300 /
        // 700⌉ = 215 more, due a day after this default.
        let r = suite.declare_default("dan", 100).unwrap();
        assert_eq!((r.loss.u128(), r.layers.assessments.u128()), (300, 300));
        let alice = suite.fund_member("alice");
        assert_eq!(
            (
                alice.assessment_owed.u128(),
                alice.assessment_overdue.u128()
            ),
            (715, 500)
        );
        let e = suite.refused(|s| s.withdraw_margin("alice", 1));
        assert_eq!(*vault_err(&e), vault_blocked(overdue(500, 0)));
        // Enforcement draws the first share only.
        let res = suite.enforce_assessment("alice").unwrap();
        assert_eq!(attr(&res, "wasm", "drawn").as_deref(), Some("500"));
        let e = suite.refused(|s| s.enforce_assessment("alice"));
        assert_eq!(
            *fund_err(&e),
            ContractError::NotYetDue {
                due: t.plus_seconds(2 * DAY)
            }
        );
        // The second is owed, not overdue: excess margin may leave.
        suite.withdraw_margin("alice", 100).unwrap();
        assert_eq!(suite.margin("alice"), 5_000 - 500 - 100);
        suite.assert_conservation();
    });
}

/// In v1 `contribute(1)` lifted a breach with nothing paid.
#[test]
fn contributing_one_unit_does_not_lift_a_breach_while_a_share_is_overdue() {
    both(|s| {
        let mut suite = suite(s);
        first_default(&mut suite);
        suite.advance(DAY);
        // bob has no excess margin: nothing drawn, in breach.
        let res = suite.enforce_assessment("bob").unwrap();
        assert_eq!(attr(&res, "wasm", "unpaid").as_deref(), Some("200"));
        assert_eq!(suite.fund_member("bob").status, MemberStatus::InBreach);
        let res = suite.contribute("bob", 1).unwrap();
        assert_eq!(attr(&res, "wasm", "status").as_deref(), Some("in_breach"));
        let bob = suite.fund_member("bob");
        assert_eq!(
            (
                bob.status,
                bob.assessment_overdue.u128(),
                bob.balance.u128()
            ),
            (MemberStatus::InBreach, 200, 1)
        );
        suite.deposit_margin("bob", 500).unwrap();
        let e = suite.refused(|s| s.withdraw_margin("bob", 1));
        assert_eq!(*vault_err(&e), vault_blocked(Blocked::InBreach));
        // Enforcement draws the share from the new excess and ends the breach.
        suite.enforce_assessment("bob").unwrap();
        let bob = suite.fund_member("bob");
        assert_eq!(
            (bob.status, bob.assessment_owed.u128()),
            (MemberStatus::Active, 0)
        );
        suite.withdraw_margin("bob", 300).unwrap();
        assert_eq!(suite.margin("bob"), 1_000);
        suite.assert_conservation();
    });
}

/// An exit is refused while the member owes anything at all, due or not;
/// margin withdrawal only once something is overdue.
#[test]
fn an_exit_is_refused_while_anything_is_owed_due_or_not() {
    both(|s| {
        let mut suite = suite_with(
            s,
            FundParams {
                assessment_deadline: 40 * DAY,
                ..params()
            },
        );
        suite.request_exit("alice").unwrap();
        first_default(&mut suite);
        // Past the notice (14 days) and the cooling-off period (28 days),
        // before the deadline (40 days).
        suite.advance(28 * DAY);
        assert!(!suite.fund_state().cooling_off_open);
        let e = suite.refused(|s| s.complete_exit("alice"));
        assert_eq!(
            *fund_err(&e),
            fund_blocked(Blocked::Owes(Uint128::new(500)))
        );
        suite.withdraw_margin("alice", 1).unwrap();
        suite.pay_assessment("alice").unwrap();
        let wallet = suite.balance_of("alice");
        suite.complete_exit("alice").unwrap();
        // Nothing from the fund: she never contributed.
        assert_eq!(suite.balance_of("alice"), wallet);
        assert_eq!(suite.fund_member("alice").status, MemberStatus::Exited);
        // Then her whole margin (4,999, her requirement included) in one
        // withdrawal, which closes her vault account.
        suite.withdraw_margin("alice", 4_999).unwrap();
        assert_eq!(suite.balance_of("alice"), wallet + 4_999);
        assert_eq!(
            suite.vault_member("alice").status,
            clearing_types::vault::MarginStatus::Exited
        );
        // She leaves B: dan 200 + bob 200.
        let state = suite.fund_state();
        assert_eq!(state.members, 2);
        assert_eq!(
            state.total_required,
            cosmwasm_std::Decimal256::from_ratio(400u128, 1u128)
        );
        suite.assert_conservation();
    });
}

/// The issue 11 input (a): alice requests a withdrawal, a default leaves her
/// below her requirement, and 29 days later — cooling-off over, inside her
/// claim window — she claims and withdraws all her excess margin while her
/// replenishment is overdue: both are refused (v1 let both out).
#[test]
fn issue_11_a_no_claim_and_no_margin_while_a_replenishment_is_overdue() {
    both(|s| {
        let mut suite = SuiteBuilder::new()
            .settlement(s)
            .params(FundParams {
                replenishment_period: 7 * DAY,
                ..params()
            })
            .member("dora", 0, 1_000, 0)
            // alice must hold 100 + 400 = 500 and holds 1,000; bob 200 of 200.
            .member("alice", 5_000, 4_000, 1_000)
            .member("bob", 3_000, 1_000, 200)
            .build();
        suite.request_withdrawal("alice", 500).unwrap();
        suite.advance(DAY);
        let t1 = suite.time();
        // dora's 720 takes 60% of the 1,200 pool: alice keeps 400, 100
        // short, due a week later; a cooling-off period opens.
        let r = suite.declare_default("dora", 720).unwrap();
        assert!(r.opened_cooling_off);
        let alice = suite.fund_member("alice");
        assert_eq!((alice.balance.u128(), alice.shortfall.u128()), (400, 100));
        assert_eq!(alice.shortfall_due, Some(t1.plus_seconds(7 * DAY)));
        suite.advance(29 * DAY);
        assert!(!suite.fund_state().cooling_off_open);
        let e = suite.refused(|s| s.claim_withdrawal("alice"));
        assert_eq!(*fund_err(&e), fund_blocked(overdue(0, 100)));
        let e = suite.refused(|s| s.withdraw_margin("alice", 1_000));
        assert_eq!(*vault_err(&e), vault_blocked(overdue(0, 100)));
        // A keeper draws the 100 into her balance: she meets her
        // requirement, nothing is left above it to claim, and the rest of
        // her excess margin (900) is free.
        suite.enforce_replenishment("alice").unwrap();
        assert_eq!(suite.stake("alice"), 500);
        let e = suite.refused(|s| s.claim_withdrawal("alice"));
        assert_eq!(*fund_err(&e), ContractError::NothingToClaim {});
        suite.withdraw_margin("alice", 900).unwrap();
        assert_eq!(suite.balance_of("alice"), 900);
        suite.assert_conservation();
    });
}
