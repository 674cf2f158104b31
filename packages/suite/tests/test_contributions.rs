//! Money in and out of the fund: contributions, SITG, withdrawal with
//! notice (losses during the notice still apply), fees.

use clearing_suite::{contract_error, native, Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{ExecuteMsg, FundParams, ReceiveMsg};
use cosmwasm_std::{Decimal, Uint128};
use cw_multi_test::Executor;
use default_fund::ContractError;

const DAY: u64 = 86_400;

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
        })
        .sitg(100)
        .member("dora", 0, 1_000, 0)
        .member("sam", 10_000, 3_000, 600)
        .member("sue", 10_000, 2_000, 400)
        .build()
}

fn err(e: &anyhow::Error) -> &ContractError {
    contract_error::<ContractError>(e)
}

#[test]
fn contributions_add_to_the_balance_and_the_pool() {
    for s in [Settlement::Native, Settlement::Cw20] {
        let mut suite = suite(s);
        suite.contribute("sam", 150).unwrap();
        assert_eq!(suite.fund_member("sam").balance.u128(), 750);
        assert_eq!(suite.fund_state().total_contributions.u128(), 1_150);
        assert_eq!(suite.balance(&suite.fund.clone()), 1_150 + 100);
        suite.assert_conservation();
    }
}

#[test]
fn contributions_from_strangers_zero_or_wrong_funds_are_refused() {
    let mut suite = suite(Settlement::Native);
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
    assert!(matches!(err(&e), ContractError::UnknownMember { .. }));
    let sam = suite.addr("sam");
    let e = suite.refused(|s| {
        s.app
            .execute_contract(sam.clone(), fund.clone(), &ExecuteMsg::Contribute {}, &[])
    });
    assert!(matches!(err(&e), ContractError::Asset(_)));
    // Only the operator funds SITG.
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
    assert!(matches!(err(&e), ContractError::Unauthorized { .. }));
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
    assert!(matches!(err(&e), ContractError::MemberInDefault { .. }));
}

#[test]
fn the_operator_tops_up_sitg() {
    let mut suite = suite(Settlement::Cw20);
    suite.fund_sitg(400).unwrap();
    assert_eq!(suite.fund_state().sitg.u128(), 500);
    suite.assert_conservation();
}

#[test]
fn withdrawal_after_notice_pays_the_requested_amount() {
    for s in [Settlement::Native, Settlement::Cw20] {
        let mut suite = suite(s);
        suite.request_withdrawal("sam", 200).unwrap();
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert!(matches!(err(&e), ContractError::NoticeNotOver { .. }));
        suite.advance(14 * DAY);
        suite.claim_withdrawal("sam").unwrap();
        assert_eq!(suite.balance_of("sam"), 200);
        assert_eq!(suite.fund_member("sam").balance.u128(), 400);
        assert!(suite.fund_member("sam").pending_withdrawal.is_none());
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*err(&e), ContractError::NoWithdrawalRequested {});
        suite.assert_conservation();
    }
}

#[test]
fn a_loss_during_the_notice_still_applies_and_cooling_off_blocks_the_claim() {
    let mut suite = suite(Settlement::Native);
    suite.request_withdrawal("sam", 600).unwrap();
    suite.advance(DAY);
    // dora: no margin or contribution; SITG 100, then half the mutual fund.
    suite.declare_default("dora", 600).unwrap();
    assert_eq!(suite.fund_member("sam").balance.u128(), 300);
    suite.advance(14 * DAY);
    let e = suite.refused(|s| s.claim_withdrawal("sam"));
    assert!(matches!(err(&e), ContractError::CoolingOffOpen { .. }));
    suite.advance(14 * DAY);
    suite.claim_withdrawal("sam").unwrap();
    // min(requested 600, balance then 300)
    assert_eq!(suite.balance_of("sam"), 300);
    assert_eq!(suite.fund_member("sam").balance.u128(), 0);
    suite.assert_conservation();
}

#[test]
fn no_claim_while_owing() {
    let mut suite = SuiteBuilder::new()
        .member("dora", 0, 1_000, 0)
        .member("sam", 10_000, 3_000, 0)
        .build();
    suite.contribute("sam", 50).unwrap();
    suite.request_withdrawal("sam", 50).unwrap();
    suite.declare_default("dora", 10_000).unwrap();
    assert_eq!(suite.fund_member("sam").balance.u128(), 0);
    suite.contribute("sam", 500).unwrap();
    suite.request_withdrawal("sam", 100).unwrap();
    suite.advance(60 * DAY);
    let e = suite.refused(|s| s.claim_withdrawal("sam"));
    assert!(matches!(
        err(&e),
        ContractError::OutstandingObligation { .. }
    ));
    suite.pay_assessment("sam").unwrap();
    suite.claim_withdrawal("sam").unwrap();
}

