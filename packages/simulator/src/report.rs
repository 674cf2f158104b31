//! What a run produced, in the shape of SPEC §6's JSON report. Amounts are
//! `Uint128`, so they serialize as decimal strings.

use std::collections::BTreeMap;

use clearing_types::fund::{Layers, MemberResponse, MemberStatus};
use cosmwasm_std::{Decimal, Decimal256, Uint128, Uint256};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub defaults: Vec<DefaultEntry>,
    #[serde(rename = "final")]
    pub final_state: FinalState,
    pub events: Vec<EventOutcome>,
    pub refused_event_indexes: Vec<usize>,
    /// The fund's Coverage query after every default and at the end (an
    /// extra field of the report).
    pub coverage: CoverageReport,
    /// Conservation checks that failed after an event (never expected; the
    /// CLI prints them on stderr).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One declared default and how the waterfall covered it.
#[derive(Clone, Debug, Serialize)]
pub struct DefaultEntry {
    pub member: String,
    /// `close_out_loss + unpaid_assessments`: what the layers cover.
    pub loss: Uint128,
    /// The loss declared.
    pub close_out_loss: Uint128,
    /// The defaulter's unpaid assessment shares that joined its loss.
    pub unpaid_assessments: Uint128,
    pub layers: Layers,
    /// Per surviving member, what this default added to its assessment
    /// (zeros left out).
    pub assessed: BTreeMap<String, Uint128>,
    /// Index of the scenario event that declared it.
    #[serde(skip)]
    pub event_index: usize,
    /// Who declared it (`risk_engine` or `governance`).
    #[serde(skip)]
    pub declared_by: String,
}

/// The fund's Coverage query (SPEC v2 §7) after each default, in the order
/// of `defaults`, and after the last event.
#[derive(Clone, Debug, Serialize)]
pub struct CoverageReport {
    pub after_defaults: Vec<CoverageOutcome>,
    pub end: CoverageOutcome,
}

/// The Coverage query's answer, or `{"error": ...}` when the fund could not
/// answer it (the run goes on: coverage is a reading, not an event).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CoverageOutcome {
    Ok(Box<Coverage>),
    Failed { error: String },
}

/// Pre-funded resources against the Cover-n requirement. Sums of many
/// balances or exposures, so 256-bit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub cover: u8,
    /// The largest stress exposures, largest first, by member id.
    pub top_exposures: Vec<TopExposure>,
    /// `(1 + buffer) × Σ top exposures`.
    pub requirement: Uint256,
    /// The requirement less SITG: what the mutual fund should hold.
    pub target: Uint256,
    /// SITG plus every member's balance.
    pub prefunded: Uint256,
    /// `prefunded / requirement`; `null` with no exposure posted.
    pub ratio: Option<Decimal256>,
    /// The ratio is below 1: the pre-funded resources do not cover the
    /// default of the `cover` largest exposures.
    pub below_one: bool,
    /// `assessment_multiple × B` left in the cooling-off period.
    pub assessment_capacity: Uint256,
    pub ratio_with_assessments: Option<Decimal256>,
    /// `B`, rounded up.
    pub total_required: Uint256,
    pub contribution_rate: Decimal,
    /// `fixed` or `cover`.
    pub sizing: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TopExposure {
    pub member: String,
    pub exposure: Uint256,
}

#[derive(Clone, Debug, Serialize)]
pub struct FinalState {
    /// By member id.
    pub members: BTreeMap<String, FinalMember>,
    pub sitg: Uint128,
    pub uncovered_total: cosmwasm_std::Uint256,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FinalMember {
    /// Balance in the margin vault.
    pub margin: Uint128,
    /// Balance in the default fund; for a defaulter, what is held for it
    /// of its own stake (SPEC §6).
    pub contribution: Uint128,
    pub assessment_owed: Uint128,
    pub fees_claimable: Uint128,
    pub status: Status,
}

/// A member's status in plain words: SPEC §6's `active`, `in_breach` and
/// `defaulted`, and `closed` (a default governance closed), `suspended`
/// (by the risk engine, pending governance), `exiting` (notice given) and
/// `exited` (left both contracts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    InBreach,
    Defaulted,
    Closed,
    Suspended,
    Exiting,
    Exited,
}

impl Status {
    /// A member in breach stays `in_breach` whether or not it is also
    /// suspended or exiting; otherwise suspension shows before a notice.
    pub fn of(member: &MemberResponse) -> Status {
        match member.status {
            MemberStatus::Defaulted => Status::Defaulted,
            MemberStatus::Closed => Status::Closed,
            MemberStatus::Exited => Status::Exited,
            MemberStatus::InBreach => Status::InBreach,
            MemberStatus::Active if member.suspended => Status::Suspended,
            MemberStatus::Active if member.exit_notice_at.is_some() => Status::Exiting,
            MemberStatus::Active => Status::Active,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::InBreach => "in_breach",
            Status::Defaulted => "defaulted",
            Status::Closed => "closed",
            Status::Suspended => "suspended",
            Status::Exiting => "exiting",
            Status::Exited => "exited",
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
