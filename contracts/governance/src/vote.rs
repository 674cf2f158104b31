//! Voting (SPEC v2 §5): once per member and proposal, with the member's
//! weight at the proposal's opening.

use clearing_types::governance::Vote;
use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::propose::load_proposal;
use crate::state::{Ballot, BALLOTS, CONFIG, DISCOUNTS, PROPOSALS};
use crate::tally::{add, vote_str};
use crate::weights::{ensure_may_vote, weight_at};

/// The sender votes `vote` on proposal `id` with its weight at the
/// proposal's opening: 1, or its balance at the start of the opening block
/// after every loss up to the fund's head then. A member admitted after
/// the opening has no weight on it; a contribution after it changes
/// nothing. A proposal that passes with this vote starts its timelock now.
///
/// Reads (raw, from the fund): the voter's record at the opening (1 read,
/// plus 1 per block it changed in since), the events between that record
/// and the proposal's fund head (weighing by balance), its member record
/// (1). Nothing of the pool: the proposal holds its total. Constant in the
/// number of members and of open proposals.
///
/// Errors: `Payment`, `UnknownProposal`, `VotingClosed`, `AlreadyVoted`,
/// `AlreadyDiscounted`, `Recused`, `NotAVoterAtOpening`, `NoVotingWeight`,
/// `Defaulted`, `WeightBeyondTotal` (the fund's snapshot is inconsistent).
pub fn vote(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    id: u64,
    vote: Vote,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let now = env.block.time;
    let mut prop = load_proposal(deps.storage, id)?;
    if !prop.voting_open(now) {
        return Err(ContractError::VotingClosed {
            id,
            status: prop.status_at(now)?.as_str().to_string(),
            expires: prop.expires,
        });
    }
    let voter = info.sender;
    if let Some(b) = BALLOTS.may_load(deps.storage, (id, &voter))? {
        return Err(ContractError::AlreadyVoted {
            id,
            voter: voter.to_string(),
            vote: vote_str(b.vote).to_string(),
            weight: b.weight,
        });
    }
    if let Some(d) = DISCOUNTS.may_load(deps.storage, (id, &voter))? {
        if let Some(action) = d.recused {
            return Err(ContractError::Recused {
                id,
                voter: voter.to_string(),
                action,
            });
        }
        return Err(ContractError::AlreadyDiscounted {
            id,
            voter: voter.to_string(),
            weight: d.weight,
        });
    }
    let fund = CONFIG.load(deps.storage)?.fund;
    let weight = weight_at(
        &deps.querier,
        &fund,
        prop.weighting,
        &voter,
        prop.start_height,
        prop.fund_head,
    )?
    .ok_or_else(|| ContractError::NotAVoterAtOpening {
        id,
        voter: voter.to_string(),
        height: prop.start_height,
    })?;
    if weight.is_zero() {
        return Err(ContractError::NoVotingWeight {
            address: voter.to_string(),
            height: prop.start_height,
        });
    }
    ensure_may_vote(&deps.querier, &fund, &voter, prop.opened_at)?;
    let remaining = prop.remaining()?;
    if weight > remaining {
        return Err(ContractError::WeightBeyondTotal {
            id,
            weight,
            remaining,
            total: prop.total_weight,
        });
    }

    add(&mut prop.votes, vote, weight)?;
    prop.record_outcome(now)?;
    BALLOTS.save(deps.storage, (id, &voter), &Ballot { vote, weight })?;
    PROPOSALS.save(deps.storage, id, &prop)?;
    Ok(Response::new()
        .add_attribute("action", "vote")
        .add_attribute("sender", voter)
        .add_attribute("proposal_id", id.to_string())
        .add_attribute("vote", vote_str(vote))
        .add_attribute("weight", weight.to_string())
        .add_attribute("yes", prop.votes.yes.to_string())
        .add_attribute("total_weight", prop.total_weight.to_string())
        .add_attribute("status", prop.status.as_str()))
}
