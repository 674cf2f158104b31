//! The end of a proposal's life (SPEC v2 §5): execution after its
//! timelock and within its execution window, the guardian's veto during
//! the timelock, closing one that did not pass.

use clearing_types::governance::Status;
use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::propose::load_proposal;
use crate::state::{CONFIG, CONTENTS, PROPOSALS};

/// Anyone: send a passed proposal's messages, from the end of its timelock
/// until just before its execution deadline. A message that fails fails
/// the whole execution, which may be tried again within the window.
///
/// Errors: `Payment`, `UnknownProposal`, `Vetoed`, `AlreadyExecuted`,
/// `ExecutionExpired` (with the deadline), `NotPassed` (open or rejected),
/// `Timelocked` (with the moment it ends).
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    id: u64,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let now = env.block.time;
    let mut prop = load_proposal(deps.storage, id)?;
    match prop.status_at(now)? {
        Status::Passed => {}
        Status::Vetoed => return Err(ContractError::Vetoed { id }),
        Status::Executed => return Err(ContractError::AlreadyExecuted { id }),
        Status::Expired => {
            let deadline = prop.execution_deadline(now)?.unwrap_or(now);
            return Err(ContractError::ExecutionExpired { id, deadline });
        }
        status => {
            return Err(ContractError::NotPassed {
                id,
                status: status.as_str().to_string(),
            })
        }
    }
    let passed_at = prop.passed_at(now)?.unwrap_or(now);
    let until = passed_at.plus_seconds(prop.timelock);
    if now < until {
        return Err(ContractError::Timelocked { id, until });
    }
    prop.status = Status::Executed;
    prop.passed_at = Some(passed_at);
    PROPOSALS.save(deps.storage, id, &prop)?;
    let content = CONTENTS.load(deps.storage, id)?;
    Ok(Response::new()
        .add_messages(content.msgs)
        .add_attribute("action", "execute")
        .add_attribute("sender", info.sender)
        .add_attribute("proposal_id", id.to_string()))
}

/// Anyone: record a proposal whose voting period ended without it
/// passing as rejected (nothing else changes; its status already reads
/// `rejected`).
///
/// Errors: `Payment`, `UnknownProposal`, `CannotClose` (open, passed,
/// executed, vetoed, expired, or already closed).
pub fn close(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    id: u64,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let now = env.block.time;
    let mut prop = load_proposal(deps.storage, id)?;
    let status = prop.status_at(now)?;
    if status != Status::Rejected || prop.status == Status::Rejected {
        return Err(ContractError::CannotClose {
            id,
            status: if prop.status == Status::Rejected {
                "already closed".to_string()
            } else {
                status.as_str().to_string()
            },
            voting_open: prop.voting_open(now),
        });
    }
    prop.status = Status::Rejected;
    PROPOSALS.save(deps.storage, id, &prop)?;
    Ok(Response::new()
        .add_attribute("action", "close")
        .add_attribute("sender", info.sender)
        .add_attribute("proposal_id", id.to_string()))
}

/// The guardian: stop a passed proposal during its timelock (before the
/// moment it becomes executable).
///
/// Errors: `Payment`, `Unauthorized` (anyone but the guardian),
/// `UnknownProposal`, `NotPassed`, `TimelockOver` (with the moment it
/// ended).
pub fn veto(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    id: u64,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if config.guardian.as_ref() != Some(&info.sender) {
        return Err(ContractError::unauthorized("veto a proposal", &info.sender));
    }
    let now = env.block.time;
    let mut prop = load_proposal(deps.storage, id)?;
    let status = prop.status_at(now)?;
    let executable_at = prop.executable_at(now)?;
    match (status, executable_at) {
        (Status::Passed, Some(at)) if now < at => {}
        (Status::Passed | Status::Expired, Some(at)) => {
            return Err(ContractError::TimelockOver { id, ended: at })
        }
        _ => {
            return Err(ContractError::NotPassed {
                id,
                status: status.as_str().to_string(),
            })
        }
    }
    prop.passed_at = prop.passed_at(now)?;
    prop.status = Status::Vetoed;
    PROPOSALS.save(deps.storage, id, &prop)?;
    Ok(Response::new()
        .add_attribute("action", "veto")
        .add_attribute("sender", info.sender)
        .add_attribute("proposal_id", id.to_string()))
}
