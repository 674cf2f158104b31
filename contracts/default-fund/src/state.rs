//! The fund's storage. What the vault and governance read raw (members,
//! history, indexes, pool, voters, totals) is declared in
//! `clearing_types::fund_storage` and re-exported here; what only the fund
//! reads is declared below.

use clearing_types::fund::{CoolingOff, DefaultReceipt, FundParams};
use clearing_types::SettlementAsset;
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint128};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex};

pub use clearing_types::fund_storage::{
    EVENTS, INDEXES, MEMBERS, PARTICIPATIONS, POOL, RECOVERED, TOTALS, VOTERS,
};

#[cw_serde]
pub struct Config {
    pub governance: Addr,
    pub risk_engine: Addr,
    pub operator: Addr,
    pub loss_recipient: Addr,
    pub vault: Addr,
    pub asset: SettlementAsset,
    pub paused: bool,
    pub shutdown: bool,
}

pub const CONFIG: Item<Config> = Item::new("config");

/// The fund-wide figures every money message changes, kept small.
#[cw_serde]
#[derive(Default)]
pub struct Counters {
    /// The tokens the books say the fund holds: every receipt added, every
    /// payment taken off (SPEC v2 §4 conservation).
    pub holdings: Uint128,
    /// Recovery credits held for members (claimable, or due to the loss
    /// recipient as they cancel unpaid shares).
    pub recoveries_held: Uint128,
    /// Fees distributed and not yet claimed.
    pub fees_unclaimed: Uint128,
}

pub const COUNTERS: Item<Counters> = Item::new("counters");
/// Unpaid assessment shares, counted per member and default (the SITG
/// exit waits for none); apart from `COUNTERS` so a payment writes 3 bytes.
pub const OPEN_OBLIGATIONS: Item<u64> = Item::new("open_obligations");
/// The current or last cooling-off period (none before the first).
pub const COOLING_OFF: Item<CoolingOff> = Item::new("cooling_off");
pub const PARAMS: Item<FundParams> = Item::new("params");
/// Every default's receipt by id (1-based).
pub const DEFAULTS: Map<u64, DefaultReceipt> = Map::new("defaults");
/// A defaulter's default id.
pub const DEFAULT_OF: Map<&Addr, u64> = Map::new("default_of");
/// Members that bore a share of default `k` and later defaulted owing part
/// of it (that part joined their own loss): `(k, member) → its own
/// default`. Recoveries of `k` credit such a member's whole share to its
/// own default (recovery.rs).
pub const JOINED: Map<(u64, &Addr), u64> = Map::new("joined");
/// Cooling-off periods by start → end (unix nanoseconds, as block times
/// are): a withdrawal whose notice ended inside one may be claimed from the
/// period's end.
pub const COOLING_OFF_PERIODS: Map<u64, u64> = Map::new("cooling_off_periods");

/// A member's stress exposure (SPEC v2 §7), indexed by amount so that the
/// largest `cover` are read in descending order at constant cost.
#[cw_serde]
pub struct Exposure {
    pub amount: Uint128,
}

pub struct ExposureIndexes<'a> {
    pub by_amount: MultiIndex<'a, u128, Exposure, &'a Addr>,
}

impl IndexList<Exposure> for ExposureIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Exposure>> + '_> {
        let v: Vec<&dyn Index<Exposure>> = vec![&self.by_amount];
        Box::new(v.into_iter())
    }
}

/// Surviving members' stress exposures above zero.
pub fn exposures<'a>() -> IndexedMap<&'a Addr, Exposure, ExposureIndexes<'a>> {
    IndexedMap::new(
        "exposures",
        ExposureIndexes {
            by_amount: MultiIndex::new(
                |_pk, e: &Exposure| e.amount.u128(),
                "exposures",
                "exposures__amount",
            ),
        },
    )
}
