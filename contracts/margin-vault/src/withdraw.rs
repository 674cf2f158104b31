//! Margin out: only what is above the requirement, never while frozen or
//! paused, and never while the member's record in the default fund shows
//! anything overdue, a breach or a suspension (after shutdown: anything
//! owed at all). The rule is the shared one of
//! `clearing_types::ledger::check_exit`, applied to the member's fund
//! record read raw and settled by the same ledger rules the fund uses.
//!
//! A member that completed its exit from the fund (SPEC v2 §8) takes its
//! whole margin, with no requirement; its account closes once empty.

use clearing_types::fund::{FundContract, MemberStatus};
use clearing_types::ledger::{check_exit, Exit};
use clearing_types::vault::MarginStatus;
use cosmwasm_std::{Addr, Deps, DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::membership::{ensure_active, fund, load_member};
use crate::state::{Member, Totals, CONFIG, MEMBERS, TOTALS};

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
    let fund = fund(&config.default_fund)?;

    let mut exited = false;
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
            match may_withdraw(deps.as_ref(), &env, &fund, &member, config.shutdown)? {
                Allowed::Exited => {
                    exited = true;
                    record.balance
                }
                // After a shutdown with no open default, the requirement lapses.
                Allowed::Excess
                    if config.shutdown && fund.totals(&deps.querier)?.open_defaults == 0 =>
                {
                    record.balance
                }
                Allowed::Excess => record.excess(),
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
    let mut totals = TOTALS.load(deps.storage)?;
    totals.total_margin = totals.total_margin.checked_sub(amount)?;
    totals.holdings = totals.holdings.checked_sub(amount)?;
    if exited && record.balance.is_zero() {
        // Out of the fund, now out of the vault.
        close(&mut record, &mut totals)?;
    }
    MEMBERS.save(deps.storage, &member, &record)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&member, amount)?)
        .add_attribute("action", "withdraw_margin")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("balance", record.balance)
        .add_attribute("required_margin", record.required_margin)
        .add_attribute("status", crate::fund_hooks::status_word(record.status)))
}

/// What a member of the vault may take, by its fund record.
enum Allowed {
    /// Its margin above the requirement (or all of it after a shutdown
    /// with no open default).
    Excess,
    /// It left the fund: all of its margin.
    Exited,
}

/// The shared exit rule on the member's fund record, read raw (the record,
/// the fund's indexes and pool, and one event per fund-wide event the
/// record has not been settled against).
fn may_withdraw(
    deps: Deps,
    env: &Env,
    fund: &FundContract,
    member: &Addr,
    shutdown: bool,
) -> Result<Allowed, ContractError> {
    let record =
        fund.member_record(&deps.querier, member)?
            .ok_or_else(|| ContractError::NotFundMember {
                address: member.to_string(),
            })?;
    // An exited member's record is no longer settled: nothing to walk.
    if record.status == MemberStatus::Exited {
        return Ok(Allowed::Exited);
    }
    let (settled, indexes) = fund.settle(&deps.querier, member, record)?;
    // Shut down here or in the fund (chain governance may shut either
    // alone): after shutdown, no exit while anything is owed.
    check_exit(
        &settled.record,
        &indexes.regime,
        env.block.time,
        shutdown || indexes.regime.wind_down,
        Exit::MarginWithdrawal,
    )
    .map_err(|b| ContractError::ExitBlocked {
        reason: b.to_string(),
    })?;
    Ok(Allowed::Excess)
}

/// The account leaves the vault: no longer a member, nothing required.
fn close(record: &mut Member, totals: &mut Totals) -> Result<(), ContractError> {
    record.status = MarginStatus::Exited;
    totals.members = totals.members.saturating_sub(1);
    totals.total_required = totals.total_required.checked_sub(record.required_margin)?;
    Ok(())
}

/// Anyone, once `member` has completed its exit from the fund: its whole
/// margin is paid to it (nothing is required of it any more) and its
/// account closes, leaving the vault's totals.
pub fn close_account(
    deps: DepsMut,
    info: MessageInfo,
    member: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let config = CONFIG.load(deps.storage)?;
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let member = deps.api.addr_validate(&member)?;
    let mut record = load_member(deps.storage, &member)?;
    ensure_active(&record, &member)?;
    let exited = fund(&config.default_fund)?
        .member_record(&deps.querier, &member)?
        .is_some_and(|r| r.status == MemberStatus::Exited);
    if !exited {
        return Err(ContractError::NotExited {
            address: member.to_string(),
        });
    }
    let amount = record.balance;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.total_margin = totals.total_margin.checked_sub(amount)?;
    totals.holdings = totals.holdings.checked_sub(amount)?;
    record.balance = Uint128::zero();
    close(&mut record, &mut totals)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_messages(config.asset.transfer_msgs(&member, amount)?)
        .add_attribute("action", "close_account")
        .add_attribute("member", member)
        .add_attribute("amount", amount))
}
