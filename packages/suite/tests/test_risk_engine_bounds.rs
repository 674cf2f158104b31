//! The bounded risk engine (SPEC v2 §3 "Bounded risk engine"): alone it
//! may declare a default only while the mutualised part (layers 4 + 5 of
//! the preview) is within `risk_engine_mutualised_limit`; governance may
//! declare a larger one. It may suspend a member at once — no margin
//! withdrawal, fund claims or exit — and only governance lifts that.

use clearing_suite::fund_flows::{both, fund_blocked, fund_err, vault_blocked, vault_err, DAY};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{ExecuteMsg, FundParams, MemberStatus};
use clearing_types::ledger::Blocked;
use cosmwasm_std::{Decimal, Uint128};
use default_fund::ContractError;

/// Required contributions (100 + 10% of required margin): dora 200, sam
/// 400, sue 300, each paid in. Layers 1–3 of dora's default hold 1,000 +
/// 200 + 500 = 1,700; the survivors' pool 700 (layer 4), assessments up to
/// 2 × 700 = 1,400 (layer 5).
fn suite_with_limit(settlement: Settlement, limit: Option<u128>) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(FundParams {
            min_contribution: Uint128::new(100),
            contribution_rate: Decimal::percent(10),
            assessment_multiple: Decimal::percent(200),
            risk_engine_mutualised_limit: limit.map(Uint128::new),
            ..FundParams::default()
        })
        .sitg(500)
        .member("dora", 1_000, 1_000, 200)
        .member("sam", 10_000, 3_000, 400)
        .member("sue", 10_000, 2_000, 300)
        .build()
}

fn limit_error(mutualised: u128, limit: u128) -> ContractError {
    ContractError::RiskEngineLimit {
        mutualised: Uint128::new(mutualised),
        limit: Uint128::new(limit),
    }
}

#[test]
fn the_risk_engine_declares_up_to_its_limit() {
    both(|s| {
        // 2,700: 1,700 on layers 1–3, the pool's 700 and 300 assessed = 1,000.
        let mut suite = suite_with_limit(s, Some(1_000));
        assert_eq!(
            suite
                .preview_default("dora", 2_700)
                .unwrap()
                .layers
                .mutualised()
                .unwrap()
                .u128(),
            1_000
        );
        let r = suite.declare_default("dora", 2_700).unwrap();
        assert_eq!(r.declared_by, "risk_engine");
        assert_eq!(
            (r.layers.mutual_fund.u128(), r.layers.assessments.u128()),
            (700, 300)
        );
        suite.assert_conservation();
    });
}

#[test]
fn above_its_limit_only_governance_declares() {
    both(|s| {
        let mut suite = suite_with_limit(s, Some(1_000));
        let e = suite.refused(|s| s.declare_default("dora", 2_701));
        assert_eq!(*fund_err(&e), limit_error(1_001, 1_000));
        let r = suite.declare_default_by_governance("dora", 2_701).unwrap();
        assert_eq!(r.declared_by, "governance");
        assert_eq!(
            (r.layers.mutual_fund.u128(), r.layers.assessments.u128()),
            (700, 301)
        );
        suite.assert_conservation();
    });
}

#[test]
fn a_zero_limit_leaves_the_risk_engine_only_defaults_covered_by_layers_one_to_three() {
    both(|s| {
        let mut suite = suite_with_limit(s, Some(0));
        let e = suite.refused(|s| s.declare_default("dora", 1_701));
        assert_eq!(*fund_err(&e), limit_error(1, 0));
        let r = suite.declare_default("dora", 1_700).unwrap();
        assert_eq!(r.layers.mutualised().unwrap().u128(), 0);
    });
}

#[test]
fn governance_sets_and_lifts_the_limit() {
    both(|s| {
        let mut suite = suite_with_limit(s, None);
        assert_eq!(
            suite
                .preview_default("dora", 50_000)
                .unwrap()
                .layers
                .uncovered
                .u128(),
            50_000 - 1_700 - 700 - 1_400
        );
        suite
            .change_params(|p| p.risk_engine_mutualised_limit = Some(Uint128::new(699)))
            .unwrap();
        // 2,400: the pool's 700 alone is above 699.
        let e = suite.refused(|s| s.declare_default("dora", 2_400));
        assert_eq!(*fund_err(&e), limit_error(700, 699));
        suite
            .change_params(|p| p.risk_engine_mutualised_limit = None)
            .unwrap();
        let r = suite.declare_default("dora", 50_000).unwrap();
        assert_eq!(r.layers.mutualised().unwrap().u128(), 700 + 1_400);
    });
}

