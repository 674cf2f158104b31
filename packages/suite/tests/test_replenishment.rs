//! Replenishment (SPEC v2 §3, §7): a balance below the required
//! contribution is a shortfall that falls due `replenishment_period` after
//! the moment it opened — a default, a raise of the requirement, a change
//! of parameters, an admission — and no later event moves that date;
//! topping up to the requirement clears it; after its date anyone draws it
//! from the member's excess margin into its balance, and what cannot be
//! drawn puts the member in breach.

use clearing_suite::fund_flows::{attr, both, fund_err, overdue, vault_blocked, vault_err, DAY};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{FundParams, MemberStatus};
use clearing_types::ledger::{Basis, Blocked};
use cosmwasm_std::{Decimal, Decimal256, Uint128};
use default_fund::ContractError;

const WEEK: u64 = 7 * DAY;

fn params() -> FundParams {
    FundParams {
        min_contribution: Uint128::new(100),
        contribution_rate: Decimal::percent(10),
        assessment_multiple: Decimal::percent(200),
        assessment_deadline: DAY,
        replenishment_period: WEEK,
        ..FundParams::default()
    }
}

/// Required contributions (min 100 + 10% of required margin): sam 400, sue
/// 300, each contributed in full; d1 and d2 (200 each, nothing paid in)
/// default. sam has 2,000 of excess margin, sue 50.
fn suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(params())
        .member("d1", 0, 1_000, 0)
        .member("d2", 0, 1_000, 0)
        .member("sam", 5_000, 3_000, 400)
        .member("sue", 2_050, 2_000, 300)
        .build()
}

fn no_replenishment_due(shortfall: u128, due: Option<cosmwasm_std::Timestamp>) -> ContractError {
    ContractError::NoReplenishmentDue {
        shortfall: Uint128::new(shortfall),
        due,
    }
}

#[test]
fn replenishment_is_enforced_after_its_period() {
    both(|s| {
        let mut suite = suite(s);
        assert_eq!(suite.fund_member("sam").shortfall_due, None);
        // Half the mutual fund goes: 350 of 700 → sam 200, sue 150.
        let t1 = suite.time();
        suite.declare_default("d1", 350).unwrap();
        let sam = suite.fund_member("sam");
        assert_eq!((sam.balance.u128(), sam.shortfall.u128()), (200, 200));
        assert_eq!(sam.shortfall_due, Some(t1.plus_seconds(WEEK)));
        let e = suite.refused(|s| s.enforce_replenishment("sam"));
        assert_eq!(
            *fund_err(&e),
            no_replenishment_due(200, Some(t1.plus_seconds(WEEK)))
        );
        // One second before its date: still not due.
        suite.advance(WEEK - 1);
        assert_eq!(suite.fund_member("sam").replenishment_overdue.u128(), 0);
        let e = suite.refused(|s| s.enforce_replenishment("sam"));
        assert_eq!(
            *fund_err(&e),
            no_replenishment_due(200, Some(t1.plus_seconds(WEEK)))
        );
        suite.advance(1);
        assert_eq!(suite.fund_member("sam").replenishment_overdue.u128(), 200);
        suite.enforce_replenishment("sam").unwrap();
        let sam = suite.fund_member("sam");
        assert_eq!((sam.balance.u128(), sam.shortfall_due), (400, None));
        assert_eq!(suite.margin("sam"), 4_800);
        // sue has only 50 of excess margin against 150: topped up by 50, in breach.
        let res = suite.enforce_replenishment("sue").unwrap();
        assert_eq!(attr(&res, "wasm", "drawn").as_deref(), Some("50"));
        assert_eq!(attr(&res, "wasm", "unpaid").as_deref(), Some("100"));
        let sue = suite.fund_member("sue");
        assert_eq!(
            (sue.balance.u128(), sue.status),
            (200, MemberStatus::InBreach)
        );
        assert_eq!(suite.margin("sue"), 2_000);
        let e = suite.refused(|s| s.withdraw_margin("sue", 1));
        assert_eq!(*vault_err(&e), vault_blocked(Blocked::InBreach));
        // Contributing 99 leaves 1 overdue: still in breach.
        let res = suite.contribute("sue", 99).unwrap();
        assert_eq!(attr(&res, "wasm", "status").as_deref(), Some("in_breach"));
        assert_eq!(suite.fund_member("sue").replenishment_overdue.u128(), 1);
        // The last unit ends the shortfall and the breach.
        suite.contribute("sue", 1).unwrap();
        let sue = suite.fund_member("sue");
        assert_eq!(
            (sue.status, sue.shortfall.u128(), sue.shortfall_due),
            (MemberStatus::Active, 0, None)
        );
        suite.assert_conservation();
    });
}

