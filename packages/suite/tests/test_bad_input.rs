//! The bad-input catalogue: each case is a message an auditor or attacker
//! would try. Every one is refused with a clear, typed error carrying the
//! numbers that explain it, and the whole deployment — configs, totals,
//! members, defaults, books, coverage, obligations, token balances — is
//! exactly as it was before ([`Suite::refused_fully`]).

use clearing_suite::fund_flows::{fund_blocked, overdue};
use clearing_suite::{contract_error, native, raw, Settlement, Suite, SuiteBuilder, DENOM};
use clearing_types::asset::AssetError;
use clearing_types::fund::{self, ExposurePost, FundParams, SizingParams};
use clearing_types::ledger::{Basis, Blocked};
use clearing_types::vault;
use cosmwasm_std::{
    coin, to_json_binary, Addr, Coin, CosmosMsg, Decimal, Timestamp, Uint128, WasmMsg,
};
use cw_multi_test::{AppResponse, Executor};
use cw_utils::PaymentError;

const DAY: u64 = 86_400;
/// The fund's longest period: ten years.
const MAX_PERIOD: u64 = 10 * 365 * DAY;

/// dora, sam and sue, each at or above its required contribution
/// (`100 + 10% × required margin`: dora 200, sam 400, sue 300), SITG 1,000.
/// Every wallet (the loss recipient's too) already holds what a case pays,
/// so that nothing is minted inside a refused case.
fn suite_with(settlement: Settlement) -> Suite {
    suite_of(settlement, FundParams::default())
}

fn suite_of(settlement: Settlement, params: FundParams) -> Suite {
    let mut suite = SuiteBuilder::new()
        .settlement(settlement)
        .params(params)
        .sitg(1_000)
        .member("dora", 1_000, 1_000, 200)
        .member("sam", 10_000, 3_000, 1_000)
        .member("sue", 10_000, 2_000, 300)
        .build();
    // Wallets hold what the cases try to pay, so only the refusal is tested.
    for name in ["dora", "sam", "sue", "mallory"] {
        let who = suite.addr(name);
        suite.mint(&who, 1_000_000).unwrap();
    }
    let recipient = suite.loss_recipient.clone();
    suite.mint(&recipient, 1_000_000).unwrap();
    if settlement == Settlement::Native {
        for who in [suite.addr("sam"), suite.loss_recipient.clone()] {
            suite
                .app
                .sudo(cw_multi_test::SudoMsg::Bank(
                    cw_multi_test::BankSudo::Mint {
                        to_address: who.to_string(),
                        amount: vec![coin(1_000, "uatom"), coin(1_000, "ufoo")],
                    },
                ))
                .unwrap();
        }
    }
    suite
}

fn suite() -> Suite {
    suite_with(Settlement::Native)
}

fn both(test: impl Fn(Settlement)) {
    test(Settlement::Native);
    test(Settlement::Cw20);
}

fn exec<M: serde::Serialize + std::fmt::Debug>(
    s: &mut Suite,
    who: &str,
    contract: &Addr,
    msg: &M,
    funds: &[Coin],
) -> anyhow::Result<AppResponse> {
    let sender = s.addr(who);
    s.app.execute_contract(sender, contract.clone(), msg, funds)
}

fn raw_exec(s: &mut Suite, who: &str, contract: &Addr, bytes: &str) -> anyhow::Result<AppResponse> {
    let sender = s.addr(who);
    raw_exec_from(s, sender, contract, bytes)
}

fn raw_exec_from(
    s: &mut Suite,
    sender: Addr,
    contract: &Addr,
    bytes: &str,
) -> anyhow::Result<AppResponse> {
    s.app.execute(
        sender,
        CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr: contract.to_string(),
            msg: raw(bytes),
            funds: vec![],
        }),
    )
}

/// A refused case: runs `f`, checks nothing changed, and that the error
/// is `E` and matches `check`.
fn refused_with<E: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static>(
    mut suite: Suite,
    f: impl FnOnce(&mut Suite) -> anyhow::Result<AppResponse>,
    check: impl FnOnce(&E) -> bool,
) {
    let e = suite.refused_fully(f);
    let err = contract_error::<E>(&e);
    assert!(check(err), "unexpected error: {err:?}");
    assert!(!err.to_string().is_empty());
}

/// A refused case whose typed error is exactly `expected`, numbers included.
fn refused_as<E>(
    mut suite: Suite,
    f: impl FnOnce(&mut Suite) -> anyhow::Result<AppResponse>,
    expected: E,
) where
    E: std::fmt::Display + std::fmt::Debug + PartialEq + Send + Sync + 'static,
{
    let e = suite.refused_fully(f);
    let err = contract_error::<E>(&e);
    assert_eq!(err, &expected);
    assert!(!err.to_string().is_empty());
}

/// A message that does not even parse: refused before the contract runs,
/// with serde's message naming what is wrong.
fn refused_unparsed(mut suite: Suite, f: impl FnOnce(&mut Suite) -> anyhow::Result<AppResponse>) {
    let e = suite.refused_fully(f);
    let text = format!("{e:?}");
    assert!(text.contains("Error parsing into type"), "{text}");
}

type V = margin_vault::ContractError;
type F = default_fund::ContractError;
type G = governance::ContractError;

fn vault_of(s: &Suite) -> Addr {
    s.vault.clone()
}
fn fund_of(s: &Suite) -> Addr {
    s.fund.clone()
}
fn addr_of(s: &Suite, name: &str) -> String {
    s.addr(name).to_string()
}

/// `who` pays `amount` it already holds into `contract` (coins, or the
/// token's `Send` carrying `receive`).
fn pay<N: serde::Serialize + std::fmt::Debug, R: serde::Serialize>(
    s: &mut Suite,
    who: &str,
    contract: &Addr,
    amount: u128,
    native: &N,
    receive: &R,
) -> anyhow::Result<AppResponse> {
    let sender = s.addr(who);
    s.pay_into(&sender, contract, amount, native, receive)
}

/// The block time now.
fn now(s: &Suite) -> Timestamp {
    s.app.block_info().time
}

/// sue gives notice, waits it out and leaves both contracts: `CompleteExit`
/// pays her balance (300) from the fund, then her next withdrawal takes
/// her whole margin (10,000, above her 2,000 requirement) and closes her
/// vault account (`Suite::exit_with_margin`).
fn sue_exited(settlement: Settlement) -> Suite {
    let mut s = suite_with(settlement);
    s.request_exit("sue").unwrap();
    s.advance(14 * DAY);
    s.exit_with_margin("sue").unwrap();
    assert_eq!(
        s.vault_member("sue").status,
        vault::MarginStatus::Exited,
        "sue's vault account closes once her whole margin is out"
    );
    s
}

/// dora's loss of 5,000 takes her margin (1,000) and stake (200), the SITG
/// (1,000), the mutual fund (sam 1,000, sue 300) and 1,400 in assessments
/// (`2 × B`, B = 400 + 300): sam owes 800, sue 600; 100 is uncovered.
/// Both balances are gone: shortfalls of 400 and 300 open, due in 7 days.
fn after_big_default(s: &mut Suite) -> fund::DefaultReceipt {
    let r = s.declare_default("dora", 5_000).unwrap();
    assert_eq!(r.layers.mutual_fund.u128(), 1_300);
    assert_eq!(r.layers.assessments.u128(), 1_400);
    assert_eq!(s.fund_member("sam").assessment_owed.u128(), 800);
    assert_eq!(s.fund_member("sue").assessment_owed.u128(), 600);
    r
}

/// dora's loss of 2,300 reaches the mutual fund (100) but no assessment:
/// a cooling-off period opens.
fn after_small_default(s: &mut Suite) -> fund::DefaultReceipt {
    let r = s.declare_default("dora", 2_300).unwrap();
    assert_eq!(r.layers.mutual_fund.u128(), 100);
    assert!(r.layers.assessments.is_zero());
    assert!(r.opened_cooling_off);
    r
}

// ---- margin vault ----------------------------------------------------------

#[test]
fn vault_deposit_without_funds() {
    refused_with::<V>(
        suite(),
        |s| {
            let v = vault_of(s);
            exec(s, "sam", &v, &vault::ExecuteMsg::Deposit {}, &[])
        },
        |e| matches!(e, V::Asset(AssetError::Payment(PaymentError::NoFunds {}))),
    );
}

#[test]
fn vault_deposit_in_a_wrong_denom() {
    refused_with::<V>(
        suite(),
        |s| {
            let v = vault_of(s);
            exec(
                s,
                "sam",
                &v,
                &vault::ExecuteMsg::Deposit {},
                &[coin(5, "uatom")],
            )
        },
        |e| matches!(e, V::Asset(AssetError::Payment(PaymentError::MissingDenom(d))) if d == DENOM),
    );
}

#[test]
fn vault_deposit_with_an_extra_denom() {
    refused_with::<V>(
        suite(),
        |s| {
            let v = vault_of(s);
            exec(
                s,
                "sam",
                &v,
                &vault::ExecuteMsg::Deposit {},
                &[coin(5, DENOM), coin(5, "uatom")],
            )
        },
        |e| {
            matches!(
                e,
                V::Asset(AssetError::Payment(PaymentError::MultipleDenoms {}))
            )
        },
    );
}

#[test]
fn vault_deposit_with_several_foreign_denoms() {
    refused_with::<V>(
        suite(),
        |s| {
            let v = vault_of(s);
            exec(
                s,
                "sam",
                &v,
                &vault::ExecuteMsg::Deposit {},
                &[coin(5, "uatom"), coin(5, "ufoo")],
            )
        },
        |e| matches!(e, V::Asset(_)),
    );
}

