//! Loading a member, bringing it up to date with the shared ledger rules
//! (`clearing_types::ledger::settle`) and saving it back, with what its
//! settlement changes elsewhere: its participations in defaults, recovery
//! credits forwarded to the loss recipient, the pool and its voter record.

use clearing_types::fund::MemberStatus;
use clearing_types::fund_storage::{Indexes, LocalHistory, PoolTotals, VoterRecord};
use clearing_types::ledger::{settle_at, MemberRecord, Regime, Settled};
use clearing_types::ratio::Rounding;
use clearing_types::vault::{MarginAccount, VaultContract};
use cosmwasm_std::{Addr, CosmosMsg, QuerierWrapper, StdResult, Storage, Timestamp};

use crate::error::ContractError;
use crate::state::{Config, Counters, MEMBERS, OPEN_OBLIGATIONS, PARTICIPATIONS, POOL, VOTERS};

pub fn load_record(storage: &dyn Storage, address: &Addr) -> Result<MemberRecord, ContractError> {
    MEMBERS
        .may_load(storage, address)?
        .ok_or_else(|| ContractError::UnknownMember {
            address: address.to_string(),
        })
}

/// Refuses a member that is no longer in the pool (defaulted, closed, exited).
pub fn ensure_live(address: &Addr, record: &MemberRecord) -> Result<(), ContractError> {
    match record.status {
        MemberStatus::Active | MemberStatus::InBreach => Ok(()),
        MemberStatus::Defaulted | MemberStatus::Closed => Err(ContractError::MemberInDefault {
            address: address.to_string(),
        }),
        MemberStatus::Exited => Err(ContractError::MemberExited {
            address: address.to_string(),
        }),
    }
}

/// Refuses a suspended member (no withdrawals, claims or exit).
pub fn ensure_not_suspended(address: &Addr, record: &MemberRecord) -> Result<(), ContractError> {
    if record.suspended {
        return Err(ContractError::Suspended {
            address: address.to_string(),
        });
    }
    Ok(())
}

/// The member's record brought up to the head of the fund's history, its
/// fees to the fee index now and its recoveries credited
/// (`clearing_types::ledger::settle_at`). Writes nothing.
pub fn settled(
    storage: &dyn Storage,
    address: &Addr,
    pool: &PoolTotals,
    indexes: &Indexes,
) -> Result<Settled, ContractError> {
    let record = load_record(storage, address)?;
    Ok(settle_at(
        address,
        record,
        pool.head,
        indexes,
        &LocalHistory(storage),
    )?)
}

/// A live member, settled.
pub fn settled_live(
    storage: &dyn Storage,
    address: &Addr,
    pool: &PoolTotals,
    indexes: &Indexes,
) -> Result<Settled, ContractError> {
    let s = settled(storage, address, pool, indexes)?;
    ensure_live(address, &s.record)?;
    Ok(s)
}

/// Saves what a member's settlement changed besides its record: its
/// participations in defaults; recovery credits that cancelled unpaid
/// shares leave the recoveries held for the loss recipient (the returned
/// transfer); shares they cleared leave the count of open obligations.
/// Returns the transfers and whether `counters` changed. The caller saves
/// the record itself.
pub fn apply_settlement(
    storage: &mut dyn Storage,
    config: &Config,
    address: &Addr,
    settled: &Settled,
    counters: &mut Counters,
) -> Result<(Vec<CosmosMsg>, bool), ContractError> {
    for (id, part) in &settled.participations {
        PARTICIPATIONS.save(storage, (address, *id), part)?;
    }
    let mut msgs = vec![];
    let mut dirty = false;
    if !settled.forwarded.is_zero() {
        counters.recoveries_held = counters.recoveries_held.checked_sub(settled.forwarded)?;
        counters.holdings = counters.holdings.checked_sub(settled.forwarded)?;
        msgs = config
            .asset
            .transfer_msgs(&config.loss_recipient, settled.forwarded)?;
        dirty = true;
    }
    clear_obligations(storage, settled.obligations_cleared)?;
    Ok((msgs, dirty))
}

