//! Membership and margin requirements, as the margin vault reports them,
//! and the refresh of required contributions after a parameter change.

use clearing_types::fund::{FundParams, MemberStatus};
use cosmwasm_std::{Addr, Deps, DepsMut, MessageInfo, Response, Storage, Uint128, Uint256};

use crate::error::ContractError;
use crate::member::{
    current_fee_sum, load_live_member, load_member, required_contribution, settle_assessments,
    settle_deposit, total_owed,
};
use crate::pool::{to_tokens, Pool};
use crate::state::{MemberState, CONFIG, MEMBERS, PARAMS, POOL, TOTALS};

/// Most members one `RefreshRequirements` may touch.
pub const MAX_REFRESH: usize = 30;

pub fn ensure_vault(deps: Deps, info: &MessageInfo) -> Result<(), ContractError> {
    cw_utils::nonpayable(info)?;
    if info.sender != CONFIG.load(deps.storage)?.vault {
        return Err(ContractError::unauthorized(
            "call a vault hook",
            &info.sender,
        ));
    }
    Ok(())
}

pub fn member_added(
    deps: DepsMut,
    member: String,
    required_margin: Uint128,
) -> Result<Response, ContractError> {
    let member = deps.api.addr_validate(&member)?;
    if MEMBERS.has(deps.storage, &member) {
        return Err(ContractError::AlreadyMember {
            address: member.to_string(),
        });
    }
    let params = PARAMS.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    let mut totals = TOTALS.load(deps.storage)?;
    let rc = required_contribution(&params, required_margin);
    pool.total_required = pool.total_required.checked_add(rc)?;
    let m = MemberState {
        deposit: Uint256::zero(),
        snapshot: pool.snapshot(current_fee_sum(deps.storage, &pool)?),
        fees: Uint128::zero(),
        required_margin,
        required_contribution: rc,
        assess_index: pool.assess_index,
        assess_seq: pool.assess_seq,
        owed: Uint128::zero(),
        owed_due: None,
        withdrawal: None,
        status: MemberStatus::Active,
        released: Uint128::zero(),
        defaults_at_join: totals.defaults,
    };
    MEMBERS.save(deps.storage, &member, &m)?;
    POOL.save(deps.storage, &pool)?;
    totals.active_members += 1;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_attribute("action", "fund_member_added")
        .add_attribute("member", member)
        .add_attribute("required_contribution", rc)
        .add_attribute("total_required", pool.total_required))
}

/// Settles the member's assessments at its old required contribution, then
/// recomputes it and the base `B`.
fn reset_requirement(
    storage: &dyn Storage,
    params: &FundParams,
    pool: &mut Pool,
    m: &mut MemberState,
    required_margin: Uint128,
) -> Result<(), ContractError> {
    settle_assessments(storage, pool, m)?;
    let rc = required_contribution(params, required_margin);
    pool.total_required = pool
        .total_required
        .checked_sub(m.required_contribution)?
        .checked_add(rc)?;
    m.required_margin = required_margin;
    m.required_contribution = rc;
    Ok(())
}

pub fn requirement_changed(
    deps: DepsMut,
    member: String,
    required_margin: Uint128,
) -> Result<Response, ContractError> {
    let member = deps.api.addr_validate(&member)?;
    let mut m = load_live_member(deps.storage, &member)?;
    let params = PARAMS.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    reset_requirement(deps.storage, &params, &mut pool, &mut m, required_margin)?;
    MEMBERS.save(deps.storage, &member, &m)?;
    POOL.save(deps.storage, &pool)?;
    Ok(Response::new()
        .add_attribute("action", "fund_requirement_changed")
        .add_attribute("member", member)
        .add_attribute("required_contribution", m.required_contribution)
        .add_attribute("total_required", pool.total_required))
}

pub fn member_removed(deps: DepsMut, member: String) -> Result<Response, ContractError> {
    let member = deps.api.addr_validate(&member)?;
    let mut m = load_member(deps.storage, &member)?;
    let pool = POOL.load(deps.storage)?;
    let owed = total_owed(&pool, &m)?;
    settle_deposit(deps.storage, &pool, &mut m)?;
    let holding = [
        ("a balance", to_tokens(m.deposit)?),
        ("unclaimed fees", m.fees),
        ("assessments owed", owed),
        ("a released remainder", m.released),
    ];
    if let Some((what, _)) = holding.iter().find(|(_, v)| !v.is_zero()) {
        return Err(ContractError::MemberNotEmpty {
            address: member.to_string(),
            what: what.to_string(),
        });
    }
    if m.status == MemberStatus::Defaulted {
        return Err(ContractError::MemberInDefault {
            address: member.to_string(),
        });
    }
    let mut pool = pool;
    // Less than a token may be left: it leaves the pool with the member.
    pool.total_deposits = pool.total_deposits.checked_sub(m.deposit)?;
    let mut totals = TOTALS.load(deps.storage)?;
    if matches!(m.status, MemberStatus::Active | MemberStatus::InBreach) {
        pool.total_required = pool.total_required.checked_sub(m.required_contribution)?;
        totals.active_members = totals.active_members.saturating_sub(1);
    }
    MEMBERS.remove(deps.storage, &member);
    POOL.save(deps.storage, &pool)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_attribute("action", "fund_member_removed")
        .add_attribute("member", member)
        .add_attribute("total_required", pool.total_required))
}

/// Anyone: apply the current `contribution_rate` / `min_contribution` to
/// the listed members (a bounded batch, never the whole membership).
pub fn refresh_requirements(
    deps: DepsMut,
    info: MessageInfo,
    members: Vec<String>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if members.len() > MAX_REFRESH {
        return Err(ContractError::TooManyMembers { max: MAX_REFRESH });
    }
    let params = PARAMS.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    let mut changed = 0u32;
    for member in members {
        let member: Addr = deps.api.addr_validate(&member)?;
        let mut m = load_live_member(deps.storage, &member)?;
        let before = m.required_contribution;
        let required_margin = m.required_margin;
        reset_requirement(deps.storage, &params, &mut pool, &mut m, required_margin)?;
        if before != m.required_contribution {
            changed += 1;
        }
        MEMBERS.save(deps.storage, &member, &m)?;
    }
    POOL.save(deps.storage, &pool)?;
    Ok(Response::new()
        .add_attribute("action", "refresh_requirements")
        .add_attribute("changed", changed.to_string())
        .add_attribute("total_required", pool.total_required))
}