#[test]
fn vault_withdraw_zero() {
    refused_with::<V>(
        suite(),
        |s| s.withdraw_margin("sam", 0),
        |e| matches!(e, V::ZeroAmount {}),
    );
}

#[test]
fn vault_withdraw_u128_max() {
    refused_as(
        suite(),
        |s| s.withdraw_margin("sam", u128::MAX),
        V::InsufficientExcessMargin {
            available: Uint128::new(7_000),
            requested: Uint128::MAX,
        },
    );
}

#[test]
fn vault_deposit_overflowing_u128() {
    // The contracts' sums never exceed the tokens they hold, so an amount
    // near u128::MAX is stopped by the bank (the wallet cannot hold it);
    // nothing moves and the error says why.
    let mut s = suite();
    let whale = s.addr("sam");
    s.mint(&whale, u128::MAX - 2_000_000).unwrap();
    let e = s.refused_fully(|s| {
        let c = vault_of(s);
        exec(
            s,
            "sam",
            &c,
            &vault::ExecuteMsg::Deposit {},
            &native(u128::MAX - 1_000),
        )
    });
    assert!(format!("{e:?}").contains("Cannot Sub"), "{e:?}");
}

#[test]
fn vault_requirement_near_u128_max_overflows_the_total() {
    // The vault's total requirement would pass u128::MAX: refused with the
    // overflow, nothing changed (sam's own requirement included).
    refused_with::<V>(
        suite(),
        |s| s.set_required_margin("sam", u128::MAX),
        |e| matches!(e, V::Overflow(_)),
    );
}

#[test]
fn vault_withdraw_by_an_unknown_member() {
    let s = suite();
    let mallory = addr_of(&s, "mallory");
    refused_as(
        s,
        |s| s.withdraw_margin("mallory", 1),
        V::UnknownMember { address: mallory },
    );
}

#[test]
fn vault_requirement_for_an_unknown_member() {
    refused_with::<V>(
        suite(),
        |s| s.set_required_margin("mallory", 1),
        |e| matches!(e, V::UnknownMember { .. }),
    );
}

#[test]
fn vault_admitting_an_existing_member() {
    refused_with::<V>(
        suite(),
        |s| s.add_member("sam", 1),
        |e| matches!(e, V::AlreadyMember { .. }),
    );
}

#[test]
fn vault_admitting_a_malformed_address() {
    refused_with::<V>(
        suite(),
        |s| {
            let (g, v) = (s.governor(), vault_of(s));
            s.app.execute_contract(
                g,
                v,
                &vault::ExecuteMsg::AddMember {
                    member: "not an address".into(),
                    required_margin: Uint128::one(),
                },
                &[],
            )
        },
        |e| matches!(e, V::Std(_)),
    );
}

#[test]
fn vault_deposit_after_shutdown() {
    let mut s = suite();
    let (g, v) = (s.governor(), vault_of(&s));
    s.app
        .execute_contract(g, v, &vault::ExecuteMsg::Shutdown {}, &[])
        .unwrap();
    refused_with::<V>(
        s,
        |s| {
            let v = vault_of(s);
            exec(s, "sam", &v, &vault::ExecuteMsg::Deposit {}, &native(5))
        },
        |e| matches!(e, V::ShutDown {}),
    );
}

#[test]
fn vault_withdraw_by_a_suspended_member() {
    let mut s = suite();
    s.suspend("sam").unwrap();
    refused_as(
        s,
        |s| s.withdraw_margin("sam", 1),
        V::ExitBlocked {
            reason: Blocked::Suspended.to_string(),
        },
    );
}

#[test]
fn vault_withdraw_with_an_overdue_assessment() {
    let mut s = suite();
    after_big_default(&mut s);
    s.advance(DAY + 1);
    refused_as(
        s,
        |s| s.withdraw_margin("sam", 1),
        V::ExitBlocked {
            reason: overdue(800, 0).to_string(),
        },
    );
}

#[test]
fn vault_withdraw_by_an_exited_member() {
    both(|settlement| {
        let s = sue_exited(settlement);
        let sue = addr_of(&s, "sue");
        refused_as(
            s,
            |s| s.withdraw_margin("sue", 1),
            V::MemberExited { address: sue },
        );
    });
}

#[test]
fn vault_deposit_by_an_exited_member() {
    both(|settlement| {
        let s = sue_exited(settlement);
        let sue = addr_of(&s, "sue");
        refused_as(
            s,
            |s| {
                let v = vault_of(s);
                pay(
                    s,
                    "sue",
                    &v,
                    10,
                    &vault::ExecuteMsg::Deposit {},
                    &vault::ReceiveMsg::Deposit {},
                )
            },
            V::MemberExited { address: sue },
        );
    });
}

#[test]
fn vault_readmitting_an_exited_member() {
    let s = sue_exited(Settlement::Native);
    let sue = addr_of(&s, "sue");
    refused_as(
        s,
        |s| s.add_member("sue", 1_000),
        V::AlreadyMember { address: sue },
    );
}

#[test]
fn vault_requirement_for_an_exited_member() {
    let s = sue_exited(Settlement::Native);
    let sue = addr_of(&s, "sue");
    refused_as(
        s,
        |s| s.set_required_margin("sue", 5_000),
        V::MemberExited { address: sue },
    );
}

#[test]
fn vault_sudo_shutdown_twice() {
    let mut s = suite();
    s.sudo_vault(&vault::SudoMsg::Shutdown {}).unwrap();
    refused_as(
        s,
        |s| s.sudo_vault(&vault::SudoMsg::Shutdown {}),
        V::ShutDown {},
    );
}

#[test]
fn vault_sudo_roles_with_a_malformed_address() {
    refused_with::<V>(
        suite(),
        |s| {
            s.sudo_vault(&vault::SudoMsg::SetRoles {
                governance: None,
                risk_engine: Some("not an address".into()),
            })
        },
        |e| matches!(e, V::Std(_)),
    );
}

#[test]
fn vault_malformed_json() {
    refused_unparsed(suite(), |s| {
        let v = vault_of(s);
        raw_exec(s, "sam", &v, "{\"withdraw\": {\"amount\": ")
    });
}

#[test]
fn vault_unknown_message() {
    refused_unparsed(suite(), |s| {
        let v = vault_of(s);
        raw_exec(s, "sam", &v, "{\"steal\": {}}")
    });
}

#[test]
fn vault_negative_amount() {
    refused_unparsed(suite(), |s| {
        let v = vault_of(s);
        raw_exec(s, "sam", &v, "{\"withdraw\": {\"amount\": \"-5\"}}")
    });
}

#[test]
fn vault_removed_messages_do_not_parse() {
    // v1's RemoveMember is gone: governance removes a member by ForceExit.
    refused_unparsed(suite(), |s| {
        let (g, v, m) = (s.governor(), vault_of(s), addr_of(s, "sam"));
        raw_exec_from(
            s,
            g,
            &v,
            &format!("{{\"remove_member\": {{\"member\": \"{m}\"}}}}"),
        )
    });
}

/// The vault's `Exit` hook is gone (the exited member's next withdrawal
/// takes its whole margin): even from the fund, well-formed or not, it no
/// longer parses.
#[test]
fn vault_removed_exit_hook_does_not_parse() {
    let sam = addr_of(&suite(), "sam");
    for json in [
        "{\"fund_hook\": {\"exit\": {}}}".to_string(),
        "{\"fund_hook\": {\"exit\": {\"member\": 7}}}".to_string(),
        format!("{{\"fund_hook\": {{\"exit\": {{\"member\": \"{sam}\"}}}}}}"),
    ] {
        refused_unparsed(suite(), |s| {
            let (f, v) = (fund_of(s), vault_of(s));
            raw_exec_from(s, f, &v, &json)
        });
    }
}

/// Every message refuses a field it does not know (`deny_unknown_fields`):
/// a forged field is a parse error and changes nothing, where it used to
/// be ignored. Each case is a valid message plus one field.
#[test]
fn unknown_fields_are_refused_by_the_vault_and_the_fund() {
    let s = suite();
    let (sam, sue) = (addr_of(&s, "sam"), addr_of(&s, "sue"));
    let (gov, keeper) = (s.governor(), s.addr("keeper"));
    drop(s);
    let vault_cases = [
        format!("{{\"withdraw\": {{\"amount\": \"1\", \"member\": \"{sue}\"}}}}"),
        "{\"deposit\": {\"amount\": \"1000000\"}}".to_string(),
        format!(
            "{{\"set_required_margin\": {{\"member\": \"{sam}\", \"amount\": \"1\", \"force\": true}}}}"
        ),
    ];
    for json in vault_cases {
        let mut s = suite();
        let v = vault_of(&s);
        let e = s.refused_fully(|s| raw_exec(s, "sam", &v, &json));
        let text = format!("{e:?}");
        assert!(text.contains("unknown field"), "{json}: {text}");
    }
    let fund_cases = [
        (
            None,
            "{\"claim_fees\": {\"amount\": \"1000000\"}}".to_string(),
        ),
        (
            None,
            "{\"claim_recoveries\": {\"member\": \"x\"}}".to_string(),
        ),
        (None, "{\"request_exit\": {\"now\": true}}".to_string()),
        (
            Some(keeper.clone()),
            format!("{{\"complete_exit\": {{\"member\": \"{sue}\", \"margin\": \"1\"}}}}"),
        ),
        (
            Some(keeper),
            format!("{{\"settle_members\": {{\"members\": [\"{sam}\"], \"all\": true}}}}"),
        ),
        // Nested: one field too many inside the parameters.
        (
            Some(gov),
            params_json(&["sizing", "extra"], serde_json::json!("1")),
        ),
    ];
    for (sender, json) in fund_cases {
        let mut s = suite();
        let f = fund_of(&s);
        let sender = sender.unwrap_or_else(|| s.addr("sam"));
        let e = s.refused_fully(|s| raw_exec_from(s, sender, &f, &json));
        let text = format!("{e:?}");
        assert!(text.contains("unknown field"), "{json}: {text}");
    }
}

