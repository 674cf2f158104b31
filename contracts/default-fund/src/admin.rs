//! What only governance (or chain governance through `sudo`) may do:
//! parameters, roles, pause, shutdown, closing defaults.

use clearing_types::fund::{FundParams, MemberStatus, SudoMsg};
use clearing_types::ledger::Basis;
use clearing_types::vault::{FundHookMsg, VaultContract};
use cosmwasm_std::{Decimal, DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::history::{self, regime_of};
use crate::member::load_record;
use crate::state::{Config, CONFIG, DEFAULTS, DEFAULT_OF, INDEXES, MEMBERS, PARAMS, TOTALS};

/// Longest period any parameter may set: ten years.
pub const MAX_PERIOD: u64 = 10 * 365 * 86_400;
/// Highest assessment multiple: a hundred times the required contributions.
pub const MAX_ASSESSMENT_MULTIPLE: u64 = 100;
/// Highest Cover-n buffer: ten times the top exposures.
pub const MAX_BUFFER: u64 = 10;

pub fn ensure_governance(
    config: &Config,
    info: &MessageInfo,
    action: &str,
) -> Result<(), ContractError> {
    cw_utils::nonpayable(info)?;
    if info.sender != config.governance {
        return Err(ContractError::unauthorized(action, &info.sender));
    }
    Ok(())
}

fn invalid(name: &str, reason: &str) -> ContractError {
    ContractError::InvalidParam {
        name: name.to_string(),
        reason: reason.to_string(),
    }
}

pub fn validate_params(p: &FundParams) -> Result<(), ContractError> {
    if p.contribution_rate > Decimal::one() {
        return Err(invalid("contribution_rate", "must be at most 1"));
    }
    if p.assessment_multiple > Decimal::from_ratio(MAX_ASSESSMENT_MULTIPLE, 1u64) {
        return Err(invalid("assessment_multiple", "must be at most 100"));
    }
    for (name, v) in [
        ("cooling_off_period", p.cooling_off_period),
        ("assessment_deadline", p.assessment_deadline),
        ("replenishment_period", p.replenishment_period),
        ("withdrawal_notice_period", p.withdrawal_notice_period),
        ("withdrawal_claim_window", p.withdrawal_claim_window),
        (
            "sizing.recalibration_interval",
            p.sizing.recalibration_interval,
        ),
    ] {
        if v == 0 || v > MAX_PERIOD {
            return Err(invalid(name, "must be between 1 second and 10 years"));
        }
    }
    let s = &p.sizing;
    if !(1..=2).contains(&s.cover) {
        return Err(invalid("sizing.cover", "must be 1 or 2"));
    }
    if s.buffer > Decimal::from_ratio(MAX_BUFFER, 1u64) {
        return Err(invalid("sizing.buffer", "must be at most 10"));
    }
    if s.max_rate > Decimal::one() {
        return Err(invalid("sizing.max_rate", "must be at most 1"));
    }
    if s.min_rate > s.max_rate {
        return Err(invalid("sizing.min_rate", "must not exceed max_rate"));
    }
    if s.max_rate_step.is_zero() || s.max_rate_step > Decimal::one() {
        return Err(invalid(
            "sizing.max_rate_step",
            "must be above 0 and at most 1",
        ));
    }
    if s.mode == Basis::StressExposure
        && (p.contribution_rate < s.min_rate || p.contribution_rate > s.max_rate)
    {
        return Err(invalid(
            "contribution_rate",
            "must lie within [sizing.min_rate, sizing.max_rate] in cover mode",
        ));
    }
    Ok(())
}

fn params_response(action: &str, p: &FundParams) -> Response {
    Response::new()
        .add_attribute("action", action)
        .add_attribute("min_contribution", p.min_contribution)
        .add_attribute("contribution_rate", p.contribution_rate.to_string())
        .add_attribute("assessment_multiple", p.assessment_multiple.to_string())
        .add_attribute("cooling_off_period", p.cooling_off_period.to_string())
        .add_attribute("assessment_deadline", p.assessment_deadline.to_string())
        .add_attribute("replenishment_period", p.replenishment_period.to_string())
        .add_attribute(
            "withdrawal_notice_period",
            p.withdrawal_notice_period.to_string(),
        )
        .add_attribute(
            "withdrawal_claim_window",
            p.withdrawal_claim_window.to_string(),
        )
        .add_attribute(
            "risk_engine_mutualised_limit",
            p.risk_engine_mutualised_limit
                .map(|l| l.to_string())
                .unwrap_or_else(|| "none".to_string()),
        )
        .add_attribute(
            "sizing",
            match p.sizing.mode {
                Basis::RequiredMargin => "fixed",
                Basis::StressExposure => "cover",
            },
        )
}

/// Sets new parameters; a change of the requirement regime (minimum, rate,
/// sizing mode, replenishment period) is an event every member follows at
/// once, so `B` and every requirement are exact right away.
fn set_params(deps: DepsMut, env: &Env, params: FundParams) -> Result<Response, ContractError> {
    validate_params(&params)?;
    let shutdown = CONFIG.load(deps.storage)?.shutdown;
    let mut indexes = INDEXES.load(deps.storage)?;
    let regime = regime_of(&params, shutdown);
    if regime != indexes.regime {
        indexes.regime = regime;
        history::requirement_changed(deps.storage, env, &indexes)?;
        INDEXES.save(deps.storage, &indexes)?;
    }
    PARAMS.save(deps.storage, &params)?;
    Ok(params_response("update_params", &params).add_attribute(
        "total_required",
        indexes
            .base()?
            .to_decimal256(clearing_types::ratio::Rounding::Up)?
            .to_string(),
    ))
}

pub fn update_params(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    params: FundParams,
) -> Result<Response, ContractError> {
    ensure_governance(config, &info, "change fund parameters")?;
    set_params(deps, &env, params)
}

pub fn instantiate_params(deps: DepsMut, params: &FundParams) -> Result<Response, ContractError> {
    validate_params(params)?;
    PARAMS.save(deps.storage, params)?;
    Ok(params_response("instantiate", params))
}

pub fn update_config(
    deps: DepsMut,
    info: MessageInfo,
    config: &Config,
    governance: Option<String>,
    risk_engine: Option<String>,
    operator: Option<String>,
    loss_recipient: Option<String>,
) -> Result<Response, ContractError> {
    ensure_governance(config, &info, "update the fund config")?;
    let mut config = config.clone();
    for (slot, value) in [
        (&mut config.governance, governance),
        (&mut config.risk_engine, risk_engine),
        (&mut config.operator, operator),
        (&mut config.loss_recipient, loss_recipient),
    ] {
        if let Some(a) = value {
            *slot = deps.api.addr_validate(&a)?;
        }
    }
    CONFIG.save(deps.storage, &config)?;
    Ok(config_response("update_config", &config))
}

pub fn set_pause(
    deps: DepsMut,
    info: MessageInfo,
    config: &Config,
    paused: bool,
) -> Result<Response, ContractError> {
    ensure_governance(config, &info, "pause or unpause the fund")?;
    let mut config = config.clone();
    config.paused = paused;
    CONFIG.save(deps.storage, &config)?;
    Ok(config_response("set_pause", &config))
}

/// Emergency shutdown (SPEC §5): new business stops, and the regime winds
/// down at once (a `Requirement` event): replenishment lapses and balances
/// may leave whole once every open default is settled, while members stay
/// liable for the assessments of defaults until they leave.
fn shut_down(deps: DepsMut, env: &Env, action: &str) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    if config.shutdown {
        return Err(ContractError::ShutDown {});
    }
    config.shutdown = true;
    CONFIG.save(deps.storage, &config)?;
    let params = PARAMS.load(deps.storage)?;
    let mut indexes = INDEXES.load(deps.storage)?;
    indexes.regime = regime_of(&params, true);
    history::requirement_changed(deps.storage, env, &indexes)?;
    INDEXES.save(deps.storage, &indexes)?;
    Ok(config_response(action, &config))
}

