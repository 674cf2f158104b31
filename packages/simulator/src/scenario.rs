//! The scenario file (SPEC §6): deployment parameters, members and the
//! events to play. Parsing reports the field path and the line of the first
//! problem; [`Scenario::validate`] then checks what JSON alone cannot (unique
//! member ids, events naming known members).

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use clearing_types::fund::FundParams;
use cosmwasm_std::Uint128;
use serde::Deserialize;

use crate::values::{Amount, Rate};

/// Names the suite gives its own accounts; a member may not take one.
pub const RESERVED_IDS: [&str; 7] = [
    "admin",
    "risk_engine",
    "operator",
    "loss_recipient",
    "guardian",
    "fee_payer",
    "keeper",
];

/// How far all `advance` events together may move the block time.
pub const MAX_ADVANCE: u64 = 100 * 365 * 86_400;

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("cannot read the file: {0}")]
    Read(#[source] std::io::Error),
    /// The JSON is malformed or a field has the wrong shape.
    #[error("line {line}, column {column}: {}{message}", field_prefix(.field))]
    Json {
        line: usize,
        column: usize,
        /// Path of the offending field, e.g. `events[3].default.loss`.
        field: String,
        message: String,
    },
    /// Well-formed JSON that does not describe a playable scenario.
    #[error("{0}")]
    Invalid(String),
}

fn field_prefix(field: &str) -> String {
    if field.is_empty() || field == "." {
        String::new()
    } else {
        format!("{field}: ")
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Scenario {
    /// Free text shown at the top of the human report.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub params: Params,
    pub members: Vec<MemberSpec>,
    #[serde(default)]
    pub events: Vec<Event>,
}

/// `params`: every field is optional and falls back to
/// [`FundParams::default`] (and no SITG).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Params {
    pub sitg: Option<Amount>,
    pub min_contribution: Option<Amount>,
    pub contribution_rate: Option<Rate>,
    pub assessment_multiple: Option<Rate>,
    pub cooling_off_period: Option<u64>,
    pub assessment_deadline: Option<u64>,
    pub replenishment_period: Option<u64>,
    pub withdrawal_notice_period: Option<u64>,
}

impl Params {
    pub fn sitg(&self) -> u128 {
        self.sitg.unwrap_or_default().u128()
    }

    pub fn fund_params(&self) -> FundParams {
        let d = FundParams::default();
        FundParams {
            min_contribution: self
                .min_contribution
                .map_or(d.min_contribution, |a| Uint128::new(a.u128())),
            contribution_rate: self.contribution_rate.map_or(d.contribution_rate, |r| r.0),
            assessment_multiple: self
                .assessment_multiple
                .map_or(d.assessment_multiple, |r| r.0),
            cooling_off_period: self.cooling_off_period.unwrap_or(d.cooling_off_period),
            assessment_deadline: self.assessment_deadline.unwrap_or(d.assessment_deadline),
            replenishment_period: self.replenishment_period.unwrap_or(d.replenishment_period),
            withdrawal_notice_period: self
                .withdrawal_notice_period
                .unwrap_or(d.withdrawal_notice_period),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct MemberSpec {
    pub id: String,
    pub margin: Amount,
    pub required_margin: Amount,
    pub contribution: Amount,
}

/// One step of the story, written `{"<kind>": {...}}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Default { member: String, loss: Amount },
    Advance { seconds: u64 },
    PayAssessment { member: String },
    DepositMargin { member: String, amount: Amount },
    WithdrawMargin { member: String, amount: Amount },
    SetRequiredMargin { member: String, amount: Amount },
    Contribute { member: String, amount: Amount },
    RequestWithdrawal { member: String, amount: Amount },
    ClaimWithdrawal { member: String },
    EnforceAssessment { member: String },
    EnforceReplenishment { member: String },
    DistributeFees { amount: Amount },
    ClaimFees { member: String },
}

impl Event {
    /// The key the event is written under.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Default { .. } => "default",
            Event::Advance { .. } => "advance",
            Event::PayAssessment { .. } => "pay_assessment",
            Event::DepositMargin { .. } => "deposit_margin",
            Event::WithdrawMargin { .. } => "withdraw_margin",
            Event::SetRequiredMargin { .. } => "set_required_margin",
            Event::Contribute { .. } => "contribute",
            Event::RequestWithdrawal { .. } => "request_withdrawal",
            Event::ClaimWithdrawal { .. } => "claim_withdrawal",
            Event::EnforceAssessment { .. } => "enforce_assessment",
            Event::EnforceReplenishment { .. } => "enforce_replenishment",
            Event::DistributeFees { .. } => "distribute_fees",
            Event::ClaimFees { .. } => "claim_fees",
        }
    }

    /// The member the event names, if any.
    pub fn member(&self) -> Option<&str> {
        match self {
            Event::Default { member, .. }
            | Event::PayAssessment { member }
            | Event::DepositMargin { member, .. }
            | Event::WithdrawMargin { member, .. }
            | Event::SetRequiredMargin { member, .. }
            | Event::Contribute { member, .. }
            | Event::RequestWithdrawal { member, .. }
            | Event::ClaimWithdrawal { member }
            | Event::EnforceAssessment { member }
            | Event::EnforceReplenishment { member }
            | Event::ClaimFees { member } => Some(member),
            Event::Advance { .. } | Event::DistributeFees { .. } => None,
        }
    }

    /// The amount the event carries (loss, deposit, fee...), if any.
    pub fn amount(&self) -> Option<u128> {
        match self {
            Event::Default { loss: a, .. }
            | Event::DepositMargin { amount: a, .. }
            | Event::WithdrawMargin { amount: a, .. }
            | Event::SetRequiredMargin { amount: a, .. }
            | Event::Contribute { amount: a, .. }
            | Event::RequestWithdrawal { amount: a, .. }
            | Event::DistributeFees { amount: a } => Some(a.u128()),
            _ => None,
        }
    }
}

impl fmt::Display for Event {
    /// `default draco 9000000`, `advance 86400s`, `claim_fees atlas`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.kind())?;
        if let Event::Advance { seconds } = self {
            write!(f, " {seconds}s")?;
        }
        if let Some(member) = self.member() {
            write!(f, " {member}")?;
        }
        if let Some(amount) = self.amount() {
            write!(f, " {amount}")?;
        }
        Ok(())
    }
}

