//! Recoveries in reverse order (SPEC v2 §8): money later recovered from a
//! defaulter's estate is recorded against its (closed) default and credited
//! back layer by layer, last layer first: the assessment layer pro rata to
//! each member's share of that default's assessment (cancelling what it
//! still owes for that default first, the rest claimable), the members who
//! bore the mutual-fund layer pro rata to what each lost in it, the SITG
//! tranche, the defaulter's own layers (held for it), and anything beyond
//! its loss to the defaulter. SPEC §8 is silent on layer 6: what nobody
//! covered was borne by the loss recipient, so it is repaid to the loss
//! recipient after the SITG tranche and before the defaulter gets back
//! anything of its own layers — the defaulter's estate is never repaid
//! while part of its loss is unpaid.
//!
//! The member credits are lazy and never touch the fund's history of
//! events (so no number of recoveries slows any member's settlement): the
//! default's cumulative recovered amounts per layer (`RECOVERED`) and the
//! member's `Participation` in that default give its credit
//! (`clearing_types::ledger::credit_recoveries`). A member's settlement
//! applies the credits of the defaults it still owes a share of (cancelling
//! that share first); `ClaimRecoveries` collects the rest, one read per
//! default the member bore, also after it has left. A member that later
//! defaulted owing its share of an earlier default had that share joined
//! to its own loss (SPEC v2 §3): its whole credit on that default (what it
//! owed and what it had paid) is passed on to its own default's layers
//! when the recovery is recorded (`JOINED`). Likewise a defaulter keeps no
//! credit: those it held went to its layer 2, and later ones are passed on
//! to its own default (`pass_on`, on its claim or anyone's
//! `SettleMembers`).

use clearing_types::fund::{DefaultReceipt, MemberStatus, Recovered};
use clearing_types::fund_storage::FundTotals;
use clearing_types::ledger::credit_recoveries;
use cosmwasm_std::{
    Addr, CosmosMsg, DepsMut, Env, Event, MessageInfo, Order, Response, Storage, Timestamp, Uint128,
};

use crate::error::ContractError;
use crate::member::{apply_settlement, ensure_not_suspended, load_record, settled};
use crate::state::{
    Config, Counters, COUNTERS, DEFAULTS, DEFAULT_OF, INDEXES, JOINED, MEMBERS, PARTICIPATIONS,
    POOL, RECOVERED, TOTALS,
};

fn take(remaining: &mut Uint128, room: Uint128) -> Uint128 {
    let taken = (*remaining).min(room);
    *remaining -= taken;
    taken
}

/// The risk engine, governance or the loss recipient records `amount`
/// (already received and checked) against `default_id`, once governance
/// has closed it.
pub fn record(
    deps: DepsMut,
    env: Env,
    config: &Config,
    sender: Addr,
    default_id: u64,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if sender != config.risk_engine
        && sender != config.governance
        && sender != config.loss_recipient
    {
        return Err(ContractError::unauthorized("record a recovery", sender));
    }
    let receipt = DEFAULTS
        .may_load(deps.storage, default_id)?
        .ok_or(ContractError::UnknownDefault { id: default_id })?;
    if !receipt.closed {
        return Err(ContractError::DefaultStillOpen { id: default_id });
    }
    let mut indexes = INDEXES.load(deps.storage)?;
    if !indexes.any_recovery {
        indexes.any_recovery = true;
        INDEXES.save(deps.storage, &indexes)?;
    }
    let mut totals = TOTALS.load(deps.storage)?;
    let totals_before = totals.clone();
    let mut counters = COUNTERS.load(deps.storage)?;
    counters.holdings = counters.holdings.checked_add(amount)?;
    let mut out = Allocation {
        now: env.block.time,
        config,
        msgs: vec![],
        events: vec![],
    };
    allocate(
        deps.storage,
        &mut totals,
        &mut counters,
        receipt,
        amount,
        &mut out,
    )?;
    if totals != totals_before {
        TOTALS.save(deps.storage, &totals)?;
    }
    COUNTERS.save(deps.storage, &counters)?;
    Ok(Response::new()
        .add_messages(out.msgs)
        .add_attribute("action", "record_recovery")
        .add_events(out.events))
}

/// What recording a recovery produces, and its context.
struct Allocation<'a> {
    now: Timestamp,
    config: &'a Config,
    msgs: Vec<CosmosMsg>,
    events: Vec<Event>,
}

