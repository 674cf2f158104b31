//! After an emergency shutdown (SPEC v2 §3 "Exits check every
//! obligation", "SITG exit", §5): new business stops; once every default is
//! closed members take out their whole balance and margin, but no exit
//! while anything is owed; the operator takes out what is left of the SITG
//! tranche once every default is closed and nothing is owed.

use clearing_suite::fund_flows::{
    attr, both, fund_blocked, fund_err, overdue, vault_blocked, vault_err, DAY,
};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{ExecuteMsg, FundParams, MemberStatus, ReceiveMsg};
use clearing_types::ledger::Blocked;
use clearing_types::vault;
use cosmwasm_std::{Decimal, Uint128};
use cw_multi_test::Executor;
use default_fund::ContractError;

fn params() -> FundParams {
    FundParams {
        min_contribution: Uint128::new(100),
        contribution_rate: Decimal::percent(10),
        assessment_multiple: Decimal::percent(200),
        assessment_deadline: DAY,
        replenishment_period: 7 * DAY,
        ..FundParams::default()
    }
}

/// Required contributions (100 + 10% of required margin): dora 200 (holds
/// nothing), sam 400 (holds 600), sue 300 (holds 400); SITG 100.
fn suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(params())
        .sitg(100)
        .member("dora", 0, 1_000, 0)
        .member("sam", 10_000, 3_000, 600)
        .member("sue", 10_000, 2_000, 400)
        .build()
}

/// Nobody contributes, so a default reaches assessments: dora 200, alice
/// 500, bob 200 required; alice has 1,000 of excess margin, bob 2,000. A
/// replenishment period of 60 days keeps their shortfalls from admission
/// out of the way.
fn assessed_suite(settlement: Settlement, sitg: u128) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(FundParams {
            replenishment_period: 60 * DAY,
            ..params()
        })
        .sitg(sitg)
        .member("dora", 0, 1_000, 0)
        .member("alice", 5_000, 4_000, 0)
        .member("bob", 3_000, 1_000, 0)
        .build()
}

#[test]
fn shutdown_lets_members_take_out_everything_once_defaults_are_closed() {
    both(|s| {
        let mut suite = suite(s);
        // SITG 100, then 200 of the 1,000 pool: sam keeps 600 × 800/1,000
        // = 480, sue 320 (both above their requirements).
        suite.declare_default("dora", 300).unwrap();
        suite.shutdown().unwrap();
        // Still an open default: no exit without notice, and the margin
        // requirement holds.
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), ContractError::NoWithdrawalRequested {});
        let e = suite.refused(|s| s.withdraw_margin("sam", 7_001));
        assert_eq!(
            *vault_err(&e),
            margin_vault::ContractError::InsufficientExcessMargin {
                available: Uint128::new(7_000),
                requested: Uint128::new(7_001)
            }
        );
        suite.close_default("dora").unwrap();
        for (name, stake) in [("sam", 480), ("sue", 320)] {
            assert_eq!(suite.stake(name), stake);
            let wallet = suite.balance_of(name);
            let res = suite.claim_withdrawal(name).unwrap();
            assert_eq!(
                attr(&res, "wasm", "action").as_deref(),
                Some("withdraw_balance")
            );
            suite.withdraw_margin(name, 10_000).unwrap();
            assert_eq!(suite.balance_of(name), wallet + stake + 10_000, "{name}");
        }
        // Exact balances: nothing is left in the fund or the vault.
        assert_eq!(suite.balance(&suite.fund.clone()), 0);
        assert_eq!(suite.balance(&suite.vault.clone()), 0);
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), ContractError::NothingToClaim {});
        suite.assert_conservation();
    });
}

