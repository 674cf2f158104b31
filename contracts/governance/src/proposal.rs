//! The life of a proposal: propose, (vote), execute after the timelock,
//! close, or a guardian's veto.

use cosmwasm_std::{
    BlockInfo, CosmosMsg, DepsMut, Empty, Env, MessageInfo, Response, StdResult, Storage, Timestamp,
};
use cw3::{Ballot, Proposal, Status, Vote, Votes};
use cw_utils::Expiration;

use crate::error::ContractError;
use crate::state::{Timelock, BALLOTS, CONFIG, PROPOSALS, PROPOSAL_COUNT, TIMELOCKS};
use crate::vote::{ensure_voter, total_weight};

pub fn load_proposal(storage: &dyn Storage, id: u64) -> Result<Proposal, ContractError> {
    PROPOSALS
        .may_load(storage, id)?
        .ok_or(ContractError::UnknownProposal { id })
}

/// Records the moment a proposal passed, which starts its timelock.
pub fn record_pass(
    storage: &mut dyn Storage,
    env: &Env,
    id: u64,
    prop: &Proposal,
) -> StdResult<()> {
    if prop.status == Status::Passed {
        let mut t = TIMELOCKS.may_load(storage, id)?.unwrap_or_default();
        if t.passed_at.is_none() {
            t.passed_at = Some(env.block.time);
            TIMELOCKS.save(storage, id, &t)?;
        }
    }
    Ok(())
}

/// When the proposal passed: at the deciding vote, or else at its expiry.
pub fn passed_at(storage: &dyn Storage, id: u64, prop: &Proposal) -> StdResult<Option<Timestamp>> {
    let t = TIMELOCKS.may_load(storage, id)?.unwrap_or_default();
    Ok(t.passed_at.or(match prop.expires {
        Expiration::AtTime(t) => Some(t),
        _ => None,
    }))
}

fn expires_at(
    block: &BlockInfo,
    latest: Option<Expiration>,
    period: cw_utils::Duration,
) -> Result<Expiration, ContractError> {
    let max = period.after(block);
    let expires = match latest {
        None => max,
        Some(Expiration::AtTime(t)) if Expiration::AtTime(t) <= max => Expiration::AtTime(t),
        Some(Expiration::AtTime(_)) => max,
        Some(_) => return Err(ContractError::invalid("latest", "must be a time")),
    };
    if expires.is_expired(block) {
        return Err(ContractError::invalid("latest", "is already past"));
    }
    Ok(expires)
}

pub fn propose(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    title: String,
    description: String,
    msgs: Vec<CosmosMsg<Empty>>,
    latest: Option<Expiration>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if msgs.is_empty() {
        return Err(ContractError::EmptyProposal {});
    }
    if title.trim().is_empty() {
        return Err(ContractError::invalid("title", "must not be empty"));
    }
    let config = CONFIG.load(deps.storage)?;
    let weight = ensure_voter(deps.as_ref(), &config, &info.sender, "propose")?;
    let expires = expires_at(&env.block, latest, config.voting_period)?;
    let mut prop = Proposal {
        title,
        description,
        start_height: env.block.height,
        expires,
        msgs,
        status: Status::Open,
        threshold: config.threshold.clone(),
        total_weight: total_weight(&deps.querier, &config)?.max(weight),
        votes: Votes::yes(weight),
        proposer: info.sender.clone(),
        deposit: None,
    };
    prop.update_status(&env.block);
    let id = PROPOSAL_COUNT.may_load(deps.storage)?.unwrap_or_default() + 1;
    PROPOSAL_COUNT.save(deps.storage, &id)?;
    PROPOSALS.save(deps.storage, id, &prop)?;
    BALLOTS.save(
        deps.storage,
        (id, &info.sender),
        &Ballot {
            weight,
            vote: Vote::Yes,
        },
    )?;
    record_pass(deps.storage, &env, id, &prop)?;
    Ok(Response::new()
        .add_attribute("action", "propose")
        .add_attribute("sender", info.sender)
        .add_attribute("proposal_id", id.to_string())
        .add_attribute("status", format!("{:?}", prop.status)))
}

pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    id: u64,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let mut prop = load_proposal(deps.storage, id)?;
    let timelock = TIMELOCKS.may_load(deps.storage, id)?.unwrap_or_default();
    if timelock.vetoed {
        return Err(ContractError::Vetoed { id });
    }
    prop.update_status(&env.block);
    if prop.status != Status::Passed {
        return Err(ContractError::NotPassed { id });
    }
    let config = CONFIG.load(deps.storage)?;
    let passed = passed_at(deps.storage, id, &prop)?.unwrap_or(env.block.time);
    let until = passed.plus_seconds(config.timelock);
    if env.block.time < until {
        return Err(ContractError::Timelocked { id, until });
    }
    prop.status = Status::Executed;
    PROPOSALS.save(deps.storage, id, &prop)?;
    Ok(Response::new()
        .add_messages(prop.msgs)
        .add_attribute("action", "execute")
        .add_attribute("sender", info.sender)
        .add_attribute("proposal_id", id.to_string()))
}

pub fn close(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    id: u64,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let mut prop = load_proposal(deps.storage, id)?;
    let reason = match prop.current_status(&env.block) {
        Status::Executed => Some("it was executed"),
        Status::Passed => Some("it passed"),
        Status::Rejected if prop.status == Status::Rejected => Some("it is already closed"),
        Status::Rejected => None,
        _ if !prop.expires.is_expired(&env.block) => Some("voting is still open"),
        _ => None,
    };
    if let Some(reason) = reason {
        return Err(ContractError::CannotClose {
            id,
            reason: reason.to_string(),
        });
    }
    prop.status = Status::Rejected;
    PROPOSALS.save(deps.storage, id, &prop)?;
    Ok(Response::new()
        .add_attribute("action", "close")
        .add_attribute("sender", info.sender)
        .add_attribute("proposal_id", id.to_string()))
}

/// The guardian stops a passed proposal during its timelock.
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
    let mut prop = load_proposal(deps.storage, id)?;
    prop.update_status(&env.block);
    if prop.status != Status::Passed {
        return Err(ContractError::NotPassed { id });
    }
    let passed = passed_at(deps.storage, id, &prop)?.unwrap_or(env.block.time);
    if env.block.time >= passed.plus_seconds(config.timelock) {
        return Err(ContractError::TimelockOver { id });
    }
    let mut timelock = TIMELOCKS.may_load(deps.storage, id)?.unwrap_or_default();
    timelock.passed_at = Some(passed);
    timelock.vetoed = true;
    TIMELOCKS.save(deps.storage, id, &timelock)?;
    prop.status = Status::Rejected;
    PROPOSALS.save(deps.storage, id, &prop)?;
    Ok(Response::new()
        .add_attribute("action", "veto")
        .add_attribute("sender", info.sender)
        .add_attribute("proposal_id", id.to_string()))
}

pub fn timelock_of(storage: &dyn Storage, id: u64) -> StdResult<Timelock> {
    Ok(TIMELOCKS.may_load(storage, id)?.unwrap_or_default())
}
