//! Recoveries in reverse order (SPEC v2 §8, issue 16): money recovered
//! from a defaulter's estate, recorded against its closed default, goes
//! back layer by layer — the assessment layer pro rata to `rc / B`
//! (cancelling what a member still owes for that default first, that part
//! paid to the loss recipient), the mutual-fund layer pro rata to what each
//! lost in it, the SITG tranche, the uncovered layer (back to the loss
//! recipient who bore it), the defaulter's own layers (held for it), and
//! what is beyond the loss to the defaulter — with per-layer figures in the
//! default's record and the `wasm-recovery` event. Native and cw20.
//!
//! Since 20c75d6 members' credits are lazy: a member's settlement applies
//! the credits of the defaults it still owes a share of (cancelling the
//! share first, that part paid to the loss recipient); the others wait for
//! its `ClaimRecoveries` or its exit. A keeper's `SettleMembers` brings
//! records up to date. A defaulter's part of an earlier default whose
//! share joined its own loss is passed on to its own default.

use clearing_suite::fund_flows::{attr, both, fund_blocked, fund_err, overdue, DAY};
use clearing_suite::{Settlement, Suite, SuiteBuilder, DENOM};
use clearing_types::fund::{self, MemberStatus, Recovered};
use cosmwasm_std::{coin, Uint128};
use cw_multi_test::{AppResponse, BankSudo, Executor, SudoMsg};
use default_fund::ContractError;

fn recovered(
    assessments: u128,
    mutual_fund: u128,
    sitg: u128,
    defaulter: u128,
    excess: u128,
) -> Recovered {
    Recovered {
        assessments: Uint128::new(assessments),
        mutual_fund: Uint128::new(mutual_fund),
        sitg: Uint128::new(sitg),
        uncovered: Uint128::zero(),
        defaulter: Uint128::new(defaulter),
        excess: Uint128::new(excess),
        last_at: None,
    }
}

/// A receipt's recovered figures without the time of the last recovery.
fn strip(r: Recovered) -> Recovered {
    Recovered { last_at: None, ..r }
}

/// The `wasm-recovery` event's figures, in the order the event names them.
fn recovery_event(res: &AppResponse) -> Vec<(String, String)> {
    let e = res
        .events
        .iter()
        .find(|e| e.ty == "wasm-recovery")
        .expect("a wasm-recovery event");
    e.attributes
        .iter()
        .filter(|a| a.key != "_contract_address")
        .map(|a| (a.key.clone(), a.value.clone()))
        .collect()
}

