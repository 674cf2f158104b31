//! The worked examples of SPEC §6 (shared/scenarios, copied into the
//! repository's scenarios/) replay to their expected reports, with a native
//! denom and with a cw20 token.

mod common;

use std::path::Path;

use common::{amount, play_file, read_json, scenario_file, shared_scenario_file, SETTLEMENTS};
use serde_json::Value;

const EXAMPLES: [&str; 2] = ["example-one-default", "example-two-defaults"];

/// Layer totals and `assessed` exact, `refused_event_indexes` and statuses
/// equal, final per-member figures within one unit per default.
fn assert_matches(actual: &Value, expected: &Value, what: &str) {
    let defaults = expected["defaults"].as_array().expect("defaults");
    assert_eq!(
        actual["defaults"].as_array().map(Vec::len),
        Some(defaults.len()),
        "{what}: number of defaults"
    );
    for (i, want) in defaults.iter().enumerate() {
        let got = &actual["defaults"][i];
        assert_eq!(got["member"], want["member"], "{what}: default {i} member");
        assert_eq!(got["loss"], want["loss"], "{what}: default {i} loss");
        assert_eq!(got["layers"], want["layers"], "{what}: default {i} layers");
        assert_eq!(
            got["assessed"], want["assessed"],
            "{what}: default {i} assessed"
        );
    }
    assert_eq!(
        actual["refused_event_indexes"], expected["refused_event_indexes"],
        "{what}: refused events"
    );
    let dust = defaults.len() as u128;
    let members = expected["final"]["members"].as_object().expect("members");
    assert_eq!(
        actual["final"]["members"].as_object().map(|m| m.len()),
        Some(members.len()),
        "{what}: members"
    );
    for (id, want) in members {
        let got = &actual["final"]["members"][id];
        assert_eq!(got["status"], want["status"], "{what}: {id} status");
        for field in [
            "margin",
            "contribution",
            "assessment_owed",
            "fees_claimable",
        ] {
            let (g, w) = (amount(&got[field]), amount(&want[field]));
            assert!(
                g.abs_diff(w) <= dust,
                "{what}: {id}.{field} is {g}, expected {w} (± {dust})"
            );
        }
    }
    for field in ["sitg", "uncovered_total"] {
        assert_eq!(
            actual["final"][field], expected["final"][field],
            "{what}: final {field}"
        );
    }
}

fn check(scenario: &Path, expected: &Path) {
    let expected = read_json(expected);
    for settlement in SETTLEMENTS {
        let actual = play_file(scenario, settlement);
        assert_matches(
            &actual,
            &expected,
            &format!("{} ({settlement:?})", scenario.display()),
        );
    }
}

#[test]
fn the_repository_copies_reproduce_their_expected_reports() {
    for name in EXAMPLES {
        check(
            &scenario_file(&format!("{name}.json")),
            &scenario_file(&format!("{name}.expected.json")),
        );
    }
}

#[test]
fn the_shared_originals_reproduce_their_expected_reports() {
    for name in EXAMPLES {
        let (Some(scenario), Some(expected)) = (
            shared_scenario_file(&format!("{name}.json")),
            shared_scenario_file(&format!("{name}.expected.json")),
        ) else {
            eprintln!("../shared/scenarios is not beside the repository: checked the copies only");
            return;
        };
        check(&scenario, &expected);
    }
}

#[test]
fn the_repository_copies_are_the_shared_originals() {
    for name in EXAMPLES {
        for file in [format!("{name}.json"), format!("{name}.expected.json")] {
            if let Some(shared) = shared_scenario_file(&file) {
                assert_eq!(
                    read_json(&scenario_file(&file)),
                    read_json(&shared),
                    "scenarios/{file} differs from ../shared/scenarios/{file}"
                );
            }
        }
    }
}
