//! The inputs of issues 11 and 12 that the shared scenarios do not carry,
//! played through the runner (native and cw20) with the v2 figures worked
//! out by hand: exits refused while a replenishment is overdue or an
//! assessment is owed after shutdown, an 18-decimal share exact to the
//! unit, and shares that do not depend on when a member settles.

mod common;

use clearing_sim::Scenario;
use common::{play, SETTLEMENTS};
use serde_json::{json, Value};

fn both(json: &str) -> Vec<Value> {
    let scenario = Scenario::parse(json).expect("a valid scenario");
    SETTLEMENTS
        .into_iter()
        .map(|s| play(&scenario, s))
        .collect()
}

#[test]
fn no_exit_while_a_replenishment_is_overdue() {
    // alice's requirement 100 + 0.1 × 1,000 = 200; she asks for her 200
    // above it. d's 450 falls on the mutual fund: 600 → 150, a quarter
    // each: alice 100, bob 50; alice's shortfall of 100 is due on day 7.
    // Day 29 (the claim window runs from the end of the cooling-off
    // period): her claim and her margin withdrawal are both refused; once
    // the 100 is drawn from her margin nothing is above her requirement
    // and her margin may leave.
    for r in both(
        r#"{"params": {"sitg": "0", "min_contribution": "100", "contribution_rate": "0.1"},
 "members": [{"id": "alice", "margin": "2000", "required_margin": "1000", "contribution": "400"},
             {"id": "bob", "margin": "2000", "required_margin": "1000", "contribution": "200"},
             {"id": "d", "margin": "0", "required_margin": "1000", "contribution": "0"}],
 "events": [{"request_withdrawal": {"member": "alice", "amount": "200"}},
            {"default": {"member": "d", "loss": "450"}},
            {"advance": {"seconds": 2505600}},
            {"claim_withdrawal": {"member": "alice"}},
            {"withdraw_margin": {"member": "alice", "amount": "1000"}},
            {"enforce_replenishment": {"member": "alice"}},
            {"claim_withdrawal": {"member": "alice"}},
            {"withdraw_margin": {"member": "alice", "amount": "900"}}]}"#,
    ) {
        assert_eq!(r["defaults"][0]["layers"]["mutual_fund"], "450");
        let overdue = "the member has 0 in assessments and 100 of replenishment overdue";
        assert_eq!(r["events"][3]["error"], format!("exit refused: {overdue}"));
        assert_eq!(
            r["events"][4]["error"],
            format!("withdrawal refused: {overdue}")
        );
        assert_eq!(r["events"][5]["drawn"], "100");
        assert_eq!(r["events"][6]["error"], "nothing to claim");
        assert_eq!(r["events"][7]["balance"], "1000");
        assert_eq!(r["refused_event_indexes"], json!([3, 4, 6]));
        assert_eq!(r["final"]["members"]["alice"]["contribution"], "200");
        assert_eq!(r["final"]["members"]["bob"]["contribution"], "50");
    }
}

#[test]
fn after_shutdown_no_margin_leaves_while_an_assessment_is_owed() {
    // d's 50 is assessed on alice alone (B = 0.1 × 1,000 = 100, cap 200),
    // due tomorrow; the default is closed and everything shut down: her
    // margin stays until she pays, then all of it may leave.
    for r in both(
        r#"{"params": {"sitg": "0", "min_contribution": "0", "contribution_rate": "0.1"},
 "members": [{"id": "alice", "margin": "2000", "required_margin": "1000", "contribution": "0"},
             {"id": "d", "margin": "0", "required_margin": "1000", "contribution": "0"}],
 "events": [{"default": {"member": "d", "loss": "50"}},
            {"close_default": {"member": "d"}},
            {"shutdown": {}},
            {"withdraw_margin": {"member": "alice", "amount": "500"}},
            {"pay_assessment": {"member": "alice"}},
            {"withdraw_margin": {"member": "alice", "amount": "2000"}}]}"#,
    ) {
        assert_eq!(r["defaults"][0]["assessed"], json!({"alice": "50"}));
        assert_eq!(
            r["events"][3]["error"],
            "withdrawal refused: the member owes 50 in assessments"
        );
        assert_eq!(r["events"][4]["amount"], "50");
        assert_eq!(r["events"][5]["balance"], "0");
        assert_eq!(r["final"]["members"]["d"]["status"], "closed");
    }
}

#[test]
fn an_eighteen_decimal_share_is_exact() {
    // Rate 1, no minimum: B = 10^21 + 1; z's loss 10^21 + 1 is assessed in
    // full; x owes ceil(10^21 × (10^21 + 1) / (10^21 + 1)) = 10^21 exactly.
    for r in both(
        r#"{"params": {"sitg": "0", "min_contribution": "0", "contribution_rate": "1"},
 "members": [{"id": "x", "margin": "0", "required_margin": "1000000000000000000000", "contribution": "0"},
             {"id": "y", "margin": "0", "required_margin": "1", "contribution": "0"},
             {"id": "z", "margin": "0", "required_margin": "0", "contribution": "0"}],
 "events": [{"default": {"member": "z", "loss": "1000000000000000000001"}}]}"#,
    ) {
        assert_eq!(
            r["defaults"][0]["assessed"],
            json!({"x": "1000000000000000000000", "y": "1"})
        );
        assert_eq!(
            r["final"]["members"]["x"]["assessment_owed"],
            "1000000000000000000000"
        );
    }
}

#[test]
fn shares_do_not_depend_on_when_a_member_settles() {
    // Requirement 1 each (minimum 1, rate 0). d1's 2 over B = 4: ceil(2/4)
    // = 1 each, d2 included. p pays in between, q does not. d2's loss is 1
    // + its unpaid 1 = 2 over B = 3: ceil(2/3) = 1 each. p pays 1 + 1, q
    // pays 2, r owes 2.
    for r in both(
        r#"{"params": {"sitg": "0", "min_contribution": "1", "contribution_rate": "0"},
 "members": [{"id": "p", "margin": "0", "required_margin": "0", "contribution": "0"},
             {"id": "q", "margin": "0", "required_margin": "0", "contribution": "0"},
             {"id": "r", "margin": "0", "required_margin": "0", "contribution": "0"},
             {"id": "d1", "margin": "0", "required_margin": "0", "contribution": "0"},
             {"id": "d2", "margin": "0", "required_margin": "0", "contribution": "0"}],
 "events": [{"default": {"member": "d1", "loss": "2"}},
            {"pay_assessment": {"member": "p"}},
            {"default": {"member": "d2", "loss": "1"}},
            {"pay_assessment": {"member": "p"}},
            {"pay_assessment": {"member": "q"}}]}"#,
    ) {
        assert_eq!(r["defaults"][1]["unpaid_assessments"], "1");
        assert_eq!(
            r["defaults"][1]["assessed"],
            json!({"p": "1", "q": "1", "r": "1"})
        );
        assert_eq!(r["events"][1]["amount"], "1");
        assert_eq!(r["events"][3]["amount"], "1");
        assert_eq!(r["events"][4]["amount"], "2");
        assert_eq!(r["final"]["members"]["r"]["assessment_owed"], "2");
    }
}
