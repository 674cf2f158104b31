//! The bad-input catalogue: each case is a message an auditor or attacker
//! would try. Every one is refused with a clear error, and the whole
//! deployment — configs, totals, members, defaults, token balances — is
//! exactly as it was before.

use clearing_suite::{contract_error, native, raw, Settlement, Suite, SuiteBuilder, DENOM};
use clearing_types::fund::{self, FundParams};
use clearing_types::vault;
use cosmwasm_std::{coin, to_json_binary, Addr, CosmosMsg, Decimal, Uint128, WasmMsg};
use cw_multi_test::Executor;

const DAY: u64 = 86_400;

fn suite_with(settlement: Settlement) -> Suite {
    let mut suite = SuiteBuilder::new()
        .settlement(settlement)
        .sitg(1_000)
        .member("dora", 1_000, 1_000, 200)
        .member("sam", 10_000, 3_000, 300)
        .member("sue", 10_000, 2_000, 200)
        .build();
    // Wallets hold what the cases try to pay, so only the refusal is tested.
    for name in ["dora", "sam", "sue", "mallory"] {
        let who = suite.addr(name);
        suite.mint(&who, 1_000_000).unwrap();
    }
    if settlement == Settlement::Native {
        let sam = suite.addr("sam");
        suite
            .app
            .sudo(cw_multi_test::SudoMsg::Bank(
                cw_multi_test::BankSudo::Mint {
                    to_address: sam.to_string(),
                    amount: vec![coin(1_000, "uatom"), coin(1_000, "ufoo")],
                },
            ))
            .unwrap();
    }
    suite
}

fn suite() -> Suite {
    suite_with(Settlement::Native)
}

fn exec<M: serde::Serialize + std::fmt::Debug>(
    s: &mut Suite,
    who: &str,
    contract: &Addr,
    msg: &M,
    funds: &[cosmwasm_std::Coin],
) -> anyhow::Result<cw_multi_test::AppResponse> {
    let sender = s.addr(who);
    s.app.execute_contract(sender, contract.clone(), msg, funds)
}

fn raw_exec(
    s: &mut Suite,
    who: &str,
    contract: &Addr,
    bytes: &str,
) -> anyhow::Result<cw_multi_test::AppResponse> {
    let sender = s.addr(who);
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
    f: impl FnOnce(&mut Suite) -> anyhow::Result<cw_multi_test::AppResponse>,
    check: impl FnOnce(&E) -> bool,
) {
    let e = suite.refused(f);
    let err = contract_error::<E>(&e);
    assert!(check(err), "unexpected error: {err:?}");
    assert!(!err.to_string().is_empty());
}

