//! The default fund's storage, declared here as part of its API (as cw4
//! declares its members map), versioned with it: the fund writes these
//! items and maps, and the margin vault and governance read them raw
//! (`WasmQuery::Raw`, one store read each, where a smart query costs an
//! instance load of ~64,000 gas before the fund runs at all).
//!
//! - [`MEMBERS`]: every member's [`MemberRecord`] (the ledger's rules read it).
//! - [`EVENTS`]: the fund's history of fund-wide events, numbered from 1.
//! - [`PARTICIPATIONS`]: what a member bore of a default, for recoveries.
//! - [`RECOVERED`]: what recoveries credited so far to each default's layers.
//! - [`INDEXES`]: the requirement regime, the sums `B` is made of, the fee index.
//! - [`POOL`]: the members' balances in total, the voters and the head of the
//!   history; a cw-storage-plus `SnapshotItem`, so that governance can read
//!   it as it stood at the start of the block a proposal opened.
//! - [`VOTERS`]: each member's stake and vote eligibility, a `SnapshotMap`
//!   for the same reason.
//! - [`TOTALS`]: fund-wide figures (SITG, fees, defaults, cooling-off).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, QuerierWrapper, StdError, StdResult, Timestamp, Uint128, Uint256};
use cw_storage_plus::{Item, Map, SnapshotItem, SnapshotMap, Strategy};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::fund::{FundContract, Recovered};
use crate::ledger::{
    settle_at, BasisSums, FundEvent, History, MemberRecord, Participation, Regime, Settled,
};
use crate::ratio::Ratio;

/// Fund-wide figures the members' lazily settled records are measured against.
#[cw_serde]
pub struct Indexes {
    /// The requirement regime in force now.
    pub regime: Regime,
    /// Sums over the surviving members that make `B`.
    pub sums: BasisSums,
    /// Fees per unit of balance since the start, exact: the sum of
    /// `fee / balances` over every distribution (`ledger` on rounding).
    pub fee_sum: Ratio,
    /// Whether any recovery was ever recorded (until then a settlement
    /// looks none up).
    #[serde(default, skip_serializing_if = "crate::ledger::is_false")]
    pub any_recovery: bool,
    /// When the rate was last recalibrated (`cover` sizing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_recalibration: Option<Timestamp>,
}

impl Indexes {
    /// `B` now, exact.
    pub fn base(&self) -> StdResult<Ratio> {
        self.regime.base(&self.sums)
    }
}

/// The pool as governance weighs it.
#[cw_serde]
#[derive(Default)]
pub struct PoolTotals {
    /// `D`: the tokens held for the pool, in base units: the members'
    /// balances and `dust`.
    pub total: Uint128,
    /// What was left below one unit of the balances of members who
    /// defaulted or left: kept by the fund, owned by nobody; it bears no
    /// loss and earns no fee.
    #[serde(default, skip_serializing_if = "Ratio::is_zero")]
    pub dust: Ratio,
    /// Members who may vote on a proposal opened now.
    pub voters: u64,
    /// The balances of members in the pool who may not vote (suspended,
    /// giving notice), exact or rounded down.
    #[serde(default, skip_serializing_if = "Ratio::is_zero")]
    pub ineligible: Ratio,
    /// The last event in the fund's history.
    pub head: u64,
    /// The block height this was last written at.
    pub changed_at: u64,
}

impl PoolTotals {
    /// The members' balances together, exact: `D − dust`.
    pub fn balances(&self) -> StdResult<Ratio> {
        Ratio::from_int(self.total).saturating_sub(&self.dust, crate::ratio::Rounding::Up)
    }

    /// The weight all voters hold together when weighing by balance: the
    /// members' balances less the ineligible ones, rounded down (never
    /// below the sum of the voters' rounded-down balances).
    pub fn voting_balance(&self) -> StdResult<Uint128> {
        self.balances()?
            .saturating_sub(&self.ineligible, crate::ratio::Rounding::Down)?
            .floor()
    }
}

