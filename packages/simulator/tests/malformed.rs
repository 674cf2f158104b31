//! Bad scenario files get an error that names the field (and the line
//! where JSON tells it), never a panic; the binary exits with 2.

mod common;

use std::process::Command;

use clearing_sim::{Scenario, ScenarioError};

const GOOD_MEMBERS: &str = r#"[
    {"id": "alice", "margin": "5000", "required_margin": "4000", "contribution": "400"},
    {"id": "bob", "margin": "3000", "required_margin": "2000", "contribution": "200"}
]"#;

fn with_events(events: &str) -> String {
    format!("{{\n\"members\": {GOOD_MEMBERS},\n\"events\": {events}\n}}")
}

fn error_of(json: &str) -> String {
    match Scenario::parse(json) {
        Ok(s) => panic!("accepted: {s:?}"),
        Err(e) => e.to_string(),
    }
}

fn assert_mentions(err: &str, parts: &[&str]) {
    for part in parts {
        assert!(err.contains(part), "{part:?} not in {err:?}");
    }
}

#[test]
fn broken_json_names_the_line() {
    let json = "{\n  \"members\": [\n    {\"id\": \"alice\",}\n  ]\n}";
    let err = Scenario::parse(json).unwrap_err();
    assert!(
        matches!(err, ScenarioError::Json { line: 3, .. }),
        "{err:?}"
    );
    assert_mentions(&err.to_string(), &["line 3", "invalid JSON"]);

    let err = error_of("{\"members\": [");
    assert_mentions(&err, &["line 1", "invalid JSON", "EOF"]);

    let err = error_of("{\"members\": []} trailing");
    assert_mentions(&err, &["line 1", "invalid JSON"]);
}

#[test]
fn an_unknown_event_kind_is_named_with_the_kinds_there_are() {
    let err = error_of(&with_events(
        r#"[
        {"advance": {"seconds": 10}},
        {"explode": {"member": "alice"}}
    ]"#,
    ));
    assert_mentions(
        &err,
        &[
            "line 8",
            "events[1]",
            "unknown variant `explode`",
            "`pay_assessment`",
        ],
    );
}

