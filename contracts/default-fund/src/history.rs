//! The fund's history: fund-wide events that reach members lazily
//! (`clearing_types::ledger::FundEvent`), numbered from 1. The pool's
//! `head` is the last one.

use clearing_types::fund::FundParams;
use clearing_types::fund_storage::{Indexes, PoolTotals};
use clearing_types::ledger::{EventKind, FundEvent, Regime};
use cosmwasm_std::{Env, StdResult, Storage, Timestamp};

use crate::member::save_pool;
use crate::state::{EVENTS, POOL};

/// The requirement regime that `params` define; after shutdown it winds
/// down: no replenishment is owed and balances may leave whole, while the
/// requirements still weigh the assessments of defaults (a shutdown writes
/// off nothing).
pub fn regime_of(params: &FundParams, shutdown: bool) -> Regime {
    Regime {
        min_contribution: params.min_contribution,
        contribution_rate: params.contribution_rate,
        basis: params.sizing.mode,
        replenishment_period: params.replenishment_period,
        wind_down: shutdown,
    }
}

/// Appends an event at `at` under the regime and fee index in `indexes`;
/// returns its number.
pub fn append(
    storage: &mut dyn Storage,
    pool: &mut PoolTotals,
    indexes: &Indexes,
    at: Timestamp,
    kind: EventKind,
) -> StdResult<u64> {
    pool.head += 1;
    EVENTS.save(
        storage,
        pool.head,
        &FundEvent {
            at,
            regime: indexes.regime.clone(),
            fee_sum: indexes.fee_sum.clone(),
            kind,
        },
    )?;
    Ok(pool.head)
}

/// The requirement regime in `indexes` changed (parameters, shutdown,
/// recalibration): a `Requirement` event every member follows at once, so
/// `B` and every requirement are exact right away. The caller saves
/// `indexes`.
pub fn requirement_changed(
    storage: &mut dyn Storage,
    env: &Env,
    indexes: &Indexes,
) -> StdResult<()> {
    let mut pool = POOL.load(storage)?;
    append(
        storage,
        &mut pool,
        indexes,
        env.block.time,
        EventKind::Requirement {},
    )?;
    save_pool(storage, env.block.height, &mut pool)
}