fn event(suite: &Suite, amount: u128, r: &Recovered, now: &Recovered) -> Vec<(String, String)> {
    [
        ("default_id", "1".to_string()),
        ("member", suite.addr("d").to_string()),
        ("amount", amount.to_string()),
        ("assessments", r.assessments.to_string()),
        ("mutual_fund", r.mutual_fund.to_string()),
        ("sitg", r.sitg.to_string()),
        ("uncovered", r.uncovered.to_string()),
        ("defaulter", r.defaulter.to_string()),
        ("excess", r.excess.to_string()),
        ("recovered_total", now.total().unwrap().to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn check(suite: &Suite) {
    suite.assert_conservation();
    suite.assert_books_match_tokens();
}

/// A keeper's `SettleMembers`: brings the records up to date, so that
/// credits cancel the shares still owed (paid to the loss recipient) and
/// the participations the member query reads are saved.
fn settle(suite: &mut Suite, names: &[&str]) -> AppResponse {
    let members = names.iter().map(|n| suite.addr(n).to_string()).collect();
    let keeper = suite.addr("keeper");
    suite
        .execute_fund(&keeper, &fund::ExecuteMsg::SettleMembers { members })
        .unwrap()
}

/// min 100, rate 10 %, multiple 2, SITG 1,000.
///   d: margin 1,000, rm 2,000, balance 300 (the defaulter)
///   a: rm 4,000 → rc 500, balance 600
///   b: rm 2,000 → rc 300, balance 300
///   c: rm 1,000 → rc 200, balance 200
/// `B` without d = 3 × 100 + 0.1 × 7,000 = 1,000.
fn four(settlement: Settlement) -> Suite {
    SuiteBuilder::new()
        .settlement(settlement)
        .sitg(1_000)
        .member("d", 1_000, 2_000, 300)
        .member("a", 10_000, 4_000, 600)
        .member("b", 10_000, 2_000, 300)
        .member("c", 10_000, 1_000, 200)
        .build()
}

#[test]
fn two_recoveries_credit_the_layers_in_reverse_order() {
    both(|settlement| {
        let mut suite = four(settlement);
        let lr = |s: &Suite| s.recipient_wallet();

        // d defaults on 4,033:
        //   L1 margin 1,000 → 3,033 left; L2 balance 300 → 2,733;
        //   L3 SITG 1,000 → 1,733; L4 survivors 600 + 300 + 200 = 1,100 → 633;
        //   L5 cap 2 × 1,000 = 2,000, so A = 633.
        // Shares ceil(rc × 633 / 1,000): a ceil(316.5) = 317,
        // b ceil(189.9) = 190, c ceil(126.6) = 127.
        let r = suite.declare_default("d", 4_033).unwrap();
        assert_eq!(
            [
                r.layers.defaulter_margin.u128(),
                r.layers.defaulter_contribution.u128(),
                r.layers.sitg.u128(),
                r.layers.mutual_fund.u128(),
                r.layers.assessments.u128(),
                r.layers.uncovered.u128(),
            ],
            [1_000, 300, 1_000, 1_100, 633, 0]
        );
        assert_eq!(suite.owed("a"), 317);
        assert_eq!(suite.owed("b"), 190);
        assert_eq!(suite.owed("c"), 127);
        assert_eq!(lr(&suite), 3_400); // layers 1–4
        suite.pay_assessment("a").unwrap();
        suite.pay_assessment("b").unwrap();
        assert_eq!(lr(&suite), 3_907);
        // b tops up its requirement and gives notice; c neither pays nor tops up.
        suite.contribute("b", 300).unwrap();
        suite.request_exit("b").unwrap();
        check(&suite);

        // Not while the default is open.
        let lr_addr = suite.loss_recipient.clone();
        suite.mint(&lr_addr, 400).unwrap();
        let e = suite.refused(|s| s.pay_recovery_from(&lr_addr, 1, 400));
        assert_eq!(fund_err(&e), &ContractError::DefaultStillOpen { id: 1 });
        suite.close_default("d").unwrap();

        // R1 = 400, all in the assessment layer (633 bore it):
        //   a floor(0.5 × 400) = 200, b floor(0.3 × 400) = 120 (both paid:
        //   claimable); c floor(0.2 × 400) = 80 cancels 80 of its 127.
        let res = suite.pay_recovery_from(&lr_addr, 1, 400).unwrap();
        let r1 = recovered(400, 0, 0, 0, 0);
        assert_eq!(recovery_event(&res), event(&suite, 400, &r1, &r1));
        assert_eq!(strip(suite.default_receipt(1).recovered), r1);
        assert_eq!(suite.fund_member("a").recovered.u128(), 200);
        assert_eq!(suite.fund_member("b").recovered.u128(), 120);
        assert_eq!(suite.fund_member("c").recovered.u128(), 0);
        assert_eq!(suite.owed("c"), 47);
        assert_eq!(suite.fund_state().recoveries_held.u128(), 400);
        check(&suite);

        // a claims its 200, once.
        let before = suite.balance_of("a");
        suite.claim_recoveries("a").unwrap();
        assert_eq!(suite.balance_of("a") - before, 200);
        let e = suite.refused(|s| s.claim_recoveries("a"));
        assert_eq!(fund_err(&e), &ContractError::NothingToClaim {});
        // c has nothing to claim: its credit went to what it owed.
        let e = suite.refused(|s| s.claim_recoveries("c"));
        assert_eq!(fund_err(&e), &ContractError::NothingToClaim {});
        // When c next settles (topping up its requirement), the 80 it no
        // longer owes is paid to the loss recipient from the recovery.
        suite.contribute("c", 200).unwrap();
        assert_eq!(lr(&suite), 3_907 + 80);
        assert_eq!(suite.fund_state().recoveries_held.u128(), 120);
        check(&suite);

        // After the notice and the cooling-off period, b leaves with its
        // balance and its recovery credit: 300 + 0 fees + 120.
        suite.advance(28 * DAY);
        let before = suite.balance_of("b");
        suite.exit_with_margin("b").unwrap();
        assert_eq!(suite.balance_of("b") - before, 300 + 120 + 10_000);
        assert_eq!(suite.fund_member("b").status, MemberStatus::Exited);
        assert_eq!(suite.fund_state().recoveries_held.u128(), 0);
        check(&suite);

        // R2 = 4,133 by the risk engine: what is left of the loss
        // (4,033 − 400 = 3,633) and 500 beyond it:
        //   assessments 633 − 400 = 233, mutual fund 1,100, SITG 1,000,
        //   the defaulter's layers 1,000 + 300 = 1,300, beyond 500.
        let engine = suite.risk_engine.clone();
        let res = suite.record_recovery_from(&engine, 1, 4_133).unwrap();
        let credit = recovered(233, 1_100, 1_000, 1_300, 500);
        let total = recovered(633, 1_100, 1_000, 1_300, 500);
        assert_eq!(recovery_event(&res), event(&suite, 4_133, &credit, &total));
        assert_eq!(strip(suite.default_receipt(1).recovered), total);
        assert_eq!(strip(suite.defaults()[0].recovered.clone()), total);
        let of_d: Option<fund::DefaultReceipt> = suite.query_fund(&fund::QueryMsg::DefaultOf {
            member: suite.addr("d").to_string(),
        });
        assert_eq!(strip(of_d.unwrap().recovered), total);
        // Assessment layer, cumulative 633: a floor(316.5) = 316 (+116),
        // b floor(189.9) = 189 (+69), c floor(126.6) = 126 (+46, which
        // cancels 46 of its 47: it still owes 1).
        // Mutual-fund layer, 1,100 pro rata to 600 : 300 : 200 lost.
        // A keeper settles c (it still owes a share of the default): the
        // 46 its credit cancels goes to the loss recipient at once. (The
        // query counts c's credit twice without this settlement:
        // `bug_a_members_query_counts_a_cancelled_credit_again`.)
        let res = settle(&mut suite, &["c"]);
        assert_eq!(attr(&res, "wasm", "open_obligations").unwrap(), "1");
        assert_eq!(lr(&suite), 3_987 + 46);
        assert_eq!(suite.fund_member("a").recovered.u128(), 116 + 600);
        assert_eq!(suite.fund_member("b").recovered.u128(), 69 + 300);
        assert_eq!(suite.fund_member("c").recovered.u128(), 200);
        assert_eq!(suite.owed("c"), 1);
        // SITG back in the tranche; the defaulter's part held for it.
        assert_eq!(suite.fund_state().sitg.u128(), 1_000);
        assert_eq!(suite.fund_member("d").held.u128(), 1_800);
        assert_eq!(suite.fund_state().held.u128(), 1_800);
        assert_eq!(suite.fund_state().recoveries_held.u128(), 233 + 1_100 - 46);
        check(&suite);

        // a's balance went in layer 4: its shortfall (its whole 500
        // requirement) has been overdue since day 7, and nothing leaves the
        // fund while something is overdue (since 20c75d6, claims included):
        // it tops up first.
        let e = suite.refused(|s| s.claim_recoveries("a"));
        assert_eq!(fund_err(&e), &fund_blocked(overdue(0, 500)));
        suite.contribute("a", 500).unwrap();
        // c still owes 1, overdue since day 1: it pays before it claims.
        let e = suite.refused(|s| s.claim_recoveries("c"));
        assert_eq!(fund_err(&e), &fund_blocked(overdue(1, 0)));
        suite.pay_assessment("c").unwrap();
        assert_eq!(lr(&suite), 4_033 + 1);
        // Every beneficiary collects, the one who left included.
        for (name, amount) in [("a", 716u128), ("b", 369), ("c", 200)] {
            let before = suite.balance_of(name);
            suite.claim_recoveries(name).unwrap();
            assert_eq!(suite.balance_of(name) - before, amount, "{name}");
            let e = suite.refused(|s| s.claim_recoveries(name));
            assert_eq!(fund_err(&e), &ContractError::NothingToClaim {});
        }
        // Claims pay members only: the loss recipient had c's 46 already.
        assert_eq!(lr(&suite), 4_033 + 1);
        // What the floors left of the assessment layer (633 − 631) stays
        // in the books as dust, never paid twice.
        assert_eq!(suite.fund_state().recoveries_held.u128(), 2);
        let before = suite.balance_of("d");
        suite.claim_released("d").unwrap();
        assert_eq!(suite.balance_of("d") - before, 1_800);
        let e = suite.refused(|s| s.claim_released("d"));
        assert_eq!(fund_err(&e), &ContractError::NothingToClaim {});
        assert_eq!(suite.fund_member("d").status, MemberStatus::Closed);
        check(&suite);

        // Anything more is beyond the loss: the defaulter's.
        let res = suite.record_recovery(1, 10).unwrap();
        assert_eq!(attr(&res, "wasm-recovery", "excess").unwrap(), "10");
        assert_eq!(suite.fund_member("d").held.u128(), 10);
        assert_eq!(
            strip(suite.default_receipt(1).recovered),
            recovered(633, 1_100, 1_000, 1_300, 510)
        );
        check(&suite);
    });
}

#[test]
fn credits_within_the_mutual_fund_layer_round_down_once_on_the_cumulative_amount() {
    both(|settlement| {
        let mut suite = four(settlement);
        // d defaults on 2,850: L1 1,000, L2 300, L3 1,000, L4 550 of the
        // survivors' 1,100: each keeps half (a 300, b 150, c 100).
        let r = suite.declare_default("d", 2_850).unwrap();
        assert_eq!(r.layers.mutual_fund.u128(), 550);
        assert_eq!(r.layers.assessments.u128(), 0);
        assert_eq!(suite.stake("a"), 300);
        suite.close_default("d").unwrap();
        // 500 pro rata to what each lost (300 : 150 : 100, as the
        // balances 600 : 300 : 200 they held of 1,100):
        // a floor(600 × 500 / 1,100) = floor(272.7) = 272,
        // b floor(136.4) = 136, c floor(90.9) = 90 (2 left as dust).
        suite.record_recovery(1, 500).unwrap();
        // Nobody has settled since the default: a keeper brings the records
        // up to date so that the query shows the credits (it shows none
        // before: `bug_a_members_query_omits_credits_until_its_record_is_settled`).
        settle(&mut suite, &["a", "b", "c"]);
        let got: Vec<u128> = ["a", "b", "c"]
            .iter()
            .map(|n| suite.fund_member(n).recovered.u128())
            .collect();
        assert_eq!(got, vec![272, 136, 90]);
        check(&suite);
        // 50 more: cumulative 550, each credit is floor(share × 550) less
        // what it already had: a 300 − 272, b 150 − 136, c 100 − 90. The
        // rounding does not drift: the layer is repaid exactly.
        suite.record_recovery(1, 50).unwrap();
        let got: Vec<u128> = ["a", "b", "c"]
            .iter()
            .map(|n| suite.fund_member(n).recovered.u128())
            .collect();
        assert_eq!(got, vec![300, 150, 100]);
        assert_eq!(suite.fund_state().recoveries_held.u128(), 550);
        // Then the SITG tranche.
        let res = suite.record_recovery(1, 100).unwrap();
        assert_eq!(attr(&res, "wasm-recovery", "sitg").unwrap(), "100");
        assert_eq!(attr(&res, "wasm-recovery", "mutual_fund").unwrap(), "0");
        assert_eq!(suite.fund_state().sitg.u128(), 100);
        assert_eq!(
            strip(suite.default_receipt(1).recovered),
            recovered(0, 550, 100, 0, 0)
        );
        // A member admitted after the default bore nothing and gets nothing.
        suite.add_member("late", 1_000).unwrap();
        suite.contribute("late", 200).unwrap();
        suite.record_recovery(1, 900).unwrap();
        assert_eq!(suite.fund_member("late").recovered.u128(), 0);
        // 900 more: SITG 900 (to its 1,000), nothing else.
        assert_eq!(suite.fund_state().sitg.u128(), 1_000);
        check(&suite);
    });
}

#[test]
fn a_recovery_first_cancels_what_is_still_owed_for_that_default_only() {
    both(|settlement| {
        let mut suite = SuiteBuilder::new()
            .settlement(settlement)
            .member("d1", 0, 1_000, 0)
            .member("d2", 0, 1_000, 0)
            .member("a", 100_000, 4_000, 0)
            .member("b", 100_000, 4_000, 0)
            .build();
        // No balances, no SITG: each default is all assessments.
        // d1 on 600: B = 3 × 100 + 0.1 × 9,000 = 1,200; a and b owe
        // ceil(500 × 600 / 1,200) = 250 each, d2 ceil(200 × 0.5) = 100.
        suite.declare_default("d1", 600).unwrap();
        assert_eq!(suite.owed("a"), 250);
        // d2 on 200 (plus its unpaid 100 = 300): B = 2 × 100 + 0.1 × 8,000
        // = 1,000; a and b owe ceil(500 × 300 / 1,000) = 150 more each.
        let r2 = suite.declare_default("d2", 200).unwrap();
        assert_eq!(r2.loss.u128(), 300);
        assert_eq!(suite.owed("a"), 400);
        suite.close_default("d1").unwrap();
        // 300 recovered on default 1, all in its assessment layer (600):
        //   a's credit floor(500 / 1,200 × 300) = 125 cancels 125 of its 250
        //   for default 1, not its 150 for default 2 (b the same);
        //   d2's part, floor(200 / 1,200 × 300) = 50, is the recovery of a
        //   share it never paid: that share joined d2's own loss and a and b
        //   bore it in default 2, so the 50 is passed on to default 2 (its
        //   assessment layer first), not credited to d2 (since 20c75d6; it
        //   used to be d2's, claimable once its default closed).
        //   Default 2's 50: a and b floor(500 / 1,000 × 50) = 25 each, which
        //   cancels 25 of what each owes for default 2.
        let lr = suite.recipient_wallet();
        let res = suite.record_recovery(1, 300).unwrap();
        let events: Vec<(String, String, String)> = res
            .events
            .iter()
            .filter(|e| e.ty == "wasm-recovery")
            .map(|e| {
                let get = |k: &str| {
                    e.attributes
                        .iter()
                        .find(|a| a.key == k)
                        .map(|a| a.value.clone())
                        .unwrap()
                };
                (get("default_id"), get("amount"), get("assessments"))
            })
            .collect();
        let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(events, vec![t("1", "300", "300"), t("2", "50", "50")]);
        assert_eq!(
            strip(suite.default_receipt(1).recovered),
            recovered(300, 0, 0, 0, 0)
        );
        assert_eq!(
            strip(suite.default_receipt(2).recovered),
            recovered(50, 0, 0, 0, 0)
        );
        for name in ["a", "b"] {
            let m = suite.fund_member(name);
            let owed: Vec<(u64, u128)> = m
                .obligations
                .iter()
                .map(|o| (o.default_id, o.amount.u128()))
                .collect();
            assert_eq!(owed, vec![(1, 125), (2, 125)], "{name}");
            assert_eq!(m.recovered.u128(), 0, "{name}");
        }
        // Nothing of it is d2's.
        assert_eq!(suite.fund_member("d2").recovered.u128(), 0);
        assert_eq!(suite.fund_member("d2").held.u128(), 0);
        let e = suite.refused(|s| s.claim_recoveries("d2"));
        assert!(matches!(
            fund_err(&e),
            ContractError::MemberInDefault { .. }
        ));
        // a pays what is left: 125 + 125 = 250; the 125 + 25 its credits
        // cancelled go to the loss recipient from the recovery in the same
        // transaction: it has a's whole 400.
        suite.pay_assessment("a").unwrap();
        assert_eq!(suite.recipient_wallet() - lr, 250 + 150);
        check(&suite);
        suite.close_default("d2").unwrap();
        let e = suite.refused(|s| s.claim_recoveries("d2"));
        assert_eq!(fund_err(&e), &ContractError::NothingToClaim {});
        // b's cancelled 150 waits for its settlement: the recovery is
        // held until then, and all of it reaches the loss recipient.
        assert_eq!(suite.fund_state().recoveries_held.u128(), 150);
        settle(&mut suite, &["b"]);
        assert_eq!(suite.recipient_wallet() - lr, 400 + 150);
        assert_eq!(suite.fund_state().recoveries_held.u128(), 0);
        assert_eq!(suite.owed("b"), 250);
        check(&suite);
    });
}

#[test]
fn only_the_risk_engine_governance_or_the_loss_recipient_record_a_recovery() {
    both(|settlement| {
        let mut suite = four(settlement);
        suite.declare_default("d", 1_500).unwrap();
        suite.close_default("d").unwrap();
        for name in ["a", "d", "stranger"] {
            let who = suite.addr(name);
            suite.mint(&who, 10).unwrap();
            let e = suite.refused(|s| s.pay_recovery_from(&who, 1, 10));
            assert!(
                matches!(fund_err(&e), ContractError::Unauthorized { .. }),
                "{name}"
            );
        }
        let operator = suite.operator.clone();
        suite.mint(&operator, 10).unwrap();
        let e = suite.refused(|s| s.pay_recovery_from(&operator, 1, 10));
        assert!(matches!(fund_err(&e), ContractError::Unauthorized { .. }));
        // L 1,500 = margin 1,000 + balance 300 + SITG 200: recoveries go to
        // the SITG tranche first (no member layer), then the defaulter.
        let engine = suite.risk_engine.clone();
        let gov = suite.governor();
        let lr = suite.loss_recipient.clone();
        for who in [engine, gov, lr] {
            suite.record_recovery_from(&who, 1, 100).unwrap();
        }
        assert_eq!(
            strip(suite.default_receipt(1).recovered),
            recovered(0, 0, 200, 100, 0)
        );
        assert_eq!(suite.fund_state().sitg.u128(), 1_000);
        check(&suite);
    });
}

#[test]
fn recoveries_for_unknown_or_open_defaults_and_bad_payments_are_refused() {
    both(|settlement| {
        let mut suite = four(settlement);
        let lr = suite.loss_recipient.clone();
        suite.mint(&lr, 1_000).unwrap();
        let e = suite.refused(|s| s.pay_recovery_from(&lr, 1, 10));
        assert_eq!(fund_err(&e), &ContractError::UnknownDefault { id: 1 });
        suite.declare_default("d", 1_500).unwrap();
        let e = suite.refused(|s| s.pay_recovery_from(&lr, 1, 10));
        assert_eq!(fund_err(&e), &ContractError::DefaultStillOpen { id: 1 });
        suite.close_default("d").unwrap();
        let e = suite.refused(|s| s.pay_recovery_from(&lr, 2, 10));
        assert_eq!(fund_err(&e), &ContractError::UnknownDefault { id: 2 });
        let fund = suite.fund.clone();
        let msg = fund::ExecuteMsg::RecordRecovery { default_id: 1 };
        // No funds at all.
        let e = suite.refused(|s| s.app.execute_contract(lr.clone(), fund.clone(), &msg, &[]));
        assert!(matches!(
            fund_err(&e),
            ContractError::Asset(_) | ContractError::Payment(_)
        ));
        if settlement == Settlement::Native {
            // A wrong denom, alone or beside the right one.
            suite
                .app
                .sudo(SudoMsg::Bank(BankSudo::Mint {
                    to_address: lr.to_string(),
                    amount: vec![coin(10, "uatom")],
                }))
                .unwrap();
            for funds in [
                vec![coin(10, "uatom")],
                vec![coin(10, "uatom"), coin(10, DENOM)],
            ] {
                let e = suite.refused(|s| {
                    s.app
                        .execute_contract(lr.clone(), fund.clone(), &msg, &funds)
                });
                assert!(matches!(fund_err(&e), ContractError::Asset(_)));
            }
        } else {
            // Native coins on a cw20 deployment.
            suite
                .app
                .sudo(SudoMsg::Bank(BankSudo::Mint {
                    to_address: lr.to_string(),
                    amount: vec![coin(10, DENOM)],
                }))
                .unwrap();
            let e = suite.refused(|s| {
                s.app
                    .execute_contract(lr.clone(), fund.clone(), &msg, &[coin(10, DENOM)])
            });
            assert!(matches!(fund_err(&e), ContractError::Asset(_)));
        }
        check(&suite);
    });
}

/// A default with an uncovered part (layer 6): recovering exactly the loss
/// `L`. SPEC v2 §8: "... then the defaulter's own layers (held for it),
/// and anything beyond its loss to the defaulter". A recovery of exactly
/// `L` is not beyond the loss, so the defaulter gets back its own layers
/// 1–2 and nothing more; the part of `L` nobody covered (recorded in
/// `uncovered`) was borne by the loss recipient, and is repaid to it after
/// the SITG tranche and before the defaulter's layers (§8 is silent on
/// layer 6; the lead's rule since 20c75d6, which fixed
/// `bug_a_recovery_within_an_uncovered_loss_is_not_the_defaulters`: the
/// uncovered part used to reach the defaulter as `excess`).
#[test]
fn a_recovery_repays_the_uncovered_layer_to_the_loss_recipient_before_the_defaulter() {
    let mut suite = SuiteBuilder::new()
        .member("d", 1_000, 2_000, 300)
        .member("a", 0, 4_000, 0)
        .build();
    // L = 3,300: L1 1,000, L2 300, no SITG, no balances, L5 capped at
    // floor(2 × (100 + 400)) = 1,000; uncovered 1,000.
    let r = suite.declare_default("d", 3_300).unwrap();
    assert_eq!(r.layers.assessments.u128(), 1_000);
    assert_eq!(r.layers.uncovered.u128(), 1_000);
    suite.pay_assessment("a").unwrap();
    suite.close_default("d").unwrap();
    let lr = suite.recipient_wallet();
    // 3,300: assessments 1,000 (a's credit), uncovered 1,000 (to the loss
    // recipient at once), the defaulter's layers 1,000 + 300 (held).
    let res = suite.record_recovery(1, 3_300).unwrap();
    assert_eq!(attr(&res, "wasm-recovery", "uncovered").unwrap(), "1000");
    assert_eq!(attr(&res, "wasm-recovery", "excess").unwrap(), "0");
    let got = suite.default_receipt(1).recovered;
    assert_eq!(got.last_at, Some(suite.time()));
    let mut want = recovered(1_000, 0, 0, 1_300, 0);
    want.uncovered = Uint128::new(1_000);
    assert_eq!(strip(got), want);
    assert_eq!(suite.recipient_wallet() - lr, 1_000);
    assert_eq!(suite.fund_member("d").held.u128(), 1_300);
    assert_eq!(suite.fund_member("a").recovered.u128(), 1_000);
    check(&suite);
    // One more unit is beyond the loss: the defaulter's.
    let res = suite.record_recovery(1, 1).unwrap();
    assert_eq!(attr(&res, "wasm-recovery", "uncovered").unwrap(), "0");
    assert_eq!(attr(&res, "wasm-recovery", "excess").unwrap(), "1");
    assert_eq!(suite.fund_member("d").held.u128(), 1_301);
    check(&suite);
}

/// A member put in breach by an unpaid assessment share, whose whole share
/// a recovery then cancels, has nothing overdue any more: its breach ends
/// (the ledger's `settle_at` ends a breach as of the recovery that cleared
/// it). Was a bug until 20c75d6
/// (`bug_a_breach_ends_when_a_recovery_cancels_everything_overdue`: the
/// status stayed `InBreach`, and its withdrawals and exit stayed refused).
#[test]
fn a_breach_ends_when_a_recovery_cancels_everything_overdue() {
    // B without d = 3 × 100 + 0.1 × 7,000 = 1,000; d defaults on 600, all
    // assessments: c (rc 200) owes ceil(0.2 × 600) = 120, due a day later.
    let mut suite = SuiteBuilder::new()
        .member("d", 0, 2_000, 0)
        .member("a", 10_000, 4_000, 0)
        .member("b", 10_000, 2_000, 0)
        .member("c", 1_000, 1_000, 0)
        .build();
    suite.declare_default("d", 600).unwrap();
    assert_eq!(suite.owed("c"), 120);
    suite.advance(DAY);
    // c has no margin above its requirement: enforcing puts it in breach.
    suite.enforce_assessment("c").unwrap();
    assert_eq!(suite.fund_member("c").status, MemberStatus::InBreach);
    // 600 recovered: c's credit floor(0.2 × 600) = 120 cancels its share.
    suite.close_default("d").unwrap();
    suite.record_recovery(1, 600).unwrap();
    let c = suite.fund_member("c");
    assert_eq!(
        (c.assessment_owed.u128(), c.assessment_overdue.u128()),
        (0, 0)
    );
    assert_eq!(c.replenishment_overdue.u128(), 0);
    assert_eq!(
        c.status,
        MemberStatus::Active,
        "nothing is overdue, yet the member stays in breach"
    );
    // Settled, the record says so too, and the 120 reaches the loss
    // recipient.
    let lr = suite.recipient_wallet();
    settle(&mut suite, &["c"]);
    assert_eq!(suite.recipient_wallet() - lr, 120);
    assert_eq!(suite.fund_member("c").status, MemberStatus::Active);
    check(&suite);
}

/// SPEC v2 §8 ("the rest is claimable") and the lead's rule for
/// `MemberResponse.recovered` (20c75d6: "what the member could claim now,
/// including not-yet-collected credits"). Input: d defaults on 500, all in
/// the mutual-fund layer (a 600, b 400); closed; 100 recovered. Expected:
/// a's query shows floor(600 / 1,000 × 100) = 60 at once (b's claim pays
/// b its 40 at once). Found: 0 until a's record was settled, because the
/// query read the member's participations from storage only. Fixed:
/// `claimable_now` reads the participations the settlement has just
/// computed too.
#[test]
fn a_members_query_shows_credits_before_its_record_is_settled() {
    let mut suite = SuiteBuilder::new()
        .member("d", 0, 1_000, 0)
        .member("a", 1_000, 1_000, 600)
        .member("b", 1_000, 1_000, 400)
        .build();
    let r = suite.declare_default("d", 500).unwrap();
    assert_eq!(r.layers.mutual_fund.u128(), 500);
    suite.close_default("d").unwrap();
    suite.record_recovery(1, 100).unwrap();
    // What b could claim, it claims.
    let before = suite.balance_of("b");
    suite.claim_recoveries("b").unwrap();
    assert_eq!(suite.balance_of("b") - before, 40);
    let shown = suite.fund_member("a").recovered.u128();
    settle(&mut suite, &["a"]);
    let after_settlement = suite.fund_member("a").recovered.u128();
    assert_eq!(after_settlement, 60);
    assert_eq!(
        shown, 60,
        "the query showed {shown} before a's record was settled, {after_settlement} after"
    );
}

/// The same rule. Input: no balances; d defaults on 400, all assessments
/// over B = 200 + 200: a and c owe 200 each; a pays; closed. 100 is
/// recovered: c's credit floor(0.5 × 100) = 50 cancels 50 of its 200, and
/// a keeper settles c (the 50 goes to the loss recipient, c owes 150).
/// Then 300 more: cumulative 400, c's credit floor(0.5 × 400) − 50 = 150
/// cancels the rest of its share. Expected: c's query shows 0 recovered
/// (its credit went to what it owed; `ClaimRecoveries` is refused,
/// `NothingToClaim`). Found: 150, the same credit counted again from the
/// participation saved in storage before the settlement. Fixed:
/// `claimable_now` measures against the participations as the settlement
/// left them.
#[test]
fn a_members_query_never_counts_a_cancelled_credit_again() {
    let mut suite = SuiteBuilder::new()
        .member("d", 0, 1_000, 0)
        .member("a", 1_000, 1_000, 0)
        .member("c", 1_000, 1_000, 0)
        .build();
    let r = suite.declare_default("d", 400).unwrap();
    assert_eq!(r.layers.assessments.u128(), 400);
    assert_eq!((suite.owed("a"), suite.owed("c")), (200, 200));
    suite.pay_assessment("a").unwrap();
    suite.close_default("d").unwrap();
    suite.record_recovery(1, 100).unwrap();
    let lr = suite.recipient_wallet();
    settle(&mut suite, &["c"]);
    assert_eq!(suite.recipient_wallet() - lr, 50);
    assert_eq!(suite.owed("c"), 150);
    suite.record_recovery(1, 300).unwrap();
    assert_eq!(suite.owed("c"), 0);
    // a paid its share: its 200 is claimable.
    assert_eq!(suite.fund_member("a").recovered.u128(), 200);
    let e = suite.refused(|s| s.claim_recoveries("c"));
    assert_eq!(fund_err(&e), &ContractError::NothingToClaim {});
    assert_eq!(
        suite.fund_member("c").recovered.u128(),
        0,
        "c can claim nothing, yet its query shows a credit"
    );
}