#[test]
fn new_business_stops() {
    both(|s| {
        let mut suite = suite(s);
        suite.shutdown().unwrap();
        let (sam, fund, vault) = (suite.addr("sam"), suite.fund.clone(), suite.vault.clone());
        suite.mint(&sam, 30).unwrap();
        let e = suite.refused(|s| {
            s.pay_into(
                &sam,
                &fund,
                10,
                &ExecuteMsg::Contribute {},
                &ReceiveMsg::Contribute {},
            )
        });
        assert_eq!(*fund_err(&e), ContractError::ShutDown {});
        let e = suite.refused(|s| {
            s.pay_into(
                &sam,
                &fund,
                10,
                &ExecuteMsg::DistributeFees {},
                &ReceiveMsg::DistributeFees {},
            )
        });
        assert_eq!(*fund_err(&e), ContractError::ShutDown {});
        let operator = suite.operator.clone();
        suite.mint(&operator, 10).unwrap();
        let e = suite.refused(|s| {
            s.pay_into(
                &operator,
                &fund,
                10,
                &ExecuteMsg::FundSitg {},
                &ReceiveMsg::FundSitg {},
            )
        });
        assert_eq!(*fund_err(&e), ContractError::ShutDown {});
        let e = suite.refused(|s| {
            s.pay_into(
                &sam,
                &vault,
                10,
                &vault::ExecuteMsg::Deposit {},
                &vault::ReceiveMsg::Deposit {},
            )
        });
        assert_eq!(*vault_err(&e), margin_vault::ContractError::ShutDown {});
        let e = suite.refused(|s| s.add_member("carol", 1_000));
        assert_eq!(*vault_err(&e), margin_vault::ContractError::ShutDown {});
        // Shutting down twice is refused too.
        let gov = suite.governor();
        let e = suite.refused(|s| s.execute_fund(&gov, &ExecuteMsg::Shutdown {}));
        assert_eq!(*fund_err(&e), ContractError::ShutDown {});
    });
}

/// The issue 11 input (b): default → CloseDefault → Shutdown with alice
/// owing an assessment due tomorrow: no margin leaves (v1 let the whole
/// margin out), nor her balance, nor does she complete an exit.
#[test]
fn after_shutdown_nothing_leaves_while_an_assessment_is_owed() {
    both(|s| {
        let mut suite = assessed_suite(s, 0);
        suite.request_exit("alice").unwrap();
        suite.advance(14 * DAY);
        // dora's 100, all assessed over B = 700: alice ⌈500 × 100 / 700⌉ = 72,
        // bob ⌈200 × 100 / 700⌉ = 29, due tomorrow.
        let r = suite.declare_default("dora", 100).unwrap();
        assert_eq!(r.layers.assessments.u128(), 100);
        assert_eq!((suite.owed("alice"), suite.owed("bob")), (72, 29));
        suite.close_default("dora").unwrap();
        suite.shutdown().unwrap();
        let owes = Blocked::Owes(Uint128::new(72));
        let e = suite.refused(|s| s.withdraw_margin("alice", 1));
        assert_eq!(*vault_err(&e), vault_blocked(owes.clone()));
        let e = suite.refused(|s| s.claim_withdrawal("alice"));
        assert_eq!(*fund_err(&e), fund_blocked(owes.clone()));
        suite.advance(28 * DAY); // past the cooling-off period
        let e = suite.refused(|s| s.complete_exit("alice"));
        assert_eq!(*fund_err(&e), fund_blocked(overdue(72, 0)));
        suite.pay_assessment("alice").unwrap();
        assert_eq!(suite.owed("alice"), 0);
        suite.assert_conservation();
    });
}

/// Before the replenishment date, a member that owes nothing takes its
/// whole margin out once every default is closed (the requirement lapses).
#[test]
fn after_shutdown_a_member_owing_nothing_takes_its_whole_margin() {
    both(|s| {
        let mut suite = assessed_suite(s, 0);
        suite.declare_default("dora", 100).unwrap();
        suite.close_default("dora").unwrap();
        suite.shutdown().unwrap();
        suite.pay_assessment("alice").unwrap();
        let wallet = suite.balance_of("alice");
        suite.withdraw_margin("alice", 5_000).unwrap();
        assert_eq!(suite.balance_of("alice"), wallet + 5_000);
        suite.assert_conservation();
    });
}

/// sam's default-fund balance is cut to 200 of the 400 he must hold by a
/// default (350 of the 700 pool: sam keeps 400 × 350 / 700 = 200, sue
/// 150); his shortfall of 200 falls due 7 days later. He has no margin
/// above his requirement (3,000 of 3,000) and owes no assessment.
fn short_member() -> Suite {
    let mut suite = SuiteBuilder::new()
        .params(params())
        .member("dora", 0, 1_000, 0)
        .member("sam", 3_000, 3_000, 400)
        .member("sue", 10_000, 2_000, 300)
        .build();
    suite.declare_default("dora", 350).unwrap();
    assert_eq!(suite.stake("sam"), 200);
    assert_eq!(suite.fund_member("sam").shortfall.u128(), 200);
    suite
}