/// A member's stake for voting: its exact balance as of event `seq`, and
/// whether it may vote.
#[cw_serde]
pub struct VoterRecord {
    pub stake: Ratio,
    pub seq: u64,
    pub eligible: bool,
    /// The block height this was last written at.
    pub changed_at: u64,
}

/// Fund-wide figures that change rarely (defaults, fees, SITG); the
/// figures every money message changes are kept apart by the fund (its
/// `COUNTERS`), so that a contribution writes a few bytes.
#[cw_serde]
#[derive(Default)]
pub struct FundTotals {
    /// The operator's skin-in-the-game tranche.
    pub sitg: Uint128,
    /// Defaulters' stakes (and recoveries of their layers) held for them
    /// until their defaults close.
    pub held: Uint128,
    /// Layer 6 of every default, summed at 256 bits: no loss, however
    /// large, can make a later one unrecordable.
    pub uncovered_total: Uint256,
    pub defaults: u64,
    pub open_defaults: u64,
    pub last_default_at: Option<Timestamp>,
}

pub const MEMBERS_NAMESPACE: &str = "members";
pub const MEMBERS: Map<&Addr, MemberRecord> = Map::new(MEMBERS_NAMESPACE);
pub const EVENTS: Map<u64, FundEvent> = Map::new("events");
pub const PARTICIPATIONS: Map<(&Addr, u64), Participation> = Map::new("participations");
/// What recoveries have credited so far to each default's layers.
pub const RECOVERED: Map<u64, Recovered> = Map::new("recovered");
pub const INDEXES: Item<Indexes> = Item::new("indexes");
pub const TOTALS: Item<FundTotals> = Item::new("totals");
pub const POOL: SnapshotItem<PoolTotals> =
    SnapshotItem::new("pool", "pool__check", "pool__change", Strategy::EveryBlock);
pub const VOTERS: SnapshotMap<&Addr, VoterRecord> = SnapshotMap::new(
    "voters",
    "voters__check",
    "voters__change",
    Strategy::EveryBlock,
);

/// What cw-storage-plus writes in a snapshot's changelog: the value as it
/// stood before the first change in that block (`None`: it did not exist).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
struct ChangeSet<T> {
    old: Option<T>,
}

const POOL_PRIMARY: Item<PoolTotals> = Item::new("pool");
const POOL_CHANGELOG: Map<u64, ChangeSet<PoolTotals>> = Map::new("pool__change");
const VOTERS_PRIMARY: Map<&Addr, VoterRecord> = Map::new("voters");
const VOTERS_CHANGELOG: Map<(&Addr, u64), ChangeSet<VoterRecord>> = Map::new("voters__change");

/// The fund's history read from its own storage.
pub struct LocalHistory<'a>(pub &'a dyn cosmwasm_std::Storage);

impl History for LocalHistory<'_> {
    fn event(&self, seq: u64) -> StdResult<FundEvent> {
        EVENTS.load(self.0, seq)
    }

    fn participation(&self, member: &Addr, default_id: u64) -> StdResult<Option<Participation>> {
        PARTICIPATIONS.may_load(self.0, (member, default_id))
    }

    fn recovered(&self, default_id: u64) -> StdResult<Option<Recovered>> {
        RECOVERED.may_load(self.0, default_id)
    }
}

/// The fund's history read raw from another contract.
pub struct RawHistory<'a> {
    pub querier: &'a QuerierWrapper<'a>,
    pub fund: &'a Addr,
}

impl History for RawHistory<'_> {
    fn event(&self, seq: u64) -> StdResult<FundEvent> {
        EVENTS
            .query(self.querier, self.fund.clone(), seq)?
            .ok_or_else(|| StdError::not_found(format!("fund event {seq}")))
    }

    fn participation(&self, member: &Addr, default_id: u64) -> StdResult<Option<Participation>> {
        PARTICIPATIONS.query(self.querier, self.fund.clone(), (member, default_id))
    }

    fn recovered(&self, default_id: u64) -> StdResult<Option<Recovered>> {
        RECOVERED.query(self.querier, self.fund.clone(), default_id)
    }
}

