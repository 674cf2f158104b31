//! The rules of voting (SPEC v2 §5): set at instantiation, changed only by
//! a proposal (the contract itself) or, for the guardian, chain governance.

use clearing_types::governance::{InstantiateMsg, Threshold, VoteWeighting};
use cosmwasm_std::{Decimal, Deps, DepsMut, Env, MessageInfo, Response};
use cw_utils::Duration;

use crate::error::ContractError;
use crate::state::{Config, CONFIG};

/// The longest voting period, timelock or execution window: ten years
/// (keeps every deadline far inside `Timestamp`'s range).
pub const MAX_PERIOD: u64 = 10 * 365 * 86_400;

/// Refuses anyone but the contract itself (a passed proposal being executed).
pub fn ensure_self(env: &Env, info: &MessageInfo, action: &str) -> Result<(), ContractError> {
    cw_utils::nonpayable(info)?;
    if info.sender != env.contract.address {
        return Err(ContractError::unauthorized(
            &format!("{action} (only a passed proposal may)"),
            &info.sender,
        ));
    }
    Ok(())
}

/// A period in seconds: above 0, at most [`MAX_PERIOD`].
pub fn check_period(field: &str, seconds: u64) -> Result<u64, ContractError> {
    if seconds == 0 || seconds > MAX_PERIOD {
        return Err(ContractError::InvalidPeriod {
            field: field.to_string(),
            seconds,
            max: MAX_PERIOD,
        });
    }
    Ok(seconds)
}

fn voting_period(d: Duration) -> Result<u64, ContractError> {
    match d {
        Duration::Time(s) => check_period("voting_period", s),
        Duration::Height(_) => Err(ContractError::NotATime {
            field: "voting_period".to_string(),
        }),
    }
}

fn check_fraction(field: &str, value: Decimal, min: Decimal) -> Result<(), ContractError> {
    if value.is_zero() {
        return Err(ContractError::ZeroFraction {
            field: field.to_string(),
        });
    }
    if value < min || value > Decimal::one() {
        return Err(ContractError::InvalidFraction {
            field: field.to_string(),
            value,
            min,
            max: Decimal::one(),
        });
    }
    Ok(())
}

/// cw-utils' rules: an absolute count above 0; a threshold percentage
/// between 50 % and 100 %; a quorum above 0 and at most 100 %. Whether an
/// absolute count is reachable depends on the total, checked when a
/// proposal opens.
pub fn validate_threshold(t: &Threshold) -> Result<(), ContractError> {
    let half = Decimal::percent(50);
    match t {
        Threshold::AbsoluteCount { weight } if weight.is_zero() => {
            Err(ContractError::ZeroThresholdWeight {})
        }
        Threshold::AbsoluteCount { .. } => Ok(()),
        Threshold::AbsolutePercentage { percentage } => {
            check_fraction("percentage", *percentage, half)
        }
        Threshold::ThresholdQuorum { threshold, quorum } => {
            check_fraction("threshold", *threshold, half)?;
            check_fraction("quorum", *quorum, Decimal::zero())
        }
    }
}

/// The config an instantiation asks for, checked.
pub fn from_instantiate(deps: Deps, msg: InstantiateMsg) -> Result<Config, ContractError> {
    validate_threshold(&msg.threshold)?;
    Ok(Config {
        vault: deps.api.addr_validate(&msg.vault)?,
        fund: deps.api.addr_validate(&msg.fund)?,
        guardian: msg
            .guardian
            .map(|g| deps.api.addr_validate(&g))
            .transpose()?,
        threshold: msg.threshold,
        voting_period: voting_period(msg.voting_period)?,
        min_timelock: check_period("min_timelock", msg.min_timelock)?,
        execution_window: check_period("execution_window", msg.execution_window)?,
        weighting: msg.weighting,
    })
}

/// Only a proposal: change the rules of voting for proposals opened from
/// now on (open ones keep theirs). Errors: `Unauthorized`, and the
/// validation errors of [`validate_threshold`] and [`check_period`].
#[allow(clippy::too_many_arguments)]
pub fn update_config(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    threshold: Option<Threshold>,
    period: Option<Duration>,
    min_timelock: Option<u64>,
    execution_window: Option<u64>,
    weighting: Option<VoteWeighting>,
) -> Result<Response, ContractError> {
    ensure_self(&env, &info, "change the rules of voting")?;
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(t) = threshold {
        validate_threshold(&t)?;
        config.threshold = t;
    }
    if let Some(p) = period {
        config.voting_period = voting_period(p)?;
    }
    if let Some(t) = min_timelock {
        config.min_timelock = check_period("min_timelock", t)?;
    }
    if let Some(w) = execution_window {
        config.execution_window = check_period("execution_window", w)?;
    }
    if let Some(w) = weighting {
        config.weighting = w;
    }
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("voting_period", config.voting_period.to_string())
        .add_attribute("min_timelock", config.min_timelock.to_string())
        .add_attribute("execution_window", config.execution_window.to_string())
        .add_attribute("weighting", config.weighting.as_str()))
}

/// Names (or, with `None`, removes) the guardian; the caller checked who may.
pub fn set_guardian(deps: DepsMut, guardian: Option<String>) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    config.guardian = guardian.map(|g| deps.api.addr_validate(&g)).transpose()?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "set_guardian")
        .add_attribute(
            "guardian",
            config
                .guardian
                .map(|g| g.to_string())
                .unwrap_or_else(|| "none".to_string()),
        ))
}

/// Only a proposal: name or remove the guardian. Errors: `Payment`,
/// `Unauthorized`, `Std` (an invalid address).
pub fn update_guardian(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    guardian: Option<String>,
) -> Result<Response, ContractError> {
    ensure_self(&env, &info, "set the guardian")?;
    set_guardian(deps, guardian)
}