#[test]
fn a_missing_field_is_named() {
    let err = error_of(&with_events(r#"[{"pay_assessment": {}}]"#));
    assert_mentions(
        &err,
        &["events[0].pay_assessment", "missing field `member`"],
    );

    let err = error_of(r#"{"members": [{"id": "alice", "margin": "1", "contribution": "1"}]}"#);
    assert_mentions(&err, &["members[0]", "missing field `required_margin`"]);

    let err = error_of(r#"{"params": {}}"#);
    assert_mentions(&err, &["missing field `members`"]);
}

#[test]
fn an_unknown_member_is_not_a_file_error() {
    // SPEC §6: the event naming it is refused when played; the run goes on.
    let scenario = Scenario::parse(&with_events(
        r#"[{"default": {"member": "zed", "loss": "10"}}]"#,
    ))
    .expect("a member the scenario does not list is the event's error, not the file's");
    assert_eq!(scenario.events[0].members(), ["zed"]);
}

#[test]
fn update_params_bodies_are_checked() {
    for (body, parts) in [
        (
            r#"{"contribution_rat": "0.2"}"#,
            &[
                "events[0].update_params",
                "unknown parameter 'contribution_rat'",
            ][..],
        ),
        (
            r#"{"sitg": "10"}"#,
            &["events[0].update_params", "sitg is not a fund parameter"][..],
        ),
        (
            r#"{"execution_window": 10}"#,
            &["events[0].update_params", "execution_window"][..],
        ),
        (
            r#"{"sizing": {"mode": "cover", "covr": 2}}"#,
            &["events[0].update_params.sizing", "unknown field `covr`"][..],
        ),
        (
            r#"{"sizing": {"mode": "cover-2"}}"#,
            &["events[0].update_params.sizing.mode", "`fixed`", "`cover`"][..],
        ),
        (
            r#"{"risk_engine_mutualised_limit": 5}"#,
            &["risk_engine_mutualised_limit", "decimal strings"][..],
        ),
    ] {
        let err = error_of(&with_events(&format!(r#"[{{"update_params": {body}}}]"#)));
        assert_mentions(&err, parts);
    }
    // `null` lifts the risk-engine limit; a field not given keeps its value.
    let scenario = Scenario::parse(&with_events(
        r#"[{"update_params": {"risk_engine_mutualised_limit": null}}]"#,
    ))
    .expect("valid");
    let clearing_sim::scenario::Event::UpdateParams(p) = &scenario.events[0] else {
        panic!("an update_params event");
    };
    let current = clearing_types::fund::FundParams {
        risk_engine_mutualised_limit: Some(cosmwasm_std::Uint128::new(7)),
        ..Default::default()
    };
    assert_eq!(
        p.apply(current.clone()),
        clearing_types::fund::FundParams {
            risk_engine_mutualised_limit: None,
            ..current
        }
    );
}

#[test]
fn a_recovery_names_its_default_by_member_or_id() {
    let scenario = Scenario::parse(&with_events(
        r#"[{"record_recovery": {"default": "alice", "amount": "1"}},
            {"record_recovery": {"default": 1, "amount": "1"}}]"#,
    ))
    .expect("valid");
    assert_eq!(scenario.events[0].to_string(), "record_recovery alice 1");
    assert_eq!(scenario.events[1].to_string(), "record_recovery #1 1");
    let err = error_of(&with_events(
        r#"[{"record_recovery": {"default": -1, "amount": "1"}}]"#,
    ));
    assert_mentions(&err, &["events[0].record_recovery.default", "member id"]);
}

#[test]
fn bad_amounts_say_what_an_amount_is() {
    for (amount, why) in [
        (r#""-5""#, "cannot be negative"),
        (r#""1.5""#, "without decimals"),
        (r#""lots""#, "only the digits"),
        (r#""""#, "empty"),
        ("10", r#"write "10", not 10"#),
        ("1.5", "whole decimal strings"),
        ("-3", "non-negative"),
        (
            r#""340282366920938463463374607431768211456""#,
            "does not fit in a u128",
        ),
    ] {
        let err = error_of(&with_events(&format!(
            r#"[{{"default": {{"member": "alice", "loss": {amount}}}}}]"#
        )));
        assert_mentions(&err, &["events[0].default.loss", why, "line 6"]);
    }
    let err = error_of(
        r#"{"members": [{"id": "a", "margin": "x", "required_margin": "1", "contribution": "1"}]}"#,
    );
    assert_mentions(&err, &["members[0].margin", "invalid amount \"x\""]);
}

#[test]
fn bad_params_are_named() {
    let scenario = |params: &str| format!(r#"{{"params": {params}, "members": {GOOD_MEMBERS}}}"#);
    let err = error_of(&scenario(r#"{"contribution_rate": "ten percent"}"#));
    assert_mentions(&err, &["params.contribution_rate", "invalid decimal"]);
    let err = error_of(&scenario(r#"{"assessment_multiple": 2}"#));
    assert_mentions(&err, &["params.assessment_multiple", "decimal strings"]);
    let err = error_of(&scenario(r#"{"cooling_off_period": "2419200"}"#));
    assert_mentions(&err, &["params.cooling_off_period", "expected u64"]);
    let err = error_of(&scenario(r#"{"sitg": "-1"}"#));
    assert_mentions(&err, &["params.sitg", "negative"]);
}

/// A misspelt key is an error wherever it is, never silently a default
/// (a newcomer's `"sitgg": "5"` ran with no SITG).
#[test]
fn a_misspelt_key_is_refused_and_named() {
    let scenario = |params: &str| format!(r#"{{"params": {params}, "members": {GOOD_MEMBERS}}}"#);
    let err = error_of(&scenario(r#"{"sitgg": "5"}"#));
    assert_mentions(&err, &["params", "unknown parameter 'sitgg'"]);
    let members = r#"[{"id": "a", "margn": "1", "margin": "1", "required_margin": "1", "contribution": "1"}]"#;
    let err = error_of(&format!(r#"{{"members": {members}}}"#));
    assert_mentions(&err, &["members[0]", "unknown field `margn`"]);
    let err = error_of(&with_events(
        r#"[{"advance": {"seconds": 1, "second": 2}}]"#,
    ));
    assert_mentions(&err, &["events[0]", "unknown field `second`"]);
    let err = error_of(&format!(r#"{{"members": {GOOD_MEMBERS}, "event": []}}"#));
    assert_mentions(&err, &["unknown field `event`"]);
}

#[test]
fn member_ids_must_be_unique_and_not_the_runners_own() {
    let members = |list: &str| format!(r#"{{"members": {list}}}"#);
    let m = |id: &str| {
        format!(r#"{{"id": "{id}", "margin": "1", "required_margin": "1", "contribution": "1"}}"#)
    };
    let err = error_of(&members(&format!("[{}, {}]", m("a"), m("a"))));
    assert_mentions(&err, &["members[1].id", "'a'", "more than once"]);
    let err = error_of(&members(&format!("[{}]", m("keeper"))));
    assert_mentions(&err, &["members[0].id", "reserved"]);
    let err = error_of(&members(&format!("[{}]", m(" "))));
    assert_mentions(&err, &["members[0].id", "empty"]);
}

#[test]
fn the_clock_cannot_run_past_what_the_chain_can_count() {
    let err = error_of(&with_events(
        r#"[{"advance": {"seconds": 18446744073709551615}}]"#,
    ));
    assert_mentions(&err, &["event 0", "advance", "100 years"]);
}

#[test]
fn parameters_the_contracts_refuse_are_reported_as_such() {
    let json = format!(r#"{{"params": {{"contribution_rate": "2"}}, "members": {GOOD_MEMBERS}}}"#);
    let scenario = Scenario::parse(&json).expect("well-formed");
    let err = clearing_sim::run::play(&scenario, clearing_sim::Settlement::Native).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert_mentions(&err.to_string(), &["set-up", "contribution_rate"]);
}

#[test]
fn the_binary_exits_2_with_a_one_line_error() {
    let dir = common::temp_dir("malformed-binary");
    let cases = [
        (
            "broken.json",
            "{\n\"members\": [\n}\n".to_string(),
            "line 3",
        ),
        (
            "unknown-param.json",
            with_events(r#"[{"update_params": {"rate": "0.2"}}]"#),
            "events[0].update_params: unknown parameter 'rate'",
        ),
    ];
    for (name, json, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, json).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_clearing-sim"))
            .arg(&path)
            .arg("--json")
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(out.stdout.is_empty(), "{name}");
        assert!(stderr.starts_with("error: "), "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains(expected),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(!dir.join(name.replace(".json", ".waterfall.svg")).exists());
    }
    let missing = Command::new(env!("CARGO_BIN_EXE_clearing-sim"))
        .arg(dir.join("absent.json"))
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
    let usage = Command::new(env!("CARGO_BIN_EXE_clearing-sim"))
        .arg("--frobnicate")
        .output()
        .expect("runs");
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage:"));
}
