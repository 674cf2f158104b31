//! Money into the fund and fees out of it: contributions, SITG, fees pro
//! rata to balance, and the pause (SPEC v2 §3 "Fees", §5).
//!
//! Withdrawal with notice moved to `test_withdrawal_notice.rs`, the
//! wind-down after shutdown to `test_shutdown.rs` (one flow per file).

use clearing_suite::fund_flows::{attr, both, fund_err, DAY};
use clearing_suite::{native, Settlement, Suite, SuiteBuilder};
use clearing_types::asset::AssetError;
use clearing_types::fund::{ExecuteMsg, FundParams, ReceiveMsg};
use cosmwasm_std::{Decimal, Uint128};
use cw_multi_test::Executor;
use cw_utils::PaymentError;
use default_fund::ContractError;

/// Required contributions (100 + 10% of required margin): dora 200 (holds
/// nothing, no margin), sam 400 (holds 600), sue 300 (holds 400); SITG 100.
fn suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(FundParams {
            min_contribution: Uint128::new(100),
            contribution_rate: Decimal::percent(10),
            assessment_multiple: Decimal::percent(200),
            cooling_off_period: 28 * DAY,
            assessment_deadline: DAY,
            replenishment_period: 7 * DAY,
            withdrawal_notice_period: 14 * DAY,
            ..FundParams::default()
        })
        .sitg(100)
        .member("dora", 0, 1_000, 0)
        .member("sam", 10_000, 3_000, 600)
        .member("sue", 10_000, 2_000, 400)
        .build()
}

#[test]
fn contributions_add_to_the_balance_and_the_pool() {
    both(|s| {
        let mut suite = suite(s);
        let res = suite.contribute("sam", 150).unwrap();
        assert_eq!(attr(&res, "wasm", "balance").as_deref(), Some("750"));
        assert_eq!(attr(&res, "wasm", "shortfall").as_deref(), Some("0"));
        assert_eq!(suite.stake("sam"), 750);
        assert_eq!(suite.fund_state().total_contributions.u128(), 1_150);
        assert_eq!(suite.balance(&suite.fund.clone()), 1_150 + 100);
        // dora tops up 150 of the 200 she must hold: 50 short.
        let res = suite.contribute("dora", 150).unwrap();
        assert_eq!(attr(&res, "wasm", "shortfall").as_deref(), Some("50"));
        suite.assert_conservation();
    });
}

#[test]
fn contributions_from_strangers_defaulters_or_the_wrong_sender_are_refused() {
    both(|s| {
        let mut suite = suite(s);
        let fund = suite.fund.clone();
        let mallory = suite.addr("mallory");
        suite.mint(&mallory, 100).unwrap();
        let e = suite.refused(|s| {
            s.pay_into(
                &mallory,
                &fund,
                10,
                &ExecuteMsg::Contribute {},
                &ReceiveMsg::Contribute {},
            )
        });
        assert_eq!(
            *fund_err(&e),
            ContractError::UnknownMember {
                address: mallory.to_string()
            }
        );
        // Only the operator funds SITG.
        let sam = suite.addr("sam");
        suite.mint(&sam, 10).unwrap();
        let e = suite.refused(|s| {
            s.pay_into(
                &sam,
                &fund,
                10,
                &ExecuteMsg::FundSitg {},
                &ReceiveMsg::FundSitg {},
            )
        });
        assert_eq!(
            *fund_err(&e),
            ContractError::Unauthorized {
                action: "fund the SITG tranche".to_string(),
                sender: sam.to_string()
            }
        );
        // A defaulter cannot contribute.
        suite.declare_default("dora", 1).unwrap();
        let dora = suite.addr("dora");
        suite.mint(&dora, 10).unwrap();
        let e = suite.refused(|s| {
            s.pay_into(
                &dora,
                &fund,
                10,
                &ExecuteMsg::Contribute {},
                &ReceiveMsg::Contribute {},
            )
        });
        assert_eq!(
            *fund_err(&e),
            ContractError::MemberInDefault {
                address: dora.to_string()
            }
        );
    });
}

#[test]
fn a_native_contribution_without_funds_is_refused() {
    let mut suite = suite(Settlement::Native);
    let (sam, fund) = (suite.addr("sam"), suite.fund.clone());
    let e = suite.refused(|s| {
        s.app
            .execute_contract(sam.clone(), fund.clone(), &ExecuteMsg::Contribute {}, &[])
    });
    assert_eq!(
        *fund_err(&e),
        ContractError::Asset(AssetError::Payment(PaymentError::NoFunds {}))
    );
}

