//! Entry points; each only dispatches to the file that owns the rule.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult};

use clearing_types::governance::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, SudoMsg};

use crate::error::ContractError;
use crate::state::{CONFIG, PROPOSAL_COUNT};
use crate::{config, discount, emergency, execute as end, propose, query, vote};

pub const CONTRACT_NAME: &str = "crates.io:clearing-governance";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = config::from_instantiate(deps.as_ref(), msg)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    CONFIG.save(deps.storage, &config)?;
    PROPOSAL_COUNT.save(deps.storage, &0)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("vault", config.vault)
        .add_attribute("fund", config.fund)
        .add_attribute("weighting", config.weighting.as_str())
        .add_attribute("voting_period", config.voting_period.to_string())
        .add_attribute("min_timelock", config.min_timelock.to_string())
        .add_attribute("execution_window", config.execution_window.to_string()))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Propose {
            title,
            description,
            msgs,
            latest,
            timelock,
        } => propose::propose(deps, env, info, title, description, msgs, latest, timelock),
        ExecuteMsg::Vote { proposal_id, vote } => vote::vote(deps, env, info, proposal_id, vote),
        ExecuteMsg::Execute { proposal_id } => end::execute(deps, env, info, proposal_id),
        ExecuteMsg::Close { proposal_id } => end::close(deps, env, info, proposal_id),
        ExecuteMsg::DiscountVote { proposal_id, voter } => {
            discount::discount_vote(deps, env, info, proposal_id, voter)
        }
        ExecuteMsg::Veto { proposal_id } => end::veto(deps, env, info, proposal_id),
        ExecuteMsg::Pause {} => emergency::pause(deps, env, info),
        ExecuteMsg::Unpause {} => emergency::unpause(deps, env, info),
        ExecuteMsg::Shutdown {} => emergency::shutdown(deps, env, info),
        ExecuteMsg::UpdateConfig {
            threshold,
            voting_period,
            min_timelock,
            execution_window,
            weighting,
        } => config::update_config(
            deps,
            env,
            info,
            threshold,
            voting_period,
            min_timelock,
            execution_window,
            weighting,
        ),
        ExecuteMsg::SetGuardian { guardian } => config::update_guardian(deps, env, info, guardian),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn sudo(deps: DepsMut, _env: Env, msg: SudoMsg) -> Result<Response, ContractError> {
    emergency::sudo(deps, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    query::query(deps, env, msg)
}

/// Refuses a downgrade and a foreign contract (cw2), records the version.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    Ok(clearing_types::migrate::migrate_version(
        deps.storage,
        CONTRACT_NAME,
        CONTRACT_VERSION,
    )?)
}
