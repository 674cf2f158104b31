//! Pause, unpause and shutdown of the vault and the fund (SPEC v2 §5), by
//! the guardian, a proposal or chain governance (`sudo`). Governance is
//! the admin of both: it sends their governance-only `SetPause` and
//! `Shutdown`.

use clearing_types::fund::{self, FundContract};
use clearing_types::governance::SudoMsg;
use clearing_types::vault::{self, VaultContract};
use cosmwasm_std::{CosmosMsg, DepsMut, Env, MessageInfo, Response, StdResult};

use crate::config::{ensure_self, set_guardian};
use crate::error::ContractError;
use crate::state::{Config, CONFIG};

fn pause_msgs(config: &Config, paused: bool) -> StdResult<Vec<CosmosMsg>> {
    Ok(vec![
        VaultContract(config.vault.clone()).call(vault::ExecuteMsg::SetPause { paused })?,
        FundContract(config.fund.clone()).call(fund::ExecuteMsg::SetPause { paused })?,
    ])
}

fn shutdown_msgs(config: &Config) -> StdResult<Vec<CosmosMsg>> {
    Ok(vec![
        VaultContract(config.vault.clone()).call(vault::ExecuteMsg::Shutdown {})?,
        FundContract(config.fund.clone()).call(fund::ExecuteMsg::Shutdown {})?,
    ])
}

/// The guardian (at once) or a proposal: withdrawals stop in both.
/// Errors: `Payment`, `Unauthorized`.
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

/// Only a proposal. Errors: `Payment`, `Unauthorized`.
pub fn unpause(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    ensure_self(&env, &info, "unpause")?;
    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_messages(pause_msgs(&config, false)?)
        .add_attribute("action", "unpause"))
}

/// Only a proposal: emergency shutdown of both. Errors: `Payment`,
/// `Unauthorized`.
pub fn shutdown(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    ensure_self(&env, &info, "shut down")?;
    let config = CONFIG.load(deps.storage)?;
    Ok(Response::new()
        .add_messages(shutdown_msgs(&config)?)
        .add_attribute("action", "shutdown"))
}

/// Chain governance.
pub fn sudo(deps: DepsMut, msg: SudoMsg) -> Result<Response, ContractError> {
    match msg {
        SudoMsg::SetGuardian { guardian } => {
            Ok(set_guardian(deps, guardian)?.add_attribute("by", "sudo"))
        }
        SudoMsg::SetPause { paused } => {
            let config = CONFIG.load(deps.storage)?;
            Ok(Response::new()
                .add_messages(pause_msgs(&config, paused)?)
                .add_attribute("action", if paused { "pause" } else { "unpause" })
                .add_attribute("by", "sudo"))
        }
        SudoMsg::Shutdown {} => {
            let config = CONFIG.load(deps.storage)?;
            Ok(Response::new()
                .add_messages(shutdown_msgs(&config)?)
                .add_attribute("action", "shutdown")
                .add_attribute("by", "sudo"))
        }
    }
}
