//! Roles, pause and shutdown: governance's levers, and the chain's `sudo`.

use clearing_types::vault::SudoMsg;
use cosmwasm_std::{Addr, DepsMut, MessageInfo, Response};

use crate::error::ContractError;
use crate::state::{Config, CONFIG};

pub fn ensure_governance(
    config: &Config,
    sender: &Addr,
    action: &str,
) -> Result<(), ContractError> {
    if *sender != config.governance {
        return Err(ContractError::Unauthorized {
            action: action.to_string(),
            sender: sender.to_string(),
        });
    }
    Ok(())
}

pub fn update_config(
    deps: DepsMut,
    info: MessageInfo,
    governance: Option<String>,
    risk_engine: Option<String>,
    default_fund: Option<String>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let mut config = CONFIG.load(deps.storage)?;
    ensure_governance(&config, &info.sender, "update the vault config")?;
    if let Some(a) = governance {
        config.governance = deps.api.addr_validate(&a)?;
    }
    if let Some(a) = risk_engine {
        config.risk_engine = deps.api.addr_validate(&a)?;
    }
    if let Some(a) = default_fund {
        config.default_fund = Some(deps.api.addr_validate(&a)?);
    }
    CONFIG.save(deps.storage, &config)?;
    Ok(config_response("update_config", &config))
}

pub fn set_pause(
    deps: DepsMut,
    info: MessageInfo,
    paused: bool,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let mut config = CONFIG.load(deps.storage)?;
    ensure_governance(&config, &info.sender, "pause or unpause the vault")?;
    config.paused = paused;
    CONFIG.save(deps.storage, &config)?;
    Ok(config_response("set_pause", &config))
}

pub fn shutdown(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let mut config = CONFIG.load(deps.storage)?;
    ensure_governance(&config, &info.sender, "shut the vault down")?;
    if config.shutdown {
        return Err(ContractError::ShutDown {});
    }
    config.shutdown = true;
    CONFIG.save(deps.storage, &config)?;
    Ok(config_response("shutdown", &config))
}

pub fn sudo(deps: DepsMut, msg: SudoMsg) -> Result<Response, ContractError> {
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
        SudoMsg::Shutdown {} => {
            if config.shutdown {
                return Err(ContractError::ShutDown {});
            }
            config.shutdown = true;
            "sudo_shutdown"
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
        .add_attribute(
            "default_fund",
            config
                .default_fund
                .as_ref()
                .map(|a| a.to_string())
                .unwrap_or_default(),
        )
        .add_attribute("paused", config.paused.to_string())
        .add_attribute("shutdown", config.shutdown.to_string())
}
