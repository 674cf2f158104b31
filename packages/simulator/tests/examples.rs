//! Every scenario with an expected report replays to it exactly, with a
//! native denom and with a cw20 token: the shared scenarios of SPEC §6
//! (`../shared/scenarios/`, the two examples and the `v2-*` inputs), the
//! repository's copies of them in `scenarios/`, and the repository's own
//! worked scenarios whose expected reports are committed beside them.

mod common;

use std::path::{Path, PathBuf};

use common::{play_file, read_json, repo_root, SETTLEMENTS};
use serde_json::Value;

/// `(scenario, expected report)` for every `*.expected.json` in `dir`.
fn expected_reports(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut pairs: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("entry").path())
        .filter_map(|expected| {
            let name = expected.file_name()?.to_str()?.to_string();
            let stem = name.strip_suffix(".expected.json")?;
            Some((dir.join(format!("{stem}.json")), expected))
        })
        .collect();
    pairs.sort();
    pairs
}

/// Every JSON file of `dir`, by name.
fn json_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().to_str()?.to_string();
            name.ends_with(".json").then_some(name)
        })
        .collect();
    names.sort();
    names
}

fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("../shared/scenarios");
    dir.is_dir().then_some(dir)
}

/// Every field the expected report gives is the runner's, exactly: the
/// defaults (member, loss, close-out loss, unpaid assessments, layers,
/// assessed), the final figures and statuses, the refused event indexes,
/// and whatever else it records (events, coverage). Fields the runner adds
/// and the expected report leaves out are not compared.
fn assert_matches(actual: &Value, expected: &Value, what: &str) {
    let expected = expected
        .as_object()
        .expect("an expected report is an object");
    assert!(
        expected.contains_key("defaults") && expected.contains_key("final"),
        "{what}: an expected report gives at least defaults and final"
    );
    for (key, want) in expected {
        let got = &actual[key];
        if got == want {
            continue;
        }
        // Say where they part.
        match (got.as_array(), want.as_array()) {
            (Some(g), Some(w)) if g.len() == w.len() => {
                for (i, (g, w)) in g.iter().zip(w).enumerate() {
                    assert_eq!(g, w, "{what}: {key}[{i}]");
                }
            }
            _ => {}
        }
        if let (Some(g), Some(w)) = (got.as_object(), want.as_object()) {
            for (field, w) in w {
                assert_eq!(g.get(field), Some(w), "{what}: {key}.{field}");
            }
        }
        panic!("{what}: {key} is {got:#}, expected {want:#}");
    }
}

fn check(scenario: &Path, expected: &Path) {
    let want = read_json(expected);
    for settlement in SETTLEMENTS {
        let actual = play_file(scenario, settlement);
        assert_matches(
            &actual,
            &want,
            &format!("{} ({settlement:?})", scenario.display()),
        );
    }
}

#[test]
fn every_scenario_in_the_repository_reproduces_its_expected_report() {
    let pairs = expected_reports(&repo_root().join("scenarios"));
    // The six shared ones and the three worked scenarios of issues 15 and 16.
    // The six shared ones, the three worked scenarios of issues 15 and 16,
    // and demo, layer-by-layer and two-defaults-one-cooling-off.
    assert!(pairs.len() >= 12, "only {} expected reports", pairs.len());
    for (scenario, expected) in pairs {
        check(&scenario, &expected);
    }
}

#[test]
fn every_shared_scenario_reproduces_its_expected_report() {
    let Some(dir) = shared_dir() else {
        eprintln!("../shared/scenarios is not beside the repository: checked the copies only");
        return;
    };
    let pairs = expected_reports(&dir);
    assert!(!pairs.is_empty(), "no expected report in {}", dir.display());
    for (scenario, expected) in pairs {
        check(&scenario, &expected);
    }
}

#[test]
fn the_repository_holds_a_copy_of_every_shared_file() {
    let Some(dir) = shared_dir() else {
        eprintln!("../shared/scenarios is not beside the repository: nothing to compare");
        return;
    };
    let copies = repo_root().join("scenarios");
    for name in json_files(&dir) {
        let copy = copies.join(&name);
        assert!(
            copy.exists(),
            "scenarios/{name} is missing: copy it from ../shared/scenarios/"
        );
        assert_eq!(
            read_json(&copy),
            read_json(&dir.join(&name)),
            "scenarios/{name} differs from ../shared/scenarios/{name}"
        );
    }
}
