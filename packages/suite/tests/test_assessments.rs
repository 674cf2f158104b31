//! After a default: the cooling-off cap shared by defaults, paying,
//! enforcing overdue assessments into breach, and replenishment.

use clearing_suite::{contract_error, Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{FundParams, MemberStatus};
use cosmwasm_std::{Decimal, Uint128};
use default_fund::ContractError;

const DAY: u64 = 86_400;

fn params() -> FundParams {
    FundParams {
        min_contribution: Uint128::new(100),
        contribution_rate: Decimal::percent(10),
        assessment_multiple: Decimal::percent(200),
        cooling_off_period: 28 * DAY,
        assessment_deadline: DAY,
        replenishment_period: 7 * DAY,
        withdrawal_notice_period: 14 * DAY,
    }
}

/// Three defaulters (rc 100 each, no contribution) and two survivors with
/// rc 300 and 200: B = 800 while all live.
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

fn err(e: &anyhow::Error) -> &ContractError {
    contract_error::<ContractError>(e)
}

#[test]
fn defaults_in_one_cooling_off_period_share_the_cap() {
    for s in [Settlement::Native, Settlement::Cw20] {
        let mut suite = suite(s);
        // B = 700 without d1: cap 1400, all of it assessed (rate 2).
        let r1 = suite.declare_default("d1", 1_000_000).unwrap();
        assert_eq!(r1.layers.assessments.u128(), 1_400);
        assert_eq!(r1.assessment_rate, cosmwasm_std::Decimal256::percent(200));
        // Same period: the cap is used up.
        suite.advance(DAY);
        let r2 = suite.declare_default("d2", 500).unwrap();
        assert_eq!(r2.layers.assessments.u128(), 0);
        assert_eq!(r2.layers.uncovered.u128(), 500);
        // After the period a fresh cap: B = 500 (sam 300 + sue 200) → 1000.
        suite.advance(28 * DAY);
        let r3 = suite.declare_default("d3", 10_000).unwrap();
        assert_eq!(r3.layers.assessments.u128(), 1_000);
        assert_eq!(
            suite.fund_state().uncovered_total.u128(),
            1_000_000 - 1_400 + 500 + 9_000
        );
        suite.assert_conservation();
    }
}

#[test]
fn a_partial_first_assessment_leaves_the_rest_of_the_cap() {
    let mut suite = suite(Settlement::Native);
    // 700 of a 1400 cap: rate 1.
    let r1 = suite.declare_default("d1", 700).unwrap();
    assert_eq!(r1.layers.assessments.u128(), 700);
    // B = 600 now; (2 − 1) × 600 = 600 left.
    let r2 = suite.declare_default("d2", 10_000).unwrap();
    assert_eq!(r2.layers.assessments.u128(), 600);
    assert_eq!(
        suite.fund_state().cooling_off.unwrap().rate_used,
        cosmwasm_std::Decimal256::percent(200)
    );
}

#[test]
fn paying_settles_everything_owed_and_forwards_it() {
    for s in [Settlement::Native, Settlement::Cw20] {
        let mut suite = suite(s);
        suite.declare_default("d1", 700).unwrap(); // sam 300, sue 200, d2/d3 100 each
        suite.declare_default("d2", 100).unwrap(); // B = 600: sam 50, sue 34 (rounded up), d3 17
        let owed = suite.fund_member("sam").assessment_owed.u128();
        assert_eq!(owed, 350);
        let before = suite.balance(&suite.loss_recipient.clone());
        suite.pay_assessment("sam").unwrap();
        assert_eq!(suite.fund_member("sam").assessment_owed.u128(), 0);
        assert_eq!(suite.balance(&suite.loss_recipient.clone()), before + 350);
        // Paying again: nothing owed.
        let sam = suite.addr("sam");
        let fund = suite.fund.clone();
        suite.mint(&sam, 10).unwrap();
        let e = suite.refused(|s| {
            s.pay_into(
                &sam,
                &fund,
                10,
                &clearing_types::fund::ExecuteMsg::PayAssessment {},
                &clearing_types::fund::ReceiveMsg::PayAssessment {},
            )
        });
        assert_eq!(*err(&e), ContractError::NothingOwed {});
        // Underpaying is refused; overpaying refunds the excess.
        let sue = suite.addr("sue");
        let owed = suite.fund_member("sue").assessment_owed.u128();
        assert_eq!(owed, 234);
        suite.mint(&sue, 1_000).unwrap();
        let e = suite.refused(|s| {
            s.pay_into(
                &sue,
                &fund,
                owed - 1,
                &clearing_types::fund::ExecuteMsg::PayAssessment {},
                &clearing_types::fund::ReceiveMsg::PayAssessment {},
            )
        });
        assert!(matches!(err(&e), ContractError::WrongPaymentAmount { .. }));
        suite
            .pay_into(
                &sue,
                &fund,
                1_000,
                &clearing_types::fund::ExecuteMsg::PayAssessment {},
                &clearing_types::fund::ReceiveMsg::PayAssessment {},
            )
            .unwrap();
        assert_eq!(suite.balance(&sue), 1_000 - owed);
        suite.assert_conservation();
    }
}

#[test]
fn enforcement_waits_for_the_deadline_then_draws_excess_margin() {
    for s in [Settlement::Native, Settlement::Cw20] {
        let mut suite = suite(s);
        suite.declare_default("d1", 1_000_000).unwrap(); // sam owes 600, sue 400
        let e = suite.refused(|s| s.enforce_assessment("sam"));
        assert!(matches!(err(&e), ContractError::NotYetDue { .. }));
        let e = suite.refused(|s| s.enforce_assessment("d2"));
        assert!(matches!(err(&e), ContractError::NotYetDue { .. }), "{e:?}");
        suite.advance(DAY);
        // sue has 300 of excess margin: it covers all 200? no: sue owes 400.
        let recipient_before = suite.balance(&suite.loss_recipient.clone());
        suite.enforce_assessment("sue").unwrap();
        let sue = suite.fund_member("sue");
        assert_eq!(
            (sue.assessment_owed.u128(), sue.status),
            (100, MemberStatus::InBreach)
        );
        assert_eq!(suite.vault_member("sue").balance.u128(), 2_000);
        assert_eq!(
            suite.balance(&suite.loss_recipient.clone()),
            recipient_before + 300
        );
        // In breach: no margin withdrawal.
        let e = suite.refused(|s| s.withdraw_margin("sue", 1));
        assert!(matches!(
            contract_error::<margin_vault::ContractError>(&e),
            margin_vault::ContractError::InBreach {}
        ));
        // sam has no excess at all: drawn 0, in breach with everything owed.
        suite.enforce_assessment("sam").unwrap();
        assert_eq!(suite.fund_member("sam").status, MemberStatus::InBreach);
        assert_eq!(suite.fund_member("sam").assessment_owed.u128(), 600);
        // Paying ends the breach.
        suite.pay_assessment("sue").unwrap();
        assert_eq!(suite.fund_member("sue").status, MemberStatus::Active);
        let e = suite.refused(|s| s.enforce_assessment("sue"));
        assert_eq!(*err(&e), ContractError::NothingOwed {});
        suite.assert_conservation();
    }
}

#[test]
fn a_member_in_breach_can_be_declared_in_default_for_the_unpaid_amount() {
    let mut suite = suite(Settlement::Native);
    suite.declare_default("d1", 1_000_000).unwrap();
    suite.advance(DAY);
    suite.enforce_assessment("sam").unwrap();
    assert_eq!(suite.fund_member("sam").status, MemberStatus::InBreach);
    let r = suite.declare_default("sam", 600).unwrap();
    // sam's 2000 of margin covers its own unpaid assessment.
    assert_eq!(r.layers.defaulter_margin.u128(), 600);
    assert_eq!(suite.fund_member("sam").status, MemberStatus::Defaulted);
    suite.assert_conservation();
}

/// The vault reads the fund's member record raw and asks the fund for the
/// exact overdue figure only when an assessment may be past due: each branch.
#[test]
fn margin_withdrawal_is_refused_only_while_an_assessment_is_overdue() {
    use margin_vault::ContractError::{InsufficientExcessMargin, OverdueObligation};
    let vault_err = contract_error::<margin_vault::ContractError>;
    for s in [Settlement::Native, Settlement::Cw20] {
        let mut suite = suite(s);
        suite.declare_default("d1", 1_000_000).unwrap(); // sam owes 600, sue 400, due in a day
                                                         // Assessed, not settled, not due: sue's excess (300) is free, and
                                                         // sam is refused only for having no excess.
        suite.withdraw_margin("sue", 50).unwrap();
        let e = suite.refused(|s| s.withdraw_margin("sam", 1));
        assert!(
            matches!(vault_err(&e), InsufficientExcessMargin { .. }),
            "{e:?}"
        );
        // A requirement change settles the assessment into sue's record;
        // it is still not due.
        suite.set_required_margin("sue", 2_000).unwrap();
        suite.withdraw_margin("sue", 50).unwrap();
        // At the deadline both are refused with the exact overdue amount,
        // settled (sue) or not (sam).
        suite.advance(DAY);
        for (name, overdue) in [("sue", 400u128), ("sam", 600)] {
            let e = suite.refused(|s| s.withdraw_margin(name, 1));
            assert_eq!(
                *vault_err(&e),
                OverdueObligation {
                    overdue: Uint128::new(overdue)
                }
            );
        }
        // Paid in full: sue's remaining excess is free again.
        suite.pay_assessment("sue").unwrap();
        suite.withdraw_margin("sue", 200).unwrap();
        assert_eq!(suite.vault_member("sue").balance.u128(), 2_000);
        let e = suite.refused(|s| s.withdraw_margin("sue", 1));
        assert!(
            matches!(vault_err(&e), InsufficientExcessMargin { .. }),
            "{e:?}"
        );
        suite.assert_conservation();
    }
}

#[test]
fn only_the_overdue_part_is_enforced() {
    let mut suite = suite(Settlement::Native);
    suite.declare_default("d1", 700).unwrap(); // sue owes 200, due in a day
    suite.advance(DAY / 2);
    suite.declare_default("d2", 100).unwrap(); // sue owes 34 more, due a day later
    suite.advance(DAY / 2);
    let sue = suite.fund_member("sue");
    assert_eq!(
        (sue.assessment_owed.u128(), sue.assessment_overdue.u128()),
        (234, 200)
    );
    suite.enforce_assessment("sue").unwrap();
    let sue = suite.fund_member("sue");
    assert_eq!(
        (sue.assessment_owed.u128(), sue.assessment_overdue.u128()),
        (34, 0)
    );
    assert_eq!(sue.status, MemberStatus::Active);
    let e = suite.refused(|s| s.enforce_assessment("sue"));
    assert!(matches!(err(&e), ContractError::NotYetDue { .. }));
    suite.advance(DAY / 2);
    suite.enforce_assessment("sue").unwrap();
    assert_eq!(suite.fund_member("sue").assessment_owed.u128(), 0);
    assert_eq!(suite.vault_member("sue").balance.u128(), 2_300 - 234);
}

#[test]
fn replenishment_is_enforced_after_its_period() {
    for s in [Settlement::Native, Settlement::Cw20] {
        let mut suite = SuiteBuilder::new()
            .settlement(s)
            .params(params())
            .member("d1", 0, 1_000, 0)
            .member("sam", 5_000, 3_000, 300)
            .member("sue", 2_050, 2_000, 200)
            .build();
        // Half the mutual fund goes: sam 150 (rc 300), sue 100 (rc 200).
        suite.declare_default("d1", 250).unwrap();
        assert_eq!(suite.fund_member("sam").balance.u128(), 150);
        let e = suite.refused(|s| s.enforce_replenishment("sam"));
        assert_eq!(*err(&e), ContractError::NoReplenishmentDue {});
        suite.advance(7 * DAY);
        assert_eq!(suite.fund_member("sam").replenishment_due.u128(), 150);
        suite.enforce_replenishment("sam").unwrap();
        assert_eq!(suite.fund_member("sam").balance.u128(), 300);
        assert_eq!(suite.vault_member("sam").balance.u128(), 4_850);
        // sue has only 50 of excess margin: topped up by 50, in breach.
        suite.enforce_replenishment("sue").unwrap();
        let sue = suite.fund_member("sue");
        assert_eq!(
            (sue.balance.u128(), sue.status),
            (150, MemberStatus::InBreach)
        );
        // Contributing the rest ends the breach.
        suite.contribute("sue", 50).unwrap();
        assert_eq!(suite.fund_member("sue").status, MemberStatus::Active);
        suite.assert_conservation();
    }
}
