//! The worked scenarios of issues 15 and 16, checked figure by figure
//! against the arithmetic of the rules (SPEC v2 §3, §7, §8), written out
//! here, native and cw20. `examples.rs` also compares them with their
//! committed expected reports; this file says why those figures are right.

mod common;

use common::{amount, play_file, scenario_file, SETTLEMENTS};
use serde_json::Value;

const DAY: u64 = 86_400;

fn play(name: &str) -> Vec<(clearing_sim::Settlement, Value)> {
    SETTLEMENTS
        .into_iter()
        .map(|s| (s, play_file(&scenario_file(&format!("{name}.json")), s)))
        .collect()
}

/// A figure of a done event, as a number.
fn figure(report: &Value, event: usize, key: &str) -> u128 {
    let e = &report["events"][event];
    assert!(e.get("error").is_none(), "event {event} refused: {e}");
    amount(&e[key])
}

fn error(report: &Value, event: usize) -> String {
    report["events"][event]["error"]
        .as_str()
        .unwrap_or_else(|| panic!("event {event} was not refused: {}", report["events"][event]))
        .to_string()
}

/// `member`'s final `field`.
fn last(report: &Value, member: &str, field: &str) -> Value {
    report["final"]["members"][member][field].clone()
}

fn final_amount(report: &Value, member: &str, field: &str) -> u128 {
    amount(&last(report, member, field))
}

