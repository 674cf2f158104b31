//! The bounded risk engine's brake (SPEC v2 §3): it may suspend a member at
//! once — no withdrawals, claims or exit, and no vote — pending
//! governance's decision; only governance (or chain governance) lifts it.
//! A suspended member stays fully liable.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::member::{apply_settlement, save_pool, settled_live, update_eligibility, write_voter};
use crate::state::{Config, COUNTERS, INDEXES, MEMBERS, POOL};

fn set(
    deps: DepsMut,
    env: Env,
    config: &Config,
    member: Addr,
    suspended: bool,
) -> Result<Response, ContractError> {
    let indexes = INDEXES.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    if settled.record.suspended == suspended {
        return Err(if suspended {
            ContractError::AlreadySuspended {
                address: member.to_string(),
            }
        } else {
            ContractError::NotSuspended {
                address: member.to_string(),
            }
        });
    }
    let (msgs, dirty) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    let was = record.may_vote();
    record.suspended = suspended;
    update_eligibility(&mut pool, was, &record)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    write_voter(deps.storage, env.block.height, &member, &record)?;
    save_pool(deps.storage, env.block.height, &mut pool)?;
    if dirty {
        COUNTERS.save(deps.storage, &counters)?;
    }
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", if suspended { "suspend" } else { "unsuspend" })
        .add_attribute("member", member)
        .add_attribute("voters", pool.voters.to_string()))
}

/// The risk engine or governance suspends a member.
pub fn suspend(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    member: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if info.sender != config.risk_engine && info.sender != config.governance {
        return Err(ContractError::unauthorized(
            "suspend a member",
            &info.sender,
        ));
    }
    let member = deps.api.addr_validate(&member)?;
    set(deps, env, config, member, true)
}

/// Governance lifts a suspension.
pub fn unsuspend(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    member: String,
) -> Result<Response, ContractError> {
    crate::admin::ensure_governance(config, &info, "lift a suspension")?;
    let member = deps.api.addr_validate(&member)?;
    set(deps, env, config, member, false)
}

/// Chain governance lifts a suspension.
pub fn sudo_unsuspend(deps: DepsMut, env: Env, member: String) -> Result<Response, ContractError> {
    let member = deps.api.addr_validate(&member)?;
    let config = crate::state::CONFIG.load(deps.storage)?;
    set(deps, env, &config, member, false)
}
