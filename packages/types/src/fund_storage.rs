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

use cosmwasm_std::{Addr, QuerierWrapper, StdResult, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};
use serde::{Deserialize, Serialize};

use crate::fund::{FundContract, MemberStatus};

/// Namespace of the fund's member records, keyed by address.
pub const MEMBERS_NAMESPACE: &str = "members";
/// Namespace of the fund's pool (balances and indexes).
pub const POOL_NAMESPACE: &str = "pool";
/// Namespace of the fund-wide totals.
pub const TOTALS_NAMESPACE: &str = "totals";

/// What other contracts read of a member's record.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MemberView {
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
    /// Number of defaults that assessed members so far.
    pub assess_seq: u64,
}

/// What other contracts read of the fund-wide totals.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TotalsView {
    pub active_members: u64,
    pub open_defaults: u64,
}

impl MemberView {
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
