//! Declaring a default: every waterfall layer inside, at and across its
//! boundary, the receipt and history, the preview, and who may declare
//! (SPEC v2 §3).

use clearing_suite::fund_flows::{attr, both, exact, fund_err, DAY};
use clearing_suite::{Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{DefaultReceipt, ExecuteMsg, FundParams, MemberStatus, QueryMsg};
use clearing_types::ratio::Ratio;
use cosmwasm_std::{Decimal, Decimal256, Uint128};
use default_fund::ContractError;

/// min 100, rate 10%, multiple 2. Required contributions (v2: min + rate ×
/// required margin): dora 100 + 100 = 200, sam 100 + 300 = 400, sue 100 +
/// 200 = 300; `B` without dora = 700.
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

/// Layer capacities: dora's margin 1000, her own balance 200 (no fees), SITG
/// 500, the survivors' balances 300 + 200, assessments 2 × B = 2 × 700.
const CAPACITY: [u128; 5] = [1_000, 200, 500, 500, 1_400];
/// Layers 1–3: a loss up to here reaches no survivor.
const OWN_AND_SITG: u128 = 1_000 + 200 + 500;

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
    both(|settlement| {
        for loss in boundaries() {
            let mut suite = suite(settlement);
            let preview = suite.preview_default("dora", loss).unwrap();
            let receipt = suite.declare_default("dora", loss).unwrap();
            let layers = receipt.layers.named().map(|(_, a)| a.u128());
            assert_eq!(layers, expected(loss), "loss {loss}");
            assert_eq!(receipt.layers.total().unwrap().u128(), loss);
            assert_eq!(
                (
                    receipt.close_out_loss.u128(),
                    receipt.unpaid_assessments.u128()
                ),
                (loss, 0)
            );
            // The preview is the receipt, but for the id and the declarer.
            assert_eq!(
                DefaultReceipt {
                    id: receipt.id,
                    declared_by: receipt.declared_by.clone(),
                    ..preview
                },
                receipt,
                "preview matches, loss {loss}"
            );
            assert_eq!(receipt.declared_by, "risk_engine");
            // Layers 1–4 reach the loss recipient at once.
            let paid: u128 = layers[..4].iter().sum();
            assert_eq!(suite.recipient_wallet(), paid, "loss {loss}");
            // Layer 4, pro rata to balance, each rounded down once:
            // sam keeps 300 × (500 − t) / 500, sue 200 × (500 − t) / 500.
            let (sam, sue) = (suite.fund_member("sam"), suite.fund_member("sue"));
            let kept = 500 - layers[3];
            assert_eq!(sam.balance.u128(), 300 * kept / 500, "loss {loss}");
            assert_eq!(sue.balance.u128(), 200 * kept / 500, "loss {loss}");
            // Layer 5, pro rata to required contribution, rounded up:
            // sam ⌈400 A / 700⌉, sue ⌈300 A / 700⌉.
            let a = layers[4];
            assert_eq!(sam.assessment_owed.u128(), (a * 400).div_ceil(700));
            assert_eq!(sue.assessment_owed.u128(), (a * 300).div_ceil(700));
            assert_eq!(
                receipt.assessment_due,
                (a > 0).then(|| suite.app.block_info().time.plus_seconds(DAY))
            );
            // The rest of dora's own balance is held for her.
            assert_eq!(suite.fund_member("dora").held.u128(), 200 - layers[1]);
            // Only a loss past layers 1–3 opens a cooling-off period (v2).
            assert_eq!(receipt.opened_cooling_off, loss > OWN_AND_SITG, "{loss}");
            let state = suite.fund_state();
            assert_eq!(state.cooling_off_open, loss > OWN_AND_SITG);
            assert_eq!(state.sitg.u128(), 500 - layers[2]);
            assert_eq!(
                state.uncovered_total,
                cosmwasm_std::Uint256::from(layers[5])
            );
            suite.assert_conservation();
        }
    });
}