// ---- default fund: money in --------------------------------------------------

#[test]
fn fund_contribution_without_funds() {
    refused_with::<F>(
        suite(),
        |s| {
            let f = fund_of(s);
            exec(s, "sam", &f, &fund::ExecuteMsg::Contribute {}, &[])
        },
        |e| matches!(e, F::Asset(AssetError::Payment(PaymentError::NoFunds {}))),
    );
}

#[test]
fn fund_contribution_in_a_wrong_denom() {
    refused_with::<F>(
        suite(),
        |s| {
            let f = fund_of(s);
            exec(
                s,
                "sam",
                &f,
                &fund::ExecuteMsg::Contribute {},
                &[coin(5, "uatom")],
            )
        },
        |e| {
            matches!(
                e,
                F::Asset(AssetError::Payment(PaymentError::MissingDenom(_)))
            )
        },
    );
}

#[test]
fn fund_contribution_by_a_defaulted_member() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    let dora = addr_of(&s, "dora");
    refused_as(
        s,
        |s| {
            let f = fund_of(s);
            exec(s, "dora", &f, &fund::ExecuteMsg::Contribute {}, &native(5))
        },
        F::MemberInDefault { address: dora },
    );
}

#[test]
fn fund_contribution_by_an_exited_member() {
    both(|settlement| {
        let s = sue_exited(settlement);
        let sue = addr_of(&s, "sue");
        refused_as(
            s,
            |s| {
                let f = fund_of(s);
                pay(
                    s,
                    "sue",
                    &f,
                    5,
                    &fund::ExecuteMsg::Contribute {},
                    &fund::ReceiveMsg::Contribute {},
                )
            },
            F::MemberExited { address: sue },
        );
    });
}

#[test]
fn fund_cw20_from_a_foreign_token() {
    let mut s = suite_with(Settlement::Cw20);
    let sam = s.addr("sam");
    let foreign = s.foreign_token(&sam, 1_000);
    let received = foreign.to_string();
    refused_with::<F>(
        s,
        |s| {
            let f = fund_of(s);
            let msg = cw20::Cw20ExecuteMsg::Send {
                contract: f.to_string(),
                amount: Uint128::new(100),
                msg: to_json_binary(&fund::ReceiveMsg::Contribute {}).unwrap(),
            };
            s.app.execute_contract(sam, foreign, &msg, &[])
        },
        |e| matches!(e, F::Asset(AssetError::WrongToken { received: r, .. }) if *r == received),
    );
}

#[test]
fn fund_cw20_receive_on_a_native_deployment() {
    refused_with::<F>(
        suite(),
        |s| {
            let (f, sam) = (fund_of(s), s.addr("sam"));
            let msg = fund::ExecuteMsg::Receive(cw20::Cw20ReceiveMsg {
                sender: sam.to_string(),
                amount: Uint128::new(10),
                msg: to_json_binary(&fund::ReceiveMsg::Contribute {}).unwrap(),
            });
            s.app.execute_contract(sam, f, &msg, &[])
        },
        |e| matches!(e, F::Asset(AssetError::Cw20NotAccepted { .. })),
    );
}

#[test]
fn fund_contribution_overflowing_u128() {
    // The contracts' sums never exceed the tokens they hold, so an amount
    // near u128::MAX is stopped by the bank (the wallet cannot hold it);
    // nothing moves and the error says why.
    let mut s = suite();
    let whale = s.addr("sam");
    s.mint(&whale, u128::MAX - 2_000_000).unwrap();
    let e = s.refused_fully(|s| {
        let c = fund_of(s);
        exec(
            s,
            "sam",
            &c,
            &fund::ExecuteMsg::Contribute {},
            &native(u128::MAX - 1_000),
        )
    });
    assert!(format!("{e:?}").contains("Cannot Sub"), "{e:?}");
}

#[test]
fn fund_cw20_contribution_beyond_the_wallet() {
    let mut s = suite_with(Settlement::Cw20);
    let e = s.refused_fully(|s| {
        let (sam, f, token) = (s.addr("sam"), fund_of(s), s.token.clone().unwrap());
        let msg = cw20::Cw20ExecuteMsg::Send {
            contract: f.to_string(),
            amount: Uint128::new(u128::MAX - 1_000),
            msg: to_json_binary(&fund::ReceiveMsg::Contribute {}).unwrap(),
        };
        s.app.execute_contract(sam, token, &msg, &[])
    });
    assert!(format!("{e:?}").contains("Cannot Sub"), "{e:?}");
}

// ---- default fund: withdrawals with notice -------------------------------------

#[test]
fn fund_withdrawal_request_of_zero() {
    refused_as(
        suite(),
        |s| s.request_withdrawal("sam", 0),
        F::ZeroAmount {},
    );
}

#[test]
fn fund_withdrawal_request_of_u128_max() {
    // Only what is above the required contribution (1,000 − 400).
    refused_as(
        suite(),
        |s| s.request_withdrawal("sam", u128::MAX),
        F::ExceedsAvailable {
            requested: Uint128::MAX,
            available: Uint128::new(600),
        },
    );
}

#[test]
fn fund_withdrawal_request_at_the_requirement() {
    // sue holds exactly her required contribution: nothing to request.
    refused_as(
        suite(),
        |s| s.request_withdrawal("sue", 1),
        F::ExceedsAvailable {
            requested: Uint128::one(),
            available: Uint128::zero(),
        },
    );
}

#[test]
fn fund_claim_without_a_request() {
    refused_as(
        suite(),
        |s| s.claim_withdrawal("sam"),
        F::NoWithdrawalRequested {},
    );
}

#[test]
fn fund_claim_before_the_notice_is_over() {
    let mut s = suite();
    s.request_withdrawal("sam", 100).unwrap();
    let claimable_at = now(&s).plus_seconds(14 * DAY);
    s.advance(13 * DAY);
    refused_as(
        s,
        |s| s.claim_withdrawal("sam"),
        F::NoticeNotOver { claimable_at },
    );
}

#[test]
fn fund_claim_after_the_window_lapsed() {
    let mut s = suite();
    s.request_withdrawal("sam", 100).unwrap();
    let lapsed_at = now(&s).plus_seconds(21 * DAY);
    s.advance(21 * DAY);
    refused_as(
        s,
        |s| s.claim_withdrawal("sam"),
        F::WithdrawalLapsed { lapsed_at },
    );
}

#[test]
fn fund_claim_during_cooling_off() {
    let mut s = suite();
    s.request_withdrawal("sam", 100).unwrap();
    after_small_default(&mut s);
    let ends = now(&s).plus_seconds(28 * DAY);
    s.advance(15 * DAY);
    refused_as(s, |s| s.claim_withdrawal("sam"), F::CoolingOffOpen { ends });
}

#[test]
fn fund_claim_while_overdue() {
    // The notice ended inside the cooling-off period: the claim window runs
    // from its end. On day 29 sam's assessment (800) and shortfall (400)
    // are both overdue.
    let mut s = suite();
    s.request_withdrawal("sam", 10).unwrap();
    after_big_default(&mut s);
    s.advance(29 * DAY);
    refused_as(
        s,
        |s| s.claim_withdrawal("sam"),
        fund_blocked(overdue(800, 400)),
    );
}

#[test]
fn fund_claim_while_owing_before_the_due_date() {
    let params = FundParams {
        cooling_off_period: 3_600,
        assessment_deadline: 30 * DAY,
        replenishment_period: 30 * DAY,
        withdrawal_notice_period: DAY,
        ..FundParams::default()
    };
    let mut s = suite_of(Settlement::Native, params);
    s.request_withdrawal("sam", 10).unwrap();
    after_big_default(&mut s);
    s.advance(2 * DAY);
    refused_as(
        s,
        |s| s.claim_withdrawal("sam"),
        fund_blocked(Blocked::Owes(Uint128::new(800))),
    );
}

#[test]
fn fund_claim_while_suspended() {
    let mut s = suite();
    s.request_withdrawal("sam", 100).unwrap();
    s.suspend("sam").unwrap();
    s.advance(14 * DAY);
    let sam = addr_of(&s, "sam");
    refused_as(
        s,
        |s| s.claim_withdrawal("sam"),
        F::Suspended { address: sam },
    );
}

// ---- default fund: defaults -----------------------------------------------------

#[test]
fn fund_default_with_zero_loss() {
    refused_as(
        suite(),
        |s| s.declare_default("dora", 0).map(|_| AppResponse::default()),
        F::ZeroAmount {},
    );
}

#[test]
fn fund_default_of_an_unknown_member() {
    refused_with::<F>(
        suite(),
        |s| {
            s.declare_default("mallory", 10)
                .map(|_| AppResponse::default())
        },
        |e| matches!(e, F::UnknownMember { .. }),
    );
}

#[test]
fn fund_double_default() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    let dora = addr_of(&s, "dora");
    refused_as(
        s,
        |s| {
            s.declare_default("dora", 10)
                .map(|_| AppResponse::default())
        },
        F::MemberInDefault { address: dora },
    );
}

#[test]
fn fund_default_of_an_exited_member() {
    let s = sue_exited(Settlement::Native);
    let sue = addr_of(&s, "sue");
    refused_as(
        s,
        |s| s.declare_default("sue", 10).map(|_| AppResponse::default()),
        F::MemberExited { address: sue },
    );
}

