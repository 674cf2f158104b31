//! The scenario file (SPEC §6): deployment parameters, members and the
//! events to play. Parsing reports the field path and the line of the first
//! problem; [`Scenario::validate`] then checks what JSON alone cannot (unique
//! member ids, `update_params` bodies, the clock). An event naming a member
//! the scenario does not list is not a file error: it is refused when it is
//! played, and the run goes on (SPEC §6).

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

use clearing_suite::GovernanceSpec;
use clearing_types::fund::{FundParams, SizingParams};
use clearing_types::ledger::Basis;
use cosmwasm_std::{Decimal, Uint128};
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
#[serde(deny_unknown_fields)]
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

/// `params`: every field is optional and falls back to the runner's
/// defaults ([`FundParams::default`], no SITG, SPEC §6: a claim window of
/// 604800 seconds, no risk-engine limit, `fixed` sizing, an execution
/// window of 604800 seconds). The same shape, without `sitg` and
/// `execution_window`, is the body of an `update_params` event, where a
/// field not given keeps its current value.
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
    pub withdrawal_claim_window: Option<u64>,
    /// `"1000"`: the most the risk engine alone may mutualise in one
    /// default; `null`: no limit.
    #[serde(default, deserialize_with = "given")]
    pub risk_engine_mutualised_limit: Option<Option<Amount>>,
    pub sizing: Option<SizingPatch>,
    /// Governance: seconds a passed proposal stays executable after its
    /// timelock (deployment only).
    pub execution_window: Option<u64>,
    /// Fields the runner does not know: refused (named in the error).
    #[serde(flatten)]
    pub unknown: BTreeMap<String, serde_json::Value>,
}

/// `params.sizing` (SPEC v2 §7); every field optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizingPatch {
    pub mode: Option<SizingMode>,
    pub cover: Option<u8>,
    pub buffer: Option<Rate>,
    pub min_rate: Option<Rate>,
    pub max_rate: Option<Rate>,
    pub max_rate_step: Option<Rate>,
    pub recalibration_interval: Option<u64>,
}

/// `fixed`: contributions on required margin at a rate governance sets;
/// `cover`: on stress exposure at a recalibrated rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizingMode {
    Fixed,
    Cover,
}

impl SizingMode {
    pub fn basis(self) -> Basis {
        match self {
            SizingMode::Fixed => Basis::RequiredMargin,
            SizingMode::Cover => Basis::StressExposure,
        }
    }

    pub fn of(basis: Basis) -> &'static str {
        match basis {
            Basis::RequiredMargin => "fixed",
            Basis::StressExposure => "cover",
        }
    }
}

/// A field that may be given as `null`: `Some(None)`, unlike a missing one.
fn given<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl Params {
    pub fn sitg(&self) -> u128 {
        self.sitg.unwrap_or_default().u128()
    }

    /// The governance deployment: the suite's defaults and the scenario's
    /// execution window (604800 seconds unless given).
    pub fn governance(&self) -> GovernanceSpec {
        GovernanceSpec {
            execution_window: self.execution_window.unwrap_or(7 * 86_400),
            ..GovernanceSpec::default()
        }
    }

    /// The fund's parameters at deployment.
    pub fn fund_params(&self) -> FundParams {
        self.apply(FundParams::default())
    }

    /// `current` with every field this gives replaced.
    pub fn apply(&self, current: FundParams) -> FundParams {
        let amount = |a: Option<Amount>, d: Uint128| a.map_or(d, |a| Uint128::new(a.u128()));
        let rate = |r: Option<Rate>, d: Decimal| r.map_or(d, |r| r.0);
        let s = self.sizing.clone().unwrap_or_default();
        let d = current.sizing;
        FundParams {
            min_contribution: amount(self.min_contribution, current.min_contribution),
            contribution_rate: rate(self.contribution_rate, current.contribution_rate),
            assessment_multiple: rate(self.assessment_multiple, current.assessment_multiple),
            cooling_off_period: self
                .cooling_off_period
                .unwrap_or(current.cooling_off_period),
            assessment_deadline: self
                .assessment_deadline
                .unwrap_or(current.assessment_deadline),
            replenishment_period: self
                .replenishment_period
                .unwrap_or(current.replenishment_period),
            withdrawal_notice_period: self
                .withdrawal_notice_period
                .unwrap_or(current.withdrawal_notice_period),
            withdrawal_claim_window: self
                .withdrawal_claim_window
                .unwrap_or(current.withdrawal_claim_window),
            risk_engine_mutualised_limit: match self.risk_engine_mutualised_limit {
                Some(limit) => limit.map(|a| Uint128::new(a.u128())),
                None => current.risk_engine_mutualised_limit,
            },
            sizing: SizingParams {
                mode: s.mode.map_or(d.mode, SizingMode::basis),
                cover: s.cover.unwrap_or(d.cover),
                buffer: rate(s.buffer, d.buffer),
                min_rate: rate(s.min_rate, d.min_rate),
                max_rate: rate(s.max_rate, d.max_rate),
                max_rate_step: rate(s.max_rate_step, d.max_rate_step),
                recalibration_interval: s
                    .recalibration_interval
                    .unwrap_or(d.recalibration_interval),
            },
        }
    }

    /// The fields given, as `name value` (for the text report).
    pub fn given(&self) -> Vec<String> {
        let mut out = vec![];
        let mut put = |name: &str, value: Option<String>| {
            if let Some(v) = value {
                out.push(format!("{name} {v}"));
            }
        };
        let a = |a: Option<Amount>| a.map(|a| a.u128().to_string());
        let r = |r: Option<Rate>| r.map(|r| r.0.to_string());
        let n = |n: Option<u64>| n.map(|n| n.to_string());
        put("sitg", a(self.sitg));
        put("min_contribution", a(self.min_contribution));
        put("contribution_rate", r(self.contribution_rate));
        put("assessment_multiple", r(self.assessment_multiple));
        put("cooling_off_period", n(self.cooling_off_period));
        put("assessment_deadline", n(self.assessment_deadline));
        put("replenishment_period", n(self.replenishment_period));
        put("withdrawal_notice_period", n(self.withdrawal_notice_period));
        put("withdrawal_claim_window", n(self.withdrawal_claim_window));
        put(
            "risk_engine_mutualised_limit",
            self.risk_engine_mutualised_limit
                .map(|l| l.map_or("none".into(), |a| a.u128().to_string())),
        );
        if let Some(s) = &self.sizing {
            put(
                "sizing.mode",
                s.mode.map(|m| SizingMode::of(m.basis()).to_string()),
            );
            put("sizing.cover", s.cover.map(|c| c.to_string()));
            put("sizing.buffer", r(s.buffer));
            put("sizing.min_rate", r(s.min_rate));
            put("sizing.max_rate", r(s.max_rate));
            put("sizing.max_rate_step", r(s.max_rate_step));
            put("sizing.recalibration_interval", n(s.recalibration_interval));
        }
        put("execution_window", n(self.execution_window));
        out
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberSpec {
    pub id: String,
    pub margin: Amount,
    pub required_margin: Amount,
    pub contribution: Amount,
}

/// Who declares a default: the risk engine (within its limit, SPEC v2
/// "Bounded risk engine") unless the scenario says governance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Declarer {
    #[default]
    RiskEngine,
    Governance,
}

/// The default a recovery is recorded against: its defaulter's member id
/// (`"draco"`) or the default's id in the fund (`1`, counted from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DefaultRef {
    Member(String),
    Id(u64),
}