/// Credits `amount` to `default_id`'s layers in reverse order, and passes
/// on the credits of its assessment layer that belong to members who later
/// defaulted owing part of their share: that part joined their own loss and
/// was borne by their own default's layers, and a defaulter keeps no credit,
/// so their whole credit is a recovery of their own default (the depth is
/// bounded by the number of defaults).
fn allocate(
    storage: &mut dyn Storage,
    totals: &mut FundTotals,
    counters: &mut Counters,
    receipt: DefaultReceipt,
    amount: Uint128,
    out: &mut Allocation,
) -> Result<(), ContractError> {
    let (now, config) = (out.now, out.config);
    let default_id = receipt.id;
    let layers = receipt.layers;
    let before = RECOVERED.may_load(storage, default_id)?.unwrap_or_default();
    let mut remaining = amount;
    let credit = Recovered {
        assessments: take(
            &mut remaining,
            layers.assessments.checked_sub(before.assessments)?,
        ),
        mutual_fund: take(
            &mut remaining,
            layers.mutual_fund.checked_sub(before.mutual_fund)?,
        ),
        sitg: take(&mut remaining, layers.sitg.checked_sub(before.sitg)?),
        uncovered: take(
            &mut remaining,
            layers.uncovered.checked_sub(before.uncovered)?,
        ),
        defaulter: take(
            &mut remaining,
            layers
                .defaulter_margin
                .checked_add(layers.defaulter_contribution)?
                .checked_sub(before.defaulter)?,
        ),
        excess: remaining,
        last_at: Some(now),
    };
    let after = Recovered {
        assessments: before.assessments.checked_add(credit.assessments)?,
        mutual_fund: before.mutual_fund.checked_add(credit.mutual_fund)?,
        sitg: before.sitg.checked_add(credit.sitg)?,
        uncovered: before.uncovered.checked_add(credit.uncovered)?,
        defaulter: before.defaulter.checked_add(credit.defaulter)?,
        excess: before.excess.checked_add(credit.excess)?,
        last_at: Some(now),
    };
    RECOVERED.save(storage, default_id, &after)?;

    // Layers 5 and 4 wait in the fund for each member's settlement or
    // claim; SITG goes back to the tranche; the uncovered part to the loss
    // recipient who bore it; layers 1, 2 and beyond to the defaulter, held.
    counters.recoveries_held = counters
        .recoveries_held
        .checked_add(credit.assessments)?
        .checked_add(credit.mutual_fund)?;
    totals.sitg = totals.sitg.checked_add(credit.sitg)?;
    if !credit.uncovered.is_zero() {
        counters.holdings = counters.holdings.checked_sub(credit.uncovered)?;
        out.msgs.extend(
            config
                .asset
                .transfer_msgs(&config.loss_recipient, credit.uncovered)?,
        );
    }
    let to_defaulter = credit.defaulter.checked_add(credit.excess)?;
    if !to_defaulter.is_zero() {
        let mut defaulter = load_record(storage, &receipt.member)?;
        defaulter.held = defaulter.held.checked_add(to_defaulter)?;
        MEMBERS.save(storage, &receipt.member, &defaulter)?;
        totals.held = totals.held.checked_add(to_defaulter)?;
    }
    out.events.push(
        Event::new("recovery")
            .add_attribute("default_id", default_id.to_string())
            .add_attribute("member", receipt.member.as_str())
            .add_attribute("amount", amount)
            .add_attribute("assessments", credit.assessments)
            .add_attribute("mutual_fund", credit.mutual_fund)
            .add_attribute("sitg", credit.sitg)
            .add_attribute("uncovered", credit.uncovered)
            .add_attribute("defaulter", credit.defaulter)
            .add_attribute("excess", credit.excess)
            .add_attribute("recovered_total", after.total()?),
    );

    if credit.assessments.is_zero() {
        return Ok(());
    }
    let joined: Vec<(Addr, u64)> = JOINED
        .prefix(default_id)
        .range(storage, None, None, Order::Ascending)
        .collect::<Result<_, _>>()?;
    for (defaulter, own_default) in joined {
        let Some(mut part) = PARTICIPATIONS.may_load(storage, (&defaulter, default_id))? else {
            continue;
        };
        let Some(weight) = part.assessment.clone() else {
            continue;
        };
        let total = weight.floor_of(after.assessments)?;
        let new = total.saturating_sub(part.credited_assessments);
        part.credited_assessments = total;
        PARTICIPATIONS.save(storage, (&defaulter, default_id), &part)?;
        // A defaulter keeps no credit: the part it owed joined its loss and
        // the part it had paid is its estate's, so the whole of it is a
        // recovery of its own default (as `pass_on` does for the others).
        counters.recoveries_held = counters.recoveries_held.checked_sub(new)?;
        if !new.is_zero() {
            let own = DEFAULTS.load(storage, own_default)?;
            allocate(storage, totals, counters, own, new, out)?;
        }
    }
    Ok(())
}

