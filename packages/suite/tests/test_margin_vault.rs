//! The margin vault: deposits, withdrawals above the requirement, the
//! requirement itself, membership, and every refusal leaving state as it was.

use clearing_suite::fund_flows::{both, fund_blocked, fund_err, DAY};
use clearing_suite::{contract_error, native, Settlement, Suite, SuiteBuilder, DENOM};
use clearing_types::asset::AssetError;
use clearing_types::fund::MemberStatus;
use clearing_types::vault::{self, FundHookMsg, MarginStatus};
use cosmwasm_std::{coin, to_json_binary, Decimal256, Uint128};
use cw_multi_test::Executor;
use cw_utils::PaymentError;
use margin_vault::ContractError;

const BOTH: [Settlement; 2] = [Settlement::Native, Settlement::Cw20];

/// Default parameters (min 100, rate 10%): alice must hold 100 + 400 = 500
/// in the fund, bob 100 + 100 = 200, and each holds exactly that (v2: min +
/// rate × required margin; v1 was max(min, rate × rm): 400 and 100).
fn suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .member("alice", 5_000, 4_000, 500)
        .member("bob", 3_000, 1_000, 200)
        .build()
}

fn whole(n: u128) -> Decimal256 {
    Decimal256::from_ratio(n, 1u128)
}

fn vault_err(e: &anyhow::Error) -> &ContractError {
    contract_error::<ContractError>(e)
}

