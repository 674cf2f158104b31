use clearing_types::vault::{
    ConfigResponse, MemberResponse, MembersResponse, QueryMsg, TotalsResponse,
};
use cosmwasm_std::{to_json_binary, Addr, Binary, Deps, Env, Order, StdResult};
use cw_storage_plus::Bound;

use crate::state::{Member, CONFIG, MEMBERS, TOTALS};

const DEFAULT_LIMIT: u32 = 30;
const MAX_LIMIT: u32 = 100;

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Config {} => {
            let c = CONFIG.load(deps.storage)?;
            to_json_binary(&ConfigResponse {
                governance: c.governance,
                risk_engine: c.risk_engine,
                default_fund: c.default_fund,
                asset: c.asset,
                paused: c.paused,
                shutdown: c.shutdown,
            })
        }
        QueryMsg::Member { address } => {
            let address = deps.api.addr_validate(&address)?;
            let member = MEMBERS.load(deps.storage, &address)?;
            to_json_binary(&member_response(address, member))
        }
        QueryMsg::Members { start_after, limit } => {
            let limit = limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize;
            let start = start_after
                .map(|a| deps.api.addr_validate(&a))
                .transpose()?;
            let members = MEMBERS
                .range(
                    deps.storage,
                    start.as_ref().map(Bound::exclusive),
                    None,
                    Order::Ascending,
                )
                .take(limit)
                .map(|item| item.map(|(addr, m)| member_response(addr, m)))
                .collect::<StdResult<_>>()?;
            to_json_binary(&MembersResponse { members })
        }
        QueryMsg::Totals {} => {
            let t = TOTALS.load(deps.storage)?;
            to_json_binary(&TotalsResponse {
                members: t.members,
                total_margin: t.total_margin,
                total_required: t.total_required,
            })
        }
        QueryMsg::Books {} => to_json_binary(&crate::books::books(deps, &env)?),
    }
}

fn member_response(address: Addr, m: Member) -> MemberResponse {
    MemberResponse {
        excess: m.excess(),
        address,
        balance: m.balance,
        required_margin: m.required_margin,
        status: m.status,
    }
}
