//! The report's shape: SPEC §6's JSON keys, one event entry per scenario
//! event, refusals as `{"error"}`, and the text report's tables.

mod common;

use clearing_sim::cli::{ChartTarget, Options};
use clearing_sim::{simulate, Scenario, Settlement};
use common::{amount, play, play_file, scenario_file, SETTLEMENTS};
use serde_json::Value;

const LAYERS: [&str; 6] = [
    "defaulter_margin",
    "defaulter_contribution",
    "sitg",
    "mutual_fund",
    "assessments",
    "uncovered",
];

fn keys(v: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn assert_report_shape(report: &Value, scenario: &Scenario, what: &str) {
    assert_eq!(
        keys(report),
        [
            "coverage",
            "defaults",
            "events",
            "final",
            "refused_event_indexes"
        ],
        "{what}"
    );
    for d in report["defaults"].as_array().expect("defaults") {
        assert_eq!(
            keys(d),
            [
                "assessed",
                "close_out_loss",
                "layers",
                "loss",
                "member",
                "unpaid_assessments"
            ],
            "{what}"
        );
        assert_eq!(
            amount(&d["close_out_loss"]) + amount(&d["unpaid_assessments"]),
            amount(&d["loss"]),
            "{what}: the loss is the close-out loss and the unpaid assessments"
        );
        let mut layers = LAYERS.to_vec();
        layers.sort_unstable();
        assert_eq!(keys(&d["layers"]), layers, "{what}");
        let total: u128 = LAYERS.iter().map(|l| amount(&d["layers"][l])).sum();
        assert_eq!(
            total,
            amount(&d["loss"]),
            "{what}: layers add up to the loss"
        );
        for owed in d["assessed"].as_object().expect("assessed").values() {
            assert!(amount(owed) > 0, "{what}: zeros are left out of assessed");
        }
    }
    assert_eq!(
        keys(&report["final"]),
        ["members", "sitg", "uncovered_total"],
        "{what}"
    );
    let members = report["final"]["members"].as_object().expect("members");
    assert_eq!(members.len(), scenario.members.len(), "{what}");
    for m in members.values() {
        assert_eq!(
            keys(m),
            [
                "assessment_owed",
                "contribution",
                "fees_claimable",
                "margin",
                "status"
            ],
            "{what}"
        );
        for field in [
            "assessment_owed",
            "contribution",
            "fees_claimable",
            "margin",
        ] {
            amount(&m[field]);
        }
        let status = m["status"].as_str().expect("status");
        assert!(
            [
                "active",
                "in_breach",
                "defaulted",
                "closed",
                "suspended",
                "exiting",
                "exited"
            ]
            .contains(&status),
            "{what}: status {status}"
        );
    }
    let coverage = &report["coverage"];
    assert_eq!(keys(coverage), ["after_defaults", "end"], "{what}");
    assert_eq!(
        coverage["after_defaults"].as_array().map(Vec::len),
        report["defaults"].as_array().map(Vec::len),
        "{what}: coverage after every default"
    );
    for c in coverage["after_defaults"]
        .as_array()
        .expect("after_defaults")
        .iter()
        .chain([&coverage["end"]])
    {
        if c.get("error").is_some() {
            assert_eq!(
                keys(c),
                ["error"],
                "{what}: a coverage the fund could not give"
            );
            continue;
        }
        assert_eq!(
            keys(c),
            [
                "assessment_capacity",
                "below_one",
                "contribution_rate",
                "cover",
                "prefunded",
                "ratio",
                "ratio_with_assessments",
                "requirement",
                "sizing",
                "target",
                "top_exposures",
                "total_required"
            ],
            "{what}"
        );
        let below = c["ratio"]
            .as_str()
            .is_some_and(|r| r.parse::<f64>().expect("a decimal") < 1.0);
        assert_eq!(c["below_one"], below, "{what}: below_one says ratio < 1");
    }

    let events = report["events"].as_array().expect("events");
    assert_eq!(
        events.len(),
        scenario.events.len(),
        "{what}: one entry per event"
    );
    let refused: Vec<usize> = report["refused_event_indexes"]
        .as_array()
        .expect("refused_event_indexes")
        .iter()
        .map(|i| i.as_u64().expect("an index") as usize)
        .collect();
    for (i, event) in events.iter().enumerate() {
        if refused.contains(&i) {
            assert_eq!(keys(event), ["error"], "{what}: event {i}");
            assert!(
                !event["error"].as_str().expect("a message").is_empty(),
                "{what}: event {i}"
            );
        } else {
            assert!(event.get("error").is_none(), "{what}: event {i}");
            assert_eq!(
                event["ok"].as_str(),
                Some(scenario.events[i].kind()),
                "{what}: event {i}"
            );
        }
    }
}

#[test]
fn every_shipped_scenario_gives_a_well_formed_report() {
    let dir = common::repo_root().join("scenarios");
    let mut played = 0;
    for entry in std::fs::read_dir(&dir).expect("scenarios/") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !name.ends_with(".json") || name.ends_with(".expected.json") {
            continue;
        }
        let scenario = Scenario::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        for settlement in SETTLEMENTS {
            assert_report_shape(
                &play(&scenario, settlement),
                &scenario,
                &format!("{name} ({settlement:?})"),
            );
        }
        played += 1;
    }
    assert!(played >= 13, "only {played} scenarios in scenarios/");
}

