//! The part of the default fund's storage that the vault and governance read
//! directly, by `WasmQuery::Raw`.
//!
//! A raw read is one store read (1,000 gas + 3 per byte on wasmd); a smart
//! query costs an instance load (~64,000 gas) before the fund runs at all.
//! The fund declares its items and maps with the namespaces below, and the
//! views decode only the fields other contracts need from the records the
//! fund stores there (they are not `cw_serde`, so the fields they leave out
//! are skipped rather than refused). The fund's tests check that each view
//! decodes what the fund writes.

use cosmwasm_std::{
    Addr, QuerierWrapper, StdError, StdResult, Timestamp, Uint128, Uint256, Uint512,
};
use cw_storage_plus::{Item, Map};
use serde::{Deserialize, Serialize};

use crate::fund::{FundContract, MemberStatus};

/// Namespace of the fund's member records, keyed by address.
pub const MEMBERS_NAMESPACE: &str = "members";
/// Namespace of the fund's pool (balances and indexes).
pub const POOL_NAMESPACE: &str = "pool";
/// Namespace of the fund-wide totals.
pub const TOTALS_NAMESPACE: &str = "totals";

/// Sub-units per token in the fund's deposits and pool total.
pub const SUB: u128 = 1_000_000_000_000_000_000;
/// The factor by which the loss product `p` is raised when it gets small
/// (and `scale` goes up by one).
pub const SCALE_FACTOR: u128 = 1_000_000_000;

/// Where the fund's loss product stood: now (the pool) or when a member's
/// balance was last settled (its snapshot). See the fund's `pool.rs`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LossIndex {
    pub p: Uint256,
    pub scale: u64,
    pub epoch: u64,
}

impl LossIndex {
    /// A deposit (sub-units) made at `since`, after every loss up to `self`
    /// (rounded down, in sub-units): `deposit × p / p_since`, zero across
    /// an epoch.
    pub fn compound(&self, deposit: Uint256, since: &LossIndex) -> StdResult<Uint256> {
        if deposit.is_zero() || since.epoch != self.epoch || since.scale > self.scale {
            return Ok(Uint256::zero());
        }
        let num = Uint512::from(deposit).checked_mul(Uint512::from(self.p))?;
        let mut den = Uint512::from(since.p);
        for _ in since.scale..self.scale {
            den = den.checked_mul(Uint512::from(SCALE_FACTOR))?;
            if den > num {
                return Ok(Uint256::zero());
            }
        }
        // p only falls, so the result never exceeds the deposit.
        let out = Uint256::try_from(num / den).map_err(|e| StdError::generic_err(e.to_string()))?;
        Ok(out.min(deposit))
    }
}

/// Whole tokens in an amount of sub-units (rounded down).
pub fn to_tokens(sub: Uint256) -> StdResult<Uint128> {
    Uint128::try_from(sub / Uint256::from(SUB)).map_err(|e| StdError::generic_err(e.to_string()))
}

/// The part of a member's snapshot a balance needs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SnapshotView {
    pub p: Uint256,
    pub scale: u64,
    pub epoch: u64,
}

/// What other contracts read of a member's record.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MemberView {
    /// Balance when last settled, in sub-units.
    pub deposit: Uint256,
    pub snapshot: SnapshotView,
    pub status: MemberStatus,
    /// Assessments settled into the record and not yet paid.
    pub owed: Uint128,
    /// When `owed` is due.
    pub owed_due: Option<Timestamp>,
    /// The assessment sequence number the record was last settled at.
    pub assess_seq: u64,
}

/// What other contracts read of the pool.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PoolView {
    /// Members' balances in the pool, in sub-units.
    pub total_deposits: Uint256,
    pub p: Uint256,
    pub scale: u64,
    pub epoch: u64,
    /// Number of defaults that assessed members so far.
    pub assess_seq: u64,
}

impl PoolView {
    pub fn loss_index(&self) -> LossIndex {
        LossIndex {
            p: self.p,
            scale: self.scale,
            epoch: self.epoch,
        }
    }

    /// Members' balances in the pool, in whole tokens.
    pub fn total_balance(&self) -> StdResult<Uint128> {
        to_tokens(self.total_deposits)
    }
}

/// What other contracts read of the fund-wide totals.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TotalsView {
    pub active_members: u64,
    pub open_defaults: u64,
}

impl MemberView {
    /// The member's balance in whole tokens now, as the fund computes it.
    pub fn balance(&self, pool: &PoolView) -> StdResult<Uint128> {
        let since = LossIndex {
            p: self.snapshot.p,
            scale: self.snapshot.scale,
            epoch: self.snapshot.epoch,
        };
        to_tokens(pool.loss_index().compound(self.deposit, &since)?)
    }

    /// True when nothing the member owes can be past its deadline at `now`:
    /// everything settled into the record is due later (or is nothing), and
    /// no default has assessed the member since. Anything else needs the
    /// fund's exact answer (the `Obligations` query).
    pub fn surely_nothing_overdue(&self, pool: &PoolView, now: Timestamp) -> bool {
        let settled_not_due = self.owed.is_zero() || self.owed_due.is_some_and(|due| due > now);
        settled_not_due && self.assess_seq >= pool.assess_seq
    }
}

impl FundContract {
    /// A member's record, read raw; `None` for an address the fund does not know.
    pub fn member_view(
        &self,
        querier: &QuerierWrapper,
        member: &Addr,
    ) -> StdResult<Option<MemberView>> {
        Map::<&Addr, MemberView>::new(MEMBERS_NAMESPACE).query(querier, self.0.clone(), member)
    }

    pub fn pool_view(&self, querier: &QuerierWrapper) -> StdResult<PoolView> {
        Item::<PoolView>::new(POOL_NAMESPACE).query(querier, self.0.clone())
    }

    pub fn totals_view(&self, querier: &QuerierWrapper) -> StdResult<TotalsView> {
        Item::<TotalsView>::new(TOTALS_NAMESPACE).query(querier, self.0.clone())
    }
}