#[test]
fn a_suspension_stops_every_exit_and_only_governance_lifts_it() {
    both(|s| {
        let mut suite = suite_with_limit(s, None);
        suite.contribute("sam", 200).unwrap(); // 600: 200 above 400
        suite.request_withdrawal("sam", 200).unwrap();
        suite.distribute_fees(1_100).unwrap(); // sam: 600 of the 1,100 pool
        suite.advance(14 * DAY);
        assert_eq!(suite.fund_state().voters, 3);
        // Only the risk engine or governance suspends.
        for sender in [suite.addr("sue"), suite.operator.clone()] {
            let msg = ExecuteMsg::Suspend {
                member: suite.addr("sam").to_string(),
            };
            let e = suite.refused(|s| s.execute_fund(&sender, &msg));
            assert_eq!(
                *fund_err(&e),
                ContractError::Unauthorized {
                    action: "suspend a member".to_string(),
                    sender: sender.to_string()
                }
            );
        }
        suite.suspend("sam").unwrap();
        let sam_addr = suite.addr("sam").to_string();
        let suspended = ContractError::Suspended {
            address: sam_addr.clone(),
        };
        let sam = suite.fund_member("sam");
        assert!(sam.suspended && !sam.may_vote);
        assert_eq!(suite.fund_state().voters, 2);
        let e = suite.refused(|s| s.suspend("sam"));
        assert_eq!(
            *fund_err(&e),
            ContractError::AlreadySuspended {
                address: sam_addr.clone()
            }
        );
        // No margin out, no fund claims, no exit.
        let e = suite.refused(|s| s.withdraw_margin("sam", 1));
        assert_eq!(*vault_err(&e), vault_blocked(Blocked::Suspended));
        let e = suite.refused(|s| s.claim_withdrawal("sam"));
        assert_eq!(*fund_err(&e), suspended);
        let e = suite.refused(|s| s.claim_fees("sam"));
        assert_eq!(*fund_err(&e), suspended);
        let e = suite.refused(|s| s.claim_recoveries("sam"));
        assert_eq!(*fund_err(&e), suspended);
        let e = suite.refused(|s| s.request_withdrawal("sam", 1));
        assert_eq!(*fund_err(&e), suspended);
        let e = suite.refused(|s| s.request_exit("sam"));
        assert_eq!(*fund_err(&e), suspended);
        // Money in is still taken: he stays fully liable.
        suite.contribute("sam", 10).unwrap();
        // Neither he nor the risk engine lifts it.
        for sender in [suite.addr("sam"), suite.risk_engine.clone()] {
            let msg = ExecuteMsg::Unsuspend {
                member: sam_addr.clone(),
            };
            let e = suite.refused(|s| s.execute_fund(&sender, &msg));
            assert_eq!(
                *fund_err(&e),
                ContractError::Unauthorized {
                    action: "lift a suspension".to_string(),
                    sender: sender.to_string()
                }
            );
        }
        suite.unsuspend("sam").unwrap();
        let e = suite.refused(|s| s.unsuspend("sam"));
        assert_eq!(
            *fund_err(&e),
            ContractError::NotSuspended {
                address: sam_addr.clone()
            }
        );
        assert_eq!(suite.fund_state().voters, 3);
        // Lifted: the claim (within its window), fees and margin go out.
        suite.claim_withdrawal("sam").unwrap();
        suite.claim_fees("sam").unwrap();
        suite.withdraw_margin("sam", 7_000).unwrap();
        assert_eq!(suite.balance_of("sam"), 200 + 600 + 7_000);
        assert_eq!(suite.stake("sam"), 410);
        suite.assert_conservation();
    });
}

#[test]
fn chain_governance_lifts_a_suspension_too() {
    both(|s| {
        let mut suite = suite_with_limit(s, None);
        suite.suspend("sue").unwrap();
        suite.sudo_unsuspend("sue").unwrap();
        assert!(!suite.fund_member("sue").suspended);
        suite.withdraw_margin("sue", 1).unwrap();
    });
}

/// A member whose exit notice is over cannot complete it while suspended;
/// governance's forced exit does not lift the suspension either.
#[test]
fn a_suspended_member_does_not_complete_its_exit() {
    both(|s| {
        let mut suite = suite_with_limit(s, None);
        suite.request_exit("sue").unwrap();
        suite.advance(14 * DAY);
        suite.suspend("sue").unwrap();
        let e = suite.refused(|s| s.complete_exit("sue"));
        assert_eq!(*fund_err(&e), fund_blocked(Blocked::Suspended));
        // Governance may force it (no lapse), but it stays suspended.
        suite.force_exit("sue").unwrap();
        let e = suite.refused(|s| s.complete_exit("sue"));
        assert_eq!(*fund_err(&e), fund_blocked(Blocked::Suspended));
        suite.unsuspend("sue").unwrap();
        let wallet = suite.balance_of("sue");
        suite.complete_exit("sue").unwrap();
        // Her balance from the fund, then her whole margin from the vault.
        assert_eq!(suite.balance_of("sue"), wallet + 300);
        assert_eq!(suite.fund_member("sue").status, MemberStatus::Exited);
        suite.withdraw_margin("sue", 10_000).unwrap();
        assert_eq!(suite.balance_of("sue"), wallet + 300 + 10_000);
        suite.assert_conservation();
    });
}

/// The engine may suspend a member it is about to ask governance to
/// declare in default: the suspended member's margin is still seized by
/// the waterfall.
#[test]
fn a_suspended_member_can_still_be_declared_in_default() {
    both(|s| {
        let mut suite = suite_with_limit(s, Some(0));
        suite.suspend("dora").unwrap();
        let r = suite.declare_default_by_governance("dora", 5_000).unwrap();
        assert_eq!(r.layers.defaulter_margin.u128(), 1_000);
        assert_eq!(suite.fund_member("dora").status, MemberStatus::Defaulted);
        assert_eq!(suite.fund_state().voters, 2);
        suite.assert_conservation();
    });
}
