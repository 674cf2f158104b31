//! Opening a proposal (SPEC v2 §5): its weights, total and fund head are
//! those at the start of this block, fixed for its whole life.

use clearing_types::governance::{Status, Threshold, Vote, Votes};
use cosmwasm_std::{CosmosMsg, DepsMut, Empty, Env, MessageInfo, Response, Storage, Timestamp};
use cw_utils::Expiration;

use crate::config::check_period;
use crate::error::ContractError;
use crate::state::{
    Ballot, Config, Content, Proposal, BALLOTS, CONFIG, CONTENTS, PROPOSALS, PROPOSAL_COUNT,
};
use crate::tally::add;
use crate::weights::{ensure_may_vote, opening, weight_at};

/// Loads a proposal's figures; `UnknownProposal` for an id never used.
pub fn load_proposal(storage: &dyn Storage, id: u64) -> Result<Proposal, ContractError> {
    PROPOSALS
        .may_load(storage, id)?
        .ok_or(ContractError::UnknownProposal { id })
}

/// End of voting: the whole voting period from now. `latest` (a time) is
/// accepted for cw3's shape but may not cut the period short: a shortened
/// vote would let the proposer's own ballot meet a quorum before the other
/// members could vote.
fn voting_ends(
    now: Timestamp,
    latest: Option<Expiration>,
    period: u64,
) -> Result<Timestamp, ContractError> {
    let max = now.plus_seconds(period);
    match latest {
        None => Ok(max),
        Some(Expiration::AtTime(t)) if t <= now => {
            Err(ContractError::LatestPast { latest: t, now })
        }
        Some(Expiration::AtTime(t)) if t < max => Err(ContractError::VotingPeriodShortened {
            latest: t,
            ends: max,
        }),
        Some(Expiration::AtTime(_)) => Ok(max),
        Some(_) => Err(ContractError::NotATime {
            field: "latest".to_string(),
        }),
    }
}

/// The timelock a proposal asks for: the minimum, or longer.
fn timelock(config: &Config, requested: Option<u64>) -> Result<u64, ContractError> {
    let Some(requested) = requested else {
        return Ok(config.min_timelock);
    };
    if requested < config.min_timelock {
        return Err(ContractError::TimelockBelowMinimum {
            requested,
            minimum: config.min_timelock,
        });
    }
    check_period("timelock", requested)
}

/// A member who may vote at the start of this block opens a proposal and
/// votes yes with its weight then.
///
/// Reads (raw, from the fund): the pool at this block (1–2 reads), the
/// proposer's voter record at this block (1–2), the events between its
/// record and the head (weighing by balance), its member record (1).
/// Writes: the proposal's figures, its content, the proposer's ballot and
/// the proposal count. Constant in the number of members and of open
/// proposals.
///
/// Errors: `Payment` (funds sent), `EmptyProposal`, `EmptyTitle`,
/// `TimelockBelowMinimum`, `InvalidPeriod` (timelock above ten years),
/// `LatestPast`, `NotATime`, `NotAVoter`, `NoVotingWeight`, `Defaulted`,
/// `Recused` (the proposal acts on its proposer), `SeveralMembersActedOn`,
/// `NotOnlyAboutMember`, `OpaqueContractCall` (recusal.rs),
/// `UnreachableThreshold` (an absolute count above the total once the
/// member the proposal acts on is recused),
/// `WeightBeyondTotal` (the fund's snapshot is inconsistent).
#[allow(clippy::too_many_arguments)]
pub fn propose(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    title: String,
    description: String,
    msgs: Vec<CosmosMsg<Empty>>,
    latest: Option<Expiration>,
    requested_timelock: Option<u64>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if msgs.is_empty() {
        return Err(ContractError::EmptyProposal {});
    }
    if title.trim().is_empty() {
        return Err(ContractError::EmptyTitle {});
    }
    let config = CONFIG.load(deps.storage)?;
    let timelock = timelock(&config, requested_timelock)?;
    let now = env.block.time;
    let expires = voting_ends(now, latest, config.voting_period)?;
    let height = env.block.height;

    let open = opening(&deps.querier, &config.fund, config.weighting, height)?;
    let weight = weight_at(
        &deps.querier,
        &config.fund,
        config.weighting,
        &info.sender,
        height,
        open.fund_head,
    )?
    .ok_or_else(|| ContractError::NotAVoter {
        address: info.sender.to_string(),
        height,
    })?;
    if weight.is_zero() {
        return Err(ContractError::NoVotingWeight {
            address: info.sender.to_string(),
            height,
        });
    }
    ensure_may_vote(&deps.querier, &config.fund, &info.sender, now)?;

    let id = PROPOSAL_COUNT.may_load(deps.storage)?.unwrap_or_default() + 1;
    if weight > open.total {
        return Err(ContractError::WeightBeyondTotal {
            id,
            weight,
            remaining: open.total,
            total: open.total,
        });
    }

    // The members the proposal acts on do not decide it.
    let recused = crate::recusal::recuse(
        deps.storage,
        deps.api,
        &deps.querier,
        &config.fund,
        &config.vault,
        config.weighting,
        id,
        &info.sender,
        &msgs,
        height,
        open.fund_head,
    )?;
    let total = open
        .total
        .checked_sub(recused)
        .map_err(cosmwasm_std::StdError::from)?;
    if let Threshold::AbsoluteCount { weight: needed } = config.threshold {
        if needed > total {
            return Err(ContractError::UnreachableThreshold { needed, total });
        }
    }
    let mut votes = Votes::default();
    add(&mut votes, Vote::Yes, weight)?;
    let mut prop = Proposal {
        proposer: info.sender.clone(),
        start_height: height,
        opened_at: now,
        expires,
        weighting: config.weighting,
        fund_head: open.fund_head,
        threshold: config.threshold,
        opening_total: open.total,
        total_weight: total,
        votes,
        timelock,
        execution_window: config.execution_window,
        status: Status::Open,
        passed_at: None,
    };
    prop.record_outcome(now)?;

    PROPOSAL_COUNT.save(deps.storage, &id)?;
    PROPOSALS.save(deps.storage, id, &prop)?;
    CONTENTS.save(
        deps.storage,
        id,
        &Content {
            title,
            description,
            msgs,
        },
    )?;
    BALLOTS.save(
        deps.storage,
        (id, &info.sender),
        &Ballot {
            vote: Vote::Yes,
            weight,
        },
    )?;
    Ok(Response::new()
        .add_attribute("action", "propose")
        .add_attribute("sender", info.sender)
        .add_attribute("proposal_id", id.to_string())
        .add_attribute("start_height", height.to_string())
        .add_attribute("weighting", prop.weighting.as_str())
        .add_attribute("weight", weight.to_string())
        .add_attribute("total_weight", prop.total_weight.to_string())
        .add_attribute("fund_head", prop.fund_head.to_string())
        .add_attribute("expires", prop.expires.seconds().to_string())
        .add_attribute("timelock", timelock.to_string())
        .add_attribute("status", prop.status.as_str()))
}
