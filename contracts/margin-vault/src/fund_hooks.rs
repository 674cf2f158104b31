//! What only the default fund may ask of the vault.

use clearing_types::vault::MarginStatus;
use cosmwasm_std::{Deps, DepsMut, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::membership::load_member;
use crate::state::{CONFIG, MEMBERS, TOTALS};

pub fn ensure_fund(deps: Deps, info: &MessageInfo) -> Result<(), ContractError> {
    let config = CONFIG.load(deps.storage)?;
    cw_utils::nonpayable(info)?;
    if config.default_fund.as_ref() != Some(&info.sender) {
        return Err(ContractError::Unauthorized {
            action: "call a default-fund hook".to_string(),
            sender: info.sender.to_string(),
        });
    }
    Ok(())
}

/// Waterfall layer 1: freeze the defaulter and pay `amount` of its margin.
pub fn seize(
    deps: DepsMut,
    member: String,
    amount: Uint128,
    recipient: String,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let member = deps.api.addr_validate(&member)?;
    let recipient = deps.api.addr_validate(&recipient)?;
    let mut record = load_member(deps.storage, &member)?;
    if record.status != MarginStatus::Active {
        return Err(ContractError::MemberInDefault {
            address: member.to_string(),
        });
    }
    if amount > record.balance {
        return Err(ContractError::InsufficientMargin {
            available: record.balance,
            requested: amount,
        });
    }
    record.balance -= amount;
    record.status = MarginStatus::Defaulted;
    MEMBERS.save(deps.storage, &member, &record)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.total_margin = totals.total_margin.checked_sub(amount)?;
    totals.total_required = totals.total_required.checked_sub(record.required_margin)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&recipient, amount)?)
        .add_attribute("action", "seize_margin")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("recipient", recipient)
        .add_attribute("frozen_remainder", record.balance))
}

/// Overdue obligation: pay `amount` of the member's excess margin.
pub fn draw(
    deps: DepsMut,
    member: String,
    amount: Uint128,
    recipient: String,
) -> Result<Response, ContractError> {
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let config = CONFIG.load(deps.storage)?;
    let member = deps.api.addr_validate(&member)?;
    let recipient = deps.api.addr_validate(&recipient)?;
    let mut record = load_member(deps.storage, &member)?;
    if record.status != MarginStatus::Active {
        return Err(ContractError::MemberInDefault {
            address: member.to_string(),
        });
    }
    let available = record.excess();
    if amount > available {
        return Err(ContractError::InsufficientExcessMargin {
            available,
            requested: amount,
        });
    }
    record.balance -= amount;
    MEMBERS.save(deps.storage, &member, &record)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.total_margin = totals.total_margin.checked_sub(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&recipient, amount)?)
        .add_attribute("action", "draw_margin")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("recipient", recipient)
        .add_attribute("balance", record.balance))
}

/// Governance closed the default: the remainder becomes withdrawable.
pub fn release(deps: DepsMut, member: String) -> Result<Response, ContractError> {
    let member = deps.api.addr_validate(&member)?;
    let mut record = load_member(deps.storage, &member)?;
    if record.status != MarginStatus::Defaulted {
        return Err(ContractError::NotInDefault {
            address: member.to_string(),
        });
    }
    record.status = MarginStatus::Released;
    MEMBERS.save(deps.storage, &member, &record)?;
    Ok(Response::new()
        .add_attribute("action", "release_margin")
        .add_attribute("member", member)
        .add_attribute("released", record.balance))
}