#[test]
fn withdrawal_requests_beyond_the_balance_or_zero_are_refused() {
    let mut suite = suite(Settlement::Native);
    let e = suite.refused(|s| s.request_withdrawal("sam", 601));
    assert!(matches!(err(&e), ContractError::ExceedsBalance { .. }));
    let e = suite.refused(|s| s.request_withdrawal("sam", 0));
    assert_eq!(*err(&e), ContractError::ZeroAmount {});
    let e = suite.refused(|s| s.request_withdrawal("mallory", 1));
    assert!(matches!(err(&e), ContractError::UnknownMember { .. }));
}

#[test]
fn pause_stops_claims_but_not_contributions_or_defaults() {
    let mut suite = suite(Settlement::Native);
    suite.request_withdrawal("sam", 100).unwrap();
    suite.distribute_fees(100).unwrap();
    suite.advance(14 * DAY);
    let gov = suite.governor();
    suite
        .execute_fund(&gov, &ExecuteMsg::SetPause { paused: true })
        .unwrap();
    let e = suite.refused(|s| s.claim_withdrawal("sam"));
    assert_eq!(*err(&e), ContractError::Paused {});
    let e = suite.refused(|s| s.claim_fees("sam"));
    assert_eq!(*err(&e), ContractError::Paused {});
    suite.contribute("sue", 10).unwrap();
    suite.declare_default("dora", 50).unwrap();
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
}

#[test]
fn fees_accrue_pro_rata_to_balance_before_and_after_a_loss() {
    for s in [Settlement::Native, Settlement::Cw20] {
        let mut suite = suite(s);
        suite.distribute_fees(100).unwrap();
        assert_eq!(suite.fund_member("sam").fees_claimable.u128(), 60);
        assert_eq!(suite.fund_member("sue").fees_claimable.u128(), 40);
        // SITG 100 then 500 of the 1000 mutual fund: sam 300, sue 200.
        suite.declare_default("dora", 600).unwrap();
        assert_eq!(suite.fund_member("sam").balance.u128(), 300);
        suite.distribute_fees(100).unwrap();
        assert_eq!(suite.fund_member("sam").fees_claimable.u128(), 120);
        assert_eq!(suite.fund_member("sue").fees_claimable.u128(), 80);
        suite.claim_fees("sam").unwrap();
        assert_eq!(suite.balance_of("sam"), 120);
        assert_eq!(suite.fund_member("sam").fees_claimable.u128(), 0);
        let e = suite.refused(|s| s.claim_fees("sam"));
        assert_eq!(*err(&e), ContractError::NoFees {});
        // A new contributor earns only from later fees.
        suite.contribute("sam", 500).unwrap(); // sam 800, sue 200
        suite.distribute_fees(1_000).unwrap();
        assert_eq!(suite.fund_member("sam").fees_claimable.u128(), 800);
        assert_eq!(suite.fund_member("sue").fees_claimable.u128(), 280);
        suite.assert_conservation();
    }
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
    assert_eq!(*err(&e), ContractError::NoContributors {});
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

#[test]
fn shutdown_lets_members_take_out_everything_once_defaults_are_closed() {
    for s in [Settlement::Native, Settlement::Cw20] {
        let mut suite = suite(s);
        suite.declare_default("dora", 300).unwrap(); // sitg 100, mutual 200
        let gov = suite.governor();
        let vault = suite.vault.clone();
        suite.execute_fund(&gov, &ExecuteMsg::Shutdown {}).unwrap();
        suite
            .app
            .execute_contract(
                gov.clone(),
                vault,
                &clearing_types::vault::ExecuteMsg::Shutdown {},
                &[],
            )
            .unwrap();
        // New business stops.
        let sam = suite.addr("sam");
        let fund = suite.fund.clone();
        suite.mint(&sam, 10).unwrap();
        let e = suite.refused(|s| {
            s.pay_into(
                &sam,
                &fund,
                10,
                &ExecuteMsg::Contribute {},
                &ReceiveMsg::Contribute {},
            )
        });
        assert_eq!(*err(&e), ContractError::ShutDown {});
        // Still an open default: no exit yet.
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*err(&e), ContractError::NoWithdrawalRequested {});
        let dora = suite.addr("dora").to_string();
        suite
            .execute_fund(&gov, &ExecuteMsg::CloseDefault { member: dora })
            .unwrap();
        for name in ["sam", "sue"] {
            let fund_balance = suite.fund_member(name).balance.u128();
            let margin = suite.vault_member(name).balance.u128();
            let wallet = suite.balance_of(name);
            suite.claim_withdrawal(name).unwrap();
            suite.withdraw_margin(name, margin).unwrap();
            assert_eq!(
                suite.balance_of(name),
                wallet + fund_balance + margin,
                "{name}"
            );
        }
        // Only dust may remain.
        assert!(suite.balance(&suite.fund.clone()) <= 2);
        assert_eq!(suite.balance(&suite.vault.clone()), 0);
        suite.assert_conservation();
    }
}
