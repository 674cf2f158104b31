//! Fees: anyone pays them in, they accrue to contributors pro rata to
//! balance through the fee sum, and each member claims its own.

use cosmwasm_std::{DepsMut, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::member::{load_member, settle_deposit};
use crate::state::{Config, CONFIG, FEE_SUMS, MEMBERS, POOL, TOTALS};

pub fn distribute(
    deps: DepsMut,
    config: &Config,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if config.shutdown {
        return Err(ContractError::ShutDown {});
    }
    let pool = POOL.load(deps.storage)?;
    // Less than one token in the pool counts as nobody holding a balance.
    if pool.total_balance()?.is_zero() {
        return Err(ContractError::NoContributors {});
    }
    let increment = pool.fee_sum_increment(amount)?;
    FEE_SUMS.update(deps.storage, (pool.epoch, pool.scale), |s| {
        s.unwrap_or_default()
            .checked_add(increment)
            .map_err(ContractError::from)
    })?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.fees_unclaimed = totals.fees_unclaimed.checked_add(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_attribute("action", "distribute_fees")
        .add_attribute("amount", amount)
        .add_attribute("total_contributions", pool.total_balance()?)
        .add_attribute("fees_unclaimed", totals.fees_unclaimed))
}

pub fn claim(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let mut m = load_member(deps.storage, &info.sender)?;
    let pool = POOL.load(deps.storage)?;
    settle_deposit(deps.storage, &pool, &mut m)?;
    let amount = m.fees;
    if amount.is_zero() {
        return Err(ContractError::NoFees {});
    }
    m.fees = Uint128::zero();
    let mut totals = TOTALS.load(deps.storage)?;
    totals.fees_unclaimed = totals.fees_unclaimed.checked_sub(amount)?;
    MEMBERS.save(deps.storage, &info.sender, &m)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&info.sender, amount)?)
        .add_attribute("action", "claim_fees")
        .add_attribute("member", info.sender)
        .add_attribute("amount", amount))
}