#[test]
fn refused_events_carry_the_contracts_message_and_the_run_goes_on() {
    let scenario = Scenario::parse(
        r#"{
        "params": {"sitg": "100"},
        "members": [
            {"id": "alice", "margin": "5000", "required_margin": "4000", "contribution": "400"},
            {"id": "bob", "margin": "3000", "required_margin": "2000", "contribution": "200"}
        ],
        "events": [
            {"pay_assessment": {"member": "bob"}},
            {"enforce_assessment": {"member": "bob"}},
            {"default": {"member": "alice", "loss": "6000"}},
            {"default": {"member": "alice", "loss": "10"}},
            {"contribute": {"member": "alice", "amount": "10"}},
            {"claim_fees": {"member": "bob"}},
            {"advance": {"seconds": 86400}},
            {"deposit_margin": {"member": "bob", "amount": "10"}},
            {"claim_fees": {"member": "zed"}},
            {"record_recovery": {"default": "zed", "amount": "10"}},
            {"deposit_margin": {"member": "bob", "amount": "10"}}
        ]
    }"#,
    )
    .expect("a valid scenario");
    for settlement in SETTLEMENTS {
        let report = play(&scenario, settlement);
        assert_report_shape(&report, &scenario, &format!("{settlement:?}"));
        assert_eq!(
            report["refused_event_indexes"],
            serde_json::json!([0, 1, 3, 4, 5, 8, 9]),
            "{settlement:?}: {:#}",
            report["events"]
        );
        let events = &report["events"];
        assert_eq!(events[0]["error"], "nothing is owed");
        // Addresses in messages are given as member ids.
        assert_eq!(events[3]["error"], "member alice is in default");
        assert_eq!(events[4]["error"], "member alice is in default");
        assert_eq!(events[2]["member"], "alice");
        assert_eq!(events[6]["seconds"], "86400");
        // A member the scenario does not list: that event is refused, the
        // run goes on.
        for i in [8, 9] {
            assert_eq!(
                events[i]["error"],
                "unknown member 'zed': not one of the scenario's members"
            );
        }
        assert_eq!(events[10]["balance"], "3020");
    }
}

