//! The scenario runner behind `scripts/simulate.sh` (SPEC §6): plays a
//! scenario file through the real margin vault and default fund on an
//! in-process chain (cw-multi-test, via the `clearing-suite` builder, with
//! governance holding every admin right) and reports every default's
//! waterfall, the fund's coverage after it and at the end, every refused
//! event and the members' final state, as text or JSON, with an SVG
//! waterfall chart.
//!
//! ```no_run
//! use clearing_sim::{cli::Options, simulate};
//! let out = simulate(&Options::new("scenarios/demo.json")).unwrap();
//! print!("{}", out.stdout);
//! ```

pub mod chart;
pub mod cli;
pub mod error;
pub mod names;
pub mod report;
pub mod run;
pub mod scenario;
pub mod text;
pub mod values;

pub use clearing_suite::Settlement;
pub use error::SimError;
pub use report::Report;
pub use scenario::{Scenario, ScenarioError};

use cli::Options;

/// What a run prints.
#[derive(Clone, Debug)]
pub struct Output {
    /// The report: text, or JSON with `--json`.
    pub stdout: String,
    /// Notes for stderr (where the chart went with `--json`, warnings).
    pub stderr: Vec<String>,
    pub report: Report,
}

/// Loads the scenario, plays it, writes the chart and renders the report.
pub fn simulate(opts: &Options) -> Result<Output, SimError> {
    let scenario_path = opts.scenario.display().to_string();
    let scenario = Scenario::load(&opts.scenario).map_err(|source| SimError::Scenario {
        file: scenario_path.clone(),
        source,
    })?;
    let chart_path = opts.chart_path();
    // Before the run: a chart that cannot be written fails at once, not
    // after the report is made.
    if let Some(path) = &chart_path {
        chart::ensure_writable(path)?;
    }
    let report = run::play(&scenario, opts.settlement)?;

    if let Some(path) = &chart_path {
        let stem = opts
            .scenario
            .file_stem()
            .map_or("scenario".into(), |s| s.to_string_lossy());
        let title = format!(
            "Loss waterfall: {stem} ({})",
            settlement_label(opts.settlement)
        );
        chart::write(&report, &title, path)?;
    }
    let chart_label = chart_path.as_ref().map(|p| p.display().to_string());

    let mut stderr: Vec<String> = report
        .warnings
        .iter()
        .map(|w| format!("warning: {w}"))
        .collect();
    let stdout = if opts.json {
        if let Some(chart) = &chart_label {
            stderr.push(format!("waterfall chart: {chart}"));
        }
        let mut json = report
            .to_json()
            .map_err(|e| SimError::Output(format!("cannot serialize the report: {e}")))?;
        json.push('\n');
        json
    } else {
        text::render(
            &scenario,
            &report,
            &text::Context {
                scenario_path: &scenario_path,
                settlement: settlement_label(opts.settlement),
                chart: chart_label.as_deref(),
            },
        )
    };
    Ok(Output {
        stdout,
        stderr,
        report,
    })
}

pub fn settlement_label(settlement: Settlement) -> &'static str {
    match settlement {
        Settlement::Native => "native denom uclear",
        Settlement::Cw20 => "cw20-base token",
    }
}