#[test]
fn a_loss_inside_the_margin_leaves_the_rest_frozen_for_the_defaulter() {
    both(|s| {
        let mut suite = suite(s);
        let r = suite.declare_default("dora", 400).unwrap();
        assert_eq!(r.layers.defaulter_margin.u128(), 400);
        assert_eq!(suite.margin("dora"), 600);
        let dora = suite.fund_member("dora");
        assert_eq!(
            (dora.status, dora.balance.u128(), dora.held.u128()),
            (MemberStatus::Defaulted, 0, 200)
        );
        // The defaulter's contribution leaves the pool: survivors are untouched.
        let state = suite.fund_state();
        assert_eq!(state.total_contributions.u128(), 500);
        assert_eq!(state.held.u128(), 200);
        assert!(!state.cooling_off_open);
        suite.assert_conservation();
    });
}

#[test]
fn layer_two_takes_the_defaulters_unclaimed_fees_too() {
    both(|settlement| {
        let mut suite = suite(settlement);
        // 700 of fees over a pool of 700: dora earns 200, sam 300, sue 200.
        suite.distribute_fees(700).unwrap();
        assert_eq!(suite.fund_member("dora").fees_claimable.u128(), 200);
        // 1,350: margin 1,000, then 350 of dora's 200 balance + 200 fees; 50 held.
        let r = suite.declare_default("dora", 1_350).unwrap();
        assert_eq!(
            r.layers.named().map(|(_, a)| a.u128()),
            [1_000, 350, 0, 0, 0, 0]
        );
        let dora = suite.fund_member("dora");
        assert_eq!((dora.held.u128(), dora.fees_claimable.u128()), (50, 0));
        let state = suite.fund_state();
        // Her fees left the unclaimed total: 700 − 200.
        assert_eq!(state.fees_unclaimed.u128(), 500);
        assert_eq!(state.held.u128(), 50);
        assert_eq!(suite.recipient_wallet(), 1_350);
        suite.assert_conservation();
        // Closed, she takes out the 50 held for her.
        suite.close_default("dora").unwrap();
        suite.claim_released("dora").unwrap();
        assert_eq!(suite.balance_of("dora"), 50);
        suite.assert_conservation();
    });
}

#[test]
fn the_receipt_is_emitted_and_the_history_is_queryable() {
    both(|s| {
        let mut suite = suite(s);
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
        let receipt_attr = |k: &str| attr(&res, "wasm-default", k).unwrap_or_else(|| panic!("{k}"));
        // 2,500: margin 1,000, own 200, SITG 500, mutual fund 500, assessments 300.
        let layers = expected(2_500);
        assert_eq!(layers, [1_000, 200, 500, 500, 300, 0]);
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
            assert_eq!(receipt_attr(name), layers[i].to_string(), "{name}");
        }
        assert_eq!(receipt_attr("loss"), "2500");
        assert_eq!(receipt_attr("close_out_loss"), "2500");
        assert_eq!(receipt_attr("unpaid_assessments"), "0");
        assert_eq!(receipt_attr("default_id"), "1");
        assert_eq!(receipt_attr("member"), dora.to_string());
        assert_eq!(receipt_attr("declared_by"), "risk_engine");
        assert_eq!(receipt_attr("opened_cooling_off"), "true");
        assert_eq!(receipt_attr("held_for_defaulter"), "0");
        // B = 700; the rate 300 / 700 shown with 18 decimals, rounded up.
        assert_eq!(receipt_attr("assessment_base"), "700");
        assert_eq!(receipt_attr("assessment_rate"), exact(300, 700).to_string());
        assert_eq!(receipt_attr("rate_used"), exact(300, 700).to_string());
        let now = suite.now();
        assert_eq!(receipt_attr("assessment_due"), (now + DAY).to_string());
        assert_eq!(
            receipt_attr("cooling_off_ends"),
            (now + 28 * DAY).to_string()
        );
        let history = suite.defaults();
        assert_eq!(history.len(), 1);
        let h = &history[0];
        assert_eq!((h.id, h.member.clone(), h.loss.u128()), (1, dora, 2_500));
        assert_eq!(h.assessment_base, Decimal256::from_ratio(700u128, 1u128));
        assert_eq!(h.assessment_rate, exact(300, 700));
        assert!(h.opened_cooling_off && !h.closed);
        let one: DefaultReceipt = suite.query_fund(&QueryMsg::Default { id: 1 });
        assert_eq!(one, *h);
        let of: Option<DefaultReceipt> = suite.query_fund(&QueryMsg::DefaultOf {
            member: suite.addr("dora").to_string(),
        });
        assert_eq!(of.as_ref(), Some(h));
    });
}

