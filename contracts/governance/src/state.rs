//! What governance stores: its rules, and per proposal a small record of
//! the figures voting needs (read and written by every vote), its content
//! (read once, when executed or shown), the ballots that count and the
//! defaulters' weights taken out.

use clearing_types::governance::{Status, Threshold, Vote, VoteWeighting, Votes};
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, CosmosMsg, Empty, Timestamp, Uint128};
use cw_storage_plus::{Item, Map};

/// The rules of voting. Periods in seconds.
#[cw_serde]
pub struct Config {
    pub vault: Addr,
    pub fund: Addr,
    pub guardian: Option<Addr>,
    pub threshold: Threshold,
    pub voting_period: u64,
    pub min_timelock: u64,
    pub execution_window: u64,
    pub weighting: VoteWeighting,
}

/// A proposal's figures, fixed at its opening except for the tally, the
/// discounted total and the outcome. Everything a vote needs is here, so
/// that a vote reads the fund only for the voter itself.
#[cw_serde]
pub struct Proposal {
    pub proposer: Addr,
    /// Weights are those at the start of this block.
    pub start_height: u64,
    pub opened_at: Timestamp,
    /// Voting is open while the block time is before this.
    pub expires: Timestamp,
    pub weighting: VoteWeighting,
    /// The fund's last event at the opening.
    pub fund_head: u64,
    pub threshold: Threshold,
    pub opening_total: Uint128,
    /// `opening_total` less the defaulters' weights taken out.
    pub total_weight: Uint128,
    pub votes: Votes,
    pub timelock: u64,
    pub execution_window: u64,
    /// `Open` until it passes (`Passed`, with `passed_at`), or ends as
    /// `Rejected` (closed), `Executed` or `Vetoed`. `Expired` and a
    /// rejection at the end of voting are read from the clock.
    pub status: Status,
    /// When a vote or a discount made it pass.
    pub passed_at: Option<Timestamp>,
}

/// What a proposal says and does.
#[cw_serde]
pub struct Content {
    pub title: String,
    pub description: String,
    pub msgs: Vec<CosmosMsg<Empty>>,
}

/// A ballot that counts, with the voter's weight at the opening.
#[cw_serde]
pub struct Ballot {
    pub vote: Vote,
    pub weight: Uint128,
}

/// A defaulter's opening weight taken out of a proposal.
#[cw_serde]
pub struct Discount {
    pub weight: Uint128,
    /// The ballot taken back with it.
    pub vote: Option<Vote>,
    /// Taken out at the opening because the proposal acts on the member
    /// (the action's name, `recusal.rs`): it may not vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recused: Option<String>,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const PROPOSAL_COUNT: Item<u64> = Item::new("proposal_count");
pub const PROPOSALS: Map<u64, Proposal> = Map::new("proposals");
pub const CONTENTS: Map<u64, Content> = Map::new("contents");
pub const BALLOTS: Map<(u64, &Addr), Ballot> = Map::new("ballots");
pub const DISCOUNTS: Map<(u64, &Addr), Discount> = Map::new("discounts");
