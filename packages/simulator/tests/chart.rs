//! The waterfall chart: an SVG file with one labelled bar per default and
//! a legend of the six layers.

mod common;

use clearing_sim::cli::{ChartTarget, Options};
use clearing_sim::{chart, run, simulate, Scenario, Settlement};
use common::{scenario_file, temp_dir};

const LAYERS: [&str; 6] = [
    "defaulter_margin",
    "defaulter_contribution",
    "sitg",
    "mutual_fund",
    "assessments",
    "uncovered",
];

#[test]
fn one_bar_per_default_with_a_legend() {
    let dir = temp_dir("chart-bars");
    let path = dir.join("layers.svg");
    let mut opts = Options::new(scenario_file("layer-by-layer.json"));
    opts.chart = ChartTarget::Path(path.clone());
    let out = simulate(&opts).expect("runs");

    let svg = std::fs::read_to_string(&path).expect("the chart is written");
    assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
    assert!(svg.trim_end().ends_with("</svg>"));
    for (k, layer) in LAYERS.iter().enumerate() {
        assert!(
            svg.contains(&format!("{} {layer}", k + 1)),
            "legend lacks {layer}"
        );
    }
    let defaults = &out.report.defaults;
    assert_eq!(defaults.len(), 6);
    for (i, d) in defaults.iter().enumerate() {
        let label = format!("#{} {} · loss ", i + 1, d.member);
        assert_eq!(svg.matches(&label).count(), 1, "bar label {label:?}");
    }
    // Amounts of wide segments are written on the bars.
    assert!(
        svg.contains(">\n4,300,000\n<") || svg.contains(">4,300,000<"),
        "uncovered amount"
    );
    // No temporary file is left behind.
    assert!(!dir.join("layers.svg.tmp").exists());
}

#[test]
fn the_default_chart_goes_beside_the_scenario() {
    let dir = temp_dir("chart-beside");
    let scenario = dir.join("story.json");
    std::fs::copy(scenario_file("example-two-defaults.json"), &scenario).expect("copy");
    let mut opts = Options::new(&scenario);
    opts.json = true;
    let out = simulate(&opts).expect("runs");
    let chart = dir.join("story.waterfall.svg");
    let svg = std::fs::read_to_string(&chart).expect("chart beside the scenario");
    assert!(svg.contains("#1 draco") && svg.contains("#2 atlas"));
    assert!(out.stderr.iter().any(|n| n.contains("story.waterfall.svg")));

    opts.chart = ChartTarget::None;
    std::fs::remove_file(&chart).expect("remove");
    simulate(&opts).expect("runs");
    assert!(!chart.exists(), "--no-chart writes no chart");
}

#[test]
fn a_scenario_without_defaults_still_gets_a_chart_that_says_so() {
    let scenario = Scenario::parse(
        r#"{"members": [{"id": "a", "margin": "10", "required_margin": "5", "contribution": "200"}]}"#,
    )
    .expect("valid");
    let report = run::play(&scenario, Settlement::Native).expect("plays");
    let svg = chart::render(&report, "nothing happened").expect("renders");
    assert!(svg.contains("No default was declared"));
    assert!(svg.contains("1 defaulter_margin"));
}

#[test]
fn an_unwritable_chart_path_is_an_error_not_a_panic() {
    let mut opts = Options::new(scenario_file("example-one-default.json"));
    opts.chart = ChartTarget::Path(temp_dir("chart-unwritable").join("no/such/dir/c.svg"));
    let err = simulate(&opts).unwrap_err();
    assert_eq!(err.exit_code(), 1);
    assert!(err.to_string().contains("cannot write the chart"), "{err}");
}