#[test]
fn only_the_risk_engine_or_governance_declares() {
    both(|s| {
        let mut suite = suite(s);
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
            assert_eq!(
                *fund_err(&err),
                ContractError::Unauthorized {
                    action: "declare a default".to_string(),
                    sender: sender.to_string()
                }
            );
        }
        let r = suite.declare_default_by_governance("dora", 10).unwrap();
        assert_eq!(r.declared_by, "governance");
        assert_eq!(r.layers.defaulter_margin.u128(), 10);
    });
}

#[test]
fn bad_declarations_are_refused_without_change() {
    both(|s| {
        let mut suite = suite(s);
        let engine = suite.risk_engine.clone();
        let nobody = suite.addr("nobody").to_string();
        let cases: Vec<(String, u128, Option<ContractError>)> = vec![
            (
                suite.addr("dora").to_string(),
                0,
                Some(ContractError::ZeroAmount {}),
            ),
            (
                nobody.clone(),
                10,
                Some(ContractError::UnknownMember { address: nobody }),
            ),
            ("not-an-address".to_string(), 10, None),
        ];
        for (member, loss, want) in cases {
            let msg = ExecuteMsg::DeclareDefault {
                member,
                loss: Uint128::new(loss),
            };
            let err = suite.refused(|s| s.execute_fund(&engine, &msg));
            match want {
                Some(want) => assert_eq!(*fund_err(&err), want),
                None => assert!(matches!(fund_err(&err), ContractError::Std(_))),
            }
        }
        suite.declare_default("dora", 10).unwrap();
        let err = suite.refused(|s| s.declare_default("dora", 10));
        assert_eq!(
            *fund_err(&err),
            ContractError::MemberInDefault {
                address: suite.addr("dora").to_string()
            }
        );
    });
}

#[test]
fn a_loss_near_u128_max_is_recorded_as_uncovered() {
    both(|s| {
        let mut suite = suite(s);
        let r = suite.declare_default("dora", u128::MAX).unwrap();
        assert_eq!(
            r.layers.uncovered.u128(),
            u128::MAX - CAPACITY.iter().sum::<u128>()
        );
        assert_eq!(r.layers.total().unwrap().u128(), u128::MAX);
        suite.assert_conservation();
    });
}

#[test]
fn a_default_wipes_out_the_mutual_fund_and_new_contributions_start_fresh() {
    both(|s| {
        let mut suite = suite(s);
        // 2,200 = margin 1,000 + own 200 + SITG 500 + the whole mutual fund 500.
        let r = suite.declare_default("dora", 2_200).unwrap();
        assert_eq!(r.layers.mutual_fund.u128(), 500);
        assert_eq!(r.layers.assessments.u128(), 0);
        assert_eq!(suite.fund_state().total_contributions.u128(), 0);
        assert_eq!(suite.stake("sam"), 0);
        suite.contribute("sam", 70).unwrap();
        assert_eq!(suite.stake("sam"), 70);
        assert_eq!(suite.stake("sue"), 0);
        assert_eq!(suite.fund_state().total_contributions.u128(), 70);
        suite.assert_conservation();
    });
}

