//! Money out of the fund for members: withdrawal with notice (losses during
//! the notice still apply), and a closed defaulter's remainder.

use clearing_types::fund::{MemberStatus, PendingWithdrawal};
use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::member::{load_live_member, load_member, settle_deposit, total_owed};
use crate::pool::{to_sub, to_tokens};
use crate::state::{CONFIG, MEMBERS, PARAMS, POOL, TOTALS};

pub fn request(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    amount: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let mut m = load_live_member(deps.storage, &info.sender)?;
    let pool = POOL.load(deps.storage)?;
    settle_deposit(deps.storage, &pool, &mut m)?;
    let balance = to_tokens(m.deposit)?;
    if amount > balance {
        return Err(ContractError::ExceedsBalance {
            requested: amount,
            balance,
        });
    }
    let params = PARAMS.load(deps.storage)?;
    let claimable_at = env.block.time.plus_seconds(params.withdrawal_notice_period);
    m.withdrawal = Some(PendingWithdrawal {
        amount,
        claimable_at,
    });
    MEMBERS.save(deps.storage, &info.sender, &m)?;
    Ok(Response::new()
        .add_attribute("action", "request_withdrawal")
        .add_attribute("member", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("claimable_at", claimable_at.seconds().to_string())
        .add_attribute("balance", balance))
}

pub fn claim(deps: DepsMut, env: Env, info: MessageInfo) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let now = env.block.time;
    let mut m = load_live_member(deps.storage, &info.sender)?;
    let mut pool = POOL.load(deps.storage)?;
    let totals = TOTALS.load(deps.storage)?;
    let owed = total_owed(&pool, &m)?;
    if !owed.is_zero() {
        return Err(ContractError::OutstandingObligation { owed });
    }
    settle_deposit(deps.storage, &pool, &mut m)?;
    // After a shutdown with every default closed, members leave at once.
    let winding_down = config.shutdown && totals.open_defaults == 0;
    let balance = to_tokens(m.deposit)?;
    let amount = if winding_down {
        balance
    } else {
        let pending = m
            .withdrawal
            .clone()
            .ok_or(ContractError::NoWithdrawalRequested {})?;
        if now < pending.claimable_at {
            return Err(ContractError::NoticeNotOver {
                claimable_at: pending.claimable_at,
            });
        }
        if let Some(c) = totals.cooling_off.as_ref().filter(|c| now < c.ends) {
            return Err(ContractError::CoolingOffOpen { ends: c.ends });
        }
        if m.status == MemberStatus::InBreach {
            return Err(ContractError::OutstandingObligation { owed });
        }
        pending.amount.min(balance)
    };
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    let taken = to_sub(amount)?;
    m.deposit = m.deposit.checked_sub(taken)?;
    m.withdrawal = None;
    pool.total_deposits = pool.total_deposits.checked_sub(taken)?;
    MEMBERS.save(deps.storage, &info.sender, &m)?;
    POOL.save(deps.storage, &pool)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&info.sender, amount)?)
        .add_attribute("action", "claim_withdrawal")
        .add_attribute("member", info.sender)
        .add_attribute("amount", amount)
        .add_attribute("balance", balance - amount)
        .add_attribute("total_contributions", pool.total_balance()?))
}

/// A defaulter whose default governance closed takes out its remainder.
pub fn claim_released(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let mut m = load_member(deps.storage, &info.sender)?;
    if m.status != MemberStatus::Closed {
        return Err(ContractError::NothingToClaim {});
    }
    let amount = m.released;
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    m.released = Uint128::zero();
    let mut totals = TOTALS.load(deps.storage)?;
    totals.released_pending = totals.released_pending.checked_sub(amount)?;
    MEMBERS.save(deps.storage, &info.sender, &m)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&info.sender, amount)?)
        .add_attribute("action", "claim_released")
        .add_attribute("member", info.sender)
        .add_attribute("amount", amount))
}
