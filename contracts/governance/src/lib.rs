//! Governance: members' proposals drive the vault and the fund (it is
//! their admin); the chain's x/gov acts through `sudo`.
//!
//! - `proposal.rs`: propose, execute after the timelock, close, veto
//! - `vote.rs`: who votes with what weight
//! - `emergency.rs`: pause, unpause, shutdown, config, `sudo`
//! - `query.rs`, `state.rs`, `error.rs`; `contract.rs` only dispatches.

pub mod contract;
pub mod emergency;
pub mod error;
pub mod proposal;
pub mod query;
pub mod state;
pub mod vote;

pub use crate::error::ContractError;
