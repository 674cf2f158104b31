//! Helpers shared by the runner's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use clearing_sim::{run, Scenario, Settlement};
use serde_json::Value;

pub const SETTLEMENTS: [Settlement; 2] = [Settlement::Native, Settlement::Cw20];

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file of the repository's `scenarios/` folder.
pub fn scenario_file(name: &str) -> PathBuf {
    repo_root().join("scenarios").join(name)
}

/// `../shared/scenarios/` beside the repository, where CI has it.
pub fn shared_scenario_file(name: &str) -> Option<PathBuf> {
    let path = repo_root().join("../shared/scenarios").join(name);
    path.exists().then_some(path)
}

pub fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// Plays a scenario file and returns its JSON report.
pub fn play_file(path: &Path, settlement: Settlement) -> Value {
    let scenario =
        Scenario::load(path).unwrap_or_else(|e| panic!("loading {}: {e}", path.display()));
    play(&scenario, settlement)
}

pub fn play(scenario: &Scenario, settlement: Settlement) -> Value {
    let report = run::play(scenario, settlement).expect("the scenario plays");
    assert!(
        report.warnings.is_empty(),
        "conservation warnings: {:?}",
        report.warnings
    );
    serde_json::to_value(&report).expect("the report serializes")
}

/// A decimal-string amount of a JSON report.
pub fn amount(v: &Value) -> u128 {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an amount: {v}"))
}

/// A temporary directory of its own for one test.
pub fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clearing-sim-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
