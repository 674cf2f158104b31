//! Leaving with a liability tail (SPEC v2 §8): a member gives notice (or
//! governance forces it); during the notice it stays fully liable and
//! cannot vote on proposals opened after it; after the notice, outside any
//! open cooling-off period and owing nothing, its exit pays out its whole
//! balance, fees and recovery credits, and it leaves `B` and the fund (its
//! margin follows through the vault, below). Its record stays, so
//! recoveries still reach it.
//!
//! A member's own notice binds it like a withdrawal request: it must
//! complete within the withdrawal claim window after the notice (fixed
//! when given; a cooling-off period open when the notice ends pushes the
//! window's start to its end), or the notice lapses and it gives notice
//! again — a notice is never a standing option to leave at once, say just
//! ahead of a default. A lapsed notice still keeps the member's vote away
//! until it exits. An exit governance forced does not lapse.
//!
//! The margin side: the vault reads the member's fund record raw and, once
//! it shows the exit, lets the member take its whole margin at once, with
//! no requirement, and closes its account when it is empty. (Paying the
//! margin from here would need the vault's own entry point in the same
//! transaction: two contract instances and two transfers alone cost more
//! than the 150,000 gas every member message keeps to.)

use clearing_types::fund::MemberStatus;
use clearing_types::ledger::{check_exit, Exit};
use clearing_types::ratio::{Ratio, Rounding};
use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response};

use crate::admin::ensure_governance;
use crate::error::ContractError;
use crate::member::{
    apply_settlement, ensure_not_suspended, save_pool, settled_live, update_eligibility,
    write_voter,
};
use crate::state::{exposures, Config, COOLING_OFF, COUNTERS, INDEXES, MEMBERS, PARAMS, POOL};

fn give_notice(
    deps: DepsMut,
    env: Env,
    config: &Config,
    member: Addr,
    forced: bool,
) -> Result<Response, ContractError> {
    let indexes = INDEXES.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    if !forced {
        ensure_not_suspended(&member, &settled.record)?;
    }
    let now = env.block.time;
    // A notice stands until it lapses; governance may make a member's own
    // notice a forced one (which does not lapse), dates unchanged.
    let lapsed = lapses_at(deps.storage, &settled.record)?.is_some_and(|at| now >= at);
    let make_forced = forced && settled.record.exit_window.is_some();
    if settled.record.exit_notice_at.is_some() && !lapsed && !make_forced {
        return Err(ContractError::ExitAlreadyRequested {
            address: member.to_string(),
        });
    }
    let (msgs, dirty) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    let was = record.may_vote();
    let params = PARAMS.load(deps.storage)?;
    // A new notice, unless an unlapsed one becomes forced (dates kept). A
    // notice given again after a lapse keeps the first notice's date: the
    // member's vote was lost then and stays lost until it exits (governance
    // reads `exit_notice_at`, weights.rs `lost_vote`).
    if !make_forced || lapsed {
        record.exit_notice_at.get_or_insert(now);
        record.exit_available_at = Some(now.plus_seconds(params.withdrawal_notice_period));
    }
    record.exit_window = (!forced).then_some(params.withdrawal_claim_window);
    let available_at = record.exit_available_at.unwrap_or(now);
    update_eligibility(&mut pool, was, &record)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    write_voter(deps.storage, env.block.height, &member, &record)?;
    save_pool(deps.storage, env.block.height, &mut pool)?;
    if dirty {
        COUNTERS.save(deps.storage, &counters)?;
    }
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", if forced { "force_exit" } else { "request_exit" })
        .add_attribute("member", member)
        .add_attribute("exit_available_at", available_at.seconds().to_string()))
}

/// When a member's own exit notice lapses (SPEC v2 §3's claim window, as
/// for a withdrawal request: from the end of the notice, or from the end
/// of a cooling-off period open then); `None` without a notice or for a
/// forced exit.
pub fn lapses_at(
    storage: &dyn cosmwasm_std::Storage,
    record: &clearing_types::ledger::MemberRecord,
) -> Result<Option<cosmwasm_std::Timestamp>, ContractError> {
    match (record.exit_available_at, record.exit_window) {
        (Some(available_at), Some(window)) => Ok(Some(crate::withdrawal::lapses_at(
            storage,
            available_at,
            window,
        )?)),
        _ => Ok(None),
    }
}