pub fn shutdown(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
) -> Result<Response, ContractError> {
    ensure_governance(config, &info, "shut the fund down")?;
    shut_down(deps, &env, "shutdown")
}

/// Governance closes a default: what is held of the defaulter's margin
/// (in the vault) and stake (here) becomes claimable by it, and recoveries
/// may be recorded against it.
pub fn close_default(
    deps: DepsMut,
    info: MessageInfo,
    config: &Config,
    member: String,
) -> Result<Response, ContractError> {
    ensure_governance(config, &info, "close a default")?;
    let member = deps.api.addr_validate(&member)?;
    let mut record = load_record(deps.storage, &member)?;
    match record.status {
        MemberStatus::Defaulted => {}
        MemberStatus::Closed => {
            return Err(ContractError::DefaultClosed {
                address: member.to_string(),
            })
        }
        _ => {
            return Err(ContractError::NotInDefault {
                address: member.to_string(),
            })
        }
    }
    let id = DEFAULT_OF.load(deps.storage, &member)?;
    let mut receipt = DEFAULTS.load(deps.storage, id)?;
    receipt.closed = true;
    DEFAULTS.save(deps.storage, id, &receipt)?;
    record.status = MemberStatus::Closed;
    MEMBERS.save(deps.storage, &member, &record)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.open_defaults = totals.open_defaults.saturating_sub(1);
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_message(
            VaultContract(config.vault.clone()).hook(FundHookMsg::Release {
                member: member.to_string(),
            })?,
        )
        .add_attribute("action", "close_default")
        .add_attribute("member", member)
        .add_attribute("default_id", id.to_string())
        .add_attribute("held", record.held)
        .add_attribute("open_defaults", totals.open_defaults.to_string()))
}

pub fn sudo(deps: DepsMut, env: Env, msg: SudoMsg) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    let action = match msg {
        SudoMsg::SetRoles {
            governance,
            risk_engine,
        } => {
            if let Some(a) = governance {
                config.governance = deps.api.addr_validate(&a)?;
            }
            if let Some(a) = risk_engine {
                config.risk_engine = deps.api.addr_validate(&a)?;
            }
            "sudo_set_roles"
        }
        SudoMsg::SetPause { paused } => {
            config.paused = paused;
            "sudo_set_pause"
        }
        SudoMsg::Shutdown {} => return shut_down(deps, &env, "sudo_shutdown"),
        SudoMsg::UpdateParams { params } => return set_params(deps, &env, params),
        SudoMsg::Unsuspend { member } => {
            return crate::suspension::sudo_unsuspend(deps, env, member)
        }
    };
    CONFIG.save(deps.storage, &config)?;
    Ok(config_response(action, &config))
}

fn config_response(action: &str, config: &Config) -> Response {
    Response::new()
        .add_attribute("action", action)
        .add_attribute("governance", config.governance.as_str())
        .add_attribute("risk_engine", config.risk_engine.as_str())
        .add_attribute("operator", config.operator.as_str())
        .add_attribute("loss_recipient", config.loss_recipient.as_str())
        .add_attribute("paused", config.paused.to_string())
        .add_attribute("shutdown", config.shutdown.to_string())
}
