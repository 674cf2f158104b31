use clearing_types::vault::MarginStatus;
use clearing_types::SettlementAsset;
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Uint128};
use cw_storage_plus::{Item, Map};

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
pub struct Member {
    pub balance: Uint128,
    pub required_margin: Uint128,
    pub status: MarginStatus,
}

impl Member {
    /// Margin above the requirement.
    pub fn excess(&self) -> Uint128 {
        self.balance.saturating_sub(self.required_margin)
    }
}

#[cw_serde]
#[derive(Default)]
pub struct Totals {
    pub members: u64,
    pub total_margin: Uint128,
    pub total_required: Uint128,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const MEMBERS: Map<&Addr, Member> = Map::new("members");
pub const TOTALS: Item<Totals> = Item::new("totals");