/// A member gives notice to exit (again, once an earlier notice lapsed).
pub fn request(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    give_notice(deps, env, config, info.sender, false)
}

/// Governance removes a member: a forced exit on the same terms.
pub fn force(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    member: String,
) -> Result<Response, ContractError> {
    ensure_governance(config, &info, "force a member's exit")?;
    let member = deps.api.addr_validate(&member)?;
    give_notice(deps, env, config, member, true)
}

/// Anyone, after the notice: pays the member out of the fund and takes it
/// out (the vault then lets it take its whole margin: `CloseAccount`).
pub fn complete(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    member: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let member = deps.api.addr_validate(&member)?;
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let now = env.block.time;
    let mut indexes = INDEXES.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    let available_at =
        settled
            .record
            .exit_available_at
            .ok_or_else(|| ContractError::NoExitRequested {
                address: member.to_string(),
            })?;
    if now < available_at {
        return Err(ContractError::ExitNoticeNotOver { available_at });
    }
    if let Some(c) = COOLING_OFF.may_load(deps.storage)?.filter(|c| now < c.ends) {
        return Err(ContractError::CoolingOffOpen { ends: c.ends });
    }
    if let Some(lapsed_at) = lapses_at(deps.storage, &settled.record)?.filter(|at| now >= *at) {
        return Err(ContractError::ExitNoticeLapsed { lapsed_at });
    }
    check_exit(
        &settled.record,
        &indexes.regime,
        now,
        config.shutdown,
        Exit::Exit,
    )?;
    let (mut msgs, _) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    // Its recovery credits leave with it (one read per default it bore).
    let (cancelled, claimable, cleared) =
        crate::recovery::collect(deps.storage, &member, &mut record)?;
    record.recovered = record.recovered.checked_add(claimable)?;
    crate::member::clear_obligations(deps.storage, cleared)?;
    if !cancelled.is_zero() {
        counters.recoveries_held = counters.recoveries_held.checked_sub(cancelled)?;
        counters.holdings = counters.holdings.checked_sub(cancelled)?;
        msgs.extend(
            config
                .asset
                .transfer_msgs(&config.loss_recipient, cancelled)?,
        );
    }
    let balance = record.balance()?;
    let fees = record.fees_claimable()?;
    let recovered = record.recovered;
    let paid = balance.checked_add(fees)?.checked_add(recovered)?;

    // Out of the pool (what is below one unit stays in it as dust), `B`
    // and the vote.
    pool.total = pool.total.checked_sub(balance)?;
    pool.dust = pool
        .dust
        .add(&record.stake.sub_int(balance)?, Rounding::Down)?;
    if record.may_vote() {
        pool.voters = pool.voters.saturating_sub(1);
    } else {
        pool.ineligible = pool
            .ineligible
            .saturating_sub(&record.stake, Rounding::Down)?;
    }
    indexes
        .sums
        .apply(record.required_margin, record.exposure, false)?;
    if !record.exposure.is_zero() {
        exposures().remove(deps.storage, &member)?;
    }
    counters.fees_unclaimed = counters.fees_unclaimed.checked_sub(fees)?;
    counters.recoveries_held = counters.recoveries_held.checked_sub(recovered)?;
    counters.holdings = counters.holdings.checked_sub(paid)?;
    record.status = MemberStatus::Exited;
    record.stake = Ratio::zero();
    record.fees = Ratio::zero();
    record.recovered = cosmwasm_std::Uint128::zero();
    record.withdrawal = None;
    record.shortfall_due = None;
    MEMBERS.save(deps.storage, &member, &record)?;
    INDEXES.save(deps.storage, &indexes)?;
    save_pool(deps.storage, env.block.height, &mut pool)?;
    COUNTERS.save(deps.storage, &counters)?;
    msgs.extend(config.asset.transfer_msgs(&member, paid)?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "complete_exit")
        .add_attribute("member", member)
        .add_attribute("balance", balance)
        .add_attribute("fees", fees)
        .add_attribute("recovered", recovered))
}