#[test]
fn the_defaulter_owes_nothing_of_its_own_default_or_later_ones() {
    both(|s| {
        // Found by the property test: the defaulter's required contribution
        // used to stay on its record and accrue the very assessment it caused.
        let mut suite = suite(s);
        // 2,500: A = 300 over B = 700; sam ⌈400 × 300 / 700⌉ = 172, sue ⌈300 × 300 / 700⌉ = 129.
        suite.declare_default("dora", 2_500).unwrap();
        let dora = suite.fund_member("dora");
        assert_eq!(dora.assessment_owed.u128(), 0);
        assert_eq!(dora.required_contribution, Decimal256::zero());
        assert_eq!((suite.owed("sam"), suite.owed("sue")), (172, 129));
        // sam defaults in the same period: its unpaid 172 joins its loss.
        // rate_used = 3/7, B = sue's 300: cap ⌊(2 − 3/7) × 300⌋ = ⌊471.43⌋ = 471.
        let r = suite.declare_default("sam", 20_000).unwrap();
        assert_eq!(r.unpaid_assessments.u128(), 172);
        assert_eq!(r.loss.u128(), 20_172);
        assert_eq!(
            r.layers.named().map(|(_, a)| a.u128()),
            [10_000, 0, 0, 0, 471, 20_172 - 10_000 - 471]
        );
        assert_eq!(suite.fund_member("dora").assessment_owed.u128(), 0);
        assert_eq!(suite.owed("sam"), 0);
        // sue: 129 + ⌈300 × 471 / 300⌉ = 600.
        assert_eq!(suite.owed("sue"), 600);
        // rate_used is exact: 3/7 + 471/300.
        let rate_used = suite.fund_state().cooling_off.unwrap().rate_used;
        assert_eq!(
            rate_used,
            Ratio::new(3u128 * 300 + 471 * 7, 7u128 * 300).unwrap()
        );
        suite.assert_conservation();
    });
}

/// SPEC v2 §3: the defaulter is frozen (no deposits, withdrawals, claims);
/// what is left of its stake is held for it, earns no fees, bears no later
/// loss, and is claimable only once governance closes its default.
#[test]
fn the_defaulters_held_stake_is_frozen_and_bears_nothing_later() {
    both(|s| {
        let mut suite = suite(s);
        // 400 on dora's margin alone: her 200 is held, 600 of margin frozen.
        let dora_default = suite.declare_default("dora", 400).unwrap().id;
        let dora = suite.addr("dora").to_string();
        let in_default = || ContractError::MemberInDefault {
            address: dora.clone(),
        };
        // 500 of fees over the pool (sam 300, sue 200): none to dora.
        suite.distribute_fees(500).unwrap();
        assert_eq!(suite.fund_member("dora").fees_claimable.u128(), 0);
        assert_eq!(suite.fund_member("sam").fees_claimable.u128(), 300);
        // sam's 20,000: margin 10,000, his 300 + 300 of fees, SITG 500, the
        // pool's 200 (sue), 2 × 300 assessed on sue; dora's held 200 untouched.
        let r = suite.declare_default("sam", 20_000).unwrap();
        assert_eq!(
            r.layers.named().map(|(_, a)| a.u128()),
            [10_000, 600, 500, 200, 600, 20_000 - 11_900]
        );
        assert_eq!(suite.fund_member("dora").held.u128(), 200);
        assert_eq!(suite.fund_state().held.u128(), 200);
        // Frozen in the fund and the vault.
        let e = suite.refused(|s| s.claim_fees("dora"));
        assert_eq!(*fund_err(&e), in_default());
        let e = suite.refused(|s| s.request_withdrawal("dora", 1));
        assert_eq!(*fund_err(&e), in_default());
        let e = suite.refused(|s| s.request_exit("dora"));
        assert_eq!(*fund_err(&e), in_default());
        // Before the default is closed, the refusal says so (it used to say
        // there was nothing to claim, with 200 held for her).
        let e = suite.refused(|s| s.claim_released("dora"));
        assert_eq!(
            *fund_err(&e),
            ContractError::DefaultStillOpen { id: dora_default }
        );
        let e = suite.refused(|s| s.withdraw_margin("dora", 1));
        assert_eq!(
            *clearing_suite::fund_flows::vault_err(&e),
            margin_vault::ContractError::MemberInDefault {
                address: dora.clone()
            }
        );
        // Closed: the 200 and the 600 of margin are hers.
        suite.close_default("dora").unwrap();
        suite.claim_released("dora").unwrap();
        suite.withdraw_margin("dora", 600).unwrap();
        assert_eq!(suite.balance_of("dora"), 800);
        assert_eq!(suite.fund_state().held.u128(), 0);
        suite.assert_conservation();
    });
}
