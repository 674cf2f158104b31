//! Settling one member against the fund-wide indexes: the only place where
//! a member's balance, fees and assessments are brought up to date.

use clearing_types::fund::{FundParams, MemberStatus};
use clearing_types::vault::{MarginAccount, VaultContract};
use cosmwasm_std::{
    Addr, Order, QuerierWrapper, StdResult, Storage, Timestamp, Uint128, Uint256, Uint512,
};
use cw_storage_plus::Bound;

use crate::error::ContractError;
use crate::pool::{assessment_owed, to_tokens, Pool, Snapshot};
use crate::state::{
    MemberState, Totals, ASSESSMENTS, ASSESSMENTS_BY_DUE, FEE_SUMS, MEMBERS, PARAMS, TOTALS,
};

pub fn load_member(storage: &dyn Storage, address: &Addr) -> Result<MemberState, ContractError> {
    MEMBERS
        .may_load(storage, address)?
        .ok_or_else(|| ContractError::UnknownMember {
            address: address.to_string(),
        })
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

/// A member that may still do business (not in default).
pub fn load_live_member(
    storage: &dyn Storage,
    address: &Addr,
) -> Result<MemberState, ContractError> {
    let m = load_member(storage, address)?;
    if matches!(m.status, MemberStatus::Defaulted | MemberStatus::Closed) {
        return Err(ContractError::MemberInDefault {
            address: address.to_string(),
        });
    }
    Ok(m)
}

/// `max(min_contribution, ceil(contribution_rate × required_margin))`.
pub fn required_contribution(params: &FundParams, required_margin: Uint128) -> Uint128 {
    required_margin
        .mul_ceil(params.contribution_rate)
        .max(params.min_contribution)
}

pub fn current_fee_sum(storage: &dyn Storage, pool: &Pool) -> StdResult<Uint512> {
    Ok(FEE_SUMS
        .may_load(storage, (pool.epoch, pool.scale))?
        .unwrap_or_default())
}

fn fee_sums_after(storage: &dyn Storage, snap: &Snapshot) -> StdResult<[Uint512; 3]> {
    let mut sums = [Uint512::zero(); 3];
    for (i, s) in sums.iter_mut().enumerate() {
        *s = FEE_SUMS
            .may_load(storage, (snap.epoch, snap.scale + i as u64))?
            .unwrap_or_default();
    }
    Ok(sums)
}

/// Balance (in sub-units) and fees as of now, without writing.
pub fn balance_and_fees(
    storage: &dyn Storage,
    pool: &Pool,
    m: &MemberState,
) -> StdResult<(Uint256, Uint128)> {
    let balance = pool.compounded(m.deposit, &m.snapshot)?;
    let gain = pool.fee_gain(
        m.deposit,
        &m.snapshot,
        fee_sums_after(storage, &m.snapshot)?,
    )?;
    Ok((balance, m.fees.checked_add(gain)?))
}

/// The member's balance in whole tokens (rounded down), as of now.
pub fn balance(pool: &Pool, m: &MemberState) -> StdResult<Uint128> {
    to_tokens(pool.compounded(m.deposit, &m.snapshot)?)
}

/// Brings the member's balance and fees up to date and re-snapshots it.
pub fn settle_deposit(storage: &dyn Storage, pool: &Pool, m: &mut MemberState) -> StdResult<()> {
    let (balance, fees) = balance_and_fees(storage, pool, m)?;
    m.deposit = balance;
    m.fees = fees;
    m.snapshot = pool.snapshot(current_fee_sum(storage, pool)?);
    Ok(())
}

/// Assessments of defaults the member has not been settled against yet.
pub fn pending_assessment(pool: &Pool, m: &MemberState) -> StdResult<Uint128> {
    assessment_owed(m.required_contribution, m.assess_index, pool.assess_index)
}

/// Everything the member owes in assessments.
pub fn total_owed(pool: &Pool, m: &MemberState) -> StdResult<Uint128> {
    Ok(m.owed.checked_add(pending_assessment(pool, m)?)?)
}

/// Moves every pending assessment into `owed`, with the latest deadline.
pub fn settle_assessments(
    storage: &dyn Storage,
    pool: &Pool,
    m: &mut MemberState,
) -> StdResult<()> {
    let pending = pending_assessment(pool, m)?;
    if !pending.is_zero() {
        let latest = ASSESSMENTS.load(storage, pool.assess_seq)?;
        m.owed = m.owed.checked_add(pending)?;
        m.owed_due = Some(m.owed_due.map_or(latest.due, |d| d.max(latest.due)));
    }
    m.assess_index = pool.assess_index;
    m.assess_seq = pool.assess_seq;
    Ok(())
}

/// The part of what the member owes that is past its deadline, and the
/// assessment sequence number up to which it reaches.
pub struct Overdue {
    pub amount: Uint128,
    pub through_seq: u64,
    pub through_index: Uint512,
    /// When the earliest unpaid amount is or was due.
    pub earliest_due: Option<Timestamp>,
}

pub fn overdue(
    storage: &dyn Storage,
    pool: &Pool,
    m: &MemberState,
    now: Timestamp,
) -> StdResult<Overdue> {
    let mut out = Overdue {
        amount: Uint128::zero(),
        through_seq: m.assess_seq,
        through_index: m.assess_index,
        earliest_due: if m.owed.is_zero() { None } else { m.owed_due },
    };
    if let Some(due) = out.earliest_due {
        if due > now {
            // Later assessments fall due later still.
            return Ok(out);
        }
        out.amount = m.owed;
    }
    if pool.assess_seq > m.assess_seq && out.earliest_due.is_none() {
        let first = ASSESSMENTS.load(storage, m.assess_seq + 1)?;
        out.earliest_due = Some(first.due);
    }
    // The latest assessing default whose deadline has passed.
    let latest_due = ASSESSMENTS_BY_DUE
        .keys(
            storage,
            None,
            Some(Bound::inclusive((now.seconds(), u64::MAX))),
            Order::Descending,
        )
        .next()
        .transpose()?;
    if let Some((_, seq)) = latest_due {
        if seq > m.assess_seq {
            let record = ASSESSMENTS.load(storage, seq)?;
            let amount =
                assessment_owed(m.required_contribution, m.assess_index, record.index_after)?;
            out.amount = out.amount.checked_add(amount)?;
            out.through_seq = seq;
            out.through_index = record.index_after;
        }
    }
    Ok(out)
}

/// The shortfall below the required contribution that can be enforced now:
/// a default happened since the member joined and the replenishment period
/// since the latest default is over.
pub fn replenishment_due(
    params: &FundParams,
    totals: &Totals,
    m: &MemberState,
    balance: Uint128,
    now: Timestamp,
) -> Uint128 {
    if matches!(m.status, MemberStatus::Defaulted | MemberStatus::Closed) {
        return Uint128::zero();
    }
    match totals.last_default_at {
        Some(t)
            if totals.defaults > m.defaults_at_join
                && now >= t.plus_seconds(params.replenishment_period) =>
        {
            m.required_contribution.saturating_sub(balance)
        }
        _ => Uint128::zero(),
    }
}

/// A breach ends once nothing is overdue and no replenishment is due.
/// Parameters and totals are read only for a member in breach.
pub fn clear_breach_if_settled(
    storage: &dyn Storage,
    pool: &Pool,
    m: &mut MemberState,
    now: Timestamp,
) -> StdResult<()> {
    if m.status == MemberStatus::InBreach {
        let params = PARAMS.load(storage)?;
        let totals = TOTALS.load(storage)?;
        let balance = balance(pool, m)?;
        if overdue(storage, pool, m, now)?.amount.is_zero()
            && replenishment_due(&params, &totals, m, balance, now).is_zero()
        {
            m.status = MemberStatus::Active;
        }
    }
    Ok(())
}
