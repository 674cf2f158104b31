//! The two worked examples of ../shared/scenarios, played through the suite
//! directly (the runner replays them from their JSON files too).

use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{FundParams, MemberStatus};
use cosmwasm_std::{Decimal, Uint128};

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
        })
        .sitg(500_000)
        .member("atlas", 6_000_000, 5_000_000, 500_000)
        .member("borealis", 2_500_000, 2_000_000, 200_000)
        .member("cygnus", 4_000_000, 3_000_000, 300_000)
        .member("draco", 7_000_000, 6_000_000, 600_000)
        .build()
}

fn layers(r: &clearing_types::fund::DefaultReceipt) -> [u128; 6] {
    r.layers.named().map(|(_, a)| a.u128())
}

#[test]
fn one_default_is_covered_by_the_mutual_fund() {
    for settlement in [Settlement::Native, Settlement::Cw20] {
        let mut suite = example(settlement);
        let r = suite.declare_default("draco", 9_000_000).unwrap();
        assert_eq!(layers(&r), [7_000_000, 600_000, 500_000, 900_000, 0, 0]);
        assert_eq!(suite.balance(&suite.loss_recipient.clone()), 9_000_000);
        for (name, contribution) in [("atlas", 50_000), ("borealis", 20_000), ("cygnus", 30_000)] {
            let m = suite.fund_member(name);
            assert_eq!(m.balance.u128(), contribution, "{name}");
            assert_eq!(m.status, MemberStatus::Active);
        }
        assert_eq!(suite.fund_member("draco").status, MemberStatus::Defaulted);
        assert_eq!(suite.vault_member("draco").balance.u128(), 0);
        assert_eq!(suite.fund_state().sitg.u128(), 0);
        suite.assert_conservation();
    }
}

#[test]
fn two_defaults_share_one_cooling_off_cap() {
    for settlement in [Settlement::Native, Settlement::Cw20] {
        let mut suite = example(settlement);
        suite.declare_default("draco", 9_000_000).unwrap();
        suite.advance(172_800);
        // Nothing is owed yet: enforcement is refused.
        assert!(suite.enforce_assessment("borealis").is_err());
        let r = suite.declare_default("atlas", 8_000_000).unwrap();
        assert_eq!(
            layers(&r),
            [6_000_000, 50_000, 0, 50_000, 1_000_000, 900_000]
        );
        assert_eq!(
            suite.fund_member("borealis").assessment_owed.u128(),
            400_000
        );
        assert_eq!(suite.fund_member("cygnus").assessment_owed.u128(), 600_000);
        suite.pay_assessment("cygnus").unwrap();
        assert_eq!(suite.fund_member("cygnus").assessment_owed.u128(), 0);
        assert_eq!(
            suite.fund_member("borealis").assessment_owed.u128(),
            400_000
        );
        let state = suite.fund_state();
        assert_eq!(state.uncovered_total.u128(), 900_000);
        assert_eq!(state.total_contributions.u128(), 0);
        // Paid layers reached the loss recipient: 9M + (6M + 50k + 50k) + 600k.
        assert_eq!(
            suite.balance(&suite.loss_recipient.clone()),
            9_000_000 + 6_100_000 + 600_000
        );
        suite.assert_conservation();
    }
}
