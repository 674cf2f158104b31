//! The margin vault: deposits, withdrawals above the requirement, the
//! requirement itself, membership, and every refusal leaving state as it was.

use clearing_suite::{contract_error, native, Settlement, Suite, SuiteBuilder, DENOM};
use clearing_types::vault::{self, FundHookMsg, MarginStatus};
use cosmwasm_std::{coin, to_json_binary, Uint128};
use cw_multi_test::Executor;
use margin_vault::ContractError;

const BOTH: [Settlement; 2] = [Settlement::Native, Settlement::Cw20];

fn suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .member("alice", 5_000, 4_000, 400)
        .member("bob", 3_000, 1_000, 100)
        .build()
}

fn vault_err(e: &anyhow::Error) -> &ContractError {
    contract_error::<ContractError>(e)
}

#[test]
fn deposits_credit_the_member_and_the_totals() {
    for s in BOTH {
        let mut suite = suite(s);
        suite.deposit_margin("alice", 250).unwrap();
        let m = suite.vault_member("alice");
        assert_eq!(m.balance.u128(), 5_250);
        assert_eq!(m.excess.u128(), 1_250);
        let totals: vault::TotalsResponse = suite.query_vault(&vault::QueryMsg::Totals {});
        assert_eq!(totals.total_margin.u128(), 8_250);
        assert_eq!(totals.members, 2);
        assert_eq!(suite.balance(&suite.vault.clone()), 8_250);
    }
}

#[test]
fn withdrawal_takes_only_what_is_above_the_requirement() {
    for s in BOTH {
        let mut suite = suite(s);
        suite.withdraw_margin("alice", 1_000).unwrap();
        assert_eq!(suite.balance_of("alice"), 1_000);
        assert_eq!(suite.vault_member("alice").excess.u128(), 0);
        let err = suite.refused(|s| s.withdraw_margin("alice", 1));
        assert_eq!(
            *vault_err(&err),
            ContractError::InsufficientExcessMargin {
                available: Uint128::zero(),
                requested: Uint128::one()
            }
        );
        suite.assert_conservation();
    }
}

#[test]
fn over_withdrawal_zero_and_strangers_are_refused() {
    for s in BOTH {
        let mut suite = suite(s);
        let err = suite.refused(|s| s.withdraw_margin("bob", 2_001));
        assert!(matches!(
            vault_err(&err),
            ContractError::InsufficientExcessMargin { .. }
        ));
        let err = suite.refused(|s| s.withdraw_margin("bob", 0));
        assert_eq!(*vault_err(&err), ContractError::ZeroAmount {});
        let err = suite.refused(|s| s.withdraw_margin("mallory", 1));
        assert!(matches!(
            vault_err(&err),
            ContractError::UnknownMember { .. }
        ));
    }
}

#[test]
fn a_stranger_cannot_deposit() {
    for s in BOTH {
        let mut suite = suite(s);
        let mallory = suite.addr("mallory");
        suite.mint(&mallory, 10).unwrap();
        let vault = suite.vault.clone();
        let err = suite.refused(|s| {
            s.pay_into(
                &mallory,
                &vault,
                10,
                &vault::ExecuteMsg::Deposit {},
                &vault::ReceiveMsg::Deposit {},
            )
        });
        assert!(matches!(
            vault_err(&err),
            ContractError::UnknownMember { .. }
        ));
    }
}

