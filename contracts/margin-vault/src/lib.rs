//! The margin vault: members' margin collateral.
//!
//! - `deposit.rs`: margin in (native funds or cw20 `Send`)
//! - `withdraw.rs`: margin out, above the requirement only
//! - `membership.rs`: admitting members, margin requirements (a member
//!   leaves through its exit from the default fund)
//! - `fund_hooks.rs`: what only the default fund may do (seize, draw,
//!   release, exit)
//! - `books.rs`: the conservation check every execute ends with (SPEC v2 §4)
//! - `admin.rs`: roles, pause, shutdown, chain-governance `sudo`
//! - `query.rs`, `state.rs`, `error.rs`; `contract.rs` only dispatches.

pub mod admin;
pub mod books;
pub mod contract;
pub mod deposit;
pub mod error;
pub mod fund_hooks;
pub mod membership;
pub mod query;
pub mod state;
pub mod withdraw;

pub use crate::error::ContractError;
