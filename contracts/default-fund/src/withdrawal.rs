//! Withdrawal with notice (SPEC v2 §3 "Withdrawal notice"): a member asks
//! for part of its balance above its required contribution; after the
//! notice, within the claim window, it takes `min(requested, balance −
//! required contribution)`. Losses during the notice still apply.

use clearing_types::fund::PendingWithdrawal;
use clearing_types::ledger::{check_exit, Exit};
use cosmwasm_std::{DepsMut, Env, MessageInfo, Order, Response, Storage, Timestamp, Uint128};
use cw_storage_plus::Bound;

use crate::error::ContractError;
use crate::member::{
    apply_settlement, debit_stake, ensure_not_suspended, save_pool, settled_live, write_voter,
};
use crate::state::{
    Config, COOLING_OFF, COOLING_OFF_PERIODS, COUNTERS, INDEXES, MEMBERS, PARAMS, POOL, TOTALS,
};
use crate::winddown;

pub fn request(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    amount: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let member = info.sender;
    let indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    ensure_not_suspended(&member, &settled.record)?;
    let available = settled.record.above_required(&indexes.regime)?;
    if amount > available {
        return Err(ContractError::ExceedsAvailable {
            requested: amount,
            available,
        });
    }
    let (msgs, dirty) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    let params = PARAMS.load(deps.storage)?;
    let claimable_at = env.block.time.plus_seconds(params.withdrawal_notice_period);
    record.withdrawal = Some(PendingWithdrawal {
        amount,
        claimable_at,
        claim_window: params.withdrawal_claim_window,
    });
    MEMBERS.save(deps.storage, &member, &record)?;
    if dirty {
        COUNTERS.save(deps.storage, &counters)?;
    }
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "request_withdrawal")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("claimable_at", claimable_at.seconds().to_string())
        .add_attribute(
            "lapses_at",
            lapses_at(deps.storage, claimable_at, params.withdrawal_claim_window)?
                .seconds()
                .to_string(),
        ))
}

/// When a request whose notice ends at `claimable_at` stops being
/// claimable: the claim window runs from the end of the notice or, if a
/// cooling-off period was open at that moment, from the period's end.
pub fn lapses_at(
    storage: &dyn Storage,
    claimable_at: Timestamp,
    window: u64,
) -> Result<Timestamp, ContractError> {
    let period = COOLING_OFF_PERIODS
        .range(
            storage,
            None,
            Some(Bound::inclusive(claimable_at.nanos())),
            Order::Descending,
        )
        .next()
        .transpose()?;
    let start = match period {
        Some((_, ends)) if ends > claimable_at.nanos() => Timestamp::from_nanos(ends),
        _ => claimable_at,
    };
    Ok(start.plus_seconds(window))
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
    if config.shutdown && TOTALS.load(deps.storage)?.open_defaults == 0 {
        return winddown::withdraw_balance(deps, env, info, config);
    }
    let now = env.block.time;
    let member = info.sender;
    let indexes = INDEXES.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    ensure_not_suspended(&member, &settled.record)?;
    let pending = settled
        .record
        .withdrawal
        .clone()
        .ok_or(ContractError::NoWithdrawalRequested {})?;
    if now < pending.claimable_at {
        return Err(ContractError::NoticeNotOver {
            claimable_at: pending.claimable_at,
        });
    }
    if let Some(c) = COOLING_OFF.may_load(deps.storage)?.filter(|c| now < c.ends) {
        return Err(ContractError::CoolingOffOpen { ends: c.ends });
    }
    let lapsed_at = lapses_at(deps.storage, pending.claimable_at, pending.claim_window)?;
    if now >= lapsed_at {
        return Err(ContractError::WithdrawalLapsed { lapsed_at });
    }
    check_exit(
        &settled.record,
        &indexes.regime,
        now,
        config.shutdown,
        Exit::FundWithdrawal,
    )?;
    let amount = pending
        .amount
        .min(settled.record.above_required(&indexes.regime)?);
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    let mut counters = COUNTERS.load(deps.storage)?;
    let (mut msgs, _) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    debit_stake(&mut pool, &mut record, amount)?;
    record.withdrawal = None;
    record.track_shortfall(&indexes.regime, now)?;
    counters.holdings = counters.holdings.checked_sub(amount)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    write_voter(deps.storage, env.block.height, &member, &record)?;
    save_pool(deps.storage, env.block.height, &mut pool)?;
    COUNTERS.save(deps.storage, &counters)?;
    msgs.extend(config.asset.transfer_msgs(&member, amount)?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "claim_withdrawal")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("balance", record.balance()?)
        .add_attribute("total_contributions", pool.total))
}
