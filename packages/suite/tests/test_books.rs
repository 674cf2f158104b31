//! Conservation checked on-chain (SPEC v2 §4, issue 16): every execute of
//! the fund and the vault ends by checking, from the contract's own books,
//! that what it holds covers every claim on it and, for a native asset,
//! that its bank balance holds what the books say. The books are broken
//! on purpose here — crafted `TOTALS` written straight into a contract's
//! storage (the layouts of `clearing_types::fund_storage` and
//! `margin_vault::state`), a bank balance set below the books — and the
//! next execute is refused with `BooksBroken` naming both figures, changing
//! nothing. A long story of ordinary flows never trips it: after every
//! step each contract's books equal the tokens it holds, to the unit.

use clearing_suite::fund_flows::{both, fund_err, vault_err, DAY};
use clearing_suite::{Settlement, Suite, SuiteBuilder, DENOM};
use clearing_types::fund;
use cosmwasm_std::{coins, BankMsg, Uint128};
use cw_multi_test::Executor;
use default_fund::ContractError;

fn suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .sitg(1_000)
        .member("a", 10_000, 4_000, 600)
        .member("b", 10_000, 2_000, 300)
        .member("c", 1_000, 1_000, 200)
        .member("d", 1_000, 2_000, 300)
        .build()
}

/// The bank figure a refusal names: the native balance, none for cw20.
fn bank(suite: &Suite, amount: u128) -> String {
    match suite.token {
        None => amount.to_string(),
        Some(_) => String::new(),
    }
}

#[test]
fn the_fund_refuses_every_execute_once_its_holdings_are_below_its_claims() {
    both(|settlement| {
        let mut suite = suite(settlement);
        // SITG 1,000 + balances 600 + 300 + 200 + 300 = 2,400.
        let books = suite.fund_books();
        assert_eq!((books.claims.u128(), books.holdings.u128()), (2_400, 2_400));
        assert_eq!(suite.fund_counters_raw().holdings.u128(), 2_400);

        // Crafted state: the books say the fund holds one token less than
        // it owes.
        suite.tamper_fund_counters(|t| t.holdings = Uint128::new(2_399));
        assert_eq!(suite.fund_books().holdings.u128(), 2_399);

        // A message paying in 10: claims 2,410 against holdings 2,409.
        let a = suite.addr("a");
        suite.mint(&a, 10).unwrap();
        let fund = suite.fund.clone();
        let e = suite.refused(|s| {
            s.pay_into(
                &a,
                &fund,
                10,
                &fund::ExecuteMsg::Contribute {},
                &fund::ReceiveMsg::Contribute {},
            )
        });
        assert_eq!(
            fund_err(&e),
            &ContractError::BooksBroken {
                claims: Uint128::new(2_410),
                holdings: Uint128::new(2_409),
                bank: bank(&suite, 2_410),
            }
        );
        let shown = e.root_cause().to_string();
        assert!(
            shown.contains("claims 2410") && shown.contains("holdings 2409"),
            "{shown}"
        );
        // A message moving no money, by anyone.
        let e = suite.refused(|s| s.request_exit("b"));
        assert_eq!(
            fund_err(&e),
            &ContractError::BooksBroken {
                claims: Uint128::new(2_400),
                holdings: Uint128::new(2_399),
                bank: bank(&suite, 2_400),
            }
        );
        let e = suite.refused(|s| s.post_exposures(&[("a", 1)]));
        assert!(matches!(fund_err(&e), ContractError::BooksBroken { .. }));
        // A default: the whole transaction, the vault's seizure included.
        let e = suite.refused(|s| s.declare_default("d", 100));
        assert!(matches!(fund_err(&e), ContractError::BooksBroken { .. }));
        // Governance and chain governance too.
        let e = suite.refused(|s| s.change_params(|p| p.assessment_deadline += 1));
        assert!(matches!(fund_err(&e), ContractError::BooksBroken { .. }));
        // Books right again: business as usual.
        suite.tamper_fund_counters(|t| t.holdings = Uint128::new(2_400));
        suite.request_exit("b").unwrap();
        suite.declare_default("d", 100).unwrap();
        suite.assert_books_match_tokens();

        // Claims crafted above the holdings break it the same way: an SITG
        // the tokens do not back.
        suite.tamper_fund_totals(|t| t.sitg += Uint128::new(5));
        let e = suite.refused(|s| s.request_exit("a"));
        assert_eq!(
            fund_err(&e),
            &ContractError::BooksBroken {
                claims: Uint128::new(2_405),
                holdings: Uint128::new(2_400),
                bank: bank(&suite, 2_400),
            }
        );
    });
}

