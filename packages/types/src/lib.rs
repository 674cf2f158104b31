//! Message types of the clearing-house default-fund suite and the typed
//! helpers the contracts use to talk to each other.
//!
//! One module per contract (`vault`, `fund`, `governance`), plus the
//! settlement asset every contract of one deployment shares (`asset`), and
//! the part of the fund's storage the other contracts read raw
//! (`fund_storage`; the vault's margin accounts are in `vault`), the one
//! definition of a member's figures that every contract uses (`ledger`)
//! and the exact fractions they are kept in (`ratio`).

pub mod asset;
pub mod cache;
pub mod call;
pub mod fund;
pub mod fund_storage;
pub mod governance;
pub mod ledger;
pub mod migrate;
pub mod ratio;
pub mod vault;

pub use asset::{AssetInfo, SettlementAsset};
