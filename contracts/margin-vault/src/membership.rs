//! Who is a member and what margin it must keep.

use clearing_types::fund::{FundContract, VaultHookMsg};
use clearing_types::vault::MarginStatus;
use cosmwasm_std::{Addr, DepsMut, MessageInfo, Response, Storage, Uint128};

use crate::admin::ensure_governance;
use crate::error::ContractError;
use crate::state::{Member, CONFIG, MEMBERS, TOTALS};

pub fn load_member(storage: &dyn Storage, address: &Addr) -> Result<Member, ContractError> {
    MEMBERS
        .may_load(storage, address)?
        .ok_or_else(|| ContractError::UnknownMember {
            address: address.to_string(),
        })
}

/// The default fund the vault is wired to (`FundNotSet` before).
pub fn fund(default_fund: &Option<Addr>) -> Result<FundContract, ContractError> {
    default_fund
        .clone()
        .map(FundContract)
        .ok_or(ContractError::FundNotSet {})
}

/// Refuses a member whose account is not active: `MemberExited` after its
/// exit, `MemberInDefault` while (or after) it is in default.
pub fn ensure_active(record: &Member, member: &Addr) -> Result<(), ContractError> {
    match record.status {
        MarginStatus::Active => Ok(()),
        MarginStatus::Exited => Err(ContractError::MemberExited {
            address: member.to_string(),
        }),
        MarginStatus::Defaulted | MarginStatus::Released => Err(ContractError::MemberInDefault {
            address: member.to_string(),
        }),
    }
}

/// Governance admits a member here and, through the hook, in the fund.
pub fn add_member(
    deps: DepsMut,
    info: MessageInfo,
    member: String,
    required_margin: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    ensure_governance(&config, &info.sender, "add a member")?;
    if config.shutdown {
        return Err(ContractError::ShutDown {});
    }
    let fund = fund(&config.default_fund)?;
    let member = deps.api.addr_validate(&member)?;
    if MEMBERS.has(deps.storage, &member) {
        return Err(ContractError::AlreadyMember {
            address: member.to_string(),
        });
    }
    MEMBERS.save(
        deps.storage,
        &member,
        &Member {
            balance: Uint128::zero(),
            required_margin,
            status: MarginStatus::Active,
        },
    )?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.members += 1;
    totals.total_required = totals.total_required.checked_add(required_margin)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_message(fund.hook(VaultHookMsg::MemberAdded {
            member: member.to_string(),
            required_margin,
        })?)
        .add_attribute("action", "add_member")
        .add_attribute("member", member)
        .add_attribute("required_margin", required_margin)
        .add_attribute("members", totals.members.to_string()))
}

/// The risk engine (or governance) sets a member's margin requirement; the
/// fund recomputes the member's required contribution.
pub fn set_required_margin(
    deps: DepsMut,
    info: MessageInfo,
    member: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.risk_engine && info.sender != config.governance {
        return Err(ContractError::Unauthorized {
            action: "set a margin requirement".to_string(),
            sender: info.sender.to_string(),
        });
    }
    let fund = fund(&config.default_fund)?;
    let member = deps.api.addr_validate(&member)?;
    let mut record = load_member(deps.storage, &member)?;
    ensure_active(&record, &member)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.total_required = totals
        .total_required
        .checked_sub(record.required_margin)?
        .checked_add(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    let previous = record.required_margin;
    record.required_margin = amount;
    MEMBERS.save(deps.storage, &member, &record)?;
    Ok(Response::new()
        .add_message(fund.hook(VaultHookMsg::RequirementChanged {
            member: member.to_string(),
            required_margin: amount,
        })?)
        .add_attribute("action", "set_required_margin")
        .add_attribute("member", member)
        .add_attribute("previous", previous)
        .add_attribute("required_margin", amount)
        .add_attribute("balance", record.balance))
}
