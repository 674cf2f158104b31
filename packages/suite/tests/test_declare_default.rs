//! Declaring a default: every waterfall layer inside, at and across its
//! boundary, the receipt and history, the preview, and who may declare.

use clearing_suite::{contract_error, Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{ExecuteMsg, FundParams, MemberStatus, QueryMsg};
use cosmwasm_std::{Decimal, Uint128};
use default_fund::ContractError;

/// Layer capacities: margin 1000, own contribution 200, SITG 500, survivors'
/// contributions 300 + 200, assessments 2 × (300 + 200) = 1000.
const CAPACITY: [u128; 5] = [1_000, 200, 500, 500, 1_000];

fn suite(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .params(FundParams {
            min_contribution: Uint128::new(100),
            contribution_rate: Decimal::percent(10),
            assessment_multiple: Decimal::percent(200),
            ..FundParams::default()
        })
        .sitg(500)
        .member("dora", 1_000, 1_000, 200)
        .member("sam", 10_000, 3_000, 300)
        .member("sue", 10_000, 2_000, 200)
        .build()
}

/// The layers a loss should produce: fill each capacity in order.
fn expected(loss: u128) -> [u128; 6] {
    let mut left = loss;
    let mut out = [0u128; 6];
    for (i, cap) in CAPACITY.iter().enumerate() {
        out[i] = left.min(*cap);
        left -= out[i];
    }
    out[5] = left;
    out
}

fn boundaries() -> Vec<u128> {
    let mut edges = vec![1];
    let mut acc = 0;
    for cap in CAPACITY {
        acc += cap;
        edges.extend([acc - 1, acc, acc + 1]);
    }
    edges.push(50_000);
    edges
}

#[test]
fn each_layer_absorbs_in_order_at_and_across_its_boundary() {
    for settlement in [Settlement::Native, Settlement::Cw20] {
        for loss in boundaries() {
            let mut suite = suite(settlement);
            let preview = suite.preview_default("dora", loss).unwrap();
            let receipt = suite.declare_default("dora", loss).unwrap();
            let layers = receipt.layers.named().map(|(_, a)| a.u128());
            assert_eq!(layers, expected(loss), "loss {loss}");
            assert_eq!(receipt.layers.total().unwrap().u128(), loss);
            // The preview is the receipt, but for the id it has not got yet.
            assert_eq!(
                clearing_types::fund::DefaultReceipt {
                    id: receipt.id,
                    ..preview
                },
                receipt,
                "preview matches, loss {loss}"
            );
            // Layers 1–4 reach the loss recipient at once.
            let paid: u128 = layers[..4].iter().sum();
            assert_eq!(
                suite.balance(&suite.loss_recipient.clone()),
                paid,
                "loss {loss}"
            );
            // Layer 4 is shared pro rata to balance: sam 3/5, sue 2/5.
            let (sam, sue) = (suite.fund_member("sam"), suite.fund_member("sue"));
            let taken = layers[3];
            assert!(sam.balance.u128() + sue.balance.u128() <= 500 - taken);
            assert!(300 - sam.balance.u128() >= taken * 3 / 5);
            assert!(300 - sam.balance.u128() <= taken * 3 / 5 + 1);
            // Layer 5 is spread pro rata to required contribution, rounded up.
            let a = layers[4];
            assert_eq!(
                sam.assessment_owed.u128(),
                (a * 300).div_ceil(500),
                "loss {loss}"
            );
            assert_eq!(
                sue.assessment_owed.u128(),
                (a * 200).div_ceil(500),
                "loss {loss}"
            );
            let state = suite.fund_state();
            assert_eq!(state.sitg.u128(), 500 - layers[2]);
            assert_eq!(state.uncovered_total.u128(), layers[5]);
            suite.assert_conservation();
        }
    }
}

#[test]
fn a_loss_inside_the_margin_leaves_the_rest_frozen_for_the_defaulter() {
    let mut suite = suite(Settlement::Native);
    let r = suite.declare_default("dora", 400).unwrap();
    assert_eq!(r.layers.defaulter_margin.u128(), 400);
    assert_eq!(suite.vault_member("dora").balance.u128(), 600);
    let dora = suite.fund_member("dora");
    assert_eq!(
        (dora.status, dora.balance.u128(), dora.released.u128()),
        (MemberStatus::Defaulted, 0, 200)
    );
    // The defaulter's contribution leaves the pool: survivors are untouched.
    assert_eq!(suite.fund_state().total_contributions.u128(), 500);
    assert_eq!(suite.fund_state().released_pending.u128(), 200);
    suite.assert_conservation();
}

#[test]
fn the_receipt_is_emitted_and_the_history_is_queryable() {
    let mut suite = suite(Settlement::Native);
    let engine = suite.risk_engine.clone();
    let dora = suite.addr("dora");
    let res = suite
        .execute_fund(
            &engine,
            &ExecuteMsg::DeclareDefault {
                member: dora.to_string(),
                loss: Uint128::new(2_500),
            },
        )
        .unwrap();
    let event = res
        .events
        .iter()
        .find(|e| {
            e.attributes
                .iter()
                .any(|a| a.key == "action" && a.value == "declare_default")
        })
        .expect("a declare_default event");
    let attr = |k: &str| {
        event
            .attributes
            .iter()
            .find(|a| a.key == k)
            .map(|a| a.value.clone())
            .unwrap()
    };
    let layers = expected(2_500);
    for (i, name) in [
        "defaulter_margin",
        "defaulter_contribution",
        "sitg",
        "mutual_fund",
        "assessments",
        "uncovered",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(attr(name), layers[i].to_string(), "{name}");
    }
    assert_eq!(attr("loss"), "2500");
    assert_eq!(attr("default_id"), "1");
    let history = suite.defaults();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].id,
            history[0].member.clone(),
            history[0].loss.u128()
        ),
        (1, dora, 2_500)
    );
    assert!(history[0].assessment_due.is_some());
    let one: clearing_types::fund::DefaultReceipt = suite.query_fund(&QueryMsg::Default { id: 1 });
    assert_eq!(one, history[0]);
}

