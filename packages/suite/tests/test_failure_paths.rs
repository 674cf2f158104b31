//! Failure paths: a message that fails in the middle of the waterfall rolls
//! the whole default back; migrating each contract keeps every balance and
//! index, and business goes on after it.

use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::{governance as gov, vault};
use cosmwasm_std::{Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdError, StdResult};
use cw_multi_test::{ContractWrapper, Executor};

const DAY: u64 = 86_400;

fn suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .sitg(500)
        .member("dora", 1_000, 1_000, 200)
        .member("sam", 10_000, 3_000, 300)
        .member("sue", 10_000, 2_000, 200)
        .build()
}

/// A vault whose every execute fails: stands in for a vault that breaks
/// while the fund is running a default.
fn broken_execute(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Err(StdError::generic_err("vault out of order"))
}
fn broken_instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}
fn broken_query(deps: Deps, env: Env, msg: vault::QueryMsg) -> StdResult<Binary> {
    // Queries still answer, so the fund gets as far as paying out.
    margin_vault::contract::query(deps, env, msg)
}
fn broken_migrate(_: DepsMut, _: Env, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}
/// A fund that refuses every execute (the vault's hooks included) but
/// still answers queries.
fn broken_fund_execute(
    _: DepsMut,
    _: Env,
    _: MessageInfo,
    _: clearing_types::fund::ExecuteMsg,
) -> StdResult<Response> {
    Err(StdError::generic_err("fund out of order"))
}
fn broken_fund_query(
    deps: Deps,
    env: Env,
    msg: clearing_types::fund::QueryMsg,
) -> StdResult<Binary> {
    default_fund::contract::query(deps, env, msg)
}

#[test]
fn a_hook_the_fund_refuses_rolls_the_vaults_side_back() {
    let mut suite = suite(Settlement::Native);
    let code = suite.app.store_code(Box::new(
        ContractWrapper::new(broken_fund_execute, broken_instantiate, broken_fund_query)
            .with_migrate(broken_migrate),
    ));
    let (admin, fund) = (suite.admin.clone(), suite.fund.clone());
    suite
        .app
        .migrate_contract(admin, fund, &Empty {}, code)
        .unwrap();
    // Admission and a requirement change both need the fund's hook.
    let e = suite.refused(|s| s.add_member("carol", 1_000));
    assert!(format!("{e:?}").contains("fund out of order"), "{e:?}");
    let e = suite.refused(|s| s.set_required_margin("sam", 4_000));
    assert!(format!("{e:?}").contains("fund out of order"), "{e:?}");
    assert_eq!(suite.vault_member("sam").required_margin.u128(), 3_000);
    let totals: vault::TotalsResponse = suite.query_vault(&vault::QueryMsg::Totals {});
    assert_eq!(totals.members, 3);
}

#[test]
fn a_failing_vault_rolls_the_whole_default_back() {
    for s in [Settlement::Native, Settlement::Cw20] {
        let mut suite = suite(s);
        let code = suite.app.store_code(Box::new(
            ContractWrapper::new(broken_execute, broken_instantiate, broken_query)
                .with_migrate(broken_migrate),
        ));
        let (admin, vault) = (suite.admin.clone(), suite.vault.clone());
        suite
            .app
            .migrate_contract(admin, vault, &Empty {}, code)
            .unwrap();
        // Layers 2–4 would be paid by the fund, layer 1 by the (broken) vault.
        let e = suite.refused(|s| s.declare_default("dora", 1_900));
        assert!(format!("{e:?}").contains("vault out of order"), "{e:?}");
        assert!(suite.defaults().is_empty());
        assert_eq!(suite.fund_state().sitg.u128(), 500);
        assert_eq!(suite.balance(&suite.loss_recipient.clone()), 0);
    }
}

#[test]
fn a_failing_payout_rolls_the_default_back() {
    // The fund's cw20 balance is short of what it must pay: the transfer
    // fails after the vault already paid layer 1, and everything reverts.
    let mut suite = suite(Settlement::Cw20);
    let fund = suite.fund.clone();
    let token = suite.token.clone().unwrap();
    // Take tokens out of the fund behind its back (a test-only burn).
    suite
        .app
        .execute_contract(
            fund.clone(),
            token,
            &cw20::Cw20ExecuteMsg::Burn {
                amount: cosmwasm_std::Uint128::new(1_000),
            },
            &[],
        )
        .unwrap();
    let e = suite.refused(|s| s.declare_default("dora", 1_900));
    assert!(
        format!("{e:?}").to_lowercase().contains("overflow"),
        "{e:?}"
    );
    assert!(suite.defaults().is_empty());
    assert_eq!(suite.vault_member("dora").balance.u128(), 1_000);
}

