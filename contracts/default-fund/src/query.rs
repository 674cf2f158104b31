use clearing_types::fund::{
    ConfigResponse, DefaultsResponse, FundStateResponse, MemberResponse, ObligationsResponse,
    QueryMsg,
};
use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, Env, Order, StdError, StdResult};
use cw_storage_plus::Bound;

use crate::member::{balance_and_fees, overdue, replenishment_due, total_owed};
use crate::pool::to_tokens;
use crate::state::{MemberState, CONFIG, DEFAULTS, MEMBERS, PARAMS, POOL, TOTALS};
use crate::waterfall;

const DEFAULT_LIMIT: u32 = 30;
const MAX_LIMIT: u32 = 100;

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => {
            let c = CONFIG.load(deps.storage)?;
            to_json_binary(&ConfigResponse {
                governance: c.governance,
                risk_engine: c.risk_engine,
                operator: c.operator,
                loss_recipient: c.loss_recipient,
                vault: c.vault,
                asset: c.asset,
                paused: c.paused,
                shutdown: c.shutdown,
            })
        }
        QueryMsg::Params {} => to_json_binary(&PARAMS.load(deps.storage)?),
        QueryMsg::State {} => to_json_binary(&state(deps)?),
        QueryMsg::Member { address } => {
            let address = deps.api.addr_validate(&address)?;
            let m = MEMBERS.load(deps.storage, &address)?;
            to_json_binary(&member_view(deps, &env, address, &m)?)
        }
        QueryMsg::Obligations { address } => {
            let address = deps.api.addr_validate(&address)?;
            let m = MEMBERS.load(deps.storage, &address)?;
            let view = member_view(deps, &env, address, &m)?;
            to_json_binary(&ObligationsResponse {
                owed: view.assessment_owed,
                overdue: view.assessment_overdue,
                replenishment_due: view.replenishment_due,
                status: view.status,
            })
        }
        QueryMsg::Default { id } => to_json_binary(&DEFAULTS.load(deps.storage, id)?),
        QueryMsg::Defaults { start_after, limit } => {
            let limit = limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
            let defaults = DEFAULTS
                .range(
                    deps.storage,
                    start_after.map(Bound::exclusive),
                    None,
                    Order::Ascending,
                )
                .take(limit)
                .map(|item| item.map(|(_, r)| r))
                .collect::<StdResult<_>>()?;
            to_json_binary(&DefaultsResponse { defaults })
        }
        QueryMsg::PreviewDefault { member, loss } => to_json_binary(
            &waterfall::preview(deps, env, member, loss)
                .map_err(|e| StdError::generic_err(e.to_string()))?,
        ),
    }
}

pub fn state(deps: Deps) -> StdResult<FundStateResponse> {
    let pool = POOL.load(deps.storage)?;
    let t = TOTALS.load(deps.storage)?;
    Ok(FundStateResponse {
        total_contributions: pool.total_balance()?,
        sitg: t.sitg,
        fees_unclaimed: t.fees_unclaimed,
        released_pending: t.released_pending,
        total_required: pool.total_required,
        uncovered_total: t.uncovered_total,
        active_members: t.active_members,
        defaults: t.defaults,
        open_defaults: t.open_defaults,
        cooling_off: t.cooling_off,
        last_default_at: t.last_default_at,
    })
}

pub fn member_view(
    deps: Deps,
    env: &Env,
    address: Addr,
    m: &MemberState,
) -> StdResult<MemberResponse> {
    let pool = POOL.load(deps.storage)?;
    let params = PARAMS.load(deps.storage)?;
    let totals = TOTALS.load(deps.storage)?;
    let now = env.block.time;
    let (balance, fees) = balance_and_fees(deps.storage, &pool, m)?;
    let balance = to_tokens(balance)?;
    Ok(MemberResponse {
        address,
        balance,
        required_margin: m.required_margin,
        required_contribution: m.required_contribution,
        assessment_owed: total_owed(&pool, m)?,
        assessment_overdue: overdue(deps.storage, &pool, m, now)?.amount,
        replenishment_due: replenishment_due(&params, &totals, m, balance, now),
        fees_claimable: fees,
        pending_withdrawal: m.withdrawal.clone(),
        released: m.released,
        status: m.status,
    })
}