impl Scenario {
    /// Reads and checks a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(ScenarioError::Read)?;
        Scenario::parse(&text)
    }

    /// Parses and checks a scenario given as JSON text.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let scenario: Scenario = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| json_error(e.path().to_string(), e.into_inner()))?;
        // Trailing garbage after the object is an error too.
        de.end().map_err(|e| json_error(String::new(), e))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// What JSON shape alone cannot say.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let invalid = |msg: String| Err(ScenarioError::Invalid(msg));
        let mut seen = HashSet::new();
        for (i, m) in self.members.iter().enumerate() {
            if m.id.trim().is_empty() {
                return invalid(format!("members[{i}].id: a member id cannot be empty"));
            }
            if RESERVED_IDS.contains(&m.id.as_str()) {
                return invalid(format!(
                    "members[{i}].id: '{}' is reserved for one of the runner's own accounts ({})",
                    m.id,
                    RESERVED_IDS.join(", ")
                ));
            }
            if !seen.insert(m.id.as_str()) {
                return invalid(format!(
                    "members[{i}].id: '{}' is listed more than once",
                    m.id
                ));
            }
        }
        let mut advanced: u64 = 0;
        for (i, event) in self.events.iter().enumerate() {
            if let Some(member) = event.member() {
                if !seen.contains(member) {
                    return invalid(format!("event {i}: unknown member '{member}'"));
                }
            }
            if let Event::Advance { seconds } = event {
                advanced = advanced.saturating_add(*seconds);
                if advanced > MAX_ADVANCE {
                    return invalid(format!(
                        "event {i}: advance: the events move the clock {advanced} seconds in all, \
                         more than the {MAX_ADVANCE} (100 years) the runner plays"
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn member_ids(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|m| m.id.as_str())
    }
}

fn json_error(field: String, inner: serde_json::Error) -> ScenarioError {
    let (line, column) = (inner.line(), inner.column());
    // serde_json appends " at line L column C"; the location has its own place.
    let full = inner.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    let message = if inner.is_syntax() || inner.is_eof() {
        format!("invalid JSON: {message}")
    } else {
        message
    };
    ScenarioError::Json {
        line,
        column,
        field,
        message,
    }
}
