//! The command line: `clearing-sim SCENARIO.json [--json] [--chart PATH |
//! --no-chart] [--native | --cw20]`.

use std::path::PathBuf;

use clearing_suite::Settlement;

use crate::error::SimError;

pub const USAGE: &str = "\
usage: scripts/simulate.sh SCENARIO.json [--json] [--chart PATH | --no-chart] [--native | --cw20]

Plays SCENARIO.json through the margin vault, the default fund and
governance on an in-process chain (cw-multi-test) and reports each
default's waterfall, the fund's coverage after it and at the end (flagged
below 1), every refused event and the members' final state.

  --json         print the report as JSON (SPEC section 6) and nothing else on stdout
  --chart PATH   write the waterfall chart (SVG) to PATH
                 (default: SCENARIO.waterfall.svg beside the scenario file)
  --no-chart     write no chart
  --native       settle in a native bank denom (the default)
  --cw20         settle in a cw20-base token
  -h, --help     show this help

Exit codes: 0 played, 2 bad command line or scenario, 1 anything else.";

/// Where the chart goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChartTarget {
    /// `<scenario-stem>.waterfall.svg` beside the scenario.
    BesideScenario,
    Path(PathBuf),
    None,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub scenario: PathBuf,
    pub json: bool,
    pub chart: ChartTarget,
    pub settlement: Settlement,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Run(Options),
    Help,
}

impl Options {
    pub fn new(scenario: impl Into<PathBuf>) -> Self {
        Options {
            scenario: scenario.into(),
            json: false,
            chart: ChartTarget::BesideScenario,
            settlement: Settlement::Native,
        }
    }

    /// The chart's path, if one is to be written.
    pub fn chart_path(&self) -> Option<PathBuf> {
        match &self.chart {
            ChartTarget::None => None,
            ChartTarget::Path(path) => Some(path.clone()),
            ChartTarget::BesideScenario => {
                let stem = self
                    .scenario
                    .file_stem()
                    .map_or("scenario".into(), |s| s.to_string_lossy());
                Some(
                    self.scenario
                        .with_file_name(format!("{stem}.waterfall.svg")),
                )
            }
        }
    }
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, SimError> {
    let usage = |msg: String| SimError::Usage(format!("{msg}\n\n{USAGE}"));
    let mut scenario = None;
    let mut json = false;
    let mut chart = None;
    let mut settlement = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--json" => json = true,
            "--native" | "--cw20" => {
                let chosen = if arg == "--cw20" {
                    Settlement::Cw20
                } else {
                    Settlement::Native
                };
                if settlement.is_some_and(|s| s != chosen) {
                    return Err(usage("--native and --cw20 exclude each other".into()));
                }
                settlement = Some(chosen);
            }
            "--no-chart" => set_chart(&mut chart, ChartTarget::None).map_err(usage)?,
            "--chart" => {
                let path = args
                    .next()
                    .filter(|p| !p.is_empty())
                    .ok_or_else(|| usage("--chart needs a path".into()))?;
                set_chart(&mut chart, ChartTarget::Path(path.into())).map_err(usage)?;
            }
            _ if arg.starts_with("--chart=") => {
                let path = arg.strip_prefix("--chart=").unwrap_or_default();
                if path.is_empty() {
                    return Err(usage("--chart needs a path".into()));
                }
                set_chart(&mut chart, ChartTarget::Path(path.into())).map_err(usage)?;
            }
            _ if arg.starts_with('-') && arg != "-" => {
                return Err(usage(format!("unknown option {arg}")));
            }
            _ => {
                if scenario.is_some() {
                    return Err(usage(format!("one scenario file only; also got {arg}")));
                }
                scenario = Some(PathBuf::from(arg));
            }
        }
    }
    let scenario = scenario.ok_or_else(|| usage("no scenario file given".into()))?;
    Ok(Command::Run(Options {
        scenario,
        json,
        chart: chart.unwrap_or(ChartTarget::BesideScenario),
        settlement: settlement.unwrap_or(Settlement::Native),
    }))
}

fn set_chart(chart: &mut Option<ChartTarget>, target: ChartTarget) -> Result<(), String> {
    match chart {
        Some(previous) if *previous != target => {
            Err("give one of --chart PATH and --no-chart, once".into())
        }
        _ => {
            *chart = Some(target);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn run(list: &[&str]) -> Options {
        match parse(args(list)) {
            Ok(Command::Run(o)) => o,
            other => panic!("{list:?}: {other:?}"),
        }
    }

    #[test]
    fn defaults_are_human_native_and_a_chart_beside_the_scenario() {
        let o = run(&["dir/demo.json"]);
        assert_eq!(o, Options::new("dir/demo.json"));
        assert_eq!(
            o.chart_path(),
            Some(PathBuf::from("dir/demo.waterfall.svg"))
        );
    }

    #[test]
    fn flags_in_any_order() {
        let o = run(&["--cw20", "--chart", "out.svg", "s.json", "--json"]);
        assert!(o.json);
        assert_eq!(o.settlement, Settlement::Cw20);
        assert_eq!(o.chart_path(), Some(PathBuf::from("out.svg")));
        assert_eq!(run(&["s.json", "--no-chart"]).chart_path(), None);
        assert_eq!(
            run(&["s.json", "--chart=x.svg"]).chart,
            ChartTarget::Path("x.svg".into())
        );
    }

    #[test]
    fn bad_command_lines_are_usage_errors() {
        for bad in [
            &[][..],
            &["a.json", "b.json"],
            &["a.json", "--frobnicate"],
            &["a.json", "--chart"],
            &["a.json", "--native", "--cw20"],
            &["a.json", "--chart", "x.svg", "--no-chart"],
        ] {
            let err = parse(args(bad)).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad:?}");
            assert!(err.to_string().contains("usage:"), "{bad:?}: {err}");
        }
        assert_eq!(parse(args(&["--help"])).unwrap(), Command::Help);
    }
}
