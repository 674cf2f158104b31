//! The two worked examples of ../shared/scenarios, played through the suite
//! directly (the runner replays them from their JSON files too); the
//! figures are those of their v2 `.expected.json`, derived below.

use clearing_suite::fund_flows::{both, fund_err};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{FundParams, MemberStatus};
use cosmwasm_std::{Decimal, Uint128};
use default_fund::ContractError;

fn example(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(FundParams {
            min_contribution: Uint128::new(50_000),
            contribution_rate: Decimal::percent(10),
            assessment_multiple: Decimal::percent(200),
            cooling_off_period: 2_419_200,
            assessment_deadline: 86_400,
            replenishment_period: 604_800,
            withdrawal_notice_period: 1_209_600,
            ..FundParams::default()
        })
        .sitg(500_000)
        .member("atlas", 6_000_000, 5_000_000, 500_000)
        .member("borealis", 2_500_000, 2_000_000, 200_000)
        .member("cygnus", 4_000_000, 3_000_000, 300_000)
        .member("draco", 7_000_000, 6_000_000, 600_000)
        .build()
}

// Required contributions (v2: 50,000 + 10% of required margin): atlas
// 550,000, borealis 250,000, cygnus 350,000, draco 650,000.

fn layers(r: &clearing_types::fund::DefaultReceipt) -> [u128; 6] {
    r.layers.named().map(|(_, a)| a.u128())
}

#[test]
fn one_default_is_covered_by_the_mutual_fund() {
    both(|settlement| {
        let mut suite = example(settlement);
        let t = suite.time();
        // 9M: margin 7M, own 600k, SITG 500k, then 900k of the 1M pool.
        let r = suite.declare_default("draco", 9_000_000).unwrap();
        assert_eq!(layers(&r), [7_000_000, 600_000, 500_000, 900_000, 0, 0]);
        assert!(r.opened_cooling_off);
        assert_eq!(suite.balance(&suite.loss_recipient.clone()), 9_000_000);
        // Each keeps a tenth; each falls short of its requirement, due a
        // replenishment period (604,800 s) after the default.
        for (name, contribution, shortfall) in [
            ("atlas", 50_000, 500_000),
            ("borealis", 20_000, 230_000),
            ("cygnus", 30_000, 320_000),
        ] {
            let m = suite.fund_member(name);
            assert_eq!(m.balance.u128(), contribution, "{name}");
            assert_eq!(m.status, MemberStatus::Active);
            assert_eq!(m.shortfall.u128(), shortfall, "{name}");
            assert_eq!(m.shortfall_due, Some(t.plus_seconds(604_800)), "{name}");
        }
        assert_eq!(suite.fund_member("draco").status, MemberStatus::Defaulted);
        assert_eq!(suite.vault_member("draco").balance.u128(), 0);
        assert_eq!(suite.fund_state().sitg.u128(), 0);
        suite.assert_conservation();
    });
}

#[test]
fn two_defaults_share_one_cooling_off_cap() {
    both(|settlement| {
        let mut suite = example(settlement);
        suite.declare_default("draco", 9_000_000).unwrap();
        suite.advance(172_800);
        // Nothing is owed yet: enforcement is refused.
        let e = suite.refused(|s| s.enforce_assessment("borealis"));
        assert_eq!(*fund_err(&e), ContractError::NothingOwed {});
        // 8M: margin 6M, own 50k, no SITG left, the pool's 50k, then the
        // cap 2 × B = 2 × (250k + 350k) = 1.2M (draco's default used no
        // rate), 700k uncovered.
        let r = suite.declare_default("atlas", 8_000_000).unwrap();
        assert_eq!(
            layers(&r),
            [6_000_000, 50_000, 0, 50_000, 1_200_000, 700_000]
        );
        assert!(!r.opened_cooling_off);
        // borealis ⌈250k × 1.2M / 600k⌉ = 500k, cygnus 700k.
        assert_eq!(
            suite.fund_member("borealis").assessment_owed.u128(),
            500_000
        );
        assert_eq!(suite.fund_member("cygnus").assessment_owed.u128(), 700_000);
        suite.pay_assessment("cygnus").unwrap();
        assert_eq!(suite.fund_member("cygnus").assessment_owed.u128(), 0);
        assert_eq!(
            suite.fund_member("borealis").assessment_owed.u128(),
            500_000
        );
        let state = suite.fund_state();
        assert_eq!(
            state.uncovered_total,
            cosmwasm_std::Uint256::from(700_000u128)
        );
        assert_eq!(state.total_contributions.u128(), 0);
        // Paid layers reached the loss recipient: 9M + (6M + 50k + 50k) + 700k.
        assert_eq!(
            suite.balance(&suite.loss_recipient.clone()),
            9_000_000 + 6_100_000 + 700_000
        );
        // The final figures of the expected report.
        for (name, margin, status) in [
            ("atlas", 0, MemberStatus::Defaulted),
            ("borealis", 2_500_000, MemberStatus::Active),
            ("cygnus", 4_000_000, MemberStatus::Active),
            ("draco", 0, MemberStatus::Defaulted),
        ] {
            assert_eq!(suite.margin(name), margin, "{name}");
            assert_eq!(suite.fund_member(name).status, status, "{name}");
        }
        suite.assert_conservation();
    });
}
