//! Every event kind of the runner reaches the contract message it stands
//! for, from the account that sends it on chain, native and cw20: one story
//! through sizing, suspension, exits, a default beyond the risk engine's
//! limit declared by governance, recoveries, shutdown and the SITG exit.
//! The figures are worked out by hand in the comments.

mod common;

use clearing_sim::Scenario;
use common::{amount, play, SETTLEMENTS};
use serde_json::{json, Value};

const STORY: &str = r#"{
 "params": {"sitg": "1000", "min_contribution": "100", "contribution_rate": "0.1", "withdrawal_notice_period": 86400,
            "risk_engine_mutualised_limit": "2000", "sizing": {"cover": 2, "max_rate_step": "0.05"}},
 "members": [
  {"id": "alice", "margin": "5000", "required_margin": "4000", "contribution": "500"},
  {"id": "bob", "margin": "3000", "required_margin": "2000", "contribution": "300"},
  {"id": "carol", "margin": "3000", "required_margin": "2000", "contribution": "300"},
  {"id": "dave", "margin": "3000", "required_margin": "2000", "contribution": "300"}
 ],
 "events": [
  {"set_exposure": {"member": "alice", "amount": "3000"}},
  {"set_exposures": [{"member": "bob", "amount": "2000"}, {"member": "carol", "amount": "1000"}]},
  {"update_params": {"sizing": {"mode": "cover"}}},
  {"recalibrate": {}},
  {"set_required_margin": {"member": "bob", "amount": "2500"}},
  {"withdraw_margin": {"member": "bob", "amount": "100"}},
  {"suspend": {"member": "carol"}},
  {"unsuspend": {"member": "carol"}},
  {"request_exit": {"member": "dave"}},
  {"force_exit": {"member": "carol"}},
  {"default": {"member": "alice", "loss": "8900"}},
  {"default": {"member": "alice", "loss": "8900", "by": "governance"}},
  {"default": {"member": "zed", "loss": "9000"}},
  {"advance": {"seconds": 86400}},
  {"enforce_replenishment": {"member": "bob"}},
  {"close_default": {"member": "alice"}},
  {"record_recovery": {"default": "alice", "amount": "500"}},
  {"record_recovery": {"default": 1, "amount": "50000"}},
  {"claim_recoveries": {"member": "bob"}},
  {"claim_released": {"member": "alice"}},
  {"fund_sitg": {"amount": "10"}},
  {"complete_exit": {"member": "dave"}},
  {"advance": {"seconds": 2419200}},
  {"contribute": {"member": "dave", "amount": "100"}},
  {"complete_exit": {"member": "dave"}},
  {"shutdown": {}},
  {"claim_recoveries": {"member": "carol"}},
  {"withdraw_sitg": {}},
  {"shutdown": {}}
 ]
}"#;

fn ok<'a>(r: &'a Value, i: usize, kind: &str) -> &'a Value {
    let e = &r["events"][i];
    assert_eq!(e["ok"], kind, "event {i}: {e}");
    e
}

fn refused(r: &Value, i: usize) -> String {
    r["events"][i]["error"]
        .as_str()
        .unwrap_or_else(|| panic!("event {i} was not refused: {}", r["events"][i]))
        .to_string()
}

