//! Assessment shares after a default (SPEC v2 §3 "Deadlines"): paying
//! everything owed, and enforcing what is past its own due date from the
//! member's excess margin.

use clearing_types::vault::{FundHookMsg, VaultContract};
use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::member::{apply_settlement, margin_account, settled_live};
use crate::state::{Config, COUNTERS, INDEXES, MEMBERS, POOL};

/// The member pays everything it owes, due or not; anything sent above
/// that goes back to it. Paying when nothing is owed is refused.
pub fn pay(
    deps: DepsMut,
    config: &Config,
    member: Addr,
    paid: Uint128,
) -> Result<Response, ContractError> {
    let indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    let owed = settled.record.owed()?;
    if owed.is_zero() {
        return Err(ContractError::NothingOwed {});
    }
    if paid < owed {
        return Err(ContractError::WrongPaymentAmount { paid, owed });
    }
    let (mut msgs, _) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    crate::member::clear_obligations(deps.storage, record.obligations.len() as u64)?;
    record.obligations.clear();
    record.refresh_breach();
    MEMBERS.save(deps.storage, &member, &record)?;
    COUNTERS.save(deps.storage, &counters)?;
    let refund = paid - owed;
    msgs.extend(config.asset.transfer_msgs(&config.loss_recipient, owed)?);
    msgs.extend(config.asset.transfer_msgs(&member, refund)?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "pay_assessment")
        .add_attribute("member", member)
        .add_attribute("amount", owed)
        .add_attribute("refund", refund)
        .add_attribute("status", record.status.as_str()))
}

/// Anyone: draw the shares past their due dates from the member's margin
/// above its requirement, to the loss recipient. What cannot be drawn puts
/// the member in breach. Refused when nothing is owed, or nothing is due.
pub fn enforce(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    member: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let member = deps.api.addr_validate(&member)?;
    let now = env.block.time;
    let indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    if settled.record.owed()?.is_zero() {
        return Err(ContractError::NothingOwed {});
    }
    let overdue = settled.record.overdue(&indexes.regime, now)?.assessments;
    if overdue.is_zero() {
        return Err(ContractError::NotYetDue {
            due: settled
                .record
                .obligations
                .iter()
                .map(|o| o.due)
                .min()
                .unwrap_or(now),
        });
    }
    let excess = margin_account(&deps.querier, &config.vault, &member)?.excess();
    let drawn = overdue.min(excess);
    let unpaid = overdue - drawn;
    let (mut msgs, _) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    let cleared = record.reduce_overdue(drawn, now);
    crate::member::clear_obligations(deps.storage, cleared)?;
    if !unpaid.is_zero() {
        record.mark_breach(true, now);
    }
    MEMBERS.save(deps.storage, &member, &record)?;
    COUNTERS.save(deps.storage, &counters)?;
    if !drawn.is_zero() {
        msgs.push(VaultContract(config.vault.clone()).hook(FundHookMsg::Draw {
            member: member.to_string(),
            amount: drawn,
            recipient: config.loss_recipient.to_string(),
        })?);
    }
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "enforce_assessment")
        .add_attribute("member", member)
        .add_attribute("overdue", overdue)
        .add_attribute("drawn", drawn)
        .add_attribute("unpaid", unpaid)
        .add_attribute("status", record.status.as_str()))
}