#[test]
fn fund_default_beyond_the_risk_engines_limit() {
    // The risk engine alone may mutualise at most 50; this one puts 100 on
    // the mutual fund: governance must declare it.
    let params = FundParams {
        risk_engine_mutualised_limit: Some(Uint128::new(50)),
        ..FundParams::default()
    };
    refused_as(
        suite_of(Settlement::Native, params),
        |s| {
            s.declare_default("dora", 2_300)
                .map(|_| AppResponse::default())
        },
        F::RiskEngineLimit {
            mutualised: Uint128::new(100),
            limit: Uint128::new(50),
        },
    );
}

#[test]
fn fund_default_near_u128_max_with_unpaid_assessments() {
    // sam owes 800: his loss is the close-out loss plus 800, past u128::MAX.
    let mut s = suite();
    after_big_default(&mut s);
    refused_with::<F>(
        s,
        |s| {
            s.declare_default("sam", u128::MAX)
                .map(|_| AppResponse::default())
        },
        |e| matches!(e, F::Overflow(_)),
    );
}

#[test]
fn fund_second_default_of_u128_max() {
    // A loss of u128::MAX is covered as far as it goes and the rest is
    // recorded uncovered; so is a second one: the uncovered total is kept
    // at 256 bits, so no loss can make a later one unrecordable. (No
    // assessments, so that the second loss carries no unpaid share.)
    let params = FundParams {
        assessment_multiple: Decimal::zero(),
        ..FundParams::default()
    };
    let mut s = suite_of(Settlement::Native, params);
    let first = s.declare_default("dora", u128::MAX).unwrap();
    assert_eq!(first.layers.total().unwrap(), Uint128::MAX);
    let second = s.declare_default("sue", u128::MAX).unwrap();
    assert_eq!(second.layers.total().unwrap(), Uint128::MAX);
    let total = cosmwasm_std::Uint256::from(first.layers.uncovered)
        + cosmwasm_std::Uint256::from(second.layers.uncovered);
    assert!(total > cosmwasm_std::Uint256::from(u128::MAX));
    assert_eq!(s.fund_state().uncovered_total, total);
}

#[test]
fn fund_oversized_address() {
    refused_with::<F>(
        suite(),
        |s| {
            s.execute_fund(
                &s.risk_engine.clone(),
                &fund::ExecuteMsg::DeclareDefault {
                    member: "a".repeat(100_000),
                    loss: Uint128::one(),
                },
            )
        },
        |e| matches!(e, F::Std(_)),
    );
}

#[test]
fn fund_closing_a_default_that_does_not_exist() {
    let s = suite();
    let sam = addr_of(&s, "sam");
    refused_as(
        s,
        |s| s.close_default("sam"),
        F::NotInDefault { address: sam },
    );
}

#[test]
fn fund_closing_a_default_twice() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    s.close_default("dora").unwrap();
    let dora = addr_of(&s, "dora");
    refused_as(
        s,
        |s| s.close_default("dora"),
        F::DefaultClosed { address: dora },
    );
}

/// Before governance closes the default, the refusal names it as open
/// (it used to say "nothing to claim" although 200 and 990 are held).
#[test]
fn fund_claiming_a_release_before_the_default_is_closed() {
    let mut s = suite();
    let r = s.declare_default("dora", 10).unwrap();
    refused_as(
        s,
        |s| s.claim_released("dora"),
        F::DefaultStillOpen { id: r.id },
    );
}

// ---- default fund: assessments, enforcement, fees -------------------------------

#[test]
fn fund_paying_when_nothing_is_owed() {
    refused_as(
        suite(),
        |s| {
            let f = fund_of(s);
            exec(
                s,
                "sam",
                &f,
                &fund::ExecuteMsg::PayAssessment {},
                &native(10),
            )
        },
        F::NothingOwed {},
    );
}

#[test]
fn fund_paying_less_than_owed() {
    let mut s = suite();
    after_big_default(&mut s);
    refused_as(
        s,
        |s| {
            let f = fund_of(s);
            pay(
                s,
                "sam",
                &f,
                799,
                &fund::ExecuteMsg::PayAssessment {},
                &fund::ReceiveMsg::PayAssessment {},
            )
        },
        F::WrongPaymentAmount {
            paid: Uint128::new(799),
            owed: Uint128::new(800),
        },
    );
}

#[test]
fn fund_enforcing_before_the_deadline() {
    let mut s = suite();
    after_big_default(&mut s);
    let due = now(&s).plus_seconds(DAY);
    refused_as(s, |s| s.enforce_assessment("sam"), F::NotYetDue { due });
}

#[test]
fn fund_enforcing_when_nothing_is_owed() {
    refused_as(suite(), |s| s.enforce_assessment("sam"), F::NothingOwed {});
}

#[test]
fn fund_enforcing_on_a_defaulted_member() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    let dora = addr_of(&s, "dora");
    refused_as(
        s,
        |s| s.enforce_assessment("dora"),
        F::MemberInDefault { address: dora },
    );
}

#[test]
fn fund_enforcing_a_replenishment_not_yet_due() {
    let mut s = suite();
    after_big_default(&mut s);
    let due = now(&s).plus_seconds(7 * DAY);
    refused_as(
        s,
        |s| s.enforce_replenishment("sam"),
        F::NoReplenishmentDue {
            shortfall: Uint128::new(400),
            due: Some(due),
        },
    );
}

#[test]
fn fund_fees_with_no_contributor() {
    let mut s = suite();
    // Margin 1,000, stake 200, SITG 1,000 and the whole mutual fund (1,300).
    let r = s.declare_default("dora", 3_500).unwrap();
    assert_eq!(r.layers.mutual_fund.u128(), 1_300);
    refused_as(
        s,
        |s| {
            let f = fund_of(s);
            exec(
                s,
                "sam",
                &f,
                &fund::ExecuteMsg::DistributeFees {},
                &native(10),
            )
        },
        F::NoContributors {},
    );
}

#[test]
fn fund_claiming_fees_when_there_are_none() {
    refused_as(suite(), |s| s.claim_fees("sam"), F::NoFees {});
}

/// `SettleMembers` (anyone) takes between 1 and 30 valid addresses.
#[test]
fn fund_settling_no_members_too_many_or_a_malformed_address() {
    let settle = |members: Vec<String>| {
        move |s: &mut Suite| {
            let keeper = s.addr("keeper");
            s.execute_fund(&keeper, &fund::ExecuteMsg::SettleMembers { members })
        }
    };
    let range = || F::InvalidParam {
        name: "members".to_string(),
        reason: "between 1 and 30 members".to_string(),
    };
    refused_as(suite(), settle(vec![]), range());
    let sam = addr_of(&suite(), "sam");
    refused_as(suite(), settle(vec![sam.clone(); 31]), range());
    // One bad address refuses the whole batch.
    refused_with::<F>(
        suite(),
        settle(vec![sam, "Not An Address".to_string()]),
        |e| matches!(e, F::Std(_)),
    );
}

/// Fees stay in the fund while the member has anything overdue, is in
/// breach or is suspended (the shared exit rule, `Exit::Claim`). 150 of
/// fees over the balances 200 : 1,000 : 300 give sam 150 × 1,000 / 1,500
/// = 100 before the big default, which then leaves him 800 of assessments
/// due in a day.
#[test]
fn fund_claiming_fees_while_overdue_in_breach_or_suspended() {
    let with_fees = || {
        let mut s = suite();
        s.distribute_fees(150).unwrap();
        after_big_default(&mut s);
        assert_eq!(s.fund_member("sam").fees_claimable.u128(), 100);
        s
    };
    // Owing 800, not yet due: fees may leave (only a fund withdrawal or an
    // exit waits for what is owed). Checked on a copy of the deployment.
    let mut s = with_fees();
    let wallet = s.balance_of("sam");
    s.claim_fees("sam").unwrap();
    assert_eq!(s.balance_of("sam"), wallet + 100);
    // Overdue.
    let mut s = with_fees();
    s.advance(DAY);
    refused_as(s, |s| s.claim_fees("sam"), fund_blocked(overdue(800, 0)));
    // Suspended.
    let mut s = with_fees();
    s.suspend("sam").unwrap();
    let sam = addr_of(&s, "sam");
    refused_as(s, |s| s.claim_fees("sam"), F::Suspended { address: sam });
}

/// A member in breach (its overdue share could not be drawn: no margin
/// above its requirement) takes out no fees either.
#[test]
fn fund_claiming_fees_in_breach() {
    let mut s = suite();
    s.distribute_fees(150).unwrap();
    // sue's requirement is raised to her whole margin (no excess left):
    // rc 100 + 10% × 10,000 = 1,100, B = 400 + 1,100 = 1,500.
    s.set_required_margin("sue", 10_000).unwrap();
    // dora's 5,000: margin 1,000, her 200 and her fees 150 × 200 / 1,500
    // = 20, SITG 1,000, the pool's 1,300, then A = min(1,480, 2 × 1,500):
    // sue owes ceil(1,100 × 1,480 / 1,500) = ceil(1,085.3) = 1,086.
    let r = s.declare_default("dora", 5_000).unwrap();
    assert_eq!(r.layers.defaulter_contribution.u128(), 220);
    assert_eq!(r.layers.assessments.u128(), 1_480);
    assert_eq!(s.owed("sue"), 1_086);
    s.advance(DAY);
    s.enforce_assessment("sue").unwrap();
    let sue = s.fund_member("sue");
    assert_eq!(sue.status, fund::MemberStatus::InBreach);
    assert_eq!(sue.fees_claimable.u128(), 30); // 150 × 300 / 1,500
    refused_as(s, |s| s.claim_fees("sue"), fund_blocked(Blocked::InBreach));
}

// ---- default fund: recoveries ------------------------------------------------------

