use clearing_types::governance::{ConfigResponse, QueryMsg, TimelockResponse};
use cosmwasm_std::{to_json_binary, Binary, Deps, Env, Order, StdResult};
use cw3::{
    ProposalListResponse, ProposalResponse, VoteInfo, VoteListResponse, VoteResponse, VoterResponse,
};
use cw_storage_plus::Bound;

use crate::proposal::{passed_at, timelock_of};
use crate::state::{BALLOTS, CONFIG, PROPOSALS};
use crate::vote::{total_weight, voting_weight};

const DEFAULT_LIMIT: u32 = 30;
const MAX_LIMIT: u32 = 100;

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => {
            let c = CONFIG.load(deps.storage)?;
            to_json_binary(&ConfigResponse {
                vault: c.vault,
                fund: c.fund,
                guardian: c.guardian,
                threshold: c.threshold,
                voting_period: c.voting_period,
                timelock: c.timelock,
                weighting: c.weighting,
            })
        }
        QueryMsg::Threshold {} => {
            let c = CONFIG.load(deps.storage)?;
            let total = total_weight(&deps.querier, &c)?;
            to_json_binary(&c.threshold.to_response(total))
        }
        QueryMsg::Proposal { proposal_id } => {
            let prop = PROPOSALS.load(deps.storage, proposal_id)?;
            to_json_binary(&proposal_response(&env, proposal_id, prop))
        }
        QueryMsg::ListProposals { start_after, limit } => {
            let limit = limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
            let proposals = PROPOSALS
                .range(
                    deps.storage,
                    start_after.map(Bound::exclusive),
                    None,
                    Order::Ascending,
                )
                .take(limit)
                .map(|r| r.map(|(id, p)| proposal_response(&env, id, p)))
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
            limit,
        } => {
            let limit = limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
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
                .take(limit)
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
        QueryMsg::Voter { address } => {
            let c = CONFIG.load(deps.storage)?;
            let address = deps.api.addr_validate(&address)?;
            to_json_binary(&VoterResponse {
                weight: voting_weight(&deps.querier, &c, &address)?,
            })
        }
        QueryMsg::Timelock { proposal_id } => {
            let c = CONFIG.load(deps.storage)?;
            let prop = PROPOSALS.load(deps.storage, proposal_id)?;
            let t = timelock_of(deps.storage, proposal_id)?;
            let passed = if prop.current_status(&env.block) == cw3::Status::Passed
                || prop.status == cw3::Status::Executed
                || t.vetoed
            {
                passed_at(deps.storage, proposal_id, &prop)?
            } else {
                None
            };
            to_json_binary(&TimelockResponse {
                passed_at: passed,
                executable_at: passed.map(|p| p.plus_seconds(c.timelock)),
                vetoed: t.vetoed,
            })
        }
    }
}

fn proposal_response(env: &Env, id: u64, prop: cw3::Proposal) -> ProposalResponse {
    let status = prop.current_status(&env.block);
    let threshold = prop.threshold.to_response(prop.total_weight);
    ProposalResponse {
        id,
        title: prop.title,
        description: prop.description,
        msgs: prop.msgs,
        status,
        expires: prop.expires,
        threshold,
        proposer: prop.proposer,
        deposit: prop.deposit,
    }
}
