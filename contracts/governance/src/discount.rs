//! Taking a lost vote out of a proposal (SPEC v2 §5): a defaulter's, or a
//! member's that gave notice to exit by the opening (`weights::lost_vote`).
//! Anyone may, once per member and proposal, while voting is open or,
//! once passed, until the proposal is executed. Its opening weight leaves
//! the total, and its ballot, if it voted, leaves the tally, so that a
//! proposal every survivor supports still passes.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response};

use crate::error::ContractError;
use crate::propose::load_proposal;
use crate::state::{Discount, BALLOTS, CONFIG, DISCOUNTS, PROPOSALS};
use crate::tally::{is_passed, remove, vote_str};
use crate::weights::{lost_vote, standing_now, status_str, weight_at};
use clearing_types::governance::Status;

/// Anyone: take `voter`'s opening weight out of proposal `id` because it
/// has since defaulted (or defaulted in the opening block after the
/// snapshot), or gave notice to exit in the opening block after the
/// snapshot. One who did not vote leaves the total all the same; a
/// suspension is no reason (`weights::lost_vote`).
/// A proposal that passes once the weight is out starts its timelock now.
///
/// Reads (raw, from the fund): the voter's member record; if it did not
/// vote, its voter record at the opening and the events up to the
/// proposal's fund head (weighing by balance).
///
/// Errors: `Payment`, `UnknownProposal`, `VotingClosed`,
/// `AlreadyDiscounted`, `VoterNotDefaulted`, `NothingToDiscount` (no
/// weight at the opening), `Std` (an invalid address).
pub fn discount_vote(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    id: u64,
    voter: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let now = env.block.time;
    let voter = deps.api.addr_validate(&voter)?;
    let mut prop = load_proposal(deps.storage, id)?;
    if let Some(d) = DISCOUNTS.may_load(deps.storage, (id, &voter))? {
        return Err(ContractError::AlreadyDiscounted {
            id,
            voter: voter.to_string(),
            weight: d.weight,
        });
    }
    // While voting is open, and also once the proposal passed and until it
    // is executed (its timelock, its execution window): a defaulter's
    // deciding vote must not carry a proposal.
    let status = prop.status_at(now)?;
    let passed = status == Status::Passed;
    if !passed && status != Status::Open {
        return Err(ContractError::VotingClosed {
            id,
            status: status.as_str().to_string(),
            expires: prop.expires,
        });
    }
    let fund = CONFIG.load(deps.storage)?.fund;
    let standing = standing_now(&deps.querier, &fund, &voter)?;
    if lost_vote(standing, prop.opened_at).is_none() {
        return Err(ContractError::VoterNotDefaulted {
            voter: voter.to_string(),
            status: status_str(standing.map(|s| s.status)).to_string(),
        });
    }
    let discount = match BALLOTS.may_load(deps.storage, (id, &voter))? {
        Some(ballot) => {
            remove(&mut prop.votes, ballot.vote, ballot.weight)?;
            Discount {
                weight: ballot.weight,
                vote: Some(ballot.vote),
                recused: None,
            }
        }
        None => {
            let weight = weight_at(
                &deps.querier,
                &fund,
                prop.weighting,
                &voter,
                prop.start_height,
                prop.fund_head,
            )?
            .filter(|w| !w.is_zero())
            .ok_or_else(|| ContractError::NothingToDiscount {
                id,
                voter: voter.to_string(),
                height: prop.start_height,
            })?;
            Discount {
                weight,
                vote: None,
                recused: None,
            }
        }
    };
    prop.total_weight = prop
        .total_weight
        .checked_sub(discount.weight)
        .map_err(cosmwasm_std::StdError::from)?;
    let ended = now >= prop.expires;
    if passed {
        // Still passing without it? Then its timelock runs on from when it
        // passed; otherwise it is open again, or rejected once voting ended.
        if is_passed(&prop.threshold, &prop.votes, prop.total_weight, ended)? {
            if prop.status == Status::Open {
                // It passed at the end of voting: fix that moment.
                prop.status = Status::Passed;
                prop.passed_at = Some(prop.expires);
            }
        } else {
            prop.status = if ended {
                Status::Rejected
            } else {
                Status::Open
            };
            prop.passed_at = None;
        }
    } else {
        prop.record_outcome(now)?;
    }
    BALLOTS.remove(deps.storage, (id, &voter));
    DISCOUNTS.save(deps.storage, (id, &voter), &discount)?;
    PROPOSALS.save(deps.storage, id, &prop)?;
    Ok(Response::new()
        .add_attribute("action", "discount_vote")
        .add_attribute("sender", info.sender)
        .add_attribute("proposal_id", id.to_string())
        .add_attribute("voter", voter)
        .add_attribute("weight", discount.weight.to_string())
        .add_attribute("vote", discount.vote.map(vote_str).unwrap_or("none"))
        .add_attribute("total_weight", prop.total_weight.to_string())
        .add_attribute("status", prop.status.as_str()))
}