/// Brings a member's recovery credits up to date: every default it bore
/// that recoveries have reached (the claim costs one read per such
/// default). Returns what cancelled its unpaid shares (due to the loss
/// recipient) and what became claimable.
pub fn collect(
    storage: &mut dyn Storage,
    member: &Addr,
    record: &mut clearing_types::ledger::MemberRecord,
) -> Result<(Uint128, Uint128, u64), ContractError> {
    let parts: Vec<(u64, clearing_types::ledger::Participation)> = PARTICIPATIONS
        .prefix(member)
        .range(storage, None, None, Order::Ascending)
        .collect::<Result<_, _>>()?;
    let (mut cancelled, mut claimable, mut cleared) = (Uint128::zero(), Uint128::zero(), 0u64);
    for (default_id, mut part) in parts {
        let Some(recovered) = RECOVERED.may_load(storage, default_id)? else {
            continue;
        };
        let before = record.obligations.len();
        let (c, a) = credit_recoveries(record, default_id, &mut part, &recovered)?;
        cleared += (before - record.obligations.len()) as u64;
        if !c.is_zero() || !a.is_zero() {
            PARTICIPATIONS.save(storage, (member, default_id), &part)?;
        }
        cancelled = cancelled.checked_add(c)?;
        claimable = claimable.checked_add(a)?;
    }
    Ok((cancelled, claimable, cleared))
}

/// A member that defaulted keeps no recovery credit: those it held at its
/// default went to layer 2, and those that recoveries of defaults it had
/// borne credit it later are its estate's too, so they go to its own
/// default as a recovery — in reverse order, to those who bore its loss
/// first, and only what is beyond that back to it (held, like its stake).
/// Saves the record (what comes back to it is added to the stored one, so
/// the record is taken by value). Returns what was passed on.
fn pass_on(
    storage: &mut dyn Storage,
    member: &Addr,
    own_default: u64,
    mut record: clearing_types::ledger::MemberRecord,
    counters: &mut Counters,
    out: &mut Allocation,
) -> Result<Uint128, ContractError> {
    // Its unpaid shares joined its loss: nothing is left to cancel.
    let (_, claimable, _) = collect(storage, member, &mut record)?;
    let amount = record.recovered.checked_add(claimable)?;
    if amount.is_zero() {
        return Ok(amount);
    }
    record.recovered = Uint128::zero();
    counters.recoveries_held = counters.recoveries_held.checked_sub(amount)?;
    MEMBERS.save(storage, member, &record)?;
    let mut totals = TOTALS.load(storage)?;
    let receipt = DEFAULTS.load(storage, own_default)?;
    allocate(storage, &mut totals, counters, receipt, amount, out)?;
    TOTALS.save(storage, &totals)?;
    Ok(amount)
}

/// What a member could claim now (a query): what its settled record holds
/// and what recoveries of the defaults it bore would credit, measured
/// against its participations as the settlement left them (those it has
/// just computed and not saved included).
pub fn claimable_now(
    storage: &dyn Storage,
    member: &Addr,
    settled: &clearing_types::ledger::Settled,
) -> Result<Uint128, ContractError> {
    let mut record = settled.record.clone();
    let mut total = record.recovered;
    let fresh: std::collections::BTreeMap<u64, clearing_types::ledger::Participation> =
        settled.participations.iter().cloned().collect();
    let stored = PARTICIPATIONS
        .prefix(member)
        .range(storage, None, None, Order::Ascending)
        .collect::<Result<Vec<_>, _>>()?;
    let mut all = fresh;
    for (id, part) in stored {
        all.entry(id).or_insert(part);
    }
    for (default_id, mut part) in all {
        if let Some(recovered) = RECOVERED.may_load(storage, default_id)? {
            let (_, a) = credit_recoveries(&mut record, default_id, &mut part, &recovered)?;
            total = total.checked_add(a)?;
        }
    }
    Ok(total)
}

