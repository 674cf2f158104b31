//! The default fund: the mutual fund, the operator's skin in the game and
//! the loss waterfall, all at constant cost per message.
//!
//! - `pool.rs`: the cumulative indexes (losses, fees, assessments)
//! - `member.rs`: settling one member against them
//! - `waterfall.rs`: declaring a default, and its preview
//! - `assessment.rs`: paying and enforcing assessments, replenishment
//! - `contribute.rs`, `withdrawal.rs`, `fees.rs`: money in and out
//! - `vault_hooks.rs`: membership and requirements reported by the vault
//! - `admin.rs`: parameters, roles, pause, shutdown, closing defaults, `sudo`
//! - `query.rs`, `state.rs`, `error.rs`; `contract.rs` only dispatches.

pub mod admin;
pub mod assessment;
pub mod contract;
pub mod contribute;
pub mod error;
pub mod fees;
pub mod member;
pub mod pool;
pub mod query;
pub mod state;
pub mod vault_hooks;
pub mod waterfall;
pub mod withdrawal;

pub use crate::error::ContractError;
