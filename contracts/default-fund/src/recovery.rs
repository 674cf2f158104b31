//! Recoveries in reverse order (SPEC v2 §8): money later recovered from a
//! defaulter's estate is recorded against its (closed) default and credited
//! back layer by layer, last layer first: the assessment layer pro rata to
//! each member's share of that default's assessment (cancelling what it
//! still owes for that default first, the rest claimable), the members who
//! bore the mutual-fund layer pro rata to what each lost in it, the SITG
//! tranche, the defaulter's own layers (held for it), and anything beyond
//! its loss to the defaulter.
//!
//! The member credits are lazy: a `Recovery` event in the fund's history
//! carries the cumulative amounts per layer, and each member collects its
//! part when it next settles (`clearing_types::ledger::settle`), also
//! after it has left.

use clearing_types::fund::{MemberStatus, Recovered};
use clearing_types::ledger::EventKind;
use cosmwasm_std::{Addr, DepsMut, Env, Event, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::history;
use crate::member::{apply_settlement, ensure_not_suspended, load_record, save_pool, settled};
use crate::state::{Config, CONFIG, DEFAULTS, INDEXES, MEMBERS, POOL, TOTALS};

fn take(remaining: &mut Uint128, room: Uint128) -> Uint128 {
    let taken = (*remaining).min(room);
    *remaining -= taken;
    taken
}

/// The risk engine, governance or the loss recipient records `amount`
/// (already received and checked) against `default_id`.
pub fn record(
    deps: DepsMut,
    env: Env,
    config: &Config,
    sender: Addr,
    default_id: u64,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if sender != config.risk_engine
        && sender != config.governance
        && sender != config.loss_recipient
    {
        return Err(ContractError::unauthorized("record a recovery", sender));
    }
    let mut receipt = DEFAULTS
        .may_load(deps.storage, default_id)?
        .ok_or(ContractError::UnknownDefault { id: default_id })?;
    if !receipt.closed {
        return Err(ContractError::DefaultStillOpen { id: default_id });
    }
    let layers = receipt.layers.clone();
    let before = receipt.recovered.clone();
    let mut remaining = amount;
    let credit = Recovered {
        assessments: take(
            &mut remaining,
            layers.assessments.checked_sub(before.assessments)?,
        ),
        mutual_fund: take(
            &mut remaining,
            layers.mutual_fund.checked_sub(before.mutual_fund)?,
        ),
        sitg: take(&mut remaining, layers.sitg.checked_sub(before.sitg)?),
        defaulter: take(
            &mut remaining,
            layers
                .defaulter_margin
                .checked_add(layers.defaulter_contribution)?
                .checked_sub(before.defaulter)?,
        ),
        excess: remaining,
    };
    receipt.recovered = Recovered {
        assessments: before.assessments.checked_add(credit.assessments)?,
        mutual_fund: before.mutual_fund.checked_add(credit.mutual_fund)?,
        sitg: before.sitg.checked_add(credit.sitg)?,
        defaulter: before.defaulter.checked_add(credit.defaulter)?,
        excess: before.excess.checked_add(credit.excess)?,
    };
    DEFAULTS.save(deps.storage, default_id, &receipt)?;

    let mut totals = TOTALS.load(deps.storage)?;
    totals.holdings = totals.holdings.checked_add(amount)?;
    let to_members = credit.assessments.checked_add(credit.mutual_fund)?;
    if !to_members.is_zero() {
        let indexes = INDEXES.load(deps.storage)?;
        let mut pool = POOL.load(deps.storage)?;
        history::append(
            deps.storage,
            &mut pool,
            &indexes,
            env.block.time,
            EventKind::Recovery {
                default_id,
                assessments: receipt.recovered.assessments,
                mutual_fund: receipt.recovered.mutual_fund,
            },
        )?;
        save_pool(deps.storage, env.block.height, &mut pool)?;
        totals.recoveries_held = totals.recoveries_held.checked_add(to_members)?;
    }
    totals.sitg = totals.sitg.checked_add(credit.sitg)?;
    let to_defaulter = credit.defaulter.checked_add(credit.excess)?;
    if !to_defaulter.is_zero() {
        let mut defaulter = load_record(deps.storage, &receipt.member)?;
        defaulter.held = defaulter.held.checked_add(to_defaulter)?;
        MEMBERS.save(deps.storage, &receipt.member, &defaulter)?;
        totals.held = totals.held.checked_add(to_defaulter)?;
    }
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_attribute("action", "record_recovery")
        .add_event(
            Event::new("recovery")
                .add_attribute("default_id", default_id.to_string())
                .add_attribute("member", receipt.member.as_str())
                .add_attribute("amount", amount)
                .add_attribute("assessments", credit.assessments)
                .add_attribute("mutual_fund", credit.mutual_fund)
                .add_attribute("sitg", credit.sitg)
                .add_attribute("defaulter", credit.defaulter)
                .add_attribute("excess", credit.excess)
                .add_attribute("recovered_total", receipt.recovered.total()?),
        ))
}

/// A member, a former member or a closed defaulter takes out its recovery
/// credits.
pub fn claim(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let member = info.sender;
    let indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let settled = settled(deps.storage, &member, &pool, &indexes)?;
    if settled.record.status == MemberStatus::Defaulted {
        return Err(ContractError::MemberInDefault {
            address: member.to_string(),
        });
    }
    ensure_not_suspended(&member, &settled.record)?;
    let amount = settled.record.recovered;
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    let mut totals = TOTALS.load(deps.storage)?;
    let (mut msgs, _) = apply_settlement(deps.storage, &config, &member, &settled, &mut totals)?;
    let mut record = settled.record;
    record.recovered = Uint128::zero();
    totals.recoveries_held = totals.recoveries_held.checked_sub(amount)?;
    totals.holdings = totals.holdings.checked_sub(amount)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    TOTALS.save(deps.storage, &totals)?;
    msgs.extend(config.asset.transfer_msgs(&member, amount)?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "claim_recoveries")
        .add_attribute("member", member)
        .add_attribute("amount", amount))
}
