//! Pause, unpause, shutdown and the rules of voting; the chain's `sudo`.

use clearing_types::fund::{self, FundContract};
use clearing_types::governance::{SudoMsg, VoteWeighting};
use clearing_types::vault::{self, VaultContract};
use cosmwasm_std::{CosmosMsg, DepsMut, Env, MessageInfo, Response, StdResult};
use cw_utils::{Duration, Threshold};

use crate::error::ContractError;
use crate::state::{Config, CONFIG};

fn ensure_self(env: &Env, info: &MessageInfo, action: &str) -> Result<(), ContractError> {
    cw_utils::nonpayable(info)?;
    if info.sender != env.contract.address {
        return Err(ContractError::unauthorized(
            &format!("{action} (only a passed proposal may)"),
            &info.sender,
        ));
    }
    Ok(())
}

fn pause_msgs(config: &Config, paused: bool) -> StdResult<Vec<CosmosMsg>> {
    Ok(vec![
        VaultContract(config.vault.clone()).call(vault::ExecuteMsg::SetPause { paused })?,
        FundContract(config.fund.clone()).call(fund::ExecuteMsg::SetPause { paused })?,
    ])
}

/// The guardian (at once) or a proposal: withdrawals stop in both.
pub fn pause(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if info.sender != env.contract.address && config.guardian.as_ref() != Some(&info.sender) {
        return Err(ContractError::unauthorized("pause", &info.sender));
    }
    Ok(Response::new()
        .add_messages(pause_msgs(&config, true)?)
        .add_attribute("action", "pause")
        .add_attribute("sender", info.sender))
}

pub fn unpause(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    ensure_self(&env, &info, "unpause")?;
    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_messages(pause_msgs(&config, false)?)
        .add_attribute("action", "unpause"))
}

pub fn shutdown(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    ensure_self(&env, &info, "shut down")?;
    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_message(VaultContract(config.vault.clone()).call(vault::ExecuteMsg::Shutdown {})?)
        .add_message(FundContract(config.fund.clone()).call(fund::ExecuteMsg::Shutdown {})?)
        .add_attribute("action", "shutdown"))
}

pub fn validate(config: &Config) -> Result<(), ContractError> {
    // Percentages in range and counts above zero; the member count varies.
    config.threshold.validate(u64::MAX)?;
    match config.voting_period {
        Duration::Time(s) if s > 0 => {}
        _ => {
            return Err(ContractError::invalid(
                "voting_period",
                "must be a positive time",
            ))
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn update_config(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    threshold: Option<Threshold>,
    voting_period: Option<Duration>,
    timelock: Option<u64>,
    weighting: Option<VoteWeighting>,
    guardian: Option<String>,
) -> Result<Response, ContractError> {
    ensure_self(&env, &info, "change the rules of voting")?;
    let mut config = CONFIG.load(deps.storage)?;
    if let Some(t) = threshold {
        config.threshold = t;
    }
    if let Some(p) = voting_period {
        config.voting_period = p;
    }
    if let Some(t) = timelock {
        config.timelock = t;
    }
    if let Some(w) = weighting {
        config.weighting = w;
    }
    if let Some(g) = guardian {
        config.guardian = Some(deps.api.addr_validate(&g)?);
    }
    validate(&config)?;
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new()
        .add_attribute("action", "update_config")
        .add_attribute("timelock", config.timelock.to_string()))
}

pub fn sudo(deps: DepsMut, msg: SudoMsg) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    match msg {
        SudoMsg::SetGuardian { guardian } => {
            config.guardian = guardian.map(|g| deps.api.addr_validate(&g)).transpose()?;
            CONFIG.save(deps.storage, &config)?;
            Ok(Response::new()
                .add_attribute("action", "sudo_set_guardian")
                .add_attribute(
                    "guardian",
                    config.guardian.map(|g| g.to_string()).unwrap_or_default(),
                ))
        }
        SudoMsg::SetPause { paused } => Ok(Response::new()
            .add_messages(pause_msgs(&config, paused)?)
            .add_attribute("action", "sudo_set_pause")
            .add_attribute("paused", paused.to_string())),
    }
}
