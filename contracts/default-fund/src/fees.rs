//! Fees (SPEC §3 "Fees"): anyone pays them in, they accrue to contributors
//! pro rata to balance through the fee index, and each member claims its own.
//!
//! The index rises by `fee × 10^36 / balances` per unit of balance
//! (`balances`: the members' balances together, exact — the pool's dust
//! earns nothing), rounded down in 10⁻³⁶ units; what that rounding leaves
//! is carried into the next distribution while the balances are unchanged,
//! so that distributions at the same balances round once between them.

use clearing_types::ledger::FEE_PRECISION;
use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128, Uint512};

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
    // The carry is kept while the pool holds the same whole balances
    // (no dust: with dust, each distribution rounds on its own).
    let same = pool.dust.is_zero() && indexes.fee_carry_total == pool.total;
    let carry = if same {
        indexes.fee_carry
    } else {
        Uint512::zero()
    };
    // fee × 10^36 / base, with base = num / den exact.
    let num = Uint512::from(amount)
        .checked_mul(Uint512::from(FEE_PRECISION))?
        .checked_mul(base.den)?
        .checked_add(carry)?;
    indexes.fee_sum = indexes.fee_sum.checked_add(num / base.num)?;
    indexes.fee_carry = num % base.num;
    indexes.fee_carry_total = if pool.dust.is_zero() {
        pool.total
    } else {
        Uint128::zero()
    };
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
    let settled = settled(deps.storage, &member, &pool, &indexes, env.block.time)?;
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
    record.fees = record
        .fees
        .checked_sub(Uint512::from(amount).checked_mul(Uint512::from(FEE_PRECISION))?)?;
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
