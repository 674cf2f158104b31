//! Governance (SPEC v2 §5): members' proposals drive the vault and the fund
//! (it is their admin, and the wasm admin of all three contracts); the
//! chain's x/gov acts through `sudo`.
//!
//! Weights are `Uint128` end to end and fixed at the block a proposal
//! opens, read raw from the fund's snapshots.
//!
//! - `propose.rs`: opening a proposal with its weights, total and deadlines
//! - `vote.rs`: a member's vote with its opening weight
//! - `discount.rs`: taking a defaulter's weight out of a proposal
//! - `recusal.rs`: a member does not vote on a proposal about itself
//! - `tally.rs`: the one place that adds up votes and decides where a
//!   proposal stands (threshold, quorum, timelock, execution window)
//! - `weights.rs`: who may vote, with what weight, from the fund's storage
//! - `execute.rs`: execution after the timelock, veto, close
//! - `emergency.rs`: pause, unpause, shutdown, chain governance's `sudo`
//! - `config.rs`: the rules of voting and the guardian
//! - `query.rs`, `state.rs`, `error.rs`; `contract.rs` only dispatches.

pub mod config;
pub mod contract;
pub mod discount;
pub mod emergency;
pub mod error;
pub mod execute;
pub mod propose;
pub mod query;
pub mod recusal;
pub mod state;
pub mod tally;
pub mod vote;
pub mod weights;

#[cfg(test)]
mod tests;

pub use crate::error::ContractError;