/// Activity that touches every index: a loss into assessments, fees,
/// a pending withdrawal, a payment. Governance holds every wasm admin right.
fn busy_suite() -> Suite {
    let mut s = SuiteBuilder::new()
        .sitg(500)
        .member("dora", 1_000, 1_000, 200)
        .member("sam", 10_000, 3_000, 300)
        .member("sue", 10_000, 2_000, 200)
        .member("tom", 10_000, 2_000, 200)
        .with_governance(Default::default())
        .build();
    // dora earns ⌊700 × 200 / 900⌋ = 155 of the fees.
    s.distribute_fees(700).unwrap();
    // Margin 1,000, her 200 + 155 of fees, SITG 500, the pool's 700, then
    // 445 assessed (of a 2 × 1,000 cap).
    let r = s.declare_default("dora", 3_000).unwrap();
    assert_eq!(
        r.layers.named().map(|(_, a)| a.u128()),
        [1_000, 355, 500, 700, 445, 0]
    );
    // sam must hold 100 + 300 = 400: 500 leaves 100 to request.
    s.contribute("sam", 500).unwrap();
    s.contribute("tom", 250).unwrap();
    s.distribute_fees(300).unwrap();
    s.request_withdrawal("sam", 10).unwrap();
    s.pay_assessment("sue").unwrap();
    s.advance(DAY);
    s
}

#[test]
fn migrating_every_contract_keeps_every_balance_and_index() {
    let mut suite = busy_suite();
    let before = suite.snapshot();
    // Governance's address as the sender stands for a passed proposal's
    // WasmMsg::Migrate; the deployer no longer holds the right.
    let admin = suite.gov();
    let deployer = suite.admin.clone();
    let (vault, vault_code) = (
        suite.vault.clone(),
        suite.app.store_code(clearing_suite::vault_contract()),
    );
    suite.refused(|s| {
        s.app
            .migrate_contract(deployer.clone(), vault.clone(), &Empty {}, vault_code)
    });
    let codes = [
        (
            suite.vault.clone(),
            suite.app.store_code(clearing_suite::vault_contract()),
        ),
        (
            suite.fund.clone(),
            suite.app.store_code(clearing_suite::fund_contract()),
        ),
        (
            suite.gov(),
            suite.app.store_code(clearing_suite::governance_contract()),
        ),
    ];
    for (contract, code) in codes {
        suite
            .app
            .migrate_contract(admin.clone(), contract, &Empty {}, code)
            .unwrap();
    }
    assert_eq!(before, suite.snapshot());
    let proposals: cw3::ProposalListResponse = suite
        .app
        .wrap()
        .query_wasm_smart(
            suite.gov(),
            &gov::QueryMsg::ListProposals {
                start_after: None,
                limit: None,
            },
        )
        .unwrap();
    assert!(proposals.proposals.is_empty());
    // Business goes on exactly as before: a fresh identical deployment and
    // the migrated one answer the same to the same next messages.
    let mut twin = busy_suite();
    for s in [&mut suite, &mut twin] {
        s.enforce_assessment("sam").unwrap();
        s.distribute_fees(99).unwrap();
        s.declare_default("tom", 5_000).unwrap();
        s.claim_fees("sue").unwrap();
    }
    assert_eq!(suite.snapshot(), twin.snapshot());
    suite.assert_conservation();
}

#[test]
fn migrating_to_another_contract_or_by_a_stranger_is_refused() {
    let mut suite = busy_suite();
    let admin = suite.gov();
    let (vault, fund) = (suite.vault.clone(), suite.fund.clone());
    let vault_code = suite.app.store_code(clearing_suite::vault_contract());
    let fund_code = suite.app.store_code(clearing_suite::fund_contract());
    let e = suite.refused(|s| {
        s.app
            .migrate_contract(admin.clone(), fund.clone(), &Empty {}, vault_code)
    });
    assert!(format!("{e:?}").contains("crates.io:default-fund"), "{e:?}");
    let stranger = suite.addr("mallory");
    suite.refused(|s| {
        s.app
            .migrate_contract(stranger, vault, &Empty {}, fund_code)
    });
}
