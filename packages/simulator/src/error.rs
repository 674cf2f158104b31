//! Why a run could not produce a report, and the exit code that says so.
//! A refused event is not one of these: it is part of the report.

use crate::scenario::ScenarioError;

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Wrong command line.
    #[error("{0}")]
    Usage(String),

    /// The scenario file cannot be read, parsed or played as written.
    #[error("{file}: {source}")]
    Scenario {
        file: String,
        #[source]
        source: ScenarioError,
    },

    /// The contracts refused the scenario's set-up (parameters, members).
    #[error("the contracts refused the scenario's set-up: {0}")]
    Deploy(String),

    /// A query the runner relies on failed: a bug, not a bad scenario.
    #[error("querying the contracts failed: {0:#}")]
    Query(anyhow::Error),

    /// The report or chart could not be written.
    #[error("{0}")]
    Output(String),
}

impl SimError {
    /// 2 for anything the user can fix in the command or the scenario,
    /// 1 for the rest.
    pub fn exit_code(&self) -> u8 {
        match self {
            SimError::Usage(_) | SimError::Scenario { .. } | SimError::Deploy(_) => 2,
            SimError::Query(_) | SimError::Output(_) => 1,
        }
    }
}