/// The issue 11 input: in v1 replenishment ran from the latest default, so
/// a later default of 1 unit postponed everyone's date.
#[test]
fn a_later_default_of_one_unit_does_not_postpone_an_open_replenishment_date() {
    both(|s| {
        let mut suite = suite(s);
        let t1 = suite.time();
        suite.declare_default("d1", 350).unwrap(); // sam 200, sue 150
        suite.advance(6 * DAY);
        // 1 unit of the 350 left: sam keeps 200 × 349/350 = 199.43, short
        // ⌈400 − 199.43⌉ = 201; sue 149.57, short 151.
        let r = suite.declare_default("d2", 1).unwrap();
        assert_eq!(r.layers.mutual_fund.u128(), 1);
        for (name, shortfall) in [("sam", 201), ("sue", 151)] {
            let m = suite.fund_member(name);
            assert_eq!(m.shortfall.u128(), shortfall, "{name}");
            assert_eq!(m.shortfall_due, Some(t1.plus_seconds(WEEK)), "{name}");
        }
        // Due a week after the first default, not after the second.
        suite.advance(DAY);
        assert_eq!(suite.fund_member("sam").replenishment_overdue.u128(), 201);
        let e = suite.refused(|s| s.withdraw_margin("sam", 1));
        assert_eq!(*vault_err(&e), vault_blocked(overdue(0, 201)));
        suite.enforce_replenishment("sam").unwrap();
        // 199.43 + 201 = 400.43: the requirement is met, shown as 400.
        let sam = suite.fund_member("sam");
        assert_eq!(
            (sam.balance.u128(), sam.shortfall.u128(), sam.shortfall_due),
            (400, 0, None)
        );
        assert_eq!(suite.margin("sam"), 5_000 - 201);
        suite.assert_conservation();
    });
}

#[test]
fn a_new_member_below_its_requirement_owes_a_shortfall_from_admission() {
    both(|s| {
        let mut suite = suite(s);
        let ta = suite.time();
        suite.add_member("carol", 1_000).unwrap(); // requires 200, holds 0
        let carol = suite.fund_member("carol");
        assert_eq!(carol.shortfall.u128(), 200);
        assert_eq!(carol.shortfall_due, Some(ta.plus_seconds(WEEK)));
        suite.deposit_margin("carol", 1_500).unwrap(); // 500 above 1,000
        suite.advance(DAY);
        suite.contribute("carol", 150).unwrap();
        // Partly topped up: the date the shortfall opened stays.
        let carol = suite.fund_member("carol");
        assert_eq!(carol.shortfall.u128(), 50);
        assert_eq!(carol.shortfall_due, Some(ta.plus_seconds(WEEK)));
        suite.advance(6 * DAY);
        let e = suite.refused(|s| s.withdraw_margin("carol", 1));
        assert_eq!(*vault_err(&e), vault_blocked(overdue(0, 50)));
        suite.enforce_replenishment("carol").unwrap();
        assert_eq!(suite.stake("carol"), 200);
        assert_eq!(suite.margin("carol"), 1_450);
        suite.withdraw_margin("carol", 450).unwrap();
        suite.assert_conservation();
    });
}

