//! The default fund: the mutual fund, the operator's skin in the game and
//! the loss waterfall, at constant cost per message (SPEC v2). A member's
//! figures follow the shared ledger rules of `clearing_types::ledger`,
//! settled lazily against the fund's history of events.
//!
//! Where each rule lives:
//! - `waterfall.rs`: declaring a default, and its preview (SPEC §3)
//! - `assessment.rs`: paying and enforcing assessment shares
//! - `replenishment.rs`: enforcing a shortfall past its date
//! - `contribute.rs`, `withdrawal.rs` (notice), `fees.rs`: money in and out
//! - `exit.rs`: leaving with a liability tail (SPEC §8)
//! - `winddown.rs`: after shutdown, closed defaulters, the SITG exit
//! - `recovery.rs`: recoveries credited in reverse order (SPEC §8)
//! - `sizing.rs`: stress exposures, Cover-n, recalibration, coverage (SPEC §7)
//! - `suspension.rs`: the risk engine's suspension, lifted by governance
//! - `vault_hooks.rs`: membership and requirements reported by the vault
//! - `admin.rs`: parameters, roles, pause, shutdown, closing defaults, `sudo`
//! - `books.rs`: the conservation check every execute ends with (SPEC §4)
//! - `member.rs`: loading, settling and saving one member; `history.rs`:
//!   the fund's events; `callback.rs`: the fund's own callbacks
//! - `query.rs`, `state.rs`, `error.rs`; `contract.rs` only dispatches.

pub mod admin;
pub mod assessment;
pub mod books;
pub mod callback;
pub mod contract;
pub mod contribute;
pub mod error;
pub mod exit;
pub mod fees;
pub mod history;
pub mod member;
pub mod query;
pub mod recovery;
pub mod replenishment;
pub mod sizing;
pub mod state;
pub mod suspension;
pub mod vault_hooks;
pub mod waterfall;
pub mod winddown;
pub mod withdrawal;

pub use crate::error::ContractError;