impl<'de> Deserialize<'de> for DefaultRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RefVisitor;

        impl serde::de::Visitor<'_> for RefVisitor {
            type Value = DefaultRef;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("the defaulter's member id (\"draco\") or the default's id (1)")
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<DefaultRef, E> {
                Ok(DefaultRef::Member(s.to_string()))
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<DefaultRef, E> {
                Ok(DefaultRef::Id(n))
            }
        }

        deserializer.deserialize_any(RefVisitor)
    }
}

impl fmt::Display for DefaultRef {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            DefaultRef::Member(m) => write!(f, "{m}"),
            DefaultRef::Id(id) => write!(f, "#{id}"),
        }
    }
}

/// One member's stress exposure in a `set_exposures` batch.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExposureSpec {
    pub member: String,
    pub amount: Amount,
}

/// One step of the story, written `{"<kind>": {...}}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    Default {
        member: String,
        loss: Amount,
        #[serde(default)]
        by: Declarer,
    },
    Advance {
        seconds: u64,
    },
    PayAssessment {
        member: String,
    },
    DepositMargin {
        member: String,
        amount: Amount,
    },
    WithdrawMargin {
        member: String,
        amount: Amount,
    },
    SetRequiredMargin {
        member: String,
        amount: Amount,
    },
    Contribute {
        member: String,
        amount: Amount,
    },
    RequestWithdrawal {
        member: String,
        amount: Amount,
    },
    ClaimWithdrawal {
        member: String,
    },
    EnforceAssessment {
        member: String,
    },
    EnforceReplenishment {
        member: String,
    },
    DistributeFees {
        amount: Amount,
    },
    ClaimFees {
        member: String,
    },
    /// Governance changes the fund's parameters: the fields given, over
    /// the current ones.
    UpdateParams(Box<Params>),
    /// The risk engine posts one member's stress exposure.
    SetExposure {
        member: String,
        amount: Amount,
    },
    /// The risk engine posts several in one message.
    SetExposures(Vec<ExposureSpec>),
    /// Anyone recalibrates the contribution rate (`cover` sizing).
    Recalibrate {},
    /// The risk engine suspends a member.
    Suspend {
        member: String,
    },
    /// Governance lifts a suspension.
    Unsuspend {
        member: String,
    },
    /// The member gives notice to exit.
    RequestExit {
        member: String,
    },
    /// Governance forces a member's exit notice.
    ForceExit {
        member: String,
    },
    /// Anyone completes a member's exit after its notice.
    CompleteExit {
        member: String,
    },
    /// Governance closes a member's default.
    CloseDefault {
        member: String,
    },
    /// A closed defaulter takes out what the fund held for it.
    ClaimReleased {
        member: String,
    },
    /// The loss recipient records a recovery against a closed default.
    RecordRecovery {
        default: DefaultRef,
        amount: Amount,
    },
    /// A member (or former member) claims its recovery credits.
    ClaimRecoveries {
        member: String,
    },
    /// The operator adds to the SITG tranche.
    FundSitg {
        amount: Amount,
    },
    /// Governance shuts the vault and the fund down (one transaction).
    Shutdown {},
    /// The operator takes out what is left of the SITG tranche.
    WithdrawSitg {},
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
            Event::UpdateParams(_) => "update_params",
            Event::SetExposure { .. } => "set_exposure",
            Event::SetExposures(_) => "set_exposures",
            Event::Recalibrate {} => "recalibrate",
            Event::Suspend { .. } => "suspend",
            Event::Unsuspend { .. } => "unsuspend",
            Event::RequestExit { .. } => "request_exit",
            Event::ForceExit { .. } => "force_exit",
            Event::CompleteExit { .. } => "complete_exit",
            Event::CloseDefault { .. } => "close_default",
            Event::ClaimReleased { .. } => "claim_released",
            Event::RecordRecovery { .. } => "record_recovery",
            Event::ClaimRecoveries { .. } => "claim_recoveries",
            Event::FundSitg { .. } => "fund_sitg",
            Event::Shutdown {} => "shutdown",
            Event::WithdrawSitg {} => "withdraw_sitg",
        }
    }

    /// The member the event is about, if it names one.
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
            | Event::ClaimFees { member }
            | Event::SetExposure { member, .. }
            | Event::Suspend { member }
            | Event::Unsuspend { member }
            | Event::RequestExit { member }
            | Event::ForceExit { member }
            | Event::CompleteExit { member }
            | Event::CloseDefault { member }
            | Event::ClaimReleased { member }
            | Event::ClaimRecoveries { member } => Some(member),
            Event::RecordRecovery {
                default: DefaultRef::Member(member),
                ..
            } => Some(member),
            _ => None,
        }
    }

    /// Every member the event names (a batch names several).
    pub fn members(&self) -> Vec<&str> {
        match self {
            Event::SetExposures(list) => list.iter().map(|e| e.member.as_str()).collect(),
            other => other.member().into_iter().collect(),
        }
    }

    /// Whether the event moves the Cover-n requirement or the rate: the
    /// report gives the coverage after it.
    pub fn changes_sizing(&self) -> bool {
        matches!(
            self,
            Event::SetExposure { .. }
                | Event::SetExposures(_)
                | Event::Recalibrate {}
                | Event::UpdateParams(_)
        )
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
            | Event::DistributeFees { amount: a }
            | Event::SetExposure { amount: a, .. }
            | Event::RecordRecovery { amount: a, .. }
            | Event::FundSitg { amount: a } => Some(a.u128()),
            _ => None,
        }
    }
}

