//! Risk data drives the fund's size (SPEC v2 §7): the risk engine posts
//! members' stress exposures; the fund keeps the largest `cover` of them in
//! an index ordered by amount (read at constant cost); in `cover` mode the
//! contribution rate is recalibrated toward `B = max(T, n × min)` with
//! `T = (1 + buffer) × Σ top-cover exposures − SITG`, within governance's
//! bounds and step, at most once per interval. A new rate reaches every
//! member's requirement at once (a `Requirement` event), and a raise opens
//! shortfalls under the replenishment rule with their full period.

use clearing_types::fund::{CoverageResponse, ExposurePost, FundParams, TopExposure};
use clearing_types::fund_storage::Indexes;
use clearing_types::ledger::Basis;
use clearing_types::ratio::{Ratio, Rounding};
use cosmwasm_std::{
    Addr, Decimal, Deps, DepsMut, Env, MessageInfo, Order, Response, StdResult, Storage, Timestamp,
    Uint128, Uint256, Uint512,
};

use crate::error::ContractError;
use crate::history;
use crate::member::{apply_settlement, settled_live};
use crate::state::{exposures, Config, Exposure, COUNTERS, INDEXES, MEMBERS, PARAMS, POOL, TOTALS};

/// Most exposures one message may post.
pub const MAX_EXPOSURES: usize = 50;

/// The `cover` largest exposures, largest first.
pub fn top_exposures(storage: &dyn Storage, cover: u8) -> StdResult<Vec<TopExposure>> {
    exposures()
        .idx
        .by_amount
        .range(storage, None, None, Order::Descending)
        .take(cover as usize)
        .map(|item| {
            item.map(|(member, e)| TopExposure {
                member,
                exposure: e.amount,
            })
        })
        .collect()
}

/// The risk engine posts stress exposures, one or many members at once.
pub fn post(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    posts: Vec<ExposurePost>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if info.sender != config.risk_engine {
        return Err(ContractError::unauthorized(
            "post stress exposures",
            &info.sender,
        ));
    }
    if posts.is_empty() {
        return Err(ContractError::InvalidParam {
            name: "exposures".to_string(),
            reason: "must not be empty".to_string(),
        });
    }
    if posts.len() > MAX_EXPOSURES {
        return Err(ContractError::TooManyExposures {
            count: posts.len(),
            max: MAX_EXPOSURES,
        });
    }
    let mut indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let mut counters_dirty = false;
    let mut msgs = vec![];
    let index = exposures();
    let mut seen: Vec<Addr> = Vec::with_capacity(posts.len());
    for post in &posts {
        let member = deps.api.addr_validate(&post.member)?;
        // One figure per member per batch: a member posted twice would
        // close and reopen its shortfall within one message.
        if seen.contains(&member) {
            return Err(ContractError::InvalidParam {
                name: "exposures".to_string(),
                reason: format!("{member} is posted twice"),
            });
        }
        seen.push(member.clone());
        let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
        let (m, dirty) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
        msgs.extend(m);
        counters_dirty |= dirty;
        let mut record = settled.record;
        indexes
            .sums
            .apply(record.required_margin, record.exposure, false)?;
        indexes
            .sums
            .apply(record.required_margin, post.amount, true)?;
        record.exposure = post.amount;
        if post.amount.is_zero() {
            index.remove(deps.storage, &member)?;
        } else {
            index.save(
                deps.storage,
                &member,
                &Exposure {
                    amount: post.amount,
                },
            )?;
        }
        if indexes.regime.basis == Basis::StressExposure {
            record.track_shortfall(&indexes.regime, env.block.time)?;
        }
        MEMBERS.save(deps.storage, &member, &record)?;
    }
    INDEXES.save(deps.storage, &indexes)?;
    if counters_dirty {
        COUNTERS.save(deps.storage, &counters)?;
    }
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "post_exposures")
        .add_attribute("count", posts.len().to_string())
        .add_attribute("total_exposure", indexes.sums.exposure.to_string()))
}

/// `(1 + buffer) × Σ top exposures`, rounded up: the Cover-n requirement.
fn requirement(params: &FundParams, top: &[TopExposure]) -> Result<Uint256, ContractError> {
    let sum = top.iter().try_fold(Uint256::zero(), |acc, t| {
        acc.checked_add(Uint256::from(t.exposure))
    })?;
    let factor = Ratio::one().add(&Ratio::from_decimal(params.sizing.buffer)?, Rounding::Up)?;
    Ok(factor
        .mul_frac(Uint512::from(sum), Uint512::one(), Rounding::Up)?
        .round256(Rounding::Up)?)
}

/// The rate that makes `B = max(T, n × min)`, rounded up to 18 decimals.
fn desired_rate(
    indexes: &Indexes,
    target: Uint256,
    min: Uint128,
) -> Result<Option<Ratio>, ContractError> {
    if indexes.sums.exposure.is_zero() {
        return Ok(None);
    }
    let floor = Uint512::from(indexes.sums.members).checked_mul(Uint512::from(min))?;
    let wanted = Uint512::from(target).max(floor);
    Ok(Some(Ratio::new(
        wanted - floor,
        Uint512::from(indexes.sums.exposure),
    )?))
}

