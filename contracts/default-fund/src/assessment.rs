//! Obligations after a default: paying assessments, and enforcing overdue
//! assessments and replenishment from the member's excess margin.

use clearing_types::fund::MemberStatus;
use clearing_types::vault::{FundHookMsg, VaultContract};
use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::member::{
    clear_breach_if_settled, load_live_member, margin_account, overdue, replenishment_due,
    settle_assessments, settle_deposit, total_owed,
};
use crate::pool::{to_sub, to_tokens};
use crate::state::{Config, ASSESSMENTS, MEMBERS, PARAMS, POOL, TOTALS};

/// The member pays everything it owes; anything sent above that goes back.
pub fn pay(
    deps: DepsMut,
    env: Env,
    config: &Config,
    member: Addr,
    paid: Uint128,
) -> Result<Response, ContractError> {
    let mut m = load_live_member(deps.storage, &member)?;
    let pool = POOL.load(deps.storage)?;
    settle_assessments(deps.storage, &pool, &mut m)?;
    let owed = m.owed;
    if owed.is_zero() {
        return Err(ContractError::NothingOwed {});
    }
    if paid < owed {
        return Err(ContractError::WrongPaymentAmount { paid, owed });
    }
    m.owed = Uint128::zero();
    m.owed_due = None;
    clear_breach_if_settled(deps.storage, &pool, &mut m, env.block.time)?;
    MEMBERS.save(deps.storage, &member, &m)?;
    let refund = paid - owed;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&config.loss_recipient, owed)?)
        .add_messages(config.asset.transfer_msgs(&member, refund)?)
        .add_attribute("action", "pay_assessment")
        .add_attribute("member", member)
        .add_attribute("amount", owed)
        .add_attribute("refund", refund)
        .add_attribute("status", format!("{:?}", m.status)))
}

/// Anyone, after the deadline: draw the overdue part from excess margin.
pub fn enforce(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    member: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let member = deps.api.addr_validate(&member)?;
    let mut m = load_live_member(deps.storage, &member)?;
    let pool = POOL.load(deps.storage)?;
    let now = env.block.time;
    if total_owed(&pool, &m)?.is_zero() {
        return Err(ContractError::NothingOwed {});
    }
    let due = overdue(deps.storage, &pool, &m, now)?;
    if due.amount.is_zero() {
        return Err(ContractError::NotYetDue {
            due: due.earliest_due.unwrap_or(now),
        });
    }
    let excess = margin_account(&deps.querier, &config.vault, &member)?.excess();
    let drawn = due.amount.min(excess);
    let unpaid = due.amount - drawn;
    // What stays owed is all overdue; later assessments stay pending.
    if due.through_seq > m.assess_seq {
        m.owed_due = Some(ASSESSMENTS.load(deps.storage, due.through_seq)?.due);
    }
    m.owed = unpaid;
    if unpaid.is_zero() {
        m.owed_due = None;
    }
    m.assess_seq = due.through_seq;
    m.assess_index = due.through_index;
    if !unpaid.is_zero() {
        m.status = MemberStatus::InBreach;
    } else {
        clear_breach_if_settled(deps.storage, &pool, &mut m, now)?;
    }
    MEMBERS.save(deps.storage, &member, &m)?;
    let mut res = Response::new();
    if !drawn.is_zero() {
        res = res.add_message(VaultContract(config.vault.clone()).hook(FundHookMsg::Draw {
            member: member.to_string(),
            amount: drawn,
            recipient: config.loss_recipient.to_string(),
        })?);
    }
    Ok(res
        .add_attribute("action", "enforce_assessment")
        .add_attribute("member", member)
        .add_attribute("overdue", due.amount)
        .add_attribute("drawn", drawn)
        .add_attribute("unpaid", unpaid)
        .add_attribute("status", format!("{:?}", m.status)))
}

/// Anyone, after the replenishment period: top the member's balance up to
/// its required contribution from its excess margin.
pub fn enforce_replenishment(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    member: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let member = deps.api.addr_validate(&member)?;
    let mut m = load_live_member(deps.storage, &member)?;
    let mut pool = POOL.load(deps.storage)?;
    let params = PARAMS.load(deps.storage)?;
    let totals = TOTALS.load(deps.storage)?;
    let now = env.block.time;
    settle_deposit(deps.storage, &pool, &mut m)?;
    let shortfall = replenishment_due(&params, &totals, &m, to_tokens(m.deposit)?, now);
    if shortfall.is_zero() {
        return Err(ContractError::NoReplenishmentDue {});
    }
    let excess = margin_account(&deps.querier, &config.vault, &member)?.excess();
    let drawn = shortfall.min(excess);
    let added = to_sub(drawn)?;
    m.deposit = m.deposit.checked_add(added)?;
    pool.total_deposits = pool.total_deposits.checked_add(added)?;
    if drawn < shortfall {
        m.status = MemberStatus::InBreach;
    } else {
        clear_breach_if_settled(deps.storage, &pool, &mut m, now)?;
    }
    MEMBERS.save(deps.storage, &member, &m)?;
    POOL.save(deps.storage, &pool)?;
    let mut res = Response::new();
    if !drawn.is_zero() {
        res = res.add_message(VaultContract(config.vault.clone()).hook(FundHookMsg::Draw {
            member: member.to_string(),
            amount: drawn,
            recipient: env.contract.address.to_string(),
        })?);
    }
    Ok(res
        .add_attribute("action", "enforce_replenishment")
        .add_attribute("member", member)
        .add_attribute("shortfall", shortfall)
        .add_attribute("drawn", drawn)
        .add_attribute("balance", to_tokens(m.deposit)?)
        .add_attribute("status", format!("{:?}", m.status)))
}