/// dora's small default, closed by governance: recoveries may be recorded.
fn closed_default(settlement: Settlement) -> (Suite, u64) {
    let mut s = suite_with(settlement);
    let r = after_small_default(&mut s);
    s.close_default("dora").unwrap();
    (s, r.id)
}

/// The loss recipient pays `amount` (which it holds) against `id`.
fn recovery(s: &mut Suite, id: u64, amount: u128) -> anyhow::Result<AppResponse> {
    let recipient = s.loss_recipient.clone();
    s.pay_recovery_from(&recipient, id, amount)
}

#[test]
fn fund_recovery_for_an_unknown_default() {
    both(|settlement| {
        let (s, _) = closed_default(settlement);
        refused_as(s, |s| recovery(s, 7, 100), F::UnknownDefault { id: 7 });
        let (s, _) = closed_default(settlement);
        refused_as(s, |s| recovery(s, 0, 100), F::UnknownDefault { id: 0 });
    });
}

#[test]
fn fund_recovery_for_an_open_default() {
    both(|settlement| {
        let mut s = suite_with(settlement);
        let r = after_small_default(&mut s);
        refused_as(
            s,
            |s| recovery(s, r.id, 100),
            F::DefaultStillOpen { id: r.id },
        );
    });
}

#[test]
fn fund_recovery_without_funds() {
    let (s, id) = closed_default(Settlement::Native);
    refused_as(
        s,
        |s| {
            let (f, recipient) = (fund_of(s), s.loss_recipient.clone());
            s.app.execute_contract(
                recipient,
                f,
                &fund::ExecuteMsg::RecordRecovery { default_id: id },
                &[],
            )
        },
        F::Asset(AssetError::Payment(PaymentError::NoFunds {})),
    );
}

#[test]
fn fund_recovery_of_zero_cw20() {
    // cw20-base 2 sends zero; the fund refuses a payment of nothing.
    let (s, id) = closed_default(Settlement::Cw20);
    refused_as(
        s,
        |s| recovery(s, id, 0),
        F::Asset(AssetError::Payment(PaymentError::NoFunds {})),
    );
}

#[test]
fn fund_recovery_in_a_wrong_denom() {
    let (s, id) = closed_default(Settlement::Native);
    refused_as(
        s,
        |s| {
            let (f, recipient) = (fund_of(s), s.loss_recipient.clone());
            s.app.execute_contract(
                recipient,
                f,
                &fund::ExecuteMsg::RecordRecovery { default_id: id },
                &[coin(100, "uatom")],
            )
        },
        F::Asset(AssetError::Payment(PaymentError::MissingDenom(
            DENOM.to_string(),
        ))),
    );
}

#[test]
fn fund_recovery_with_an_extra_denom() {
    let (s, id) = closed_default(Settlement::Native);
    let recipient = s.loss_recipient.clone();
    refused_as(
        s,
        |s| {
            let f = fund_of(s);
            s.app.execute_contract(
                recipient,
                f,
                &fund::ExecuteMsg::RecordRecovery { default_id: id },
                &[coin(100, DENOM), coin(100, "ufoo")],
            )
        },
        F::Asset(AssetError::Payment(PaymentError::MultipleDenoms {})),
    );
}

#[test]
fn fund_recovery_in_a_foreign_cw20() {
    let (mut s, id) = closed_default(Settlement::Cw20);
    let recipient = s.loss_recipient.clone();
    let foreign = s.foreign_token(&recipient, 1_000);
    let received = foreign.to_string();
    refused_with::<F>(
        s,
        |s| {
            let msg = cw20::Cw20ExecuteMsg::Send {
                contract: fund_of(s).to_string(),
                amount: Uint128::new(100),
                msg: to_json_binary(&fund::ReceiveMsg::RecordRecovery { default_id: id }).unwrap(),
            };
            s.app
                .execute_contract(recipient, foreign.clone(), &msg, &[])
        },
        |e| matches!(e, F::Asset(AssetError::WrongToken { received: r, .. }) if *r == received),
    )
}

#[test]
fn fund_recovery_in_native_coins_on_a_cw20_deployment() {
    let (mut s, id) = closed_default(Settlement::Cw20);
    let recipient = s.loss_recipient.clone();
    s.app
        .sudo(cw_multi_test::SudoMsg::Bank(
            cw_multi_test::BankSudo::Mint {
                to_address: recipient.to_string(),
                amount: vec![coin(100, DENOM)],
            },
        ))
        .unwrap();
    let token = s.token.clone().unwrap().to_string();
    refused_as(
        s,
        |s| {
            let f = fund_of(s);
            s.app.execute_contract(
                recipient,
                f,
                &fund::ExecuteMsg::RecordRecovery { default_id: id },
                &[coin(100, DENOM)],
            )
        },
        F::Asset(AssetError::NativeNotAccepted { expected: token }),
    );
}

#[test]
fn fund_recovery_near_u128_max() {
    // The contracts' sums never exceed the tokens they hold, so a
    // recovery near u128::MAX is stopped by the bank or the token (the
    // wallet cannot hold it); nothing moves and the error says why.
    both(|settlement| {
        let (mut s, id) = closed_default(settlement);
        let e = s.refused_fully(|s| recovery(s, id, u128::MAX - 1));
        assert!(format!("{e:?}").contains("Cannot Sub"), "{e:?}");
    });
}

#[test]
fn fund_recovery_with_a_malformed_cw20_body() {
    let (s, _) = closed_default(Settlement::Cw20);
    let recipient = s.loss_recipient.clone();
    refused_with::<F>(
        s,
        |s| {
            let msg = cw20::Cw20ExecuteMsg::Send {
                contract: fund_of(s).to_string(),
                amount: Uint128::new(100),
                msg: raw("{\"record_recovery\": {\"default_id\": \"one\"}}"),
            };
            let token = s.token.clone().unwrap();
            s.app.execute_contract(recipient, token, &msg, &[])
        },
        |e| matches!(e, F::Std(cosmwasm_std::StdError::ParseErr { .. })),
    );
}

#[test]
fn fund_claiming_recoveries_with_nothing_to_claim() {
    both(|settlement| {
        refused_as(
            suite_with(settlement),
            |s| s.claim_recoveries("sam"),
            F::NothingToClaim {},
        );
    });
}

#[test]
fn fund_claiming_recoveries_as_a_non_member() {
    let s = suite();
    let mallory = addr_of(&s, "mallory");
    refused_as(
        s,
        |s| s.claim_recoveries("mallory"),
        F::UnknownMember { address: mallory },
    );
}

/// dora's small default closed and 100 recovered: sam and sue, who bore
/// its mutual-fund layer (100 of their 1,000 + 300), have credits: sam
/// floor(1,000 / 1,300 × 100) = floor(76.9) = 76, sue floor(23.1) = 23.
/// Credits are collected lazily; a keeper's `SettleMembers` brings both
/// records up to date first, so that the query shows them (it does not
/// before: `test_recoveries::bug_a_members_query_omits_credits_until_its_record_is_settled`).
fn with_credits() -> Suite {
    let (mut s, id) = closed_default(Settlement::Native);
    s.record_recovery(id, 100).unwrap();
    let keeper = s.addr("keeper");
    let members = vec![addr_of(&s, "sam"), addr_of(&s, "sue")];
    s.execute_fund(&keeper, &fund::ExecuteMsg::SettleMembers { members })
        .unwrap();
    assert_eq!(s.fund_member("sam").recovered.u128(), 76);
    assert_eq!(s.fund_member("sue").recovered.u128(), 23);
    s
}

#[test]
fn fund_claiming_recoveries_while_suspended() {
    let mut s = with_credits();
    s.suspend("sam").unwrap();
    let sam = addr_of(&s, "sam");
    refused_as(
        s,
        |s| s.claim_recoveries("sam"),
        F::Suspended { address: sam },
    );
}

#[test]
fn fund_claiming_recoveries_while_paused() {
    let mut s = with_credits();
    s.pause_fund(true).unwrap();
    refused_as(s, |s| s.claim_recoveries("sam"), F::Paused {});
}

// ---- default fund: suspension -------------------------------------------------------

#[test]
fn fund_suspending_twice() {
    let mut s = suite();
    s.suspend("sam").unwrap();
    let sam = addr_of(&s, "sam");
    refused_as(
        s,
        |s| s.suspend("sam"),
        F::AlreadySuspended { address: sam },
    );
}

#[test]
fn fund_unsuspending_a_member_not_suspended() {
    let s = suite();
    let sam = addr_of(&s, "sam");
    refused_as(
        s,
        |s| s.unsuspend("sam"),
        F::NotSuspended {
            address: sam.clone(),
        },
    );
    refused_as(
        suite(),
        |s| s.sudo_unsuspend("sam"),
        F::NotSuspended { address: sam },
    );
}

#[test]
fn fund_suspending_an_unknown_member() {
    let s = suite();
    let mallory = addr_of(&s, "mallory");
    refused_as(
        s,
        |s| s.suspend("mallory"),
        F::UnknownMember { address: mallory },
    );
}

#[test]
fn fund_suspending_a_defaulter() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    let dora = addr_of(&s, "dora");
    refused_as(
        s,
        |s| s.suspend("dora"),
        F::MemberInDefault { address: dora },
    );
}

#[test]
fn fund_suspending_an_exited_member() {
    let s = sue_exited(Settlement::Native);
    let sue = addr_of(&s, "sue");
    refused_as(s, |s| s.suspend("sue"), F::MemberExited { address: sue });
}

#[test]
fn fund_suspending_a_malformed_address() {
    refused_with::<F>(
        suite(),
        |s| {
            let engine = s.risk_engine.clone();
            s.execute_fund(
                &engine,
                &fund::ExecuteMsg::Suspend {
                    member: "Not An Address".into(),
                },
            )
        },
        |e| matches!(e, F::Std(_)),
    );
}