#[test]
fn wrong_extra_and_zero_native_funds_are_refused() {
    let mut suite = suite(Settlement::Native);
    let alice = suite.addr("alice");
    let vault = suite.vault.clone();
    suite
        .app
        .sudo(cw_multi_test::SudoMsg::Bank(
            cw_multi_test::BankSudo::Mint {
                to_address: alice.to_string(),
                amount: vec![coin(100, DENOM), coin(100, "uatom")],
            },
        ))
        .unwrap();
    for funds in [
        vec![coin(10, "uatom")],
        vec![coin(10, DENOM), coin(10, "uatom")],
        vec![],
    ] {
        let err = suite.refused(|s| {
            s.app.execute_contract(
                alice.clone(),
                vault.clone(),
                &vault::ExecuteMsg::Deposit {},
                &funds,
            )
        });
        assert!(
            matches!(vault_err(&err), ContractError::Asset(_)),
            "{funds:?}: {err:?}"
        );
    }
    // Funds attached to a withdrawal are refused too.
    let err = suite.refused(|s| {
        s.app.execute_contract(
            alice.clone(),
            vault.clone(),
            &vault::ExecuteMsg::Withdraw {
                amount: Uint128::new(1),
            },
            &native(5),
        )
    });
    assert!(matches!(vault_err(&err), ContractError::Payment(_)));
}

#[test]
fn a_cw20_vault_refuses_native_funds_and_foreign_tokens() {
    let mut suite = suite(Settlement::Cw20);
    let alice = suite.addr("alice");
    let vault = suite.vault.clone();
    suite
        .app
        .sudo(cw_multi_test::SudoMsg::Bank(
            cw_multi_test::BankSudo::Mint {
                to_address: alice.to_string(),
                amount: vec![coin(100, DENOM)],
            },
        ))
        .unwrap();
    let err = suite.refused(|s| {
        s.app.execute_contract(
            alice.clone(),
            vault.clone(),
            &vault::ExecuteMsg::Deposit {},
            &native(10),
        )
    });
    assert!(matches!(vault_err(&err), ContractError::Asset(_)));

    let foreign = suite.foreign_token(&alice, 1_000);
    let err = suite.refused(|s| {
        s.app.execute_contract(
            alice.clone(),
            foreign.clone(),
            &cw20::Cw20ExecuteMsg::Send {
                contract: vault.to_string(),
                amount: Uint128::new(100),
                msg: to_json_binary(&vault::ReceiveMsg::Deposit {}).unwrap(),
            },
            &[],
        )
    });
    assert!(matches!(vault_err(&err), ContractError::Asset(_)));
    // A forged Receive sent directly by a member, not by the token.
    let err = suite.refused(|s| {
        s.app.execute_contract(
            alice.clone(),
            vault.clone(),
            &vault::ExecuteMsg::Receive(cw20::Cw20ReceiveMsg {
                sender: alice.to_string(),
                amount: Uint128::new(100),
                msg: to_json_binary(&vault::ReceiveMsg::Deposit {}).unwrap(),
            }),
            &[],
        )
    });
    assert!(matches!(vault_err(&err), ContractError::Asset(_)));
}

#[test]
fn a_native_vault_refuses_cw20_receives() {
    let mut suite = suite(Settlement::Native);
    let alice = suite.addr("alice");
    let vault = suite.vault.clone();
    let err = suite.refused(|s| {
        s.app.execute_contract(
            alice.clone(),
            vault.clone(),
            &vault::ExecuteMsg::Receive(cw20::Cw20ReceiveMsg {
                sender: alice.to_string(),
                amount: Uint128::new(100),
                msg: to_json_binary(&vault::ReceiveMsg::Deposit {}).unwrap(),
            }),
            &[],
        )
    });
    assert!(matches!(vault_err(&err), ContractError::Asset(_)));
}

#[test]
fn the_risk_engine_sets_requirements_and_the_fund_follows() {
    let mut suite = suite(Settlement::Native);
    suite.set_required_margin("bob", 2_500).unwrap();
    let m = suite.vault_member("bob");
    assert_eq!((m.required_margin.u128(), m.excess.u128()), (2_500, 500));
    // required contribution = max(100, ceil(10% × 2500)) = 250
    assert_eq!(suite.fund_member("bob").required_contribution.u128(), 250);
    assert_eq!(suite.fund_state().total_required.u128(), 400 + 250);

    let bob = suite.addr("bob");
    let vault = suite.vault.clone();
    let err = suite.refused(|s| {
        s.app.execute_contract(
            bob.clone(),
            vault.clone(),
            &vault::ExecuteMsg::SetRequiredMargin {
                member: bob.to_string(),
                amount: Uint128::zero(),
            },
            &[],
        )
    });
    assert!(matches!(
        vault_err(&err),
        ContractError::Unauthorized { .. }
    ));
}