fn s_addr(suite: &Suite, name: &str) -> String {
    suite.addr(name).to_string()
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
        assert_eq!(
            *vault_err(&err),
            ContractError::InsufficientExcessMargin {
                available: Uint128::new(2_000),
                requested: Uint128::new(2_001)
            }
        );
        let err = suite.refused(|s| s.withdraw_margin("bob", 0));
        assert_eq!(*vault_err(&err), ContractError::ZeroAmount {});
        let err = suite.refused(|s| s.withdraw_margin("mallory", 1));
        assert_eq!(
            *vault_err(&err),
            ContractError::UnknownMember {
                address: s_addr(&suite, "mallory")
            }
        );
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
        assert_eq!(
            *vault_err(&err),
            ContractError::UnknownMember {
                address: mallory.to_string()
            }
        );
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
    for (funds, why) in [
        (
            vec![coin(10, "uatom")],
            PaymentError::MissingDenom(DENOM.to_string()),
        ),
        (
            vec![coin(10, DENOM), coin(10, "uatom")],
            PaymentError::MultipleDenoms {},
        ),
        (vec![], PaymentError::NoFunds {}),
    ] {
        let err = suite.refused(|s| {
            s.app.execute_contract(
                alice.clone(),
                vault.clone(),
                &vault::ExecuteMsg::Deposit {},
                &funds,
            )
        });
        assert_eq!(
            *vault_err(&err),
            ContractError::Asset(AssetError::Payment(why)),
            "{funds:?}"
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
    assert_eq!(
        *vault_err(&err),
        ContractError::Payment(PaymentError::NonPayable {})
    );
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
    let token = suite.token.clone().unwrap().to_string();
    assert_eq!(
        *vault_err(&err),
        ContractError::Asset(AssetError::NativeNotAccepted {
            expected: token.clone()
        })
    );

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
    assert_eq!(
        *vault_err(&err),
        ContractError::Asset(AssetError::WrongToken {
            expected: token.clone(),
            received: foreign.to_string()
        })
    );
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
    assert_eq!(
        *vault_err(&err),
        ContractError::Asset(AssetError::WrongToken {
            expected: token,
            received: alice.to_string()
        })
    );
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
    assert_eq!(
        *vault_err(&err),
        ContractError::Asset(AssetError::Cw20NotAccepted {
            expected: DENOM.to_string()
        })
    );
}

#[test]
fn the_risk_engine_sets_requirements_and_the_fund_follows() {
    let mut suite = suite(Settlement::Native);
    let t = suite.time();
    suite.set_required_margin("bob", 2_500).unwrap();
    let m = suite.vault_member("bob");
    assert_eq!((m.required_margin.u128(), m.excess.u128()), (2_500, 500));
    let totals: vault::TotalsResponse = suite.query_vault(&vault::QueryMsg::Totals {});
    assert_eq!(totals.total_required.u128(), 4_000 + 2_500);
    // required contribution = 100 + 10% × 2,500 = 350; B = 500 + 350.
    let bob = suite.fund_member("bob");
    assert_eq!(bob.required_contribution, whole(350));
    assert_eq!(suite.fund_state().total_required, whole(850));
    // The raise opens a shortfall of 150, due a replenishment period later.
    assert_eq!(
        (bob.shortfall.u128(), bob.shortfall_due),
        (150, Some(t.plus_seconds(7 * DAY)))
    );
    // Exact, not rounded: 100 + 10% × 2,505 = 350.5.
    suite.set_required_margin("bob", 2_505).unwrap();
    assert_eq!(
        suite.fund_member("bob").required_contribution,
        Decimal256::from_ratio(701u128, 2u128)
    );
    assert_eq!(suite.fund_member("bob").shortfall.u128(), 151);

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
    assert_eq!(
        *vault_err(&err),
        ContractError::Unauthorized {
            action: "set a margin requirement".to_string(),
            sender: bob.to_string()
        }
    );
}

#[test]
fn only_governance_admits_members_and_removal_is_a_forced_exit() {
    both(|s| {
        let mut suite = suite(s);
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
        assert_eq!(
            *vault_err(&err),
            ContractError::Unauthorized {
                action: "add a member".to_string(),
                sender: engine.to_string()
            }
        );
        suite.add_member("carol", 1_000).unwrap();
        assert_eq!(suite.vault_member("carol").status, MarginStatus::Active);
        // 100 + 10% × 1,000.
        assert_eq!(suite.fund_member("carol").required_contribution, whole(200));
        assert_eq!(suite.fund_state().total_required, whole(500 + 200 + 200));
        let err = suite.refused(|s| s.add_member("carol", 1_000));
        assert_eq!(
            *vault_err(&err),
            ContractError::AlreadyMember {
                address: carol.to_string()
            }
        );

        // Removal (v2): governance forces an exit notice; only governance may.
        let err = suite.refused(|s| {
            let msg = clearing_types::fund::ExecuteMsg::ForceExit {
                member: carol.to_string(),
            };
            s.execute_fund(&engine, &msg)
        });
        assert_eq!(
            *fund_err(&err),
            default_fund::ContractError::Unauthorized {
                action: "force a member's exit".to_string(),
                sender: engine.to_string()
            }
        );
        suite.force_exit("carol").unwrap();
        let err = suite.refused(|s| s.complete_exit("carol"));
        assert_eq!(
            *fund_err(&err),
            default_fund::ContractError::ExitNoticeNotOver {
                available_at: suite.time().plus_seconds(14 * DAY)
            }
        );
        suite.advance(14 * DAY);
        // On the same terms as any exit: her shortfall from admission (200,
        // nothing paid in) is past its date, so she cannot leave yet.
        let err = suite.refused(|s| s.complete_exit("carol"));
        assert_eq!(
            *fund_err(&err),
            fund_blocked(clearing_suite::fund_flows::overdue(0, 200))
        );
        suite.contribute("carol", 200).unwrap();
        // She posts margin (300, under her 1,000 requirement) before leaving:
        // an account with nothing in it stays open in the vault, see
        // `a_member_leaving_with_no_margin_leaves_the_vault_when_its_account_is_closed`.
        suite.deposit_margin("carol", 300).unwrap();
        suite.complete_exit("carol").unwrap();
        // The fund pays her balance; her margin leaves with her next
        // withdrawal: all of it, although it is below her requirement.
        assert_eq!(suite.balance_of("carol"), 200);
        assert_eq!(suite.fund_member("carol").status, MemberStatus::Exited);
        assert_eq!(suite.vault_member("carol").status, MarginStatus::Active);
        suite.withdraw_margin("carol", 300).unwrap();
        assert_eq!(suite.balance_of("carol"), 200 + 300);
        assert_eq!(suite.vault_member("carol").status, MarginStatus::Exited);
        let state = suite.fund_state();
        assert_eq!(state.members, 2);
        assert_eq!(state.total_required, whole(700));
        let totals: vault::TotalsResponse = suite.query_vault(&vault::QueryMsg::Totals {});
        assert_eq!((totals.members, totals.total_required.u128()), (2, 5_000));
        // A former member is not admitted again.
        let err = suite.refused(|s| s.add_member("carol", 1_000));
        assert_eq!(
            *vault_err(&err),
            ContractError::AlreadyMember {
                address: carol.to_string()
            }
        );
    });
}

/// v1 refused to remove a member holding margin or a contribution; a v2
/// removal pays out both (SPEC v2 §8).
#[test]
fn a_forced_exit_pays_out_the_contribution_and_the_margin() {
    for s in BOTH {
        let mut suite = suite(s);
        suite.add_member("carol", 1_000).unwrap();
        suite.contribute("carol", 200).unwrap();
        suite.deposit_margin("carol", 300).unwrap();
        suite.distribute_fees(90).unwrap(); // carol: 200 of a 900 pool → 20
        suite.force_exit("carol").unwrap();
        suite.advance(14 * DAY);
        // The fund pays 200 + 20; her next withdrawal takes her whole margin
        // (300, below her 1,000 requirement) and closes her account.
        suite.exit_with_margin("carol").unwrap();
        assert_eq!(suite.balance_of("carol"), 200 + 20 + 300);
        assert_eq!(suite.vault_member("carol").balance.u128(), 0);
        assert_eq!(suite.vault_member("carol").status, MarginStatus::Exited);
        let (carol, vault) = (suite.addr("carol"), suite.vault.clone());
        suite.mint(&carol, 1).unwrap();
        let err = suite.refused(|s| {
            s.pay_into(
                &carol,
                &vault,
                1,
                &vault::ExecuteMsg::Deposit {},
                &vault::ReceiveMsg::Deposit {},
            )
        });
        assert_eq!(
            *vault_err(&err),
            ContractError::MemberExited {
                address: s_addr(&suite, "carol")
            }
        );
        suite.assert_conservation();
    }
}

/// SPEC v2 §8: on completing its exit a member "leaves `B` and both
/// contracts", and the vault closes an exited member's account "once it is
/// empty" (withdraw.rs). Input: carol is admitted (requirement 1,000),
/// contributes 200 and never posts margin; governance forces her exit and
/// she completes it. Expected: her empty vault account is closed (`Exited`)
/// and leaves the vault's totals: 2 members, 5,000 required (alice 4,000 +
/// bob 1,000). Found: the account stayed `Active` and counted, since the
/// vault closed an exited member's account only in a withdrawal that
/// emptied it and a withdrawal of 0 is refused. Fixed: anyone may close an
/// exited member's account (`CloseAccount`, paying it whatever margin it
/// holds), which `exit_with_margin` does.
#[test]
fn a_member_leaving_with_no_margin_leaves_the_vault_when_its_account_is_closed() {
    let mut suite = suite(Settlement::Native);
    suite.add_member("carol", 1_000).unwrap();
    suite.contribute("carol", 200).unwrap();
    suite.force_exit("carol").unwrap();
    suite.advance(14 * DAY);
    suite.exit_with_margin("carol").unwrap();
    assert_eq!(suite.fund_member("carol").status, MemberStatus::Exited);
    assert_eq!(suite.balance_of("carol"), 200);
    let e = suite.refused(|s| s.withdraw_margin("carol", 1));
    let carol = s_addr(&suite, "carol");
    let totals: vault::TotalsResponse = suite.query_vault(&vault::QueryMsg::Totals {});
    assert_eq!(
        (
            suite.vault_member("carol").status,
            totals.members,
            totals.total_required.u128()
        ),
        (MarginStatus::Exited, 2, 5_000),
        "carol left the fund with no margin; the vault keeps her open and counted \
         (her withdrawal of 1 is refused with {:?})",
        vault_err(&e)
    );
    assert_eq!(
        *vault_err(&e),
        ContractError::MemberExited { address: carol }
    );
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
            assert_eq!(
                *vault_err(&err),
                ContractError::Unauthorized {
                    action: "call a default-fund hook".to_string(),
                    sender: sender.to_string()
                }
            );
        }
    }
}

