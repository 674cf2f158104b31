//! Who votes, with what weight, and taking back a defaulter's vote.

use clearing_types::fund::{FundContract, MemberStatus};
use clearing_types::governance::VoteWeighting;
use cosmwasm_std::{Addr, Deps, DepsMut, Env, MessageInfo, QuerierWrapper, Response, StdResult};
use cw3::{Ballot, Status, Vote};

use crate::error::ContractError;
use crate::proposal::{load_proposal, record_pass};
use crate::state::{Config, BALLOTS, CONFIG, DISCOUNTED, PROPOSALS};

fn to_weight(v: cosmwasm_std::Uint128) -> u64 {
    u64::try_from(v.u128()).unwrap_or(u64::MAX)
}

/// An active member's weight now, or `None` for anyone else. The fund's
/// member record (and, to weigh by balance, its pool) is read raw: a
/// store read each instead of a smart query.
pub fn voting_weight(
    querier: &QuerierWrapper,
    config: &Config,
    address: &Addr,
) -> StdResult<Option<u64>> {
    let fund = FundContract(config.fund.clone());
    let Some(member) = fund.member_view(querier, address)? else {
        return Ok(None);
    };
    if member.status != MemberStatus::Active {
        return Ok(None);
    }
    Ok(Some(match config.weighting {
        VoteWeighting::OneMemberOneVote => 1,
        VoteWeighting::FundBalance => to_weight(member.balance(&fund.pool_view(querier)?)?),
    }))
}

/// The weight all voters hold together when a proposal opens.
pub fn total_weight(querier: &QuerierWrapper, config: &Config) -> StdResult<u64> {
    let fund = FundContract(config.fund.clone());
    Ok(match config.weighting {
        VoteWeighting::OneMemberOneVote => fund.totals_view(querier)?.active_members,
        VoteWeighting::FundBalance => to_weight(fund.pool_view(querier)?.total_balance()?),
    })
}

/// Checks that `address` may vote and returns its weight.
pub fn ensure_voter(
    deps: Deps,
    config: &Config,
    address: &Addr,
    action: &str,
) -> Result<u64, ContractError> {
    match voting_weight(&deps.querier, config, address)? {
        None => Err(ContractError::NotAVoter {
            address: address.to_string(),
            action: action.to_string(),
        }),
        Some(0) => Err(ContractError::NoVotingWeight {
            address: address.to_string(),
        }),
        Some(w) => Ok(w),
    }
}

pub fn vote(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    proposal_id: u64,
    vote: Vote,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    let mut prop = load_proposal(deps.storage, proposal_id)?;
    if prop.current_status(&env.block) != Status::Open || prop.expires.is_expired(&env.block) {
        return Err(ContractError::NotOpen { id: proposal_id });
    }
    let weight = ensure_voter(deps.as_ref(), &config, &info.sender, "vote")?;
    if BALLOTS.has(deps.storage, (proposal_id, &info.sender)) {
        return Err(ContractError::AlreadyVoted {
            id: proposal_id,
            voter: info.sender.to_string(),
        });
    }
    // The total was fixed when the proposal opened; weight gained since
    // (a late contribution, a late admission) cannot push the tally past it.
    let weight = weight.min(prop.total_weight.saturating_sub(prop.votes.total()));
    if weight == 0 {
        return Err(ContractError::NoVotingWeight {
            address: info.sender.to_string(),
        });
    }
    BALLOTS.save(
        deps.storage,
        (proposal_id, &info.sender),
        &Ballot { weight, vote },
    )?;
    prop.votes.add_vote(vote, weight);
    prop.update_status(&env.block);
    record_pass(deps.storage, &env, proposal_id, &prop)?;
    PROPOSALS.save(deps.storage, proposal_id, &prop)?;
    Ok(Response::new()
        .add_attribute("action", "vote")
        .add_attribute("sender", info.sender)
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("vote", format!("{vote:?}").to_lowercase())
        .add_attribute("weight", weight.to_string())
        .add_attribute("status", format!("{:?}", prop.status)))
}

/// A member declared in default after voting no longer counts.
pub fn discount_vote(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    proposal_id: u64,
    voter: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    let voter = deps.api.addr_validate(&voter)?;
    let mut prop = load_proposal(deps.storage, proposal_id)?;
    if prop.current_status(&env.block) != Status::Open {
        return Err(ContractError::NotOpen { id: proposal_id });
    }
    if DISCOUNTED.has(deps.storage, (proposal_id, &voter)) {
        return Err(ContractError::NoVote {
            id: proposal_id,
            voter: voter.to_string(),
        });
    }
    let ballot = BALLOTS
        .may_load(deps.storage, (proposal_id, &voter))?
        .ok_or_else(|| ContractError::NoVote {
            id: proposal_id,
            voter: voter.to_string(),
        })?;
    let status = FundContract(config.fund)
        .member_view(&deps.querier, &voter)?
        .map(|m| m.status);
    if !matches!(status, Some(MemberStatus::Defaulted | MemberStatus::Closed)) {
        return Err(ContractError::VoterNotDefaulted {
            voter: voter.to_string(),
        });
    }
    let votes = &mut prop.votes;
    let slot = match ballot.vote {
        Vote::Yes => &mut votes.yes,
        Vote::No => &mut votes.no,
        Vote::Abstain => &mut votes.abstain,
        Vote::Veto => &mut votes.veto,
    };
    *slot = slot.saturating_sub(ballot.weight);
    prop.total_weight = prop.total_weight.saturating_sub(ballot.weight);
    DISCOUNTED.save(deps.storage, (proposal_id, &voter), &())?;
    prop.update_status(&env.block);
    record_pass(deps.storage, &env, proposal_id, &prop)?;
    PROPOSALS.save(deps.storage, proposal_id, &prop)?;
    Ok(Response::new()
        .add_attribute("action", "discount_vote")
        .add_attribute("proposal_id", proposal_id.to_string())
        .add_attribute("voter", voter)
        .add_attribute("weight", ballot.weight.to_string()))
}