fn to_decimal_up(r: &Ratio) -> Result<Decimal, ContractError> {
    let d = r.to_decimal256(Rounding::Up)?;
    Decimal::try_from(d).map_err(|_| ContractError::InvalidParam {
        name: "contribution_rate".to_string(),
        reason: "recalibrated rate out of range".to_string(),
    })
}

fn next_recalibration(params: &FundParams, indexes: &Indexes) -> Option<Timestamp> {
    indexes
        .last_recalibration
        .map(|t| t.plus_seconds(params.sizing.recalibration_interval))
}

/// Anyone, in `cover` mode, when due: moves the rate toward the target.
pub fn recalibrate(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let params = PARAMS.load(deps.storage)?;
    if params.sizing.mode != Basis::StressExposure {
        return Err(ContractError::NotCoverMode {});
    }
    if config.shutdown {
        return Err(ContractError::ShutDown {});
    }
    let mut indexes = INDEXES.load(deps.storage)?;
    let now = env.block.time;
    if let Some(due) = next_recalibration(&params, &indexes).filter(|d| now < *d) {
        return Err(ContractError::RecalibrationNotDue { due });
    }
    let sitg = TOTALS.load(deps.storage)?.sitg;
    let top = top_exposures(deps.storage, params.sizing.cover)?;
    let required = requirement(&params, &top)?;
    let target = required.saturating_sub(Uint256::from(sitg));
    // The rate in force lives in the regime (the parameters keep the one
    // governance last set).
    let current = indexes.regime.contribution_rate;
    let desired = match desired_rate(&indexes, target, params.min_contribution)? {
        Some(r) => to_decimal_up(&r)?,
        None => params.sizing.min_rate,
    };
    let bounded = desired.clamp(params.sizing.min_rate, params.sizing.max_rate);
    let step = params.sizing.max_rate_step;
    let new_rate = if bounded > current {
        current.checked_add(step)?.min(bounded)
    } else {
        current.saturating_sub(step).max(bounded)
    };
    indexes.last_recalibration = Some(now);
    if new_rate != current {
        indexes.regime.contribution_rate = new_rate;
        history::requirement_changed(deps.storage, &env, &indexes)?;
    }
    INDEXES.save(deps.storage, &indexes)?;
    Ok(Response::new()
        .add_attribute("action", "recalibrate")
        .add_attribute("previous_rate", current.to_string())
        .add_attribute("desired_rate", desired.to_string())
        .add_attribute("contribution_rate", new_rate.to_string())
        .add_attribute("requirement", required.to_string())
        .add_attribute("target", target.to_string())
        .add_attribute(
            "total_required",
            indexes.base()?.to_decimal256(Rounding::Up)?.to_string(),
        ))
}

/// Pre-funded resources against the Cover-n requirement (SPEC v2 §7).
pub fn coverage(deps: Deps, env: Env) -> Result<CoverageResponse, ContractError> {
    let params = PARAMS.load(deps.storage)?;
    let indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let totals = TOTALS.load(deps.storage)?;
    let cooling_off = crate::state::COOLING_OFF.may_load(deps.storage)?;
    let top = top_exposures(deps.storage, params.sizing.cover)?;
    let required = requirement(&params, &top)?;
    let prefunded = totals.sitg.checked_add(pool.balances()?.floor()?)?;
    let base = indexes.base()?;
    let used = cooling_off
        .as_ref()
        .filter(|c| env.block.time < c.ends)
        .map(|c| c.rate_used.clone())
        .unwrap_or_default();
    let multiple = Ratio::from_decimal(params.assessment_multiple)?;
    let capacity = multiple
        .saturating_sub(&used, Rounding::Down)?
        .mul(&base, Rounding::Down)?
        .round256(Rounding::Down)?;
    let ratio = |v: Uint256| -> Result<Option<cosmwasm_std::Decimal256>, ContractError> {
        if required.is_zero() {
            return Ok(None);
        }
        Ok(Some(
            Ratio::new(Uint512::from(v), Uint512::from(required))?.to_decimal256(Rounding::Down)?,
        ))
    };
    Ok(CoverageResponse {
        cover: params.sizing.cover,
        top_exposures: top,
        requirement: required,
        target: required.saturating_sub(Uint256::from(totals.sitg)),
        prefunded,
        ratio: ratio(Uint256::from(prefunded))?,
        assessment_capacity: capacity,
        ratio_with_assessments: ratio(Uint256::from(prefunded).checked_add(capacity)?)?,
        total_required: base.round256(Rounding::Up)?,
        contribution_rate: indexes.regime.contribution_rate,
        basis: params.sizing.mode,
        next_recalibration: (params.sizing.mode == Basis::StressExposure)
            .then(|| next_recalibration(&params, &indexes).unwrap_or(env.block.time)),
    })
}