/// The same, with the default closed and the fund shut down before the
/// shortfall's date, which then passes.
fn short_after_shutdown() -> Suite {
    let mut suite = short_member();
    suite.close_default("dora").unwrap();
    suite.shutdown().unwrap();
    suite.advance(7 * DAY);
    suite
}

/// A breach ends once nothing is overdue, whatever made it so: here the
/// shutdown, which winds the regime down (no replenishment is owed after
/// it), ends a breach that only an overdue shortfall sustained, and the
/// member's balance and margin may leave whole. (Before 20c75d6 the
/// shortfall stayed overdue after shutdown and a member could neither top
/// up nor leave: then `bug_after_shutdown_a_member_cannot_cure_an_overdue_shortfall`.)
#[test]
fn a_shutdown_ends_a_breach_that_only_a_shortfall_sustained() {
    let mut suite = short_member();
    suite.advance(7 * DAY);
    assert_eq!(suite.fund_member("sam").replenishment_overdue.u128(), 200);
    // Enforcement finds no excess margin: in breach, nothing leaves.
    suite.enforce_replenishment("sam").unwrap();
    assert_eq!(suite.fund_member("sam").status, MemberStatus::InBreach);
    let e = suite.refused(|s| s.withdraw_margin("sam", 1));
    assert_eq!(*vault_err(&e), vault_blocked(Blocked::InBreach));
    suite.close_default("dora").unwrap();
    suite.shutdown().unwrap();
    let sam = suite.fund_member("sam");
    assert_eq!(sam.status, MemberStatus::Active);
    assert_eq!(
        (
            sam.shortfall.u128(),
            sam.shortfall_due,
            sam.replenishment_overdue.u128()
        ),
        (0, None, 0)
    );
    let o = suite.obligations("sam");
    assert_eq!(
        (
            o.owed.u128(),
            o.overdue.u128(),
            o.replenishment_overdue.u128()
        ),
        (0, 0, 0)
    );
    // His whole balance (200, all of it below his 400 requirement) and his
    // whole margin (3,000, all of it his requirement) leave.
    let wallet = suite.balance_of("sam");
    suite.claim_withdrawal("sam").unwrap();
    suite.withdraw_margin("sam", 3_000).unwrap();
    assert_eq!(suite.balance_of("sam"), wallet + 200 + 3_000);
    suite.assert_conservation();
}

/// After shutdown no replenishment shortfall exists (the regime winds
/// down): a member below its requirement, owing no assessment once every
/// default is closed, takes out its whole balance and margin without
/// topping up — which it could not do anyway (no contribution after
/// shutdown). (Was a bug until 20c75d6, then
/// `bug_after_shutdown_a_member_cannot_cure_an_overdue_shortfall`: the
/// shortfall fell due after shutdown and locked the member in.)
#[test]
fn after_shutdown_no_shortfall_holds_a_member_back() {
    let mut suite = short_after_shutdown();
    let sam = suite.fund_member("sam");
    assert_eq!(
        (
            sam.assessment_owed.u128(),
            sam.shortfall.u128(),
            sam.shortfall_due,
            sam.replenishment_overdue.u128()
        ),
        (0, 0, None, 0)
    );
    // Still no new business: no contribution.
    let (sam, fund) = (suite.addr("sam"), suite.fund.clone());
    suite.mint(&sam, 200).unwrap();
    let e = suite.refused(|s| {
        s.pay_into(
            &sam,
            &fund,
            200,
            &ExecuteMsg::Contribute {},
            &ReceiveMsg::Contribute {},
        )
    });
    assert_eq!(*fund_err(&e), ContractError::ShutDown {});
    // What is his leaves: his 200 and his 3,000 of margin.
    let wallet = suite.balance_of("sam");
    let res = suite.claim_withdrawal("sam").unwrap();
    assert_eq!(
        attr(&res, "wasm", "action").as_deref(),
        Some("withdraw_balance")
    );
    suite.withdraw_margin("sam", 3_000).unwrap();
    assert_eq!(suite.balance_of("sam"), wallet + 200 + 3_000);
    suite.assert_conservation();
}

