//! The fund's storage. What the vault and governance read raw (members,
//! history, indexes, pool, voters, totals) is declared in
//! `clearing_types::fund_storage` and re-exported here; what only the fund
//! reads is declared below.

use clearing_types::fund::{DefaultReceipt, FundParams};
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
pub const PARAMS: Item<FundParams> = Item::new("params");
/// Every default's receipt by id (1-based).
pub const DEFAULTS: Map<u64, DefaultReceipt> = Map::new("defaults");
/// A defaulter's default id.
pub const DEFAULT_OF: Map<&Addr, u64> = Map::new("default_of");
/// Shares of default `k` that a member owed when it defaulted itself, and
/// so joined its own loss: `(k, member) → (its own default, what of it is
/// still to be passed on from recoveries of k)`.
pub const JOINED: Map<(u64, &Addr), (u64, Uint128)> = Map::new("joined");
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