// ---- default fund: exits ----------------------------------------------------------------

#[test]
fn fund_exit_requested_twice() {
    both(|settlement| {
        let mut s = suite_with(settlement);
        s.request_exit("sam").unwrap();
        let sam = addr_of(&s, "sam");
        refused_as(
            s,
            |s| s.request_exit("sam"),
            F::ExitAlreadyRequested {
                address: sam.clone(),
            },
        );
        // Governance may make a notice a forced one, once.
        let mut s = suite_with(settlement);
        s.request_exit("sam").unwrap();
        s.force_exit("sam").unwrap();
        refused_as(
            s,
            |s| s.force_exit("sam"),
            F::ExitAlreadyRequested { address: sam },
        );
    });
}

#[test]
fn fund_exit_requested_while_suspended() {
    let mut s = suite();
    s.suspend("sam").unwrap();
    let sam = addr_of(&s, "sam");
    refused_as(s, |s| s.request_exit("sam"), F::Suspended { address: sam });
}

#[test]
fn fund_exit_requested_by_a_non_member_a_defaulter_and_a_member_that_left() {
    let s = suite();
    let mallory = addr_of(&s, "mallory");
    refused_as(
        s,
        |s| s.request_exit("mallory"),
        F::UnknownMember {
            address: mallory.clone(),
        },
    );
    refused_as(
        suite(),
        |s| s.force_exit("mallory"),
        F::UnknownMember { address: mallory },
    );
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    let dora = addr_of(&s, "dora");
    refused_as(
        s,
        |s| s.request_exit("dora"),
        F::MemberInDefault { address: dora },
    );
    let s = sue_exited(Settlement::Native);
    let sue = addr_of(&s, "sue");
    refused_as(
        s,
        |s| s.request_exit("sue"),
        F::MemberExited {
            address: sue.clone(),
        },
    );
    refused_as(
        sue_exited(Settlement::Native),
        |s| s.force_exit("sue"),
        F::MemberExited { address: sue },
    );
}

#[test]
fn fund_exit_completed_without_notice() {
    let s = suite();
    let sam = addr_of(&s, "sam");
    refused_as(
        s,
        |s| s.complete_exit("sam"),
        F::NoExitRequested { address: sam },
    );
}

#[test]
fn fund_exit_completed_before_the_notice_ends() {
    both(|settlement| {
        let mut s = suite_with(settlement);
        s.request_exit("sam").unwrap();
        let available_at = now(&s).plus_seconds(14 * DAY);
        s.advance(14 * DAY - 1);
        refused_as(
            s,
            |s| s.complete_exit("sam"),
            F::ExitNoticeNotOver { available_at },
        );
    });
}

#[test]
fn fund_exit_completed_during_cooling_off() {
    both(|settlement| {
        let mut s = suite_with(settlement);
        s.request_exit("sam").unwrap();
        after_small_default(&mut s);
        let ends = now(&s).plus_seconds(28 * DAY);
        s.advance(15 * DAY);
        refused_as(s, |s| s.complete_exit("sam"), F::CoolingOffOpen { ends });
    });
}

#[test]
fn fund_exit_completed_while_owing() {
    // A short cooling-off period and a long deadline: after the notice sam
    // owes 800, not yet due.
    let params = FundParams {
        cooling_off_period: 3_600,
        assessment_deadline: 30 * DAY,
        replenishment_period: 30 * DAY,
        ..FundParams::default()
    };
    both(|settlement| {
        let mut s = suite_of(settlement, params.clone());
        s.request_exit("sam").unwrap();
        after_big_default(&mut s);
        s.advance(15 * DAY);
        refused_as(
            s,
            |s| s.complete_exit("sam"),
            fund_blocked(Blocked::Owes(Uint128::new(800))),
        );
    });
}

#[test]
fn fund_exit_completed_while_overdue() {
    both(|settlement| {
        let mut s = suite_with(settlement);
        s.request_exit("sam").unwrap();
        after_big_default(&mut s);
        s.advance(29 * DAY);
        refused_as(
            s,
            |s| s.complete_exit("sam"),
            fund_blocked(overdue(800, 400)),
        );
    });
}

#[test]
fn fund_exit_completed_with_a_replenishment_overdue() {
    // A raise of sam's requirement (to 100 + 1,000) opens a shortfall of
    // 100, due in 7 days; nothing else is owed.
    let mut s = suite();
    s.request_exit("sam").unwrap();
    s.set_required_margin("sam", 10_000).unwrap();
    assert_eq!(s.fund_member("sam").shortfall.u128(), 100);
    s.advance(15 * DAY);
    refused_as(s, |s| s.complete_exit("sam"), fund_blocked(overdue(0, 100)));
}

#[test]
fn fund_exit_completed_in_breach() {
    // sam's whole margin is required: the overdue assessment cannot be
    // drawn and puts him in breach.
    let mut s = suite();
    s.request_exit("sam").unwrap();
    s.set_required_margin("sam", 10_000).unwrap();
    s.declare_default("dora", 5_000).unwrap();
    s.advance(29 * DAY);
    s.enforce_assessment("sam").unwrap();
    assert_eq!(s.fund_member("sam").status, fund::MemberStatus::InBreach);
    refused_as(
        s,
        |s| s.complete_exit("sam"),
        fund_blocked(Blocked::InBreach),
    );
}

#[test]
fn fund_exit_completed_while_suspended() {
    let mut s = suite();
    s.request_exit("sam").unwrap();
    s.suspend("sam").unwrap();
    s.advance(15 * DAY);
    refused_as(
        s,
        |s| s.complete_exit("sam"),
        fund_blocked(Blocked::Suspended),
    );
}

#[test]
fn fund_exit_completed_while_paused() {
    let mut s = suite();
    s.request_exit("sam").unwrap();
    s.advance(15 * DAY);
    s.pause_fund(true).unwrap();
    refused_as(s, |s| s.complete_exit("sam"), F::Paused {});
}

#[test]
fn fund_exit_completed_twice() {
    both(|settlement| {
        let s = sue_exited(settlement);
        let sue = addr_of(&s, "sue");
        refused_as(
            s,
            |s| s.complete_exit("sue"),
            F::MemberExited { address: sue },
        );
    });
}

#[test]
fn fund_exit_completed_for_a_non_member_and_a_defaulter() {
    let s = suite();
    let mallory = addr_of(&s, "mallory");
    refused_as(
        s,
        |s| s.complete_exit("mallory"),
        F::UnknownMember { address: mallory },
    );
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    let dora = addr_of(&s, "dora");
    refused_as(
        s,
        |s| s.complete_exit("dora"),
        F::MemberInDefault { address: dora },
    );
}

// ---- default fund: stress exposures and recalibration -------------------------------

fn post(s: &mut Suite, posts: Vec<ExposurePost>) -> anyhow::Result<AppResponse> {
    let engine = s.risk_engine.clone();
    s.execute_fund(
        &engine,
        &fund::ExecuteMsg::PostExposures { exposures: posts },
    )
}

fn exposure(s: &Suite, name: &str, amount: u128) -> ExposurePost {
    ExposurePost {
        member: addr_of(s, name),
        amount: Uint128::new(amount),
    }
}

#[test]
fn fund_exposure_for_a_non_member() {
    let s = suite();
    let mallory = addr_of(&s, "mallory");
    refused_as(
        s,
        |s| s.post_exposures(&[("mallory", 500)]),
        F::UnknownMember { address: mallory },
    );
}

#[test]
fn fund_exposure_for_a_defaulter() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    let dora = addr_of(&s, "dora");
    refused_as(
        s,
        |s| s.post_exposures(&[("dora", 500)]),
        F::MemberInDefault { address: dora },
    );
}

#[test]
fn fund_exposure_for_an_exited_member() {
    let s = sue_exited(Settlement::Native);
    let sue = addr_of(&s, "sue");
    refused_as(
        s,
        |s| s.post_exposures(&[("sue", 500)]),
        F::MemberExited { address: sue },
    );
}

#[test]
fn fund_exposure_batch_applies_all_or_nothing() {
    // sam's and sue's posts come first; mallory's refuses the whole batch.
    let s = suite();
    let mallory = addr_of(&s, "mallory");
    refused_as(
        s,
        |s| {
            let posts = vec![
                exposure(s, "sam", 5_000),
                exposure(s, "sue", 7_000),
                exposure(s, "mallory", 1),
            ];
            post(s, posts)
        },
        F::UnknownMember { address: mallory },
    );
}

#[test]
fn fund_empty_exposure_batch() {
    refused_with::<F>(
        suite(),
        |s| post(s, vec![]),
        |e| matches!(e, F::InvalidParam { name, .. } if name == "exposures"),
    );
}

#[test]
fn fund_exposure_batch_naming_a_member_twice() {
    // One figure per member per batch; the whole batch is refused.
    refused_with::<F>(
        suite(),
        |s| {
            let posts = vec![
                exposure(s, "sam", 0),
                exposure(s, "sue", 7_000),
                exposure(s, "sam", 5_000),
            ];
            post(s, posts)
        },
        |e| matches!(e, F::InvalidParam { name, reason } if name == "exposures" && reason.ends_with("is posted twice")),
    );
}

#[test]
fn fund_oversized_exposure_batch() {
    refused_as(
        suite(),
        |s| {
            let posts = vec![exposure(s, "sam", 5); 51];
            post(s, posts)
        },
        F::TooManyExposures { count: 51, max: 50 },
    );
}

