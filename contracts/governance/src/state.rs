use clearing_types::governance::VoteWeighting;
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Timestamp};
use cw3::{Ballot, Proposal};
use cw_storage_plus::{Item, Map};
use cw_utils::{Duration, Threshold};

#[cw_serde]
pub struct Config {
    pub vault: Addr,
    pub fund: Addr,
    pub guardian: Option<Addr>,
    pub threshold: Threshold,
    pub voting_period: Duration,
    pub timelock: u64,
    pub weighting: VoteWeighting,
}

/// What the cw3 proposal does not hold: the timelock.
#[cw_serde]
#[derive(Default)]
pub struct Timelock {
    pub passed_at: Option<Timestamp>,
    pub vetoed: bool,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const PROPOSAL_COUNT: Item<u64> = Item::new("proposal_count");
pub const PROPOSALS: Map<u64, Proposal> = Map::new("proposals");
pub const TIMELOCKS: Map<u64, Timelock> = Map::new("timelocks");
pub const BALLOTS: Map<(u64, &Addr), Ballot> = Map::new("ballots");
/// Ballots taken back because the voter defaulted.
pub const DISCOUNTED: Map<(u64, &Addr), ()> = Map::new("discounted");
