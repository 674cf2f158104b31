//! Queries: the rules, proposals with their tallies and deadlines, the
//! ballots that count, the weights taken out, a voter's weight.

use clearing_types::governance::{
    ConfigResponse, DiscountInfo, DiscountListResponse, ProposalListResponse, ProposalResponse,
    QueryMsg, TimelockResponse, VoteInfo, VoteListResponse, VoteResponse, VoterResponse,
};
use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, Env, Order, StdResult};
use cw_storage_plus::Bound;
use cw_utils::{Duration, Expiration};

use crate::state::{Proposal, BALLOTS, CONFIG, CONTENTS, DISCOUNTS, PROPOSALS};
use crate::weights::{opening, weight_at};

const DEFAULT_LIMIT: u32 = 30;
const MAX_LIMIT: u32 = 100;

fn limit(l: Option<u32>) -> usize {
    l.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => {
            let c = CONFIG.load(deps.storage)?;
            to_json_binary(&ConfigResponse {
                vault: c.vault,
                fund: c.fund,
                guardian: c.guardian,
                threshold: c.threshold,
                voting_period: Duration::Time(c.voting_period),
                min_timelock: c.min_timelock,
                execution_window: c.execution_window,
                weighting: c.weighting,
            })
        }
        QueryMsg::Threshold {} => {
            let c = CONFIG.load(deps.storage)?;
            let open = opening(&deps.querier, &c.fund, c.weighting, env.block.height)?;
            to_json_binary(&c.threshold.to_response(open.total))
        }
        QueryMsg::Proposal { proposal_id } => {
            let prop = PROPOSALS.load(deps.storage, proposal_id)?;
            to_json_binary(&proposal_response(deps, &env, proposal_id, prop)?)
        }
        QueryMsg::ListProposals {
            start_after,
            limit: l,
        } => {
            let proposals = PROPOSALS
                .range(
                    deps.storage,
                    start_after.map(Bound::exclusive),
                    None,
                    Order::Ascending,
                )
                .take(limit(l))
                .map(|r| r.and_then(|(id, p)| proposal_response(deps, &env, id, p)))
                .collect::<StdResult<_>>()?;
            to_json_binary(&ProposalListResponse { proposals })
        }
        QueryMsg::ReverseProposals {
            start_before,
            limit: l,
        } => {
            let proposals = PROPOSALS
                .range(
                    deps.storage,
                    None,
                    start_before.map(Bound::exclusive),
                    Order::Descending,
                )
                .take(limit(l))
                .map(|r| r.and_then(|(id, p)| proposal_response(deps, &env, id, p)))
                .collect::<StdResult<_>>()?;
            to_json_binary(&ProposalListResponse { proposals })
        }
        QueryMsg::Vote { proposal_id, voter } => {
            let voter = deps.api.addr_validate(&voter)?;
            let vote = BALLOTS
                .may_load(deps.storage, (proposal_id, &voter))?
                .map(|b| VoteInfo {
                    proposal_id,
                    voter: voter.to_string(),
                    vote: b.vote,
                    weight: b.weight,
                });
            to_json_binary(&VoteResponse { vote })
        }
        QueryMsg::ListVotes {
            proposal_id,
            start_after,
            limit: l,
        } => {
            let start = start_after
                .map(|s| deps.api.addr_validate(&s))
                .transpose()?;
            let votes = BALLOTS
                .prefix(proposal_id)
                .range(
                    deps.storage,
                    start.as_ref().map(Bound::exclusive),
                    None,
                    Order::Ascending,
                )
                .take(limit(l))
                .map(|r| {
                    r.map(|(voter, b)| VoteInfo {
                        proposal_id,
                        voter: voter.to_string(),
                        vote: b.vote,
                        weight: b.weight,
                    })
                })
                .collect::<StdResult<_>>()?;
            to_json_binary(&VoteListResponse { votes })
        }
        QueryMsg::ListDiscounts {
            proposal_id,
            start_after,
            limit: l,
        } => {
            let start = start_after
                .map(|s| deps.api.addr_validate(&s))
                .transpose()?;
            let discounts = DISCOUNTS
                .prefix(proposal_id)
                .range(
                    deps.storage,
                    start.as_ref().map(Bound::exclusive),
                    None,
                    Order::Ascending,
                )
                .take(limit(l))
                .map(|r| {
                    r.map(|(voter, d)| DiscountInfo {
                        voter: voter.to_string(),
                        weight: d.weight,
                        vote: d.vote,
                    })
                })
                .collect::<StdResult<_>>()?;
            to_json_binary(&DiscountListResponse { discounts })
        }
        QueryMsg::Voter {
            address,
            proposal_id,
        } => {
            let address = deps.api.addr_validate(&address)?;
            to_json_binary(&VoterResponse {
                weight: voter_weight(deps, &env, &address, proposal_id)?,
            })
        }
        QueryMsg::Timelock { proposal_id } => {
            let prop = PROPOSALS.load(deps.storage, proposal_id)?;
            let now = env.block.time;
            to_json_binary(&TimelockResponse {
                timelock: prop.timelock,
                passed_at: prop.passed_at(now)?,
                executable_at: prop.executable_at(now)?,
                execution_deadline: prop.execution_deadline(now)?,
                vetoed: prop.status == clearing_types::governance::Status::Vetoed,
            })
        }
    }
}

/// A voter's weight on a proposal (at its opening) or on one opened now.
fn voter_weight(
    deps: Deps,
    env: &Env,
    address: &Addr,
    proposal_id: Option<u64>,
) -> StdResult<Option<cosmwasm_std::Uint128>> {
    let c = CONFIG.load(deps.storage)?;
    let (weighting, height, head) = match proposal_id {
        Some(id) => {
            let p = PROPOSALS.load(deps.storage, id)?;
            (p.weighting, p.start_height, p.fund_head)
        }
        None => {
            let h = env.block.height;
            (
                c.weighting,
                h,
                opening(&deps.querier, &c.fund, c.weighting, h)?.fund_head,
            )
        }
    };
    weight_at(&deps.querier, &c.fund, weighting, address, height, head)
}

fn proposal_response(deps: Deps, env: &Env, id: u64, p: Proposal) -> StdResult<ProposalResponse> {
    let now = env.block.time;
    let content = CONTENTS.load(deps.storage, id)?;
    Ok(ProposalResponse {
        id,
        title: content.title,
        description: content.description,
        msgs: content.msgs,
        status: p.status_at(now)?,
        proposer: p.proposer.clone(),
        start_height: p.start_height,
        opened_at: p.opened_at,
        expires: Expiration::AtTime(p.expires),
        weighting: p.weighting,
        threshold: p.threshold.to_response(p.total_weight),
        opening_total: p.opening_total,
        total_weight: p.total_weight,
        votes: p.votes.clone(),
        fund_head: p.fund_head,
        timelock: p.timelock,
        execution_window: p.execution_window,
        passed_at: p.passed_at(now)?,
        executable_at: p.executable_at(now)?,
        execution_deadline: p.execution_deadline(now)?,
    })
}
