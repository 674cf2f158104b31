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

/// How a hook takes margin out.
enum Take {
    /// Waterfall layer 1: up to the whole margin; the member is frozen.
    Seize,
    /// An overdue obligation: only margin above the requirement.
    Draw,
}

/// Takes `amount` of an active member's margin and pays it to `recipient`.
fn take_margin(
    deps: DepsMut,
    take: Take,
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
    let mut totals = TOTALS.load(deps.storage)?;
    let action = match take {
        Take::Seize => {
            if amount > record.balance {
                return Err(ContractError::InsufficientMargin {
                    available: record.balance,
                    requested: amount,
                });
            }
            record.status = MarginStatus::Defaulted;
            totals.total_required = totals.total_required.checked_sub(record.required_margin)?;
            "seize_margin"
        }
        Take::Draw => {
            if amount.is_zero() {
                return Err(ContractError::ZeroAmount {});
            }
            let available = record.excess();
            if amount > available {
                return Err(ContractError::InsufficientExcessMargin {
                    available,
                    requested: amount,
                });
            }
            "draw_margin"
        }
    };
    record.balance -= amount;
    MEMBERS.save(deps.storage, &member, &record)?;
    totals.total_margin = totals.total_margin.checked_sub(amount)?;
    totals.holdings = totals.holdings.checked_sub(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&recipient, amount)?)
        .add_attribute("action", action)
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("recipient", recipient)
        .add_attribute("balance", record.balance)
        .add_attribute("status", status_word(record.status)))
}

/// Waterfall layer 1: freeze the defaulter and pay `amount` of its margin
/// (what remains stays frozen until governance closes the default).
pub fn seize(
    deps: DepsMut,
    member: String,
    amount: Uint128,
    recipient: String,
) -> Result<Response, ContractError> {
    take_margin(deps, Take::Seize, member, amount, recipient)
}

/// Overdue obligation: pay `amount` of the member's excess margin.
pub fn draw(
    deps: DepsMut,
    member: String,
    amount: Uint128,
    recipient: String,
) -> Result<Response, ContractError> {
    take_margin(deps, Take::Draw, member, amount, recipient)
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

/// Plain words for a margin status in events.
pub fn status_word(status: MarginStatus) -> &'static str {
    match status {
        MarginStatus::Active => "active",
        MarginStatus::Defaulted => "defaulted",
        MarginStatus::Released => "released",
        MarginStatus::Exited => "exited",
    }
}
