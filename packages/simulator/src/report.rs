//! What a run produced, in the shape of SPEC §6's JSON report. Amounts are
//! `Uint128`, so they serialize as decimal strings.

use std::collections::BTreeMap;

use clearing_types::fund::{Layers, MemberStatus};
use cosmwasm_std::Uint128;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub defaults: Vec<DefaultEntry>,
    #[serde(rename = "final")]
    pub final_state: FinalState,
    pub events: Vec<EventOutcome>,
    pub refused_event_indexes: Vec<usize>,
    /// Conservation checks that failed after an event (never expected; the
    /// CLI prints them on stderr).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One declared default and how the waterfall covered it.
#[derive(Clone, Debug, Serialize)]
pub struct DefaultEntry {
    pub member: String,
    pub loss: Uint128,
    pub layers: Layers,
    /// Per surviving member, what this default added to its assessment
    /// (zeros left out).
    pub assessed: BTreeMap<String, Uint128>,
    /// Index of the scenario event that declared it.
    #[serde(skip)]
    pub event_index: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct FinalState {
    /// By member id.
    pub members: BTreeMap<String, FinalMember>,
    pub sitg: Uint128,
    pub uncovered_total: Uint128,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FinalMember {
    /// Balance in the margin vault.
    pub margin: Uint128,
    /// Balance in the default fund.
    pub contribution: Uint128,
    pub assessment_owed: Uint128,
    pub fees_claimable: Uint128,
    pub status: Status,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    InBreach,
    Defaulted,
}

impl From<MemberStatus> for Status {
    fn from(status: MemberStatus) -> Self {
        match status {
            MemberStatus::Active => Status::Active,
            MemberStatus::InBreach => Status::InBreach,
            // A default governance closed is still a default.
            MemberStatus::Defaulted | MemberStatus::Closed => Status::Defaulted,
        }
    }
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::InBreach => "in_breach",
            Status::Defaulted => "defaulted",
        }
    }
}

/// How one scenario event went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventOutcome {
    /// Done: the event's kind and the figures the contract reported
    /// (its response attributes, addresses replaced by names).
    Ok {
        kind: &'static str,
        figures: Vec<(String, String)>,
    },
    /// The contracts refused it with this message.
    Refused { error: String },
}

impl EventOutcome {
    pub fn is_refused(&self) -> bool {
        matches!(self, EventOutcome::Refused { .. })
    }
}

impl Serialize for EventOutcome {
    /// `{"ok": "<kind>", "<figure>": "<value>", ...}` or `{"error": "..."}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EventOutcome::Ok { kind, figures } => {
                let mut map = serializer.serialize_map(Some(figures.len() + 1))?;
                map.serialize_entry("ok", kind)?;
                for (key, value) in figures {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            EventOutcome::Refused { error } => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("error", error)?;
                map.end()
            }
        }
    }
}

impl Report {
    /// The JSON report, pretty-printed.
    pub fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string_pretty(self)
    }
}