#[test]
fn fund_exposure_for_a_malformed_address() {
    refused_with::<F>(
        suite(),
        |s| {
            let mut posts = vec![exposure(s, "sam", 5)];
            posts.push(ExposurePost {
                member: "NOT-AN-ADDRESS".into(),
                amount: Uint128::one(),
            });
            post(s, posts)
        },
        |e| matches!(e, F::Std(_)),
    );
}

/// Cover mode: the basis is the stress exposure.
fn cover_mode() -> FundParams {
    FundParams {
        sizing: SizingParams {
            mode: Basis::StressExposure,
            ..SizingParams::default()
        },
        ..FundParams::default()
    }
}

#[test]
fn fund_exposures_near_u128_max() {
    // Two stress exposures near u128::MAX / 2, each one a valid Uint128:
    // their top-2 sum passes u128::MAX. SPEC v2 §4: refused with a typed
    // error, nothing changed. If the post is accepted instead, the fund
    // must still report its coverage and recalibrate.
    //
    // Was a bug until 20c75d6: the post was accepted, and from then on the
    // Coverage query and Recalibrate failed with "Cannot Add with given
    // operands" (sizing.rs summed the top exposures in Uint128). The
    // Coverage figures are now 256-bit: the post is accepted and both work.
    let posts = [("sam", u128::MAX / 2), ("sue", u128::MAX / 2 + 10)];
    let mut s = suite_of(Settlement::Native, cover_mode());
    match s.post_exposures(&posts) {
        Err(e) => {
            assert!(!contract_error::<F>(&e).to_string().is_empty());
            let mut fresh = suite_of(Settlement::Native, cover_mode());
            fresh.refused_fully(|s| s.post_exposures(&posts));
        }
        Ok(_) => {
            let coverage: cosmwasm_std::StdResult<fund::CoverageResponse> = s
                .app
                .wrap()
                .query_wasm_smart(&s.fund, &fund::QueryMsg::Coverage {});
            let recalibration = s.recalibrate().map(|_| ());
            assert!(
                coverage.is_ok() && recalibration.is_ok(),
                "exposures near u128::MAX were accepted, and now the coverage query \
                 ({:?}) and recalibration ({:?}) fail",
                coverage.err().map(|e| e.to_string()),
                recalibration.err().map(|e| e.root_cause().to_string()),
            );
        }
    }
}

#[test]
fn fund_recalibration_in_fixed_mode() {
    refused_as(suite(), |s| s.recalibrate(), F::NotCoverMode {});
}

#[test]
fn fund_recalibration_before_the_interval() {
    let mut s = suite_of(Settlement::Native, cover_mode());
    s.post_exposures(&[("sam", 5_000)]).unwrap();
    s.recalibrate().unwrap();
    let due = now(&s).plus_seconds(DAY);
    s.advance(DAY - 1);
    refused_as(s, |s| s.recalibrate(), F::RecalibrationNotDue { due });
}

// ---- default fund: parameters ----------------------------------------------------------

fn bad_params(p: FundParams, field: &'static str) {
    refused_with::<F>(
        suite(),
        |s| s.update_params(p.clone()),
        |e| matches!(e, F::InvalidParam { name, .. } if name == field),
    );
    // Chain governance is held to the same rules.
    refused_with::<F>(
        suite(),
        |s| s.sudo_fund(&fund::SudoMsg::UpdateParams { params: p }),
        |e| matches!(e, F::InvalidParam { name, .. } if name == field),
    );
}

fn sizing(change: impl FnOnce(&mut SizingParams)) -> FundParams {
    let mut p = FundParams::default();
    change(&mut p.sizing);
    p
}

#[test]
fn fund_params_zero_contribution_rate_is_valid() {
    // SPEC v2: a zero rate (minimum only) is valid.
    let mut s = suite();
    s.update_params(FundParams {
        contribution_rate: Decimal::zero(),
        ..FundParams::default()
    })
    .unwrap();
    assert!(s.params().contribution_rate.is_zero());
}

#[test]
fn fund_params_contribution_rate_above_one() {
    bad_params(
        FundParams {
            contribution_rate: Decimal::percent(101),
            ..FundParams::default()
        },
        "contribution_rate",
    );
}

#[test]
fn fund_params_insane_assessment_multiple() {
    bad_params(
        FundParams {
            assessment_multiple: Decimal::percent(10_001),
            ..FundParams::default()
        },
        "assessment_multiple",
    );
}

#[test]
fn fund_params_zero_periods() {
    type Set = fn(&mut FundParams, u64);
    let periods: [(&str, Set); 6] = [
        ("cooling_off_period", |p, v| p.cooling_off_period = v),
        ("assessment_deadline", |p, v| p.assessment_deadline = v),
        ("replenishment_period", |p, v| p.replenishment_period = v),
        ("withdrawal_notice_period", |p, v| {
            p.withdrawal_notice_period = v
        }),
        ("withdrawal_claim_window", |p, v| {
            p.withdrawal_claim_window = v
        }),
        ("sizing.recalibration_interval", |p, v| {
            p.sizing.recalibration_interval = v
        }),
    ];
    for (field, set) in periods {
        for value in [0, MAX_PERIOD + 1, 100 * 365 * DAY, u64::MAX] {
            let mut p = FundParams::default();
            set(&mut p, value);
            bad_params(p, field);
        }
    }
}

#[test]
fn fund_params_cover_outside_one_and_two() {
    for cover in [0, 3, u8::MAX] {
        bad_params(sizing(|s| s.cover = cover), "sizing.cover");
    }
}

#[test]
fn fund_params_min_rate_above_max_rate() {
    bad_params(
        sizing(|s| {
            s.min_rate = Decimal::percent(50);
            s.max_rate = Decimal::percent(40);
        }),
        "sizing.min_rate",
    );
}

#[test]
fn fund_params_max_rate_above_one() {
    bad_params(
        sizing(|s| s.max_rate = Decimal::percent(101)),
        "sizing.max_rate",
    );
}

#[test]
fn fund_params_rate_step_zero_or_above_one() {
    for step in [Decimal::zero(), Decimal::percent(101)] {
        bad_params(sizing(|s| s.max_rate_step = step), "sizing.max_rate_step");
    }
}

#[test]
fn fund_params_buffer_above_ten() {
    bad_params(
        sizing(|s| s.buffer = Decimal::percent(1_001)),
        "sizing.buffer",
    );
}

#[test]
fn fund_params_cover_mode_rate_outside_its_bounds() {
    for rate in [Decimal::percent(10), Decimal::percent(60)] {
        bad_params(
            FundParams {
                contribution_rate: rate,
                sizing: SizingParams {
                    mode: Basis::StressExposure,
                    min_rate: Decimal::percent(20),
                    max_rate: Decimal::percent(50),
                    ..SizingParams::default()
                },
                ..FundParams::default()
            },
            "contribution_rate",
        );
    }
}

/// `update_params` as raw JSON: the default parameters with one field of
/// `path` replaced by `value`.
fn params_json(path: &[&str], value: serde_json::Value) -> String {
    let mut params = serde_json::to_value(FundParams::default()).unwrap();
    let (last, parents) = path.split_last().unwrap();
    let parent = parents.iter().fold(&mut params, |v, key| &mut v[*key]);
    parent[*last] = value;
    serde_json::json!({ "update_params": { "params": params } }).to_string()
}

#[test]
fn fund_negative_or_malformed_params_in_json() {
    for (path, value) in [
        (&["contribution_rate"][..], serde_json::json!("-0.1")),
        (&["sizing", "buffer"][..], serde_json::json!("-0.1")),
        (&["sizing", "min_rate"][..], serde_json::json!("-0.5")),
        (&["sizing", "cover"][..], serde_json::json!(256)),
        (&["sizing", "cover"][..], serde_json::json!(-1)),
        (&["sizing", "mode"][..], serde_json::json!("magic")),
        (&["withdrawal_claim_window"][..], serde_json::json!(-1)),
        (
            &["risk_engine_mutualised_limit"][..],
            serde_json::json!("340282366920938463463374607431768211456"),
        ),
    ] {
        let json = params_json(path, value);
        refused_unparsed(suite(), |s| {
            let (g, f) = (s.governor(), fund_of(s));
            raw_exec_from(s, g, &f, &json)
        });
    }
}

#[test]
fn fund_params_json_is_otherwise_valid() {
    // The malformed cases above differ from valid JSON by one field only.
    let json = params_json(&["sizing", "buffer"], serde_json::json!("0.1"));
    let mut s = suite();
    let (g, f) = (s.governor(), fund_of(&s));
    raw_exec_from(&mut s, g, &f, &json).unwrap();
}

#[test]
fn fund_instantiate_with_bad_params_fails() {
    let mut s = suite();
    let code = s.app.store_code(clearing_suite::fund_contract());
    let admin = s.admin.clone();
    let msg = fund::InstantiateMsg {
        governance: admin.to_string(),
        risk_engine: admin.to_string(),
        operator: admin.to_string(),
        loss_recipient: admin.to_string(),
        vault: s.vault.to_string(),
        asset: clearing_types::AssetInfo::Native {
            denom: DENOM.into(),
        },
        params: FundParams {
            withdrawal_claim_window: 0,
            ..FundParams::default()
        },
    };
    let e = s
        .app
        .instantiate_contract(code, admin, &msg, &[], "bad", None)
        .unwrap_err();
    assert!(matches!(
        contract_error::<F>(&e),
        F::InvalidParam { name, .. } if name == "withdrawal_claim_window"
    ));
}

// ---- default fund: the SITG exit and chain governance ------------------------------

#[test]
fn fund_sitg_withdrawn_before_shutdown() {
    refused_as(suite(), |s| s.withdraw_sitg(), F::NotShutDown {});
}

#[test]
fn fund_sitg_withdrawn_with_an_open_default() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    s.shutdown().unwrap();
    refused_as(
        s,
        |s| s.withdraw_sitg(),
        F::SitgLocked {
            open_defaults: 1,
            open_obligations: 0,
        },
    );
}

