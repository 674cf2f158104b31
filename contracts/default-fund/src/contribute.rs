//! Money into the fund: members' contributions and the operator's SITG.

use cosmwasm_std::{Addr, DepsMut, Env, Response, StdResult, Uint128};

use crate::error::ContractError;
use crate::member::{apply_settlement, credit_stake, save_pool, settled_live, write_voter};
use crate::state::{Config, COUNTERS, INDEXES, MEMBERS, POOL, TOTALS};

/// Credits `amount` (already received and checked) to `member`'s balance.
/// Topping up to the required contribution closes a shortfall, and a
/// breach ends once nothing is overdue; a top-up that leaves something
/// overdue lifts nothing (SPEC v2 §3).
pub fn contribute(
    deps: DepsMut,
    env: Env,
    config: &Config,
    member: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if config.shutdown {
        return Err(ContractError::ShutDown {});
    }
    let indexes = INDEXES.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    let (msgs, _) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    credit_stake(&mut pool, &mut record, amount)?;
    // A top-up that closes a breached shortfall ends the breach.
    record.track_shortfall(&indexes.regime, env.block.time)?;
    counters.holdings = counters.holdings.checked_add(amount)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    write_voter(deps.storage, env.block.height, &member, &record)?;
    save_pool(deps.storage, env.block.height, &mut pool)?;
    COUNTERS.save(deps.storage, &counters)?;
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "contribute")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("balance", record.balance()?)
        .add_attribute("shortfall", record.shortfall(&indexes.regime)?)
        .add_attribute("status", record.status.as_str())
        .add_attribute("total_contributions", pool.total))
}

/// The operator tops up its skin-in-the-game tranche.
pub fn fund_sitg(
    deps: DepsMut,
    config: &Config,
    sender: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if sender != config.operator {
        return Err(ContractError::unauthorized("fund the SITG tranche", sender));
    }
    if config.shutdown {
        return Err(ContractError::ShutDown {});
    }
    let mut totals = TOTALS.load(deps.storage)?;
    totals.sitg = totals.sitg.checked_add(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    COUNTERS.update(deps.storage, |mut c| -> StdResult<_> {
        c.holdings = c.holdings.checked_add(amount)?;
        Ok(c)
    })?;
    Ok(Response::new()
        .add_attribute("action", "fund_sitg")
        .add_attribute("amount", amount)
        .add_attribute("sitg", totals.sitg))
}