#[test]
fn a_native_fund_refuses_every_execute_once_its_bank_balance_is_below_its_books() {
    let mut suite = suite(Settlement::Native);
    let fund = suite.fund.clone();
    // The bank module takes one token from the fund (as a burn would).
    suite.set_bank_balance(&fund, 2_399);
    assert_eq!(suite.fund_books().bank_balance, Some(Uint128::new(2_399)));
    let e = suite.refused(|s| s.request_exit("a"));
    assert_eq!(
        fund_err(&e),
        &ContractError::BooksBroken {
            claims: Uint128::new(2_400),
            holdings: Uint128::new(2_400),
            bank: "2399".to_string(),
        }
    );
    // Fees paid in while the bank is short are refused too.
    suite.set_bank_balance(&fund, 2_399);
    let e = suite.distribute_fees(150).unwrap_err();
    assert!(matches!(fund_err(&e), ContractError::BooksBroken { .. }));
    // A payout is measured after it leaves. 150 in fees over balances
    // 600 : 300 : 200 : 300 (1,400): a's share floor(150 × 600 / 1,400) =
    // floor(64.3) = 64. Bank 2,549 against books of 2,550: after paying a
    // its 64, 2,485 against 2,486.
    suite.set_bank_balance(&fund, 2_400);
    suite.distribute_fees(150).unwrap();
    assert_eq!(suite.fund_member("a").fees_claimable.u128(), 64);
    suite.set_bank_balance(&fund, 2_549);
    let e = suite.refused(|s| s.claim_fees("a"));
    assert_eq!(
        fund_err(&e),
        &ContractError::BooksBroken {
            claims: Uint128::new(2_486),
            holdings: Uint128::new(2_486),
            bank: "2485".to_string(),
        }
    );
    suite.set_bank_balance(&fund, 2_550);
    suite.claim_fees("a").unwrap();
    suite.assert_books_match_tokens();

    // Crafted books above the bank balance (claims still covered by them).
    suite.tamper_fund_counters(|t| t.holdings += Uint128::new(1));
    let e = suite.refused(|s| s.request_exit("a"));
    assert_eq!(
        fund_err(&e),
        &ContractError::BooksBroken {
            claims: Uint128::new(2_486),
            holdings: Uint128::new(2_487),
            bank: "2486".to_string(),
        }
    );
    suite.tamper_fund_counters(|t| t.holdings -= Uint128::new(1));

    // Tokens sent to the fund outside its messages are a surplus, not a break.
    let stranger = suite.addr("stranger");
    suite.mint(&stranger, 7).unwrap();
    suite
        .app
        .execute(
            stranger,
            BankMsg::Send {
                to_address: fund.to_string(),
                amount: coins(7, DENOM),
            }
            .into(),
        )
        .unwrap();
    suite.request_exit("a").unwrap();
    let books = suite.fund_books();
    assert_eq!(books.holdings.u128(), 2_486);
    assert_eq!(books.bank_balance, Some(Uint128::new(2_493)));
}

#[test]
fn the_vault_refuses_every_execute_once_its_books_do_not_cover_the_margin() {
    both(|settlement| {
        let mut suite = suite(settlement);
        // Margin 10,000 + 10,000 + 1,000 + 1,000.
        let v = suite.vault_totals_raw();
        assert_eq!((v.total_margin.u128(), v.holdings.u128()), (22_000, 22_000));
        suite.tamper_vault_totals(|t| t.holdings = Uint128::new(21_999));
        // A deposit of 5: margin 22,005 against holdings 22,004.
        let a = suite.addr("a");
        suite.mint(&a, 5).unwrap();
        let vault = suite.vault.clone();
        let e = suite.refused(|s| {
            s.pay_into(
                &a,
                &vault,
                5,
                &clearing_types::vault::ExecuteMsg::Deposit {},
                &clearing_types::vault::ReceiveMsg::Deposit {},
            )
        });
        assert_eq!(
            vault_err(&e),
            &margin_vault::ContractError::BooksBroken {
                margin: Uint128::new(22_005),
                holdings: Uint128::new(22_004),
                bank: String::new(),
            }
        );
        let shown = e.root_cause().to_string();
        assert!(
            shown.contains("margin 22005") && shown.contains("holdings 22004"),
            "{shown}"
        );
        // A withdrawal, a requirement change, and the fund's own hooks: a
        // default (seize) is refused whole.
        let e = suite.refused(|s| s.withdraw_margin("a", 1));
        assert!(matches!(
            vault_err(&e),
            margin_vault::ContractError::BooksBroken { .. }
        ));
        let e = suite.refused(|s| s.set_required_margin("a", 4_001));
        assert!(matches!(
            vault_err(&e),
            margin_vault::ContractError::BooksBroken { .. }
        ));
        let e = suite.refused(|s| s.declare_default("d", 100));
        assert!(matches!(
            vault_err(&e),
            margin_vault::ContractError::BooksBroken { .. }
        ));
        suite.tamper_vault_totals(|t| t.holdings = Uint128::new(22_000));
        suite.withdraw_margin("a", 1).unwrap();
        suite.assert_books_match_tokens();
    });
}