#[test]
fn fund_sitg_withdrawn_while_assessments_are_unpaid() {
    both(|settlement| {
        let mut s = suite_with(settlement);
        s.declare_default("dora", 4_000).unwrap();
        s.close_default("dora").unwrap();
        s.shutdown().unwrap();
        refused_as(
            s,
            |s| s.withdraw_sitg(),
            F::SitgLocked {
                open_defaults: 0,
                open_obligations: 2,
            },
        );
    });
}

#[test]
fn fund_sitg_withdrawn_by_a_non_operator() {
    let mut s = suite();
    s.shutdown().unwrap();
    let sam = addr_of(&s, "sam");
    refused_with::<F>(
        s,
        |s| s.member_executes_fund("sam", &fund::ExecuteMsg::WithdrawSitg {}),
        |e| matches!(e, F::Unauthorized { sender, .. } if *sender == sam),
    );
}

#[test]
fn fund_sitg_withdrawn_twice() {
    let mut s = suite();
    s.shutdown().unwrap();
    s.withdraw_sitg().unwrap();
    refused_as(s, |s| s.withdraw_sitg(), F::NothingToClaim {});
}

#[test]
fn fund_sudo_shutdown_twice_and_roles_with_a_malformed_address() {
    let mut s = suite();
    s.sudo_fund(&fund::SudoMsg::Shutdown {}).unwrap();
    refused_as(
        s,
        |s| s.sudo_fund(&fund::SudoMsg::Shutdown {}),
        F::ShutDown {},
    );
    refused_with::<F>(
        suite(),
        |s| {
            s.sudo_fund(&fund::SudoMsg::SetRoles {
                governance: Some("not an address".into()),
                risk_engine: None,
            })
        },
        |e| matches!(e, F::Std(_)),
    );
    let s = suite();
    let mallory = addr_of(&s, "mallory");
    refused_as(
        s,
        |s| s.sudo_unsuspend("mallory"),
        F::UnknownMember { address: mallory },
    );
}

// ---- every new message: funds attached, malformed JSON --------------------------

#[test]
fn fund_messages_that_take_no_funds_refuse_them() {
    // A payment in the settlement denom attached to a message that takes
    // none would be lost: refused, nothing moves.
    let s = suite();
    let (gov, engine, operator, keeper) = (
        s.governor(),
        s.risk_engine.clone(),
        s.operator.clone(),
        s.addr("keeper"),
    );
    let (sam, sue) = (addr_of(&s, "sam"), addr_of(&s, "sue"));
    let sam_addr = s.addr("sam");
    let posts = vec![exposure(&s, "sam", 5)];
    use fund::ExecuteMsg as M;
    let cases: Vec<(Addr, M)> = vec![
        (sam_addr.clone(), M::RequestExit {}),
        (
            gov.clone(),
            M::ForceExit {
                member: sue.clone(),
            },
        ),
        (
            keeper.clone(),
            M::CompleteExit {
                member: sue.clone(),
            },
        ),
        (
            engine.clone(),
            M::Suspend {
                member: sam.clone(),
            },
        ),
        (
            gov.clone(),
            M::Unsuspend {
                member: sam.clone(),
            },
        ),
        (sam_addr.clone(), M::ClaimRecoveries {}),
        (
            keeper.clone(),
            M::SettleMembers {
                members: vec![sam.clone()],
            },
        ),
        (engine.clone(), M::PostExposures { exposures: posts }),
        (keeper.clone(), M::Recalibrate {}),
        (operator, M::WithdrawSitg {}),
        (
            sam_addr.clone(),
            M::RequestWithdrawal {
                amount: Uint128::one(),
            },
        ),
        (sam_addr.clone(), M::ClaimWithdrawal {}),
        (sam_addr.clone(), M::ClaimFees {}),
        (sam_addr, M::ClaimReleased {}),
        (
            keeper.clone(),
            M::EnforceAssessment {
                member: sam.clone(),
            },
        ),
        (keeper, M::EnforceReplenishment { member: sam }),
        (
            engine,
            M::DeclareDefault {
                member: addr_of(&s, "dora"),
                loss: Uint128::new(10),
            },
        ),
        (gov.clone(), M::CloseDefault { member: sue }),
        (
            gov.clone(),
            M::UpdateParams {
                params: FundParams::default(),
            },
        ),
        (gov.clone(), M::SetPause { paused: true }),
        (gov, M::Shutdown {}),
    ];
    drop(s);
    for (sender, msg) in cases {
        let mut s = suite();
        s.mint(&sender, 100).unwrap();
        let e = s.refused_fully(|s| {
            let f = fund_of(s);
            s.app
                .execute_contract(sender.clone(), f, &msg, &native(100))
        });
        assert_eq!(
            contract_error::<F>(&e),
            &F::Payment(PaymentError::NonPayable {}),
            "{msg:?}"
        );
    }
}

#[test]
fn vault_messages_that_take_no_funds_refuse_them() {
    let s = suite();
    let (gov, engine) = (s.governor(), s.risk_engine.clone());
    let (sam, sam_addr) = (addr_of(&s, "sam"), s.addr("sam"));
    use vault::ExecuteMsg as M;
    let cases: Vec<(Addr, M)> = vec![
        (
            sam_addr,
            M::Withdraw {
                amount: Uint128::one(),
            },
        ),
        (
            engine,
            M::SetRequiredMargin {
                member: sam,
                amount: Uint128::new(3_500),
            },
        ),
        (
            gov.clone(),
            M::AddMember {
                member: addr_of(&s, "newcomer"),
                required_margin: Uint128::one(),
            },
        ),
        (gov.clone(), M::SetPause { paused: true }),
        (gov, M::Shutdown {}),
    ];
    drop(s);
    for (sender, msg) in cases {
        let mut s = suite();
        s.mint(&sender, 100).unwrap();
        let e = s.refused_fully(|s| {
            let v = vault_of(s);
            s.app
                .execute_contract(sender.clone(), v, &msg, &native(100))
        });
        assert_eq!(
            contract_error::<V>(&e),
            &V::Payment(PaymentError::NonPayable {}),
            "{msg:?}"
        );
    }
}

#[test]
fn fund_malformed_json() {
    refused_unparsed(suite(), |s| {
        let f = fund_of(s);
        raw_exec(s, "sam", &f, "not json at all")
    });
}

#[test]
fn fund_malformed_json_for_every_new_message() {
    let too_big = "340282366920938463463374607431768211456"; // u128::MAX + 1
    let cases = [
        "{\"record_recovery\": {}}".to_string(),
        "{\"record_recovery\": {\"default_id\": \"1\"}}".to_string(),
        "{\"record_recovery\": {\"default_id\": -1}}".to_string(),
        "{\"record_recovery\": {\"default_id\": 18446744073709551616}}".to_string(),
        "{\"suspend\": {}}".to_string(),
        "{\"suspend\": {\"member\": 42}}".to_string(),
        "{\"unsuspend\": {\"member\": null}}".to_string(),
        "{\"force_exit\": {\"member\": [\"x\"]}}".to_string(),
        "{\"complete_exit\": {}}".to_string(),
        "{\"post_exposures\": {}}".to_string(),
        "{\"post_exposures\": {\"exposures\": [{\"member\": \"x\"}]}}".to_string(),
        "{\"post_exposures\": {\"exposures\": [{\"member\": \"x\", \"amount\": \"-5\"}]}}"
            .to_string(),
        format!("{{\"post_exposures\": {{\"exposures\": [{{\"member\": \"x\", \"amount\": \"{too_big}\"}}]}}}}"),
        "{\"post_exposures\": {\"exposures\": {\"member\": \"x\", \"amount\": \"5\"}}}"
            .to_string(),
        "{\"callback\": {\"credit_replenishment\": {\"member\": \"x\"}}}".to_string(),
        "{\"callback\": {\"steal\": {}}}".to_string(),
        "{\"remove_member\": {\"member\": \"x\"}}".to_string(),
        "{\"refresh_requirements\": {\"members\": []}}".to_string(),
        "{\"vault_hook\": {\"member_removed\": {\"member\": \"x\"}}}".to_string(),
        "{\"set_roles\": {\"governance\": null, \"risk_engine\": null}}".to_string(),
        "{\"settle_members\": {}}".to_string(),
        "{\"settle_members\": {\"members\": \"x\"}}".to_string(),
        "{\"settle_members\": {\"members\": [7]}}".to_string(),
    ];
    for json in cases {
        let mut s = suite();
        let f = fund_of(&s);
        let e = s.refused_fully(|s| raw_exec(s, "sam", &f, &json));
        let text = format!("{e:?}");
        assert!(text.contains("Error parsing into type"), "{json}: {text}");
    }
}

// ---- governance ----------------------------------------------------------------
// Governance cases: owned by the governance rewrite (issue 13); these two
// compile against the current `clearing_types::governance`.

#[test]
fn governance_proposal_without_messages() {
    let s = SuiteBuilder::new()
        .member("sam", 0, 1_000, 0)
        .with_governance(Default::default())
        .build();
    refused_with::<G>(
        s,
        |s| s.propose("sam", vec![]).map(|_| AppResponse::default()),
        |e| matches!(e, G::EmptyProposal {}),
    );
}

#[test]
fn governance_vote_on_an_unknown_proposal() {
    let s = SuiteBuilder::new()
        .member("sam", 0, 1_000, 0)
        .with_governance(Default::default())
        .build();
    refused_with::<G>(
        s,
        |s| s.vote("sam", 42, cw3::Vote::Yes),
        |e| matches!(e, G::UnknownProposal { id: 42 }),
    );
}
