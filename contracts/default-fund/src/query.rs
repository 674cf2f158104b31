//! Read-only views. Every member figure comes from the shared ledger rules
//! (`clearing_types::ledger`), settled to now without writing.

use clearing_types::fund::{
    ConfigResponse, DefaultReceipt, DefaultsResponse, FundStateResponse, MemberResponse,
    MembersResponse, ObligationsResponse, QueryMsg,
};
use clearing_types::fund_storage::{Indexes, PoolTotals};
use clearing_types::ratio::Rounding;
use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, Env, Order, StdError, StdResult};
use cw_storage_plus::Bound;

use crate::error::ContractError;
use crate::member::settled;
use crate::state::{
    CONFIG, COOLING_OFF, COUNTERS, DEFAULTS, DEFAULT_OF, INDEXES, MEMBERS, PARAMS, POOL, RECOVERED,
    TOTALS,
};
use crate::{books, sizing, waterfall};

const DEFAULT_LIMIT: u32 = 30;
const MAX_LIMIT: u32 = 100;

fn std_err(e: ContractError) -> StdError {
    match e {
        ContractError::Std(e) => e,
        e => StdError::generic_err(e.to_string()),
    }
}

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
        QueryMsg::Params {} => {
            // The rate in force: recalibrations move it in the regime.
            let mut params = PARAMS.load(deps.storage)?;
            params.contribution_rate = INDEXES.load(deps.storage)?.regime.contribution_rate;
            to_json_binary(&params)
        }
        QueryMsg::State {} => to_json_binary(&state(deps, &env)?),
        QueryMsg::Member { address } => {
            let address = deps.api.addr_validate(&address)?;
            let (pool, indexes) = (POOL.load(deps.storage)?, INDEXES.load(deps.storage)?);
            to_json_binary(&member_view(deps, &env, &pool, &indexes, address)?)
        }
        QueryMsg::Members { start_after, limit } => {
            let limit = limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
            let start = start_after
                .map(|a| deps.api.addr_validate(&a))
                .transpose()?;
            let (pool, indexes) = (POOL.load(deps.storage)?, INDEXES.load(deps.storage)?);
            let addresses = MEMBERS
                .keys(
                    deps.storage,
                    start.as_ref().map(Bound::exclusive),
                    None,
                    Order::Ascending,
                )
                .take(limit)
                .collect::<StdResult<Vec<Addr>>>()?;
            let members = addresses
                .into_iter()
                .map(|a| member_view(deps, &env, &pool, &indexes, a))
                .collect::<StdResult<_>>()?;
            to_json_binary(&MembersResponse { members })
        }
        QueryMsg::Obligations { address } => {
            let address = deps.api.addr_validate(&address)?;
            let (pool, indexes) = (POOL.load(deps.storage)?, INDEXES.load(deps.storage)?);
            let r = settled(deps.storage, &address, &pool, &indexes)
                .map_err(std_err)?
                .record;
            let overdue = r.overdue(&indexes.regime, env.block.time)?;
            to_json_binary(&ObligationsResponse {
                owed: r.owed()?,
                overdue: overdue.assessments,
                replenishment_overdue: overdue.replenishment,
                shortfall: r.shortfall(&indexes.regime)?,
                shortfall_due: r.shortfall_due,
                next_due: r.next_due(),
                status: r.status,
                suspended: r.suspended,
            })
        }
        QueryMsg::Default { id } => to_json_binary(&receipt(
            deps,
            DEFAULTS
                .may_load(deps.storage, id)?
                .ok_or_else(|| std_err(ContractError::UnknownDefault { id }))?,
        )?),
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
                .map(|item| item.and_then(|(_, r)| receipt(deps, r)))
                .collect::<StdResult<_>>()?;
            to_json_binary(&DefaultsResponse { defaults })
        }
        QueryMsg::DefaultOf { member } => {
            let member = deps.api.addr_validate(&member)?;
            let receipt = match DEFAULT_OF.may_load(deps.storage, &member)? {
                Some(id) => Some(receipt(deps, DEFAULTS.load(deps.storage, id)?)?),
                None => None,
            };
            to_json_binary(&receipt)
        }
        QueryMsg::PreviewDefault { member, loss } => {
            to_json_binary(&waterfall::preview(deps, env, member, loss).map_err(std_err)?)
        }
        QueryMsg::Coverage {} => to_json_binary(&sizing::coverage(deps, env).map_err(std_err)?),
        QueryMsg::Books {} => {
            to_json_binary(&books::books(deps, &env, &CONFIG.load(deps.storage)?)?)
        }
    }
}

/// A default's receipt with what recoveries have credited to it so far.
fn receipt(deps: Deps, mut r: DefaultReceipt) -> StdResult<DefaultReceipt> {
    r.recovered = RECOVERED.may_load(deps.storage, r.id)?.unwrap_or_default();
    Ok(r)
}

pub fn state(deps: Deps, env: &Env) -> StdResult<FundStateResponse> {
    let pool = POOL.load(deps.storage)?;
    let indexes = INDEXES.load(deps.storage)?;
    let t = TOTALS.load(deps.storage)?;
    let c = COUNTERS.load(deps.storage)?;
    let cooling_off = COOLING_OFF.may_load(deps.storage)?;
    Ok(FundStateResponse {
        total_contributions: pool.balances()?.floor()?,
        sitg: t.sitg,
        fees_unclaimed: c.fees_unclaimed,
        held: t.held,
        recoveries_held: c.recoveries_held,
        total_required: indexes.base()?.to_decimal256(Rounding::Up)?,
        uncovered_total: t.uncovered_total,
        members: indexes.sums.members,
        voters: pool.voters,
        defaults: t.defaults,
        open_defaults: t.open_defaults,
        open_obligations: crate::member::open_obligations(deps.storage)?,
        cooling_off_open: cooling_off
            .as_ref()
            .is_some_and(|c| env.block.time < c.ends),
        cooling_off,
        last_default_at: t.last_default_at,
        contribution_rate: indexes.regime.contribution_rate,
        basis: indexes.regime.basis,
        last_recalibration: indexes.last_recalibration,
    })
}

pub fn member_view(
    deps: Deps,
    env: &Env,
    pool: &PoolTotals,
    indexes: &Indexes,
    address: Addr,
) -> StdResult<MemberResponse> {
    let s = settled(deps.storage, &address, pool, indexes).map_err(std_err)?;
    let recovered = crate::recovery::claimable_now(deps.storage, &address, &s).map_err(std_err)?;
    let r = s.record;
    let overdue = r.overdue(&indexes.regime, env.block.time)?;
    Ok(MemberResponse {
        address,
        status: r.status,
        suspended: r.suspended,
        exit_notice_at: r.exit_notice_at,
        exit_available_at: r.exit_available_at,
        exit_lapses_at: crate::exit::lapses_at(deps.storage, &r).map_err(std_err)?,
        balance: r.balance()?,
        required_margin: r.required_margin,
        exposure: r.exposure,
        required_contribution: if r.is_live() {
            r.required(&indexes.regime)?.to_decimal256(Rounding::Up)?
        } else {
            cosmwasm_std::Decimal256::zero()
        },
        assessment_owed: r.owed()?,
        assessment_overdue: overdue.assessments,
        shortfall: r.shortfall(&indexes.regime)?,
        shortfall_due: r.shortfall_due,
        replenishment_overdue: overdue.replenishment,
        fees_claimable: r.fees_claimable()?,
        pending_withdrawal: r.withdrawal.clone(),
        held: r.held,
        recovered,
        may_vote: r.may_vote(),
        obligations: r.obligations,
    })
}