#[test]
fn a_raise_of_the_requirement_opens_a_shortfall_and_no_later_event_moves_its_date() {
    both(|s| {
        let mut suite = suite(s);
        suite.deposit_margin("sam", 2_000).unwrap(); // margin 7,000
        let t1 = suite.time();
        // rm 5,000: sam must hold 600, holds 400.
        suite.set_required_margin("sam", 5_000).unwrap();
        let due = Some(t1.plus_seconds(WEEK));
        let sam = suite.fund_member("sam");
        assert_eq!(
            sam.required_contribution,
            Decimal256::from_ratio(600u128, 1u128)
        );
        assert_eq!((sam.shortfall.u128(), sam.shortfall_due), (200, due));
        // A further raise, a routine unchanged requirement, new parameters
        // (a longer replenishment period) and a default: the date stays.
        suite.advance(2 * DAY);
        suite.set_required_margin("sam", 6_000).unwrap(); // must hold 700
        suite.advance(DAY);
        suite.set_required_margin("sam", 6_000).unwrap();
        suite
            .change_params(|p| p.replenishment_period = 30 * DAY)
            .unwrap();
        // d1: 1 unit of the 700 pool → sam keeps 400 × 699/700 = 399.43.
        suite.declare_default("d1", 1).unwrap();
        let sam = suite.fund_member("sam");
        assert_eq!((sam.shortfall.u128(), sam.shortfall_due), (301, due));
        suite.advance(4 * DAY);
        let res = suite.enforce_replenishment("sam").unwrap();
        assert_eq!(attr(&res, "wasm", "drawn").as_deref(), Some("301"));
        let sam = suite.fund_member("sam");
        assert_eq!((sam.balance.u128(), sam.shortfall_due), (700, None));
        assert_eq!(suite.margin("sam"), 7_000 - 301);
        // Nothing due now.
        let e = suite.refused(|s| s.enforce_replenishment("sam"));
        assert_eq!(*fund_err(&e), no_replenishment_due(0, None));
        suite.assert_conservation();
    });
}

#[test]
fn lowering_the_requirement_back_closes_the_shortfall() {
    both(|s| {
        let mut suite = suite(s);
        suite.set_required_margin("sue", 3_000).unwrap(); // must hold 400, holds 300
        assert_eq!(suite.fund_member("sue").shortfall.u128(), 100);
        suite.set_required_margin("sue", 2_000).unwrap();
        let sue = suite.fund_member("sue");
        assert_eq!((sue.shortfall.u128(), sue.shortfall_due), (0, None));
        suite.advance(WEEK);
        let e = suite.refused(|s| s.enforce_replenishment("sue"));
        assert_eq!(*fund_err(&e), no_replenishment_due(0, None));
    });
}

/// `UpdateParams` reaches every member at once: a higher minimum opens
/// every shortfall at the moment of the change, even for a member whose
/// record is settled only days later.
#[test]
fn a_higher_minimum_opens_every_shortfall_at_the_change() {
    both(|s| {
        let mut suite = suite(s);
        let t1 = suite.time();
        suite
            .change_params(|p| p.min_contribution = Uint128::new(150))
            .unwrap();
        suite.advance(3 * DAY);
        for name in ["sam", "sue"] {
            let m = suite.fund_member(name);
            assert_eq!(m.shortfall.u128(), 50, "{name}");
            assert_eq!(m.shortfall_due, Some(t1.plus_seconds(WEEK)), "{name}");
        }
        suite.advance(4 * DAY);
        suite.enforce_replenishment("sam").unwrap();
        // sue's 50 of excess margin is exactly enough.
        suite.enforce_replenishment("sue").unwrap();
        for (name, balance) in [("sam", 450), ("sue", 350)] {
            let m = suite.fund_member(name);
            assert_eq!(
                (m.balance.u128(), m.status, m.shortfall_due),
                (balance, MemberStatus::Active, None),
                "{name}"
            );
        }
        assert_eq!(suite.margin("sue"), 2_000);
        suite.assert_conservation();
    });
}

/// In `cover` sizing a raise of the stress exposure is a raise of the
/// requirement (SPEC v2 §7).
#[test]
fn in_cover_mode_a_higher_exposure_opens_a_shortfall() {
    both(|s| {
        let mut p = params();
        p.sizing.mode = Basis::StressExposure;
        let mut suite = SuiteBuilder::new()
            .settlement(s)
            .params(p.clone())
            .member("sam", 5_000, 3_000, 100)
            .build();
        // Basis = exposure 0: sam must hold the minimum, 100, and does.
        assert_eq!(suite.fund_member("sam").shortfall_due, None);
        let t1 = suite.time();
        suite.post_exposures(&[("sam", 2_000)]).unwrap(); // 100 + 10% × 2,000 = 300
        let sam = suite.fund_member("sam");
        assert_eq!(
            (sam.shortfall.u128(), sam.shortfall_due),
            (200, Some(t1.plus_seconds(WEEK)))
        );
        // A change of required margin is not a change of requirement here.
        suite.set_required_margin("sam", 4_000).unwrap();
        assert_eq!(
            suite.fund_member("sam").required_contribution,
            Decimal256::from_ratio(300u128, 1u128)
        );
        suite.advance(WEEK);
        suite.enforce_replenishment("sam").unwrap();
        assert_eq!(suite.stake("sam"), 300);
        suite.assert_conservation();
    });
}
