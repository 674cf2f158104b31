//! Margin out: only what is above the requirement, never while frozen,
//! paused or owing an overdue obligation to the fund.

use clearing_types::fund::{FundContract, MemberStatus};
use clearing_types::vault::MarginStatus;
use cosmwasm_std::{Addr, Deps, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::membership::load_member;
use crate::state::{CONFIG, MEMBERS, TOTALS};

pub fn withdraw(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    amount: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if amount.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let member = info.sender;
    let mut record = load_member(deps.storage, &member)?;
    let fund = config
        .default_fund
        .clone()
        .map(FundContract)
        .ok_or(ContractError::FundNotSet {})?;

    let available = match record.status {
        MarginStatus::Defaulted => {
            return Err(ContractError::MemberInDefault {
                address: member.to_string(),
            })
        }
        // The default is closed: what is left of the margin is the member's.
        MarginStatus::Released => record.balance,
        MarginStatus::Active => {
            ensure_nothing_overdue(deps.as_ref(), &env, &fund, &member)?;
            // After a shutdown with no open default, the requirement lapses.
            if config.shutdown && fund.totals_view(&deps.querier)?.open_defaults == 0 {
                record.balance
            } else {
                record.excess()
            }
        }
    };
    if amount > available {
        return Err(ContractError::InsufficientExcessMargin {
            available,
            requested: amount,
        });
    }
    record.balance = record.balance.checked_sub(amount)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.total_margin = totals.total_margin.checked_sub(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&member, amount)?)
        .add_attribute("action", "withdraw_margin")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("balance", record.balance)
        .add_attribute("required_margin", record.required_margin))
}

/// Refuses a member in breach or owing an overdue assessment. The member's
/// fund record and the pool are read raw; only when they show an assessment
/// that may be past due does the vault ask the fund for the exact figure.
fn ensure_nothing_overdue(
    deps: Deps,
    env: &Env,
    fund: &FundContract,
    member: &Addr,
) -> Result<(), ContractError> {
    let record =
        fund.member_view(&deps.querier, member)?
            .ok_or_else(|| ContractError::NotFundMember {
                address: member.to_string(),
            })?;
    if record.status == MemberStatus::InBreach {
        return Err(ContractError::InBreach {});
    }
    if record.surely_nothing_overdue(&fund.pool_view(&deps.querier)?, env.block.time) {
        return Ok(());
    }
    let obligations = fund.obligations(&deps.querier, member)?;
    if !obligations.overdue.is_zero() {
        return Err(ContractError::OverdueObligation {
            overdue: obligations.overdue,
        });
    }
    Ok(())
}
