//! Margin out: only what is above the requirement, never while frozen or
//! paused, and never while the member's record in the default fund shows
//! anything overdue, a breach or a suspension (after shutdown: anything
//! owed at all). The rule is the shared one of
//! `clearing_types::ledger::check_exit`, applied to the member's fund
//! record read raw and settled by the same ledger rules the fund uses.

use clearing_types::fund::FundContract;
use clearing_types::ledger::{check_exit, Exit};
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
        MarginStatus::Exited => {
            return Err(ContractError::MemberExited {
                address: member.to_string(),
            })
        }
        // The default is closed: what is left of the margin is the member's.
        MarginStatus::Released => record.balance,
        MarginStatus::Active => {
            ensure_may_withdraw(deps.as_ref(), &env, &fund, &member, config.shutdown)?;
            // After a shutdown with no open default, the requirement lapses.
            if config.shutdown && fund.totals(&deps.querier)?.open_defaults == 0 {
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
    totals.holdings = totals.holdings.checked_sub(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&member, amount)?)
        .add_attribute("action", "withdraw_margin")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("balance", record.balance)
        .add_attribute("required_margin", record.required_margin))
}

/// The shared exit rule on the member's fund record, read raw (the record,
/// the fund's indexes and pool, and one event per default the record has
/// not been settled against).
fn ensure_may_withdraw(
    deps: Deps,
    env: &Env,
    fund: &FundContract,
    member: &Addr,
    shutdown: bool,
) -> Result<(), ContractError> {
    let (settled, indexes) = fund.settled_member(&deps.querier, member)?.ok_or_else(|| {
        ContractError::NotFundMember {
            address: member.to_string(),
        }
    })?;
    check_exit(
        &settled.record,
        &indexes.regime,
        env.block.time,
        shutdown,
        Exit::MarginWithdrawal,
    )
    .map_err(|b| ContractError::ExitBlocked {
        reason: b.to_string(),
    })
}