#[test]
fn every_event_kind_plays_its_message() {
    let scenario = Scenario::parse(STORY).expect("a valid scenario");
    let kinds: std::collections::BTreeSet<&str> =
        scenario.events.iter().map(|e| e.kind()).collect();
    // Every kind but the SPEC v1 ones the other tests play.
    for kind in [
        "set_exposure",
        "set_exposures",
        "update_params",
        "recalibrate",
        "set_required_margin",
        "withdraw_margin",
        "suspend",
        "unsuspend",
        "request_exit",
        "force_exit",
        "default",
        "enforce_replenishment",
        "close_default",
        "record_recovery",
        "claim_recoveries",
        "claim_released",
        "fund_sitg",
        "complete_exit",
        "contribute",
        "shutdown",
        "withdraw_sitg",
    ] {
        assert!(kinds.contains(kind), "{kind} is not played");
    }
    for settlement in SETTLEMENTS {
        let r = play(&scenario, settlement);
        // Exposures 3,000 then 2,000 and 1,000: Cover-2 = 3,000 then 5,000;
        // pre-funded 1,000 SITG + 500 + 3 × 300 = 2,400: 0.8, then 0.48.
        assert_eq!(ok(&r, 0, "set_exposure")["coverage_ratio"], "0.8");
        let e = ok(&r, 1, "set_exposures");
        assert_eq!(e["total_exposure"], "6000");
        assert_eq!(e["coverage_requirement"], "5000");
        assert_eq!(e["coverage_ratio"], "0.48");
        // Cover sizing, rate 0.1: B = 4 × 100 + 0.1 × 6,000 = 1,000.
        let e = ok(&r, 2, "update_params");
        assert_eq!(e["sizing"], "cover");
        assert_eq!(e["total_required"], "1000");
        // The other params stay: a partial update.
        assert_eq!(e["withdrawal_notice_period"], "86400");
        assert_eq!(e["risk_engine_mutualised_limit"], "2000");
        // Target 5,000 − 1,000 = 4,000: (4,000 − 400) / 6,000 = 0.6,
        // reached by steps of 0.05: 0.15, B = 400 + 900 = 1,300.
        let e = ok(&r, 3, "recalibrate");
        assert_eq!(e["desired_rate"], "0.6");
        assert_eq!(e["contribution_rate"], "0.15");
        assert_eq!(e["total_required"], "1300");
        assert_eq!(ok(&r, 4, "set_required_margin")["required_margin"], "2500");
        // bob's excess margin 3,000 − 2,500: 100 of it leaves.
        assert_eq!(ok(&r, 5, "withdraw_margin")["balance"], "2900");
        assert_eq!(ok(&r, 6, "suspend")["member"], "carol");
        assert_eq!(ok(&r, 7, "unsuspend")["member"], "carol");
        ok(&r, 8, "request_exit");
        ok(&r, 9, "force_exit");
        // alice's 8,900: margin 5,000, stake 500, SITG 1,000, the others'
        // 900, then B = 3 × 100 + 0.15 × 3,000 = 750, and 1,500 assessed,
        // the whole cap of 2 × 750. Layers 4 + 5 = 2,400 > the risk
        // engine's 2,000: refused to it, declared by governance.
        assert!(
            refused(&r, 10).contains("at most 2000"),
            "{}",
            refused(&r, 10)
        );
        let e = ok(&r, 11, "default");
        assert_eq!(e["declared_by"], "governance");
        assert_eq!(e["mutual_fund"], "900");
        assert_eq!(e["assessments"], "1500");
        assert_eq!(e["uncovered"], "0");
        assert_eq!(
            r["defaults"][0]["assessed"],
            json!({"bob": "800", "carol": "500", "dave": "200"})
        );
        assert_eq!(
            refused(&r, 12),
            "unknown member 'zed': not one of the scenario's members"
        );
        // bob's shortfall (100 + 0.15 × 2,000 = 400) is due 7 days after the default.
        assert!(refused(&r, 14).contains("shortfall 400"));
        ok(&r, 15, "close_default");
        // 500, then 50,000: 1,000 more to assessments, 900, 1,000 SITG,
        // 5,500 for alice's own layers, 41,600 beyond the 8,900 loss.
        assert_eq!(ok(&r, 16, "record_recovery")["assessments"], "500");
        let e = ok(&r, 17, "record_recovery");
        for (layer, value) in [
            ("assessments", "1000"),
            ("mutual_fund", "900"),
            ("sitg", "1000"),
            ("defaulter", "5500"),
            ("excess", "41600"),
        ] {
            assert_eq!(e[layer], value, "{layer}");
        }
        // bob: 400 / 750 × 1,500 = 800 cancels its 800; its 300 of the
        // mutual fund is claimable.
        assert_eq!(ok(&r, 18, "claim_recoveries")["amount"], "300");
        assert_eq!(ok(&r, 19, "claim_released")["amount"], "47100");
        assert_eq!(ok(&r, 20, "fund_sitg")["sitg"], "1010");
        assert!(refused(&r, 21).contains("cooling-off"));
        // dave tops up its requirement (100) to leave: balance 100 and its
        // 300 of the mutual-fund recovery.
        let e = ok(&r, 24, "complete_exit");
        assert_eq!(e["balance"], "100");
        assert_eq!(e["recovered"], "300");
        assert_eq!(ok(&r, 25, "shutdown")["shutdown"], "true");
        assert_eq!(ok(&r, 26, "claim_recoveries")["amount"], "300");
        assert_eq!(ok(&r, 27, "withdraw_sitg")["amount"], "1010");
        // Vault and fund shut down together, once.
        assert!(refused(&r, 28).contains("shut down"));
        assert_eq!(
            r["refused_event_indexes"],
            json!([10, 12, 14, 21, 28]),
            "{settlement:?}"
        );
        let members = &r["final"]["members"];
        for (member, status) in [
            ("alice", "closed"),
            ("bob", "active"),
            ("carol", "exiting"),
            ("dave", "exited"),
        ] {
            assert_eq!(members[member]["status"], status, "{member}");
        }
        assert_eq!(amount(&members["dave"]["margin"]), 0);
        assert_eq!(amount(&r["final"]["sitg"]), 0);
        assert_eq!(amount(&r["final"]["uncovered_total"]), 0);
    }
}