#[test]
fn only_governance_admits_and_removes_members() {
    let mut suite = suite(Settlement::Native);
    let vault = suite.vault.clone();
    let engine = suite.risk_engine.clone();
    let carol = suite.addr("carol");
    let err = suite.refused(|s| {
        s.app.execute_contract(
            engine.clone(),
            vault.clone(),
            &vault::ExecuteMsg::AddMember {
                member: carol.to_string(),
                required_margin: Uint128::new(1),
            },
            &[],
        )
    });
    assert!(matches!(
        vault_err(&err),
        ContractError::Unauthorized { .. }
    ));
    suite.add_member("carol", 1_000).unwrap();
    assert_eq!(suite.vault_member("carol").status, MarginStatus::Active);
    assert_eq!(suite.fund_member("carol").required_contribution.u128(), 100);
    let err = suite.refused(|s| s.add_member("carol", 1_000));
    assert!(matches!(
        vault_err(&err),
        ContractError::AlreadyMember { .. }
    ));

    // Removal: refused while margin is held, then allowed.
    let gov = suite.governor();
    let remove = |who: &str, s: &mut Suite| {
        let m = s.addr(who).to_string();
        s.app.execute_contract(
            gov.clone(),
            vault.clone(),
            &vault::ExecuteMsg::RemoveMember { member: m },
            &[],
        )
    };
    let err = suite.refused(|s| remove("bob", s));
    assert!(matches!(
        vault_err(&err),
        ContractError::MemberHoldsMargin { .. }
    ));
    remove("carol", &mut suite).unwrap();
    assert_eq!(suite.fund_state().active_members, 2);
    assert_eq!(suite.fund_state().total_required.u128(), 500);
}

#[test]
fn removal_is_refused_while_the_member_holds_a_contribution() {
    let mut suite = suite(Settlement::Native);
    suite.add_member("carol", 1_000).unwrap();
    suite.contribute("carol", 50).unwrap();
    let (gov, vault) = (suite.governor(), suite.vault.clone());
    let carol = suite.addr("carol").to_string();
    let err = suite.refused(|s| {
        s.app.execute_contract(
            gov,
            vault,
            &vault::ExecuteMsg::RemoveMember { member: carol },
            &[],
        )
    });
    assert!(matches!(
        contract_error::<default_fund::ContractError>(&err),
        default_fund::ContractError::MemberNotEmpty { .. }
    ));
}

#[test]
fn fund_hooks_are_refused_from_anyone_but_the_fund() {
    let mut suite = suite(Settlement::Native);
    let vault = suite.vault.clone();
    let alice = suite.addr("alice");
    for sender in [
        suite.admin.clone(),
        suite.risk_engine.clone(),
        alice.clone(),
    ] {
        for hook in [
            FundHookMsg::Seize {
                member: alice.to_string(),
                amount: Uint128::new(1),
                recipient: sender.to_string(),
            },
            FundHookMsg::Draw {
                member: alice.to_string(),
                amount: Uint128::new(1),
                recipient: sender.to_string(),
            },
            FundHookMsg::Release {
                member: alice.to_string(),
            },
        ] {
            let err = suite.refused(|s| {
                s.app.execute_contract(
                    sender.clone(),
                    vault.clone(),
                    &vault::ExecuteMsg::FundHook(hook),
                    &[],
                )
            });
            assert!(matches!(
                vault_err(&err),
                ContractError::Unauthorized { .. }
            ));
        }
    }
}