#[test]
fn a_native_vault_refuses_every_execute_once_its_bank_balance_is_below_its_books() {
    let mut suite = suite(Settlement::Native);
    let vault = suite.vault.clone();
    suite.set_bank_balance(&vault, 21_999);
    assert_eq!(suite.vault_books().bank_balance, Some(Uint128::new(21_999)));
    let e = suite.refused(|s| s.set_required_margin("b", 2_500));
    assert_eq!(
        vault_err(&e),
        &margin_vault::ContractError::BooksBroken {
            margin: Uint128::new(22_000),
            holdings: Uint128::new(22_000),
            bank: "21999".to_string(),
        }
    );
    // A withdrawal is measured after it leaves: 21,999 − 100 < 21,900.
    let e = suite.refused(|s| s.withdraw_margin("a", 100));
    assert_eq!(
        vault_err(&e),
        &margin_vault::ContractError::BooksBroken {
            margin: Uint128::new(21_900),
            holdings: Uint128::new(21_900),
            bank: "21899".to_string(),
        }
    );
    suite.set_bank_balance(&vault, 22_000);
    suite.withdraw_margin("a", 100).unwrap();
    suite.assert_books_match_tokens();
}

/// Runs `f` and checks both contracts' books against their tokens.
fn step<T: std::fmt::Debug>(
    suite: &mut Suite,
    what: &str,
    f: impl FnOnce(&mut Suite) -> anyhow::Result<T>,
) {
    if let Err(e) = f(suite) {
        panic!("{what}: {e:?}");
    }
    suite.assert_books_match_tokens();
    let books = suite.fund_books();
    // No slack: every token the fund holds is someone's claim.
    assert_eq!(books.claims, books.holdings, "{what}: {books:?}");
}

#[test]
fn ordinary_flows_never_trip_the_check() {
    both(|settlement| {
        let mut s = suite(settlement);
        s.assert_books_match_tokens();
        step(&mut s, "fees", |s| s.distribute_fees(140));
        step(&mut s, "top-up", |s| s.contribute("a", 100));
        step(&mut s, "request withdrawal", |s| {
            s.request_withdrawal("a", 150)
        });
        step(&mut s, "exposures", |s| s.post_exposures(&[("a", 5_000)]));
        // d: L1 1,000, L2 300 + its fees, L3 SITG, L4, L5 assessments.
        step(&mut s, "default", |s| s.declare_default("d", 4_033));
        step(&mut s, "pay", |s| s.pay_assessment("a"));
        s.advance(DAY);
        step(&mut s, "enforce (drawn)", |s| s.enforce_assessment("b"));
        step(&mut s, "enforce (breach)", |s| s.enforce_assessment("c"));
        s.advance(7 * DAY);
        step(&mut s, "replenish (drawn)", |s| {
            s.enforce_replenishment("b")
        });
        step(&mut s, "pay out of breach", |s| s.pay_assessment("c"));
        step(&mut s, "replenish", |s| s.contribute("c", 200));
        step(&mut s, "close", |s| s.close_default("d"));
        step(&mut s, "recovery", |s| s.record_recovery(1, 5_000));
        // Claims wait while anything is overdue: a covers its shortfall
        // (past its date by now) first.
        let short = s.fund_member("a").shortfall.u128();
        step(&mut s, "cover the shortfall", |s| s.contribute("a", short));
        step(&mut s, "claim recoveries", |s| s.claim_recoveries("a"));
        step(&mut s, "claim released", |s| s.claim_released("d"));
        step(&mut s, "margin of a closed default", |s| {
            let m = s.margin("d");
            if m == 0 {
                return Ok(None);
            }
            s.withdraw_margin("d", m).map(Some)
        });
        step(&mut s, "notice", |s| s.request_exit("b"));
        step(&mut s, "fees again", |s| s.distribute_fees(77));
        // Past the notice and the cooling-off period, within the window.
        s.advance(21 * DAY);
        step(&mut s, "top up", |s| s.contribute("a", 700));
        step(&mut s, "exit", |s| s.complete_exit("b"));
        step(&mut s, "claim fees", |s| s.claim_fees("a"));
        step(&mut s, "claim recoveries", |s| s.claim_recoveries("c"));
        step(&mut s, "request", |s| s.request_withdrawal("a", 100));
        s.advance(14 * DAY);
        step(&mut s, "claim withdrawal", |s| s.claim_withdrawal("a"));
        step(&mut s, "margin out", |s| s.withdraw_margin("a", 1_000));
        step(&mut s, "shutdown", |s| s.shutdown());
        step(&mut s, "whole balance", |s| s.claim_withdrawal("a"));
        step(&mut s, "whole margin", |s| {
            let m = s.margin("a");
            s.withdraw_margin("a", m)
        });
        step(&mut s, "sitg out", |s| s.withdraw_sitg());
    });
}
