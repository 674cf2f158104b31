//! Money into the fund: members' contributions and the operator's SITG.

use cosmwasm_std::{Addr, DepsMut, Env, Response, Uint128};

use crate::error::ContractError;
use crate::member::{clear_breach_if_settled, load_live_member, settle_deposit};
use crate::pool::{to_sub, to_tokens};
use crate::state::{Config, MEMBERS, POOL, TOTALS};

/// Credits `amount` (already received and checked) to `member`'s balance.
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
    let mut m = load_live_member(deps.storage, &member)?;
    let mut pool = POOL.load(deps.storage)?;
    settle_deposit(deps.storage, &pool, &mut m)?;
    let added = to_sub(amount)?;
    m.deposit = m.deposit.checked_add(added)?;
    pool.total_deposits = pool.total_deposits.checked_add(added)?;
    clear_breach_if_settled(deps.storage, &pool, &mut m, env.block.time)?;
    MEMBERS.save(deps.storage, &member, &m)?;
    POOL.save(deps.storage, &pool)?;
    Ok(Response::new()
        .add_attribute("action", "contribute")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("balance", to_tokens(m.deposit)?)
        .add_attribute("required_contribution", m.required_contribution)
        .add_attribute("total_contributions", pool.total_balance()?))
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
    Ok(Response::new()
        .add_attribute("action", "fund_sitg")
        .add_attribute("amount", amount)
        .add_attribute("sitg", totals.sitg))
}