#[test]
fn a_defaulted_member_is_frozen_until_the_default_is_closed() {
    for s in BOTH {
        let mut suite = suite(s);
        // A loss of 3000 takes 3000 of alice's 5000; 2000 stays frozen.
        suite.declare_default("alice", 3_000).unwrap();
        let m = suite.vault_member("alice");
        assert_eq!(
            (m.balance.u128(), m.status),
            (2_000, MarginStatus::Defaulted)
        );
        let err = suite.refused(|s| s.withdraw_margin("alice", 1));
        assert!(matches!(
            vault_err(&err),
            ContractError::MemberInDefault { .. }
        ));
        let alice = suite.addr("alice");
        suite.mint(&alice, 10).unwrap();
        let vault = suite.vault.clone();
        let err = suite.refused(|s| {
            s.pay_into(
                &alice,
                &vault,
                10,
                &vault::ExecuteMsg::Deposit {},
                &vault::ReceiveMsg::Deposit {},
            )
        });
        assert!(matches!(
            vault_err(&err),
            ContractError::MemberInDefault { .. }
        ));

        let gov = suite.governor();
        let close = clearing_types::fund::ExecuteMsg::CloseDefault {
            member: alice.to_string(),
        };
        suite.execute_fund(&gov, &close).unwrap();
        assert_eq!(suite.vault_member("alice").status, MarginStatus::Released);
        suite.withdraw_margin("alice", 2_000).unwrap();
        // 400 of contribution stayed with alice too: loss was covered by margin.
        suite
            .member_executes_fund("alice", &clearing_types::fund::ExecuteMsg::ClaimReleased {})
            .unwrap();
        assert_eq!(suite.balance_of("alice"), 10 + 2_000 + 400);
        suite.assert_conservation();
    }
}

#[test]
fn pause_stops_withdrawals_but_not_deposits() {
    let mut suite = suite(Settlement::Native);
    let (gov, vault) = (suite.governor(), suite.vault.clone());
    suite
        .app
        .execute_contract(
            gov.clone(),
            vault.clone(),
            &vault::ExecuteMsg::SetPause { paused: true },
            &[],
        )
        .unwrap();
    let err = suite.refused(|s| s.withdraw_margin("alice", 1));
    assert_eq!(*vault_err(&err), ContractError::Paused {});
    suite.deposit_margin("alice", 5).unwrap();
    // Chain governance unpauses through sudo.
    suite
        .app
        .wasm_sudo(vault.clone(), &vault::SudoMsg::SetPause { paused: false })
        .unwrap();
    suite.withdraw_margin("alice", 1).unwrap();
    // Only governance pauses.
    let alice = suite.addr("alice");
    let err = suite.refused(|s| {
        s.app.execute_contract(
            alice,
            vault,
            &vault::ExecuteMsg::SetPause { paused: true },
            &[],
        )
    });
    assert!(matches!(
        vault_err(&err),
        ContractError::Unauthorized { .. }
    ));
}

#[test]
fn members_list_is_paginated() {
    let suite = suite(Settlement::Native);
    let page: vault::MembersResponse = suite.query_vault(&vault::QueryMsg::Members {
        start_after: None,
        limit: Some(1),
    });
    assert_eq!(page.members.len(), 1);
    let next: vault::MembersResponse = suite.query_vault(&vault::QueryMsg::Members {
        start_after: Some(page.members[0].address.to_string()),
        limit: Some(10),
    });
    assert_eq!(next.members.len(), 1);
    assert_ne!(next.members[0].address, page.members[0].address);
}

#[test]
fn migrate_keeps_state_and_refuses_a_downgrade_or_another_contract() {
    let mut suite = suite(Settlement::Native);
    let (admin, vault) = (suite.admin.clone(), suite.vault.clone());
    let before = suite.snapshot();
    let code = suite.app.store_code(clearing_suite::vault_contract());
    suite
        .app
        .migrate_contract(admin.clone(), vault.clone(), &vault::MigrateMsg {}, code)
        .unwrap();
    assert_eq!(before, suite.snapshot());
    // Migrating the vault to the fund's code is another contract: refused.
    let fund_code = suite.app.store_code(clearing_suite::fund_contract());
    let err = suite.refused(|s| {
        s.app
            .migrate_contract(admin, vault, &vault::MigrateMsg {}, fund_code)
    });
    assert!(
        format!("{err:?}").contains("crates.io:margin-vault"),
        "{err:?}"
    );
}