/// A value of a snapshot as it stood at the start of block `height`,
/// from the current value and, through each change's `old`, back: one raw
/// read per block in which it changed since `height`.
fn at_height<T, F>(
    current: Option<T>,
    height: u64,
    changed_at: impl Fn(&T) -> u64,
    changelog: F,
) -> StdResult<Option<T>>
where
    T: DeserializeOwned,
    F: Fn(u64) -> StdResult<Option<ChangeSet<T>>>,
{
    let mut value = current;
    while let Some(v) = value.as_ref() {
        let at = changed_at(v);
        if at < height {
            break;
        }
        let change = changelog(at)?.ok_or_else(|| {
            StdError::generic_err(format!("snapshot changelog missing at height {at}"))
        })?;
        value = change.old;
    }
    Ok(value)
}

impl FundContract {
    /// A member's record, read raw; `None` for an address the fund does not know.
    pub fn member_record(
        &self,
        querier: &QuerierWrapper,
        member: &Addr,
    ) -> StdResult<Option<MemberRecord>> {
        MEMBERS.query(querier, self.0.clone(), member)
    }

    pub fn indexes(&self, querier: &QuerierWrapper) -> StdResult<Indexes> {
        INDEXES.query(querier, self.0.clone())
    }

    pub fn pool(&self, querier: &QuerierWrapper) -> StdResult<PoolTotals> {
        POOL_PRIMARY.query(querier, self.0.clone())
    }

    pub fn totals(&self, querier: &QuerierWrapper) -> StdResult<FundTotals> {
        TOTALS.query(querier, self.0.clone())
    }

    /// A member brought up to date by the ledger's rules, read raw, with
    /// the indexes it was measured against; `None` for a non-member.
    pub fn settled_member(
        &self,
        querier: &QuerierWrapper,
        member: &Addr,
    ) -> StdResult<Option<(Settled, Indexes)>> {
        let Some(record) = self.member_record(querier, member)? else {
            return Ok(None);
        };
        self.settle(querier, member, record).map(Some)
    }

    /// `record` (the member's record, read raw) brought up to date by the
    /// ledger's rules against the fund's indexes and history, with those
    /// indexes.
    pub fn settle(
        &self,
        querier: &QuerierWrapper,
        member: &Addr,
        record: MemberRecord,
    ) -> StdResult<(Settled, Indexes)> {
        let indexes = self.indexes(querier)?;
        let head = self.pool(querier)?.head;
        let history = RawHistory {
            querier,
            fund: &self.0,
        };
        let settled = settle_at(member, record, head, &indexes, &history)?;
        Ok((settled, indexes))
    }

    /// The pool as it stood at the start of block `height`.
    pub fn pool_at(&self, querier: &QuerierWrapper, height: u64) -> StdResult<PoolTotals> {
        let current = Some(POOL_PRIMARY.query(querier, self.0.clone())?);
        Ok(at_height(
            current,
            height,
            |p: &PoolTotals| p.changed_at,
            |h| POOL_CHANGELOG.query(querier, self.0.clone(), h),
        )?
        .unwrap_or_default())
    }

    /// A member's voter record as it stood at the start of block `height`;
    /// `None` when it was not a member then.
    pub fn voter_at(
        &self,
        querier: &QuerierWrapper,
        member: &Addr,
        height: u64,
    ) -> StdResult<Option<VoterRecord>> {
        let current = VOTERS_PRIMARY.query(querier, self.0.clone(), member)?;
        at_height(
            current,
            height,
            |v: &VoterRecord| v.changed_at,
            |h| VOTERS_CHANGELOG.query(querier, self.0.clone(), (member, h)),
        )
    }
}

/// A voter's balance once every loss up to event `head` is applied (the
/// losses of the defaults between its stake's `seq` and `head`), rounded
/// down once.
pub fn stake_balance(voter: &VoterRecord, head: u64, history: &dyn History) -> StdResult<Uint128> {
    let mut stake = voter.stake.clone();
    for seq in voter.seq + 1..=head {
        if stake.is_zero() {
            break;
        }
        if let crate::ledger::EventKind::Default { loss: Some(f), .. } = history.event(seq)?.kind {
            stake = f.apply(&stake)?;
        }
    }
    stake.floor()
}
