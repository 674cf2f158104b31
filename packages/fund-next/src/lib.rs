//! Test fixture, never shipped: the default fund at this version with one
//! field added to a stored record (`state::Config::migrated_from`), built
//! from the fund's own sources by `build.rs`, and a `migrate` (`next.rs`)
//! that installs it over a deployed fund, keeping every balance and index.
//! Governance's migration tests store it as a new code and migrate the
//! fund to it by proposal.

include!(concat!(env!("OUT_DIR"), "/root.rs"));

pub mod next;