/// The block time after event `i` (an `advance`).
fn time(report: &Value, event: usize) -> u64 {
    report["events"][event]["time"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("an advance")
}

/// Issue 15: an exposure doubles, coverage drops below 1, recalibration
/// raises the rate in steps, members top up, one is enforced.
#[test]
fn an_exposure_doubles_and_recalibration_restores_cover_two() {
    const M: u128 = 1_000_000;
    for (settlement, r) in play("exposure-doubles-recalibration") {
        let what = format!("{settlement:?}");
        // Event 0: exposures 4M, 5M, 3.5M, 4.5M, 3M; Cover-2 = 5M + 4.5M =
        // 9.5M; pre-funded SITG 3.4M + balances 0.35 × 20M = 7M: 10.4M.
        assert_eq!(figure(&r, 0, "total_exposure"), 20 * M, "{what}");
        assert_eq!(figure(&r, 0, "coverage_requirement"), 9_500_000, "{what}");
        assert_eq!(figure(&r, 0, "prefunded"), 10_400_000, "{what}");
        // 10.4 / 9.5 = 1.094736842105263157… (rounded down).
        assert_eq!(
            r["events"][0]["coverage_ratio"], "1.094736842105263157",
            "{what}"
        );
        // Event 1: atlas 4M → 8M; Cover-2 = 8M + 5M = 13M; 10.4 / 13 = 0.8.
        assert_eq!(figure(&r, 1, "total_exposure"), 24 * M, "{what}");
        assert_eq!(figure(&r, 1, "coverage_requirement"), 13 * M, "{what}");
        assert_eq!(r["events"][1]["coverage_ratio"], "0.8", "{what}");
        // Target 13M − 3.4M = 9.6M = 0.4 × 24M: the rate climbs by the
        // 0.05 step, B = rate × 24M (no minimum contribution).
        for (event, previous, rate, b) in [
            (2, "0.25", "0.3", 7_200_000u128),
            (5, "0.3", "0.35", 8_400_000),
            (7, "0.35", "0.4", 9_600_000),
            (9, "0.4", "0.4", 9_600_000),
        ] {
            let e = &r["events"][event];
            assert_eq!(e["ok"], "recalibrate", "{what}: event {event}");
            assert_eq!(e["previous_rate"], previous, "{what}: event {event}");
            assert_eq!(e["contribution_rate"], rate, "{what}: event {event}");
            assert_eq!(e["desired_rate"], "0.4", "{what}: event {event}");
            assert_eq!(figure(&r, event, "total_required"), b, "{what}");
        }
        // Once a day at most.
        assert!(error(&r, 3).contains("next recalibration"), "{what}");
        // Top-ups to 0.4 × exposure: atlas 3.2M − 1.4M = 1.8M; borealis
        // 2M − 1.75M = 250k; cygnus 1.4M − 1.225M = 175k; draco 1.8M −
        // 1.575M = 225k. Each closes its shortfall.
        for (event, balance) in [
            (10, 3_200_000),
            (12, 2 * M),
            (13, 1_400_000),
            (14, 1_800_000),
        ] {
            assert_eq!(figure(&r, event, "balance"), balance, "{what}");
            assert_eq!(figure(&r, event, "shortfall"), 0, "{what}");
        }
        // eridanus's shortfall (1.2M − 1.05M = 150k) opened with the
        // recalibration of day 2 and is due on day 9: refused on day 8,
        // drawn on day 9.
        let day0 = time(&r, 4) - DAY;
        assert_eq!(time(&r, 15), day0 + 8 * DAY, "{what}");
        let due = (day0 + 9 * DAY).to_string();
        let refused = error(&r, 16);
        assert!(
            refused.contains("shortfall 150000") && refused.contains(&due),
            "{what}: {refused}"
        );
        assert_eq!(time(&r, 17), day0 + 9 * DAY, "{what}");
        assert_eq!(figure(&r, 18, "overdue"), 150_000, "{what}");
        assert_eq!(figure(&r, 18, "drawn"), 150_000, "{what}");
        assert_eq!(r["events"][18]["status"], "active", "{what}");
        assert_eq!(r["refused_event_indexes"], serde_json::json!([3, 16, 19]));
        // Final: every balance is 0.4 × exposure; eridanus's margin 5M − 150k.
        for (member, balance) in [
            ("atlas", 3_200_000u128),
            ("borealis", 2 * M),
            ("cygnus", 1_400_000),
            ("draco", 1_800_000),
            ("eridanus", 1_200_000),
        ] {
            assert_eq!(final_amount(&r, member, "contribution"), balance, "{what}");
            assert_eq!(last(&r, member, "status"), "active", "{what}");
        }
        assert_eq!(final_amount(&r, "eridanus", "margin"), 4_850_000, "{what}");
        // Coverage at the end: 3.4M + 9.6M = 13M against 13M: ratio 1;
        // with 2 × B = 19.2M of assessments, 32.2 / 13 = 2.476923….
        let end = &r["coverage"]["end"];
        assert_eq!(amount(&end["prefunded"]), 13 * M, "{what}");
        assert_eq!(amount(&end["requirement"]), 13 * M, "{what}");
        assert_eq!(end["ratio"], "1", "{what}");
        assert_eq!(end["below_one"], false, "{what}");
        assert_eq!(amount(&end["assessment_capacity"]), 19_200_000, "{what}");
        assert_eq!(end["ratio_with_assessments"], "2.476923076923076923");
        assert_eq!(
            end["top_exposures"],
            serde_json::json!([
                {"member": "atlas", "exposure": "8000000"},
                {"member": "borealis", "exposure": "5000000"}
            ])
        );
    }
}

/// Issue 16: a default reaching assessments, a partial recovery and one
/// beyond the loss, credited in reverse order; a member gone before the
/// second still collects its share.
#[test]
fn recoveries_come_back_in_reverse_order_also_to_a_member_who_left() {
    for (settlement, r) in play("recoveries-reverse-order") {
        let what = format!("{settlement:?}");
        // Loss 8.4M = margin 5.5M + stake 600k + SITG 500k + survivors'
        // 1.2M + 600k assessed over B = 1.2M (rate 0.5).
        let d = &r["defaults"][0];
        for (layer, value) in [
            ("defaulter_margin", 5_500_000u128),
            ("defaulter_contribution", 600_000),
            ("sitg", 500_000),
            ("mutual_fund", 1_200_000),
            ("assessments", 600_000),
            ("uncovered", 0),
        ] {
            assert_eq!(amount(&d["layers"][layer]), value, "{what}: {layer}");
        }
        // Shares rc × A / B: 500k / 2, 400k / 2, 300k / 2.
        assert_eq!(
            d["assessed"],
            serde_json::json!({"borealis": "250000", "cygnus": "200000", "draco": "150000"}),
            "{what}"
        );
        // Only a closed default takes recoveries.
        assert!(error(&r, 4).contains("still open"), "{what}");
        // Recovery 1 (400k): all to the assessment layer.
        assert_eq!(figure(&r, 6, "assessments"), 400_000, "{what}");
        assert_eq!(figure(&r, 6, "mutual_fund"), 0, "{what}");
        // borealis: floor(500/1200 × 400k) = 166,666.
        assert_eq!(figure(&r, 7, "amount"), 166_666, "{what}");
        // cygnus: floor(400/1200 × 400k) = 133,333 cancels that much of its
        // unpaid 200,000: nothing to claim, 66,667 left to pay.
        assert_eq!(error(&r, 8), "nothing to claim", "{what}");
        assert_eq!(figure(&r, 9, "amount"), 66_667, "{what}");
        // draco's exit on day 14: its 300k balance and its 1/4 × 400k =
        // 100,000 credit (its 2.5M margin leaves the vault).
        assert_eq!(figure(&r, 15, "balance"), 300_000, "{what}");
        assert_eq!(figure(&r, 15, "recovered"), 100_000, "{what}");
        // Recovery 2 (8.5M): the last 200k of assessments, the 1.2M mutual
        // fund, 500k SITG, 5.5M + 600k of the defaulter's own layers, and
        // 8.5M − 8.0M = 500k beyond the loss.
        for (layer, value) in [
            ("assessments", 200_000u128),
            ("mutual_fund", 1_200_000),
            ("sitg", 500_000),
            ("defaulter", 6_100_000),
            ("excess", 500_000),
        ] {
            assert_eq!(figure(&r, 17, layer), value, "{what}: {layer}");
        }
        // Cumulative assessment credits floor(w × 600k): 250,000, 200,000,
        // 150,000, less what each already got; plus what each lost in the
        // mutual-fund layer.
        assert_eq!(r["events"][18]["member"], "draco");
        assert_eq!(figure(&r, 18, "amount"), 50_000 + 300_000, "{what}");
        assert_eq!(figure(&r, 19, "amount"), 83_334 + 500_000, "{what}");
        assert_eq!(figure(&r, 20, "amount"), 66_667 + 400_000, "{what}");
        // atlas: its own layers and the excess, held for it.
        assert_eq!(figure(&r, 21, "amount"), 6_600_000, "{what}");
        assert_eq!(last(&r, "draco", "status"), "exited", "{what}");
        assert_eq!(final_amount(&r, "draco", "margin"), 0, "{what}");
        assert_eq!(last(&r, "atlas", "status"), "closed", "{what}");
        assert_eq!(amount(&r["final"]["sitg"]), 500_000, "{what}");
        assert_eq!(r["refused_event_indexes"], serde_json::json!([4, 8]));
    }
}

/// Issue 16: notice the day before a default; the leaving member bears
/// its full share, pays and leaves after its notice.
#[test]
fn notice_the_day_before_a_default_leaves_the_member_fully_liable() {
    for (settlement, r) in play("notice-before-default") {
        let what = format!("{settlement:?}");
        // Loss 6.35M = margin 4M + stake 500k + SITG 200k + the survivors'
        // 400k + 400k + 300k (draco's included) + 550k over B = 1.1M.
        let d = &r["defaults"][0];
        assert_eq!(amount(&d["layers"]["mutual_fund"]), 1_100_000, "{what}");
        assert_eq!(amount(&d["layers"]["assessments"]), 550_000, "{what}");
        assert_eq!(amount(&d["layers"]["uncovered"]), 0, "{what}");
        // draco's share 300k × 550k / 1.1M = 150k, the same rule as the others'.
        assert_eq!(
            d["assessed"],
            serde_json::json!({"borealis": "200000", "cygnus": "200000", "draco": "150000"}),
            "{what}"
        );
        // Notice given on day 0 runs to day 14.
        let day0 = time(&r, 1) - DAY;
        let notice_end = (day0 + 14 * DAY).to_string();
        assert_eq!(r["events"][0]["exit_available_at"], notice_end, "{what}");
        assert!(error(&r, 3).contains(&notice_end), "{what}");
        assert_eq!(figure(&r, 4, "amount"), 150_000, "{what}");
        assert_eq!(figure(&r, 8, "balance"), 300_000, "{what}");
        // Day 8: cooling-off over, notice not.
        assert!(error(&r, 12).contains(&notice_end), "{what}");
        // Day 15: it leaves with its balance, owing nothing.
        assert_eq!(figure(&r, 14, "balance"), 300_000, "{what}");
        assert_eq!(last(&r, "draco", "status"), "exited", "{what}");
        assert_eq!(final_amount(&r, "draco", "margin"), 0, "{what}");
        assert_eq!(final_amount(&r, "draco", "assessment_owed"), 0, "{what}");
        assert_eq!(r["refused_event_indexes"], serde_json::json!([3, 12]));
    }
}
