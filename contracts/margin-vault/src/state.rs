use clearing_types::SettlementAsset;
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint128};
use cw_storage_plus::Item;

#[cw_serde]
pub struct Config {
    pub governance: Addr,
    pub risk_engine: Addr,
    pub default_fund: Option<Addr>,
    pub asset: SettlementAsset,
    pub paused: bool,
    pub shutdown: bool,
}

#[cw_serde]
#[derive(Default)]
pub struct Totals {
    pub members: u64,
    /// The tokens the books say the vault holds (SPEC v2 §4 conservation).
    pub holdings: Uint128,
    pub total_margin: Uint128,
    pub total_required: Uint128,
}

pub const CONFIG: Item<Config> = Item::new("config");
/// Members' margin accounts; the fund reads them raw, so the map and its
/// record are declared in `clearing_types::vault`.
pub use clearing_types::vault::{MarginAccount as Member, MARGIN_ACCOUNTS as MEMBERS};
pub const TOTALS: Item<Totals> = Item::new("totals");