/// A member, a former member or a closed defaulter takes out its recovery
/// credits; what they cancel of its unpaid shares goes to the loss
/// recipient first. Refused while it is suspended or has anything overdue
/// (SPEC v2: no claims then), and for a defaulter until its default closes.
pub fn claim(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if config.paused {
        return Err(ContractError::Paused {});
    }
    let member = info.sender;
    let indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let settled = settled(deps.storage, &member, &pool, &indexes)?;
    if settled.record.status == MemberStatus::Defaulted {
        return Err(ContractError::MemberInDefault {
            address: member.to_string(),
        });
    }
    ensure_not_suspended(&member, &settled.record)?;
    if settled.record.is_live() {
        crate::member::ensure_may_claim(&settled.record, &indexes.regime, env.block.time)?;
    }
    let mut counters = COUNTERS.load(deps.storage)?;
    let (mut msgs, _) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    if let Some(own_default) = DEFAULT_OF.may_load(deps.storage, &member)? {
        // A former defaulter's credits go to its own default.
        let mut out = Allocation {
            now: env.block.time,
            config,
            msgs,
            events: vec![],
        };
        let passed = pass_on(
            deps.storage,
            &member,
            own_default,
            record,
            &mut counters,
            &mut out,
        )?;
        if passed.is_zero() {
            return Err(ContractError::NothingToClaim {});
        }
        COUNTERS.save(deps.storage, &counters)?;
        return Ok(Response::new()
            .add_messages(out.msgs)
            .add_attribute("action", "claim_recoveries")
            .add_attribute("member", member)
            .add_attribute("amount", Uint128::zero())
            .add_attribute("passed_on", passed)
            .add_events(out.events));
    }
    let (cancelled, claimable, cleared) = collect(deps.storage, &member, &mut record)?;
    record.recovered = record.recovered.checked_add(claimable)?;
    crate::member::clear_obligations(deps.storage, cleared)?;
    let amount = record.recovered;
    if amount.is_zero() && cancelled.is_zero() {
        return Err(ContractError::NothingToClaim {});
    }
    record.recovered = Uint128::zero();
    let paid = amount.checked_add(cancelled)?;
    counters.recoveries_held = counters.recoveries_held.checked_sub(paid)?;
    counters.holdings = counters.holdings.checked_sub(paid)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    COUNTERS.save(deps.storage, &counters)?;
    msgs.extend(
        config
            .asset
            .transfer_msgs(&config.loss_recipient, cancelled)?,
    );
    msgs.extend(config.asset.transfer_msgs(&member, amount)?);
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "claim_recoveries")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("cancelled", cancelled))
}

/// Most members one `SettleMembers` may settle.
pub const MAX_SETTLE: usize = 30;

/// Anyone: settles each listed member (any status) and saves it, so that
/// recovery credits reach the loss recipient and the count of unpaid
/// shares follows, and passes a former defaulter's credits on to its own
/// default. Changes no figure of a member that never defaulted.
pub fn settle_members(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    members: Vec<String>,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if members.is_empty() || members.len() > MAX_SETTLE {
        return Err(ContractError::InvalidParam {
            name: "members".to_string(),
            reason: format!("between 1 and {MAX_SETTLE} members"),
        });
    }
    let indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let mut out = Allocation {
        now: env.block.time,
        config,
        msgs: vec![],
        events: vec![],
    };
    let mut dirty = false;
    for member in &members {
        let member = deps.api.addr_validate(member)?;
        let settled = settled(deps.storage, &member, &pool, &indexes)?;
        let (m, d) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
        out.msgs.extend(m);
        dirty |= d;
        let record = settled.record;
        MEMBERS.save(deps.storage, &member, &record)?;
        // A former defaulter's credits go on to its own default.
        if !indexes.any_recovery {
            continue;
        }
        if let Some(own_default) = DEFAULT_OF.may_load(deps.storage, &member)? {
            dirty |= !pass_on(
                deps.storage,
                &member,
                own_default,
                record,
                &mut counters,
                &mut out,
            )?
            .is_zero();
        }
    }
    if dirty {
        COUNTERS.save(deps.storage, &counters)?;
    }
    Ok(Response::new()
        .add_messages(out.msgs)
        .add_events(out.events)
        .add_attribute("action", "settle_members")
        .add_attribute("count", members.len().to_string())
        .add_attribute(
            "open_obligations",
            crate::member::open_obligations(deps.storage)?.to_string(),
        ))
}
