//! After the waterfall and after shutdown: a member's whole balance once
//! the fund is shut down and no default is open, a closed defaulter's held
//! stake, and the operator's SITG exit (SPEC v2 §3 "SITG exit", §5).

use clearing_types::fund::MemberStatus;
use clearing_types::ledger::{check_exit, Exit};
use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::member::{
    apply_settlement, debit_stake, load_record, save_pool, settled_live, write_voter,
};
use crate::state::{Config, COUNTERS, DEFAULT_OF, INDEXES, MEMBERS, POOL, TOTALS};

/// After shutdown with every default closed: the member takes out its
/// whole balance without notice, if it owes nothing (SPEC v2: after
/// shutdown, every exit is refused while anything is owed).
pub fn withdraw_balance(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
) -> Result<Response, ContractError> {
    let member = info.sender;
    let indexes = INDEXES.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    check_exit(
        &settled.record,
        &indexes.regime,
        env.block.time,
        true,
        Exit::FundWithdrawal,
    )?;
    let amount = settled.record.balance()?;
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    let (mut msgs, _) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    debit_stake(&mut pool, &mut record, amount)?;
    record.withdrawal = None;
    counters.holdings = counters.holdings.checked_sub(amount)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    write_voter(deps.storage, env.block.height, &member, &record)?;
    save_pool(deps.storage, env.block.height, &mut pool)?;
    COUNTERS.save(deps.storage, &counters)?;
    msgs.extend(config.asset.transfer_msgs(&member, amount)?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "withdraw_balance")
        .add_attribute("member", member)
        .add_attribute("amount", amount))
}

/// A defaulter whose default governance closed takes out what is held for it.
pub fn claim_released(
    deps: DepsMut,
    info: MessageInfo,
    config: &Config,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let mut record = load_record(deps.storage, &info.sender)?;
    if record.status == MemberStatus::Defaulted {
        return Err(ContractError::DefaultStillOpen {
            id: DEFAULT_OF.load(deps.storage, &info.sender)?,
        });
    }
    if record.status != MemberStatus::Closed || record.held.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    let amount = record.held;
    record.held = Uint128::zero();
    let mut totals = TOTALS.load(deps.storage)?;
    totals.held = totals.held.checked_sub(amount)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    counters.holdings = counters.holdings.checked_sub(amount)?;
    COUNTERS.save(deps.storage, &counters)?;
    MEMBERS.save(deps.storage, &info.sender, &record)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&info.sender, amount)?)
        .add_attribute("action", "claim_released")
        .add_attribute("member", info.sender)
        .add_attribute("amount", amount))
}

/// The operator takes out what is left of the SITG tranche, after
/// shutdown, once every default is closed and no assessment share is unpaid.
pub fn withdraw_sitg(
    deps: DepsMut,
    info: MessageInfo,
    config: &Config,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if info.sender != config.operator {
        return Err(ContractError::unauthorized(
            "withdraw the SITG tranche",
            &info.sender,
        ));
    }
    if !config.shutdown {
        return Err(ContractError::NotShutDown {});
    }
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let mut totals = TOTALS.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let open_obligations = crate::member::open_obligations(deps.storage)?;
    if totals.open_defaults > 0 || open_obligations > 0 {
        return Err(ContractError::SitgLocked {
            open_defaults: totals.open_defaults,
            open_obligations,
        });
    }
    let amount = totals.sitg;
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    totals.sitg = Uint128::zero();
    counters.holdings = counters.holdings.checked_sub(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    COUNTERS.save(deps.storage, &counters)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&config.operator, amount)?)
        .add_attribute("action", "withdraw_sitg")
        .add_attribute("amount", amount))
}
