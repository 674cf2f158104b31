//! Fees (SPEC §3 "Fees"): anyone pays them in, they accrue to contributors
//! pro rata to balance through the fee index, and each member claims its own.
//!
//! The index rises by `fee / balances` per unit of balance, exact
//! (`balances`: the members' balances together, exact — the pool's dust
//! earns nothing); a member earns `balance × ΔS`, exact, and is paid it
//! rounded down once (`clearing_types::ledger`).

use clearing_types::ratio::Rounding;
use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::member::{apply_settlement, ensure_not_suspended, settled};
use crate::state::{Config, COUNTERS, INDEXES, MEMBERS, POOL};

pub fn distribute(
    deps: DepsMut,
    config: &Config,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if config.shutdown {
        return Err(ContractError::ShutDown {});
    }
    let pool = POOL.load(deps.storage)?;
    // Fees go to the members' balances only, never to the pool's dust.
    let base = pool.balances()?;
    if base.is_zero() {
        return Err(ContractError::NoContributors {});
    }
    let mut indexes = INDEXES.load(deps.storage)?;
    let per_unit = clearing_types::ratio::Ratio::from_int(amount).div(&base, Rounding::Down)?;
    indexes.fee_sum = indexes.fee_sum.add(&per_unit, Rounding::Down)?;
    INDEXES.save(deps.storage, &indexes)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    counters.fees_unclaimed = counters.fees_unclaimed.checked_add(amount)?;
    counters.holdings = counters.holdings.checked_add(amount)?;
    COUNTERS.save(deps.storage, &counters)?;
    Ok(Response::new()
        .add_attribute("action", "distribute_fees")
        .add_attribute("amount", amount)
        .add_attribute("total_contributions", pool.total)
        .add_attribute("fees_unclaimed", counters.fees_unclaimed))
}

pub fn claim(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let member = info.sender;
    let indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let settled = settled(deps.storage, &member, &pool, &indexes)?;
    crate::member::ensure_live(&member, &settled.record)?;
    ensure_not_suspended(&member, &settled.record)?;
    crate::member::ensure_may_claim(&settled.record, &indexes.regime, env.block.time)?;
    let amount = settled.record.fees_claimable()?;
    if amount.is_zero() {
        return Err(ContractError::NoFees {});
    }
    let mut counters = COUNTERS.load(deps.storage)?;
    let (mut msgs, _) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    record.fees = record.fees.sub_int(amount)?;
    counters.fees_unclaimed = counters.fees_unclaimed.checked_sub(amount)?;
    counters.holdings = counters.holdings.checked_sub(amount)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    COUNTERS.save(deps.storage, &counters)?;
    msgs.extend(config.asset.transfer_msgs(&member, amount)?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "claim_fees")
        .add_attribute("member", member)
        .add_attribute("amount", amount))
}