#[test]
fn only_the_risk_engine_or_governance_declares() {
    let mut suite = suite(Settlement::Native);
    let dora = suite.addr("dora").to_string();
    for sender in [
        suite.addr("sam"),
        suite.operator.clone(),
        suite.loss_recipient.clone(),
        suite.vault.clone(),
    ] {
        let msg = ExecuteMsg::DeclareDefault {
            member: dora.clone(),
            loss: Uint128::new(10),
        };
        let err = suite.refused(|s| s.execute_fund(&sender, &msg));
        assert!(matches!(
            contract_error::<ContractError>(&err),
            ContractError::Unauthorized { .. }
        ));
    }
    let gov = suite.governor();
    suite
        .execute_fund(
            &gov,
            &ExecuteMsg::DeclareDefault {
                member: dora,
                loss: Uint128::new(10),
            },
        )
        .unwrap();
}

#[test]
fn bad_declarations_are_refused_without_change() {
    let mut suite = suite(Settlement::Native);
    let engine = suite.risk_engine.clone();
    let cases: Vec<(String, u128)> = vec![
        (suite.addr("dora").to_string(), 0),
        (suite.addr("nobody").to_string(), 10),
        ("not-an-address".to_string(), 10),
    ];
    for (member, loss) in cases {
        let msg = ExecuteMsg::DeclareDefault {
            member,
            loss: Uint128::new(loss),
        };
        suite.refused(|s| s.execute_fund(&engine, &msg));
    }
    suite.declare_default("dora", 10).unwrap();
    let err = suite.refused(|s| s.declare_default("dora", 10));
    assert!(matches!(
        contract_error::<ContractError>(&err),
        ContractError::MemberInDefault { .. }
    ));
}

#[test]
fn a_loss_near_u128_max_is_recorded_as_uncovered() {
    let mut suite = suite(Settlement::Native);
    let r = suite.declare_default("dora", u128::MAX).unwrap();
    assert_eq!(
        r.layers.uncovered.u128(),
        u128::MAX - CAPACITY.iter().sum::<u128>()
    );
    assert_eq!(r.layers.total().unwrap().u128(), u128::MAX);
    suite.assert_conservation();
}

#[test]
fn a_default_wipes_out_the_mutual_fund_and_new_contributions_start_fresh() {
    let mut suite = suite(Settlement::Native);
    suite.declare_default("dora", 2_200).unwrap();
    assert_eq!(suite.fund_state().total_contributions.u128(), 0);
    assert_eq!(suite.fund_member("sam").balance.u128(), 0);
    suite.contribute("sam", 70).unwrap();
    assert_eq!(suite.fund_member("sam").balance.u128(), 70);
    assert_eq!(suite.fund_member("sue").balance.u128(), 0);
    suite.assert_conservation();
}

#[test]
fn the_defaulter_owes_nothing_of_its_own_default_or_later_ones() {
    // Found by the property test: the defaulter's required contribution
    // used to stay on its record and accrue the very assessment it caused.
    let mut suite = suite(Settlement::Native);
    suite.declare_default("dora", 2_500).unwrap();
    let dora = suite.fund_member("dora");
    assert_eq!(
        (
            dora.assessment_owed.u128(),
            dora.required_contribution.u128()
        ),
        (0, 0)
    );
    suite.declare_default("sam", 20_000).unwrap();
    assert_eq!(suite.fund_member("dora").assessment_owed.u128(), 0);
    assert_eq!(suite.fund_member("sam").assessment_owed.u128(), 0);
}