impl fmt::Display for Event {
    /// `default draco 9000000`, `advance 86400s`, `claim_fees atlas`,
    /// `record_recovery draco 50000`, `update_params contribution_rate 0.2`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.kind())?;
        match self {
            Event::Advance { seconds } => write!(f, " {seconds}s")?,
            Event::RecordRecovery {
                default: DefaultRef::Id(id),
                ..
            } => write!(f, " #{id}")?,
            Event::SetExposures(list) if list.len() > 2 => {
                let total = list
                    .iter()
                    .fold(0u128, |sum, e| sum.saturating_add(e.amount.u128()));
                write!(f, " {} members, {total} in all", list.len())?;
            }
            Event::SetExposures(list) => {
                let posts: Vec<String> = list
                    .iter()
                    .map(|e| format!("{} {}", e.member, e.amount.u128()))
                    .collect();
                write!(f, " {}", posts.join(", "))?;
            }
            Event::UpdateParams(p) => write!(f, " {}", p.given().join(", "))?,
            _ => {}
        }
        if let Some(member) = self.member() {
            write!(f, " {member}")?;
        }
        if let Some(amount) = self.amount() {
            write!(f, " {amount}")?;
        }
        if let Event::Default {
            by: Declarer::Governance,
            ..
        } = self
        {
            f.write_str(" by governance")?;
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
        if let Some(name) = self.params.unknown.keys().next() {
            return invalid(format!("params: unknown parameter '{name}'"));
        }
        let mut advanced: u64 = 0;
        for (i, event) in self.events.iter().enumerate() {
            // A member the scenario does not list is not an error of the
            // file: that event is refused when it is played (SPEC §6).
            if let Event::UpdateParams(p) = event {
                let at = format!("events[{i}].update_params");
                if let Some(name) = p.unknown.keys().next() {
                    return invalid(format!("{at}: unknown parameter '{name}'"));
                }
                if p.sitg.is_some() {
                    return invalid(format!(
                        "{at}: sitg is not a fund parameter (the operator adds to it with fund_sitg)"
                    ));
                }
                if p.execution_window.is_some() {
                    return invalid(format!(
                        "{at}: execution_window is governance's, set at deployment only"
                    ));
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