#[test]
fn json_output_is_the_report_and_nothing_else() {
    let path = scenario_file("example-two-defaults.json");
    let mut opts = Options::new(&path);
    opts.json = true;
    opts.chart = ChartTarget::None;
    let out = simulate(&opts).expect("runs");
    let printed: Value = serde_json::from_str(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(printed, play_file(&path, Settlement::Native));
}

#[test]
fn the_text_report_has_a_table_per_default_the_refusals_and_the_members() {
    let dir = common::temp_dir("text-report");
    let chart = dir.join("chart.svg");
    let mut opts = Options::new(scenario_file("example-two-defaults.json"));
    opts.chart = ChartTarget::Path(chart.clone());
    let text = simulate(&opts).expect("runs").stdout;

    assert!(
        text.contains("Default 1: draco with a loss of 9,000,000 (event 0)"),
        "{text}"
    );
    assert!(
        text.contains("Default 2: atlas with a loss of 8,000,000 (event 3)"),
        "{text}"
    );
    for line in [
        "1  defaulter_margin        7,000,000   77.78%",
        "1  defaulter_margin        6,000,000   75.00%",
        "5  assessments             1,200,000   15.00%",
        "6  uncovered                 700,000    8.75%",
        "   total                   8,000,000  100.00%",
        "assessed: borealis 500,000, cygnus 700,000",
        "Coverage after default 1: no stress exposure posted, no Cover-2 requirement",
        "Coverage after default 2: no stress exposure posted, no Cover-2 requirement",
        "2  enforce_assessment borealis  REFUSED: nothing is owed",
        "member       margin  contribution  assessment owed  fees claimable  status",
        "borealis  2,500,000             0          500,000               0  active",
        "draco             0             0                0               0  defaulted",
        "Coverage at the end: no stress exposure posted, no Cover-2 requirement",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(
        text.contains(&format!("Waterfall chart: {}", chart.display())),
        "{text}"
    );
    assert!(chart.exists());
}

#[test]
fn coverage_below_one_is_flagged_in_the_text_and_the_json() {
    // Cover-1 of a 10,000 exposure: pre-funded 1,000 SITG + 500 + 500 =
    // 2,000, ratio 0.2; with the assessment capacity 2 × B = 2 × (2 × 100
    // + 0.1 × (2,000 + 2,000)) = 1,200: 3,200 / 10,000 = 0.32.
    let scenario = Scenario::parse(
        r#"{
        "params": {"sitg": "1000", "sizing": {"cover": 1}},
        "members": [
            {"id": "alice", "margin": "3000", "required_margin": "2000", "contribution": "500"},
            {"id": "bob", "margin": "3000", "required_margin": "2000", "contribution": "500"}
        ],
        "events": [{"set_exposure": {"member": "alice", "amount": "10000"}}]
    }"#,
    )
    .expect("a valid scenario");
    for settlement in SETTLEMENTS {
        let report = play(&scenario, settlement);
        let end = &report["coverage"]["end"];
        assert_eq!(end["requirement"], "10000");
        assert_eq!(end["prefunded"], "2000");
        assert_eq!(end["ratio"], "0.2");
        assert_eq!(end["assessment_capacity"], "1200");
        assert_eq!(end["ratio_with_assessments"], "0.32");
        assert_eq!(end["below_one"], true);
        assert_eq!(
            end["top_exposures"],
            serde_json::json!([{"member": "alice", "exposure": "10000"}])
        );
    }
    let dir = common::temp_dir("coverage-flag");
    let path = dir.join("flag.json");
    std::fs::write(
        &path,
        serde_json::to_string(&serde_json::json!({
            "params": {"sitg": "1000", "sizing": {"cover": 1}},
            "members": [
                {"id": "alice", "margin": "3000", "required_margin": "2000", "contribution": "500"},
                {"id": "bob", "margin": "3000", "required_margin": "2000", "contribution": "500"}
            ],
            "events": [{"set_exposure": {"member": "alice", "amount": "10000"}}]
        }))
        .expect("json"),
    )
    .expect("write");
    let mut opts = Options::new(&path);
    opts.chart = ChartTarget::None;
    let text = simulate(&opts).expect("runs").stdout;
    for line in [
        "Coverage at the end: Cover-1 requirement 10,000 (largest exposures: alice 10,000)",
        "ratio 0.20 (with the assessment capacity of 1,200: 0.32)",
        "** COVERAGE BELOW 1: pre-funded 2,000 < Cover-1 requirement 10,000 **",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn the_runner_deploys_with_governance_holding_every_wasm_admin() {
    let scenario = Scenario::load(&scenario_file("example-one-default.json")).expect("loads");
    for settlement in SETTLEMENTS {
        let suite = clearing_sim::run::deploy(&scenario, settlement).expect("deploys");
        let gov = suite.governance.clone().expect("governance is deployed");
        for contract in [&suite.vault, &suite.fund, &gov] {
            let info = suite
                .app
                .wrap()
                .query_wasm_contract_info(contract)
                .expect("contract info");
            assert_eq!(info.admin.as_ref(), Some(&gov), "wasm admin of {contract}");
        }
        assert_eq!(suite.governor(), gov, "governance governs vault and fund");
    }
}

#[test]
fn a_coverage_the_fund_cannot_compute_is_recorded_and_the_run_goes_on() {
    // Two exposures near u128::MAX / 2: their Cover-2 sum does not fit in
    // a u128. Whether the fund refuses the post or accepts it and cannot
    // answer Coverage afterwards, the runner reports and carries on.
    let half = u128::MAX / 2;
    let scenario = Scenario::parse(&format!(
        r#"{{
        "members": [
            {{"id": "alice", "margin": "5000", "required_margin": "4000", "contribution": "500"}},
            {{"id": "bob", "margin": "3000", "required_margin": "2000", "contribution": "300"}}
        ],
        "events": [
            {{"set_exposures": [{{"member": "alice", "amount": "{half}"}}, {{"member": "bob", "amount": "{}"}}]}},
            {{"deposit_margin": {{"member": "bob", "amount": "10"}}}}
        ]
    }}"#,
        half + 10
    ))
    .expect("a valid scenario");
    for settlement in SETTLEMENTS {
        let report = clearing_sim::run::play(&scenario, settlement).expect("the run completes");
        let json = serde_json::to_value(&report).expect("serializes");
        assert_report_shape(&json, &scenario, &format!("{settlement:?}"));
        assert_eq!(json["events"][1]["balance"], "3010");
        let end = &json["coverage"]["end"];
        if json["events"][0].get("error").is_none() && end.get("error").is_some() {
            assert!(json["events"][0].get("coverage_error").is_some());
            assert!(report.warnings.iter().any(|w| w.contains("Coverage")));
        }
    }
}