/// SPEC v2 "SITG exit": after shutdown, once every default is closed and
/// no share is unpaid, the operator takes out what is left; refused before
/// with the numbers that hold it.
#[test]
fn the_operator_takes_out_the_sitg_once_every_default_is_closed_and_paid() {
    both(|s| {
        let mut suite = assessed_suite(s, 1_000);
        // 1,500: SITG 1,000, then 500 assessed over B = 700: alice
        // ⌈500 × 500 / 700⌉ = 358, bob ⌈200 × 500 / 700⌉ = 143.
        let r = suite.declare_default("dora", 1_500).unwrap();
        assert_eq!(
            (r.layers.sitg.u128(), r.layers.assessments.u128()),
            (1_000, 500)
        );
        assert_eq!((suite.owed("alice"), suite.owed("bob")), (358, 143));
        suite.fund_sitg(700).unwrap();
        let operator = suite.operator.clone();
        let e = suite.refused(|s| s.withdraw_sitg());
        assert_eq!(*fund_err(&e), ContractError::NotShutDown {});
        suite.shutdown().unwrap();
        let locked = |open_defaults, open_obligations| ContractError::SitgLocked {
            open_defaults,
            open_obligations,
        };
        let e = suite.refused(|s| s.withdraw_sitg());
        assert_eq!(*fund_err(&e), locked(1, 2));
        // Only the operator.
        let alice = suite.addr("alice");
        let e = suite.refused(|s| s.execute_fund(&alice, &ExecuteMsg::WithdrawSitg {}));
        assert_eq!(
            *fund_err(&e),
            ContractError::Unauthorized {
                action: "withdraw the SITG tranche".to_string(),
                sender: alice.to_string()
            }
        );
        suite.close_default("dora").unwrap();
        let e = suite.refused(|s| s.withdraw_sitg());
        assert_eq!(*fund_err(&e), locked(0, 2));
        suite.pay_assessment("alice").unwrap();
        let e = suite.refused(|s| s.withdraw_sitg());
        assert_eq!(*fund_err(&e), locked(0, 1));
        // bob's share is drawn from his margin after the deadline.
        suite.advance(DAY);
        suite.enforce_assessment("bob").unwrap();
        let res = suite.withdraw_sitg().unwrap();
        assert_eq!(attr(&res, "wasm", "amount").as_deref(), Some("700"));
        assert_eq!(suite.balance(&operator), 700);
        assert_eq!(suite.fund_state().sitg.u128(), 0);
        let e = suite.refused(|s| s.withdraw_sitg());
        assert_eq!(*fund_err(&e), ContractError::NothingToClaim {});
        suite.assert_conservation();
    });
}

/// Chain governance can shut the fund down through `sudo` too.
#[test]
fn chain_governance_shuts_the_fund_down() {
    let mut suite = suite(Settlement::Native);
    let fund = suite.fund.clone();
    suite
        .app
        .wasm_sudo(fund.clone(), &clearing_types::fund::SudoMsg::Shutdown {})
        .unwrap();
    let config: clearing_types::fund::ConfigResponse =
        suite.query_fund(&clearing_types::fund::QueryMsg::Config {});
    assert!(config.shutdown);
    let sam = suite.addr("sam");
    suite.mint(&sam, 1).unwrap();
    let e = suite.refused(|s| {
        s.pay_into(
            &sam,
            &fund,
            1,
            &ExecuteMsg::Contribute {},
            &ReceiveMsg::Contribute {},
        )
    });
    assert_eq!(*fund_err(&e), ContractError::ShutDown {});
    // A stranger cannot shut it down.
    let mallory = suite.addr("mallory");
    let vault = suite.vault.clone();
    let e = suite.refused(|s| {
        s.app
            .execute_contract(mallory.clone(), vault, &vault::ExecuteMsg::Shutdown {}, &[])
    });
    assert!(matches!(
        vault_err(&e),
        margin_vault::ContractError::Unauthorized { .. }
    ));
}