#[test]
fn a_defaulted_member_is_frozen_until_the_default_is_closed() {
    for s in BOTH {
        let mut suite = suite(s);
        // A loss of 3000 takes 3000 of alice's 5000; 2000 stays frozen.
        let r = suite.declare_default("alice", 3_000).unwrap();
        assert!(!r.opened_cooling_off);
        let m = suite.vault_member("alice");
        assert_eq!(
            (m.balance.u128(), m.status),
            (2_000, MarginStatus::Defaulted)
        );
        let err = suite.refused(|s| s.withdraw_margin("alice", 1));
        assert_eq!(
            *vault_err(&err),
            ContractError::MemberInDefault {
                address: s_addr(&suite, "alice")
            }
        );
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
        assert_eq!(
            *vault_err(&err),
            ContractError::MemberInDefault {
                address: alice.to_string()
            }
        );

        let gov = suite.governor();
        let close = clearing_types::fund::ExecuteMsg::CloseDefault {
            member: alice.to_string(),
        };
        suite.execute_fund(&gov, &close).unwrap();
        assert_eq!(suite.vault_member("alice").status, MarginStatus::Released);
        suite.withdraw_margin("alice", 2_000).unwrap();
        // Her 500 of contribution was held for her too: margin covered the loss.
        suite.claim_released("alice").unwrap();
        assert_eq!(suite.balance_of("alice"), 10 + 2_000 + 500);
        let err = suite.refused(|s| s.claim_released("alice"));
        assert_eq!(
            *fund_err(&err),
            default_fund::ContractError::NothingToClaim {}
        );
        suite.assert_conservation();
    }
}

#[test]
fn pause_stops_withdrawals_but_not_deposits() {
    both(|s| {
        let mut suite = suite(s);
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
        assert_eq!(
            *vault_err(&err),
            ContractError::Unauthorized {
                action: "pause or unpause the vault".to_string(),
                sender: s_addr(&suite, "alice")
            }
        );
    });
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