#[test]
fn the_operator_tops_up_sitg() {
    both(|s| {
        let mut suite = suite(s);
        suite.fund_sitg(400).unwrap();
        assert_eq!(suite.fund_state().sitg.u128(), 500);
        assert_eq!(suite.balance(&suite.fund.clone()), 1_000 + 500);
        suite.assert_conservation();
    });
}

#[test]
fn pause_stops_claims_but_not_contributions_or_defaults() {
    both(|s| {
        let mut suite = suite(s);
        suite.request_withdrawal("sam", 100).unwrap(); // of his 200 above 400
        suite.distribute_fees(100).unwrap();
        suite.advance(14 * DAY);
        suite.pause_fund(true).unwrap();
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), ContractError::Paused {});
        let e = suite.refused(|s| s.claim_fees("sam"));
        assert_eq!(*fund_err(&e), ContractError::Paused {});
        suite.contribute("sue", 10).unwrap();
        // Covered by SITG (100): no cooling-off period, nobody's claim waits.
        let r = suite.declare_default("dora", 50).unwrap();
        assert!(!r.opened_cooling_off);
        let e = suite.refused(|s| s.claim_released("dora"));
        assert_eq!(*fund_err(&e), ContractError::Paused {});
        // Chain governance unpauses.
        let fund = suite.fund.clone();
        suite
            .app
            .wasm_sudo(
                fund,
                &clearing_types::fund::SudoMsg::SetPause { paused: false },
            )
            .unwrap();
        suite.claim_fees("sam").unwrap();
        suite.claim_withdrawal("sam").unwrap();
        // 60 of the fees (600 of 1,000) and the 100 requested.
        assert_eq!(suite.balance_of("sam"), 60 + 100);
        suite.assert_conservation();
    });
}

#[test]
fn fees_accrue_pro_rata_to_balance_before_and_after_a_loss() {
    both(|s| {
        let mut suite = suite(s);
        suite.distribute_fees(100).unwrap();
        assert_eq!(suite.fund_member("sam").fees_claimable.u128(), 60);
        assert_eq!(suite.fund_member("sue").fees_claimable.u128(), 40);
        // SITG 100 then 500 of the 1,000 pool: sam 300, sue 200.
        suite.declare_default("dora", 600).unwrap();
        assert_eq!(suite.stake("sam"), 300);
        suite.distribute_fees(100).unwrap();
        assert_eq!(suite.fund_member("sam").fees_claimable.u128(), 120);
        assert_eq!(suite.fund_member("sue").fees_claimable.u128(), 80);
        suite.claim_fees("sam").unwrap();
        assert_eq!(suite.balance_of("sam"), 120);
        assert_eq!(suite.fund_member("sam").fees_claimable.u128(), 0);
        let e = suite.refused(|s| s.claim_fees("sam"));
        assert_eq!(*fund_err(&e), ContractError::NoFees {});
        // A new contributor earns only from later fees.
        suite.contribute("sam", 500).unwrap(); // sam 800, sue 200
        suite.distribute_fees(1_000).unwrap();
        assert_eq!(suite.fund_member("sam").fees_claimable.u128(), 800);
        assert_eq!(suite.fund_member("sue").fees_claimable.u128(), 280);
        suite.assert_conservation();
    });
}

#[test]
fn fees_with_no_contributor_are_refused() {
    let mut suite = SuiteBuilder::new().member("sam", 0, 1_000, 0).build();
    let payer = suite.addr("payer");
    let fund = suite.fund.clone();
    suite.mint(&payer, 10).unwrap();
    let e = suite.refused(|s| {
        s.pay_into(
            &payer,
            &fund,
            10,
            &ExecuteMsg::DistributeFees {},
            &ReceiveMsg::DistributeFees {},
        )
    });
    assert_eq!(*fund_err(&e), ContractError::NoContributors {});
    // A zero coin never reaches the contract: the bank refuses it first.
    suite.refused(|s| {
        s.app.execute_contract(
            payer.clone(),
            fund.clone(),
            &ExecuteMsg::DistributeFees {},
            &native(0),
        )
    });
}