/// A message that does not even parse: refused before the contract runs,
/// with serde's message naming what is wrong.
fn refused_unparsed(
    mut suite: Suite,
    f: impl FnOnce(&mut Suite) -> anyhow::Result<cw_multi_test::AppResponse>,
) {
    let e = suite.refused(f);
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

// ---- margin vault ----------------------------------------------------------

#[test]
fn vault_deposit_without_funds() {
    refused_with::<V>(
        suite(),
        |s| {
            let v = vault_of(s);
            exec(s, "sam", &v, &vault::ExecuteMsg::Deposit {}, &[])
        },
        |e| matches!(e, V::Asset(_)),
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
        |e| matches!(e, V::Asset(_)),
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
        |e| matches!(e, V::Asset(_)),
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
    refused_with::<V>(
        suite(),
        |s| s.withdraw_margin("sam", u128::MAX),
        |e| matches!(e, V::InsufficientExcessMargin { .. }),
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
    let e = s.refused(|s| {
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
fn vault_withdraw_by_an_unknown_member() {
    refused_with::<V>(
        suite(),
        |s| s.withdraw_margin("mallory", 1),
        |e| matches!(e, V::UnknownMember { .. }),
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
fn vault_removing_a_member_that_holds_margin() {
    refused_with::<V>(
        suite(),
        |s| {
            let (g, v, m) = (s.governor(), vault_of(s), s.addr("sam").to_string());
            s.app
                .execute_contract(g, v, &vault::ExecuteMsg::RemoveMember { member: m }, &[])
        },
        |e| matches!(e, V::MemberHoldsMargin { .. }),
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

// ---- default fund ------------------------------------------------------------

#[test]
fn fund_contribution_without_funds() {
    refused_with::<F>(
        suite(),
        |s| {
            let f = fund_of(s);
            exec(s, "sam", &f, &fund::ExecuteMsg::Contribute {}, &[])
        },
        |e| matches!(e, F::Asset(_)),
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
        |e| matches!(e, F::Asset(_)),
    );
}

#[test]
fn fund_contribution_by_a_defaulted_member() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    refused_with::<F>(
        s,
        |s| {
            let f = fund_of(s);
            exec(s, "dora", &f, &fund::ExecuteMsg::Contribute {}, &native(5))
        },
        |e| matches!(e, F::MemberInDefault { .. }),
    );
}

#[test]
fn fund_cw20_from_a_foreign_token() {
    let mut s = suite_with(Settlement::Cw20);
    let sam = s.addr("sam");
    let foreign = s.foreign_token(&sam, 1_000);
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
        |e| matches!(e, F::Asset(_)),
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
        |e| matches!(e, F::Asset(_)),
    );
}

#[test]
fn fund_withdrawal_request_of_zero() {
    refused_with::<F>(
        suite(),
        |s| s.request_withdrawal("sam", 0),
        |e| matches!(e, F::ZeroAmount {}),
    );
}

#[test]
fn fund_withdrawal_request_of_u128_max() {
    refused_with::<F>(
        suite(),
        |s| s.request_withdrawal("sam", u128::MAX),
        |e| matches!(e, F::ExceedsBalance { .. }),
    );
}

#[test]
fn fund_claim_before_the_notice_is_over() {
    let mut s = suite();
    s.request_withdrawal("sam", 100).unwrap();
    s.advance(13 * DAY);
    refused_with::<F>(
        s,
        |s| s.claim_withdrawal("sam"),
        |e| matches!(e, F::NoticeNotOver { .. }),
    );
}

#[test]
fn fund_claim_during_cooling_off() {
    let mut s = suite();
    s.request_withdrawal("sam", 100).unwrap();
    s.declare_default("dora", 1_500).unwrap();
    s.advance(15 * DAY);
    refused_with::<F>(
        s,
        |s| s.claim_withdrawal("sam"),
        |e| matches!(e, F::CoolingOffOpen { .. }),
    );
}

#[test]
fn fund_claim_while_owing() {
    let mut s = suite();
    s.request_withdrawal("sam", 10).unwrap();
    s.declare_default("dora", 5_000).unwrap();
    s.advance(40 * DAY);
    refused_with::<F>(
        s,
        |s| s.claim_withdrawal("sam"),
        |e| matches!(e, F::OutstandingObligation { .. }),
    );
}

#[test]
fn fund_default_with_zero_loss() {
    refused_with::<F>(
        suite(),
        |s| s.declare_default("dora", 0).map(|_| Default::default()),
        |e| matches!(e, F::ZeroAmount {}),
    );
}

#[test]
fn fund_default_of_an_unknown_member() {
    refused_with::<F>(
        suite(),
        |s| s.declare_default("mallory", 10).map(|_| Default::default()),
        |e| matches!(e, F::UnknownMember { .. }),
    );
}

#[test]
fn fund_double_default() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    refused_with::<F>(
        s,
        |s| s.declare_default("dora", 10).map(|_| Default::default()),
        |e| matches!(e, F::MemberInDefault { .. }),
    );
}

#[test]
fn fund_paying_when_nothing_is_owed() {
    refused_with::<F>(
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
        |e| matches!(e, F::NothingOwed {}),
    );
}

#[test]
fn fund_enforcing_before_the_deadline() {
    let mut s = suite();
    s.declare_default("dora", 5_000).unwrap();
    refused_with::<F>(
        s,
        |s| s.enforce_assessment("sam"),
        |e| matches!(e, F::NotYetDue { .. }),
    );
}

#[test]
fn fund_enforcing_when_nothing_is_owed() {
    refused_with::<F>(
        suite(),
        |s| s.enforce_assessment("sam"),
        |e| matches!(e, F::NothingOwed {}),
    );
}

#[test]
fn fund_enforcing_on_a_defaulted_member() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    refused_with::<F>(
        s,
        |s| s.enforce_assessment("dora"),
        |e| matches!(e, F::MemberInDefault { .. }),
    );
}

#[test]
fn fund_fees_with_no_contributor() {
    let mut s = suite();
    s.declare_default("dora", 2_700).unwrap(); // wipes the mutual fund
    refused_with::<F>(
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
        |e| matches!(e, F::NoContributors {}),
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
    let e = s.refused(|s| {
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

fn bad_params(p: FundParams, field: &'static str) {
    refused_with::<F>(
        suite(),
        |s| {
            let (g, f) = (s.governor(), fund_of(s));
            s.app
                .execute_contract(g, f, &fund::ExecuteMsg::UpdateParams { params: p }, &[])
        },
        |e| matches!(e, F::InvalidParam { name, .. } if name == field),
    );
}

#[test]
fn fund_params_zero_contribution_rate() {
    bad_params(
        FundParams {
            contribution_rate: Decimal::zero(),
            ..FundParams::default()
        },
        "contribution_rate",
    );
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
    bad_params(
        FundParams {
            cooling_off_period: 0,
            ..FundParams::default()
        },
        "cooling_off_period",
    );
    bad_params(
        FundParams {
            assessment_deadline: 0,
            ..FundParams::default()
        },
        "assessment_deadline",
    );
    bad_params(
        FundParams {
            withdrawal_notice_period: 0,
            ..FundParams::default()
        },
        "withdrawal_notice_period",
    );
}

#[test]
fn fund_params_period_of_a_century() {
    bad_params(
        FundParams {
            replenishment_period: 100 * 365 * DAY,
            ..FundParams::default()
        },
        "replenishment_period",
    );
}

#[test]
fn fund_negative_rate_in_json() {
    refused_unparsed(suite(), |s| {
        let (g, f) = (s.governor(), fund_of(s));
        let json = r#"{"update_params":{"params":{"min_contribution":"1","contribution_rate":"-0.1","assessment_multiple":"2","cooling_off_period":1,"assessment_deadline":1,"replenishment_period":1,"withdrawal_notice_period":1}}}"#;
        s.app.execute(
            g,
            CosmosMsg::Wasm(WasmMsg::Execute {
                contract_addr: f.to_string(),
                msg: raw(json),
                funds: vec![],
            }),
        )
    });
}

#[test]
fn fund_malformed_json() {
    refused_unparsed(suite(), |s| {
        let f = fund_of(s);
        raw_exec(s, "sam", &f, "not json at all")
    });
}

#[test]
fn fund_oversized_refresh_batch() {
    refused_with::<F>(
        suite(),
        |s| {
            let f = fund_of(s);
            let members = vec![s.addr("sam").to_string(); 31];
            exec(
                s,
                "mallory",
                &f,
                &fund::ExecuteMsg::RefreshRequirements { members },
                &[],
            )
        },
        |e| matches!(e, F::TooManyMembers { .. }),
    );
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
    refused_with::<F>(
        suite(),
        |s| {
            let (g, m) = (s.governor(), s.addr("sam").to_string());
            s.execute_fund(&g, &fund::ExecuteMsg::CloseDefault { member: m })
        },
        |e| matches!(e, F::NotInDefault { .. }),
    );
}

#[test]
fn fund_claiming_a_release_before_the_default_is_closed() {
    let mut s = suite();
    s.declare_default("dora", 10).unwrap();
    refused_with::<F>(
        s,
        |s| s.member_executes_fund("dora", &fund::ExecuteMsg::ClaimReleased {}),
        |e| matches!(e, F::NothingToClaim {}),
    );
}

// ---- governance ----------------------------------------------------------------

#[test]
fn governance_proposal_without_messages() {
    let s = SuiteBuilder::new()
        .member("sam", 0, 1_000, 0)
        .with_governance(Default::default())
        .build();
    refused_with::<G>(
        s,
        |s| s.propose("sam", vec![]).map(|_| Default::default()),
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
            withdrawal_notice_period: 0,
            ..FundParams::default()
        },
    };
    let e = s
        .app
        .instantiate_contract(code, admin, &msg, &[], "bad", None)
        .unwrap_err();
    assert!(matches!(contract_error::<F>(&e), F::InvalidParam { .. }));
}