/// Records the member's stake and vote eligibility for governance, as of
/// this block (a snapshot: proposals opened earlier keep what they saw).
pub fn write_voter(
    storage: &mut dyn Storage,
    height: u64,
    address: &Addr,
    record: &MemberRecord,
) -> StdResult<()> {
    let eligible = record.may_vote();
    let stake = if record.is_live() {
        record.stake.clone()
    } else {
        clearing_types::ratio::Ratio::zero()
    };
    VOTERS.save(
        storage,
        address,
        &VoterRecord {
            stake,
            seq: record.seq,
            eligible,
            changed_at: height,
        },
        height,
    )
}

/// Saves the pool totals as of this block (a snapshot: proposals opened
/// earlier keep what they saw).
pub fn save_pool(storage: &mut dyn Storage, height: u64, pool: &mut PoolTotals) -> StdResult<()> {
    pool.changed_at = height;
    POOL.save(storage, pool, height)
}

/// Moves a member's stake in or out of the pool's ineligible balances when
/// its vote eligibility changes (`was` → now), and the voter count with it.
pub fn update_eligibility(
    pool: &mut PoolTotals,
    was: bool,
    record: &MemberRecord,
) -> StdResult<()> {
    let now = record.may_vote();
    if was && !now {
        pool.voters = pool.voters.saturating_sub(1);
        if record.is_live() {
            pool.ineligible = pool.ineligible.add(&record.stake, Rounding::Down)?;
        }
    } else if !was && now {
        pool.voters += 1;
        pool.ineligible = pool
            .ineligible
            .saturating_sub(&record.stake, Rounding::Down)?;
    }
    Ok(())
}

/// Adds `amount` to a live member's stake and to the pool (and to the
/// ineligible balances if it may not vote).
pub fn credit_stake(
    pool: &mut PoolTotals,
    record: &mut MemberRecord,
    amount: cosmwasm_std::Uint128,
) -> StdResult<()> {
    record.stake = record.stake.add_int(amount)?;
    pool.total = pool.total.checked_add(amount)?;
    if !record.may_vote() {
        pool.ineligible = pool.ineligible.add(
            &clearing_types::ratio::Ratio::from_int(amount),
            Rounding::Down,
        )?;
    }
    Ok(())
}

/// Takes `amount` off a live member's stake and the pool.
pub fn debit_stake(
    pool: &mut PoolTotals,
    record: &mut MemberRecord,
    amount: cosmwasm_std::Uint128,
) -> StdResult<()> {
    record.stake = record.stake.sub_int(amount)?;
    pool.total = pool.total.checked_sub(amount)?;
    if !record.may_vote() {
        pool.ineligible = pool.ineligible.saturating_sub(
            &clearing_types::ratio::Ratio::from_int(amount),
            Rounding::Down,
        )?;
    }
    Ok(())
}

/// The member's margin account in the vault, read raw from its storage.
pub fn margin_account(
    querier: &QuerierWrapper,
    vault: &Addr,
    member: &Addr,
) -> Result<MarginAccount, ContractError> {
    VaultContract(vault.clone())
        .margin_account(querier, member)?
        .ok_or_else(|| ContractError::NoMarginAccount {
            address: member.to_string(),
        })
}

/// Fees and recovery credits stay in the fund while the member has
/// anything overdue, is in breach or suspended (the one exit rule,
/// `clearing_types::ledger::check_exit`).
pub fn ensure_may_claim(
    record: &MemberRecord,
    regime: &Regime,
    now: Timestamp,
) -> Result<(), ContractError> {
    clearing_types::ledger::check_exit(
        record,
        regime,
        now,
        regime.wind_down,
        clearing_types::ledger::Exit::Claim,
    )?;
    Ok(())
}

/// Unpaid assessment shares in the fund, counted per member and default.
pub fn open_obligations(storage: &dyn Storage) -> StdResult<u64> {
    Ok(OPEN_OBLIGATIONS.may_load(storage)?.unwrap_or_default())
}

/// `n` more unpaid shares (a default assessed the members).
pub fn add_obligations(storage: &mut dyn Storage, n: u64) -> StdResult<()> {
    if n > 0 {
        let now = open_obligations(storage)?.saturating_add(n);
        OPEN_OBLIGATIONS.save(storage, &now)?;
    }
    Ok(())
}

/// `n` shares paid, drawn, cancelled by recoveries or joined to a loss.
pub fn clear_obligations(storage: &mut dyn Storage, n: u64) -> StdResult<()> {
    if n > 0 {
        let now = open_obligations(storage)?.saturating_sub(n);
        OPEN_OBLIGATIONS.save(storage, &now)?;
    }
    Ok(())
}
