//! Declaring a default: the loss waterfall of SPEC v2 §3, in one
//! transaction.
//!
//! The loss `L` is the close-out loss plus the defaulter's unpaid
//! assessment shares from earlier defaults (due or not). Layers, in order:
//! 1 the defaulter's margin, 2 its own balance and unclaimed fees, 3 the
//! SITG tranche, 4 the survivors' balances pro rata (one exact factor on
//! every balance), 5 capped assessments pro rata to required contribution,
//! 6 what is left, recorded.
//!
//! `plan` works everything out from current state without writing; it is
//! also the preview query. `declare_default` applies the plan.

use clearing_types::fund::{
    CoolingOff, DefaultReceipt, FundParams, Layers, MemberStatus, Recovered,
};
use clearing_types::fund_storage::{FundTotals, Indexes, PoolTotals};
use clearing_types::ledger::{AssessmentTerms, BasisSums, EventKind, LossFactor, Settled};
use clearing_types::ratio::{Ratio, Rounding};
use clearing_types::vault::{FundHookMsg, VaultContract};
use cosmwasm_std::{
    Addr, Decimal256, Deps, DepsMut, Env, Event, MessageInfo, Response, StdError, Timestamp,
    Uint128, Uint256,
};

use crate::error::ContractError;
use crate::history;
use crate::member::{apply_settlement, margin_account, save_pool, settled_live, write_voter};
use crate::state::{
    exposures, Config, Counters, CONFIG, COOLING_OFF, COOLING_OFF_PERIODS, COUNTERS, DEFAULTS,
    DEFAULT_OF, INDEXES, JOINED, MEMBERS, PARAMS, POOL, TOTALS,
};

/// Everything a default will do, worked out before anything is written.
pub struct Plan {
    /// The defaulter, settled up to now.
    pub defaulter: Settled,
    pub close_out_loss: Uint128,
    pub unpaid_assessments: Uint128,
    pub loss: Uint128,
    pub layers: Layers,
    /// The defaulter's whole balance (it leaves the pool), whole fees and
    /// recovery credits (what the fund holds for it: layer 2 takes all).
    pub own_balance: Uint128,
    pub own_fees: Uint128,
    pub own_credits: Uint128,
    /// What is left of them after layer 2, held for the defaulter.
    pub held: Uint128,
    /// What is left below one unit of the defaulter's balance: it joins
    /// the pool's dust.
    pub own_fraction: Ratio,
    /// The survivors' balances together before layer 4, exact.
    pub survivors: Ratio,
    /// `B` without the defaulter, and its parts.
    pub sums: BasisSums,
    pub base: Ratio,
    /// `A / B` of this default.
    pub rate: Ratio,
    /// The cooling-off period after this default, if one is open.
    pub cooling_off: Option<CoolingOff>,
    pub opens_cooling_off: bool,
    pub assessment_due: Option<Timestamp>,
}

fn take(remaining: &mut Uint128, available: Uint128) -> Uint128 {
    let taken = (*remaining).min(available);
    *remaining -= taken;
    taken
}

/// The state a default is planned against.
pub struct FundState {
    pub config: Config,
    pub params: FundParams,
    pub indexes: Indexes,
    pub pool: PoolTotals,
    pub totals: FundTotals,
    pub counters: Counters,
    pub cooling_off: Option<CoolingOff>,
}

impl FundState {
    pub fn load(
        storage: &dyn cosmwasm_std::Storage,
        config: Config,
    ) -> Result<Self, ContractError> {
        Ok(FundState {
            config,
            params: PARAMS.load(storage)?,
            indexes: INDEXES.load(storage)?,
            pool: POOL.load(storage)?,
            totals: TOTALS.load(storage)?,
            counters: COUNTERS.load(storage)?,
            cooling_off: COOLING_OFF.may_load(storage)?,
        })
    }
}

pub fn plan(
    deps: Deps,
    now: Timestamp,
    s: &FundState,
    member: &Addr,
    close_out_loss: Uint128,
) -> Result<Plan, ContractError> {
    if close_out_loss.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let defaulter = settled_live(deps.storage, member, &s.pool, &s.indexes)?;
    let record = &defaulter.record;
    let unpaid_assessments = record.owed()?;
    let loss = close_out_loss.checked_add(unpaid_assessments)?;
    let mut remaining = loss;
    let mut layers = Layers::default();

    // 1. The defaulter's margin in the vault.
    let margin = margin_account(&deps.querier, &s.config.vault, member)?.balance;
    layers.defaulter_margin = take(&mut remaining, margin);

    // 2. Its own balance (whole units: the fraction stays in the pool as
    // dust), unclaimed fees and unclaimed recovery credits: every token the
    // fund holds for it.
    let own_balance = record.balance()?;
    let own_fees = record.fees_claimable()?;
    let own_credits = if s.indexes.any_recovery {
        crate::recovery::claimable_now(deps.storage, member, &defaulter)?
    } else {
        record.recovered
    };
    let own = own_balance
        .checked_add(own_fees)?
        .checked_add(own_credits)?;
    layers.defaulter_contribution = take(&mut remaining, own);
    let held = own.checked_sub(layers.defaulter_contribution)?;

    // 3. The operator's skin in the game.
    layers.sitg = take(&mut remaining, s.totals.sitg);

    // 4. The survivors' balances, pro rata: everything in the pool but the
    // dust and the defaulter's own balance.
    let own_fraction = record.stake.sub_int(own_balance)?;
    let survivors = s
        .pool
        .balances()?
        .saturating_sub(&record.stake, Rounding::Down)?;
    layers.mutual_fund = take(&mut remaining, survivors.floor()?);

    // 5. Capped assessments, pro rata to required contribution. Only a
    // loss that reaches the survivors opens (or uses) a cooling-off period.
    let open = s.cooling_off.clone().filter(|c| now < c.ends);
    let reaches_survivors = !layers.mutual_fund.is_zero() || !remaining.is_zero();
    let (period, opens_cooling_off) = match (open, reaches_survivors) {
        (Some(c), _) => (Some(c), false),
        (None, true) => (
            Some(CoolingOff {
                started: now,
                ends: now.plus_seconds(s.params.cooling_off_period),
                rate_used: Ratio::zero(),
            }),
            true,
        ),
        (None, false) => (None, false),
    };
    let mut sums = s.indexes.sums.clone();
    sums.apply(record.required_margin, record.exposure, false)?;
    let base = s.indexes.regime.base(&sums)?;
    let rate_used = period
        .as_ref()
        .map(|c| c.rate_used.clone())
        .unwrap_or_default();
    let multiple = Ratio::from_decimal(s.params.assessment_multiple)?;
    // The cap can exceed any single amount (B sums many requirements):
    // compare at 256 bits before taking it.
    let cap = if multiple > rate_used && !remaining.is_zero() {
        multiple
            .sub(&rate_used, Rounding::Down)?
            .mul(&base, Rounding::Down)?
            .round256(Rounding::Down)?
    } else {
        cosmwasm_std::Uint256::zero()
    };
    let cap = Uint128::try_from(cap.min(cosmwasm_std::Uint256::from(remaining)))
        .map_err(|e| StdError::generic_err(e.to_string()))?;
    layers.assessments = take(&mut remaining, cap);
    let rate = if layers.assessments.is_zero() {
        Ratio::zero()
    } else {
        Ratio::from_int(layers.assessments).div(&base, Rounding::Down)?
    };

    // 6. What nobody covers is recorded.
    layers.uncovered = remaining;
    if layers.total()? != loss {
        return Err(StdError::generic_err("waterfall layers do not add up").into());
    }

    let cooling_off = match period {
        Some(c) => Some(CoolingOff {
            rate_used: c.rate_used.add(&rate, Rounding::Down)?,
            ..c
        }),
        None => None,
    };
    let assessment_due =
        (!layers.assessments.is_zero()).then(|| now.plus_seconds(s.params.assessment_deadline));
    Ok(Plan {
        defaulter,
        close_out_loss,
        unpaid_assessments,
        loss,
        layers,
        own_balance,
        own_fees,
        own_credits,
        held,
        own_fraction,
        survivors,
        sums,
        base,
        rate,
        cooling_off,
        opens_cooling_off,
        assessment_due,
    })
}

fn receipt(
    id: u64,
    member: &Addr,
    now: Timestamp,
    declared_by: &str,
    plan: &Plan,
) -> Result<DefaultReceipt, ContractError> {
    Ok(DefaultReceipt {
        id,
        member: member.clone(),
        loss: plan.loss,
        close_out_loss: plan.close_out_loss,
        unpaid_assessments: plan.unpaid_assessments,
        layers: plan.layers.clone(),
        declared_at: now,
        declared_by: declared_by.to_string(),
        assessment_base: plan.base.to_decimal256(Rounding::Up)?,
        assessment_rate: plan.rate.to_decimal256(Rounding::Up)?,
        assessment_due: plan.assessment_due,
        opened_cooling_off: plan.opens_cooling_off,
        closed: false,
        recovered: Recovered::default(),
    })
}

pub fn declare_default(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    member: String,
    close_out_loss: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let member = deps.api.addr_validate(&member)?;
    let mut s = FundState::load(deps.storage, config.clone())?;
    let declared_by = if info.sender == s.config.governance {
        "governance"
    } else if info.sender == s.config.risk_engine {
        "risk_engine"
    } else {
        return Err(ContractError::unauthorized(
            "declare a default",
            &info.sender,
        ));
    };
    let now = env.block.time;
    let height = env.block.height;
    let plan = plan(deps.as_ref(), now, &s, &member, close_out_loss)?;
    let layers = plan.layers.clone();
    if declared_by == "risk_engine" {
        if let Some(limit) = s.params.risk_engine_mutualised_limit {
            let mutualised = layers.mutualised()?;
            if mutualised > limit {
                return Err(ContractError::RiskEngineLimit { mutualised, limit });
            }
        }
    }

    // The defaulter leaves the pool, the assessment base and the vote;
    // its unpaid shares joined its loss.
    let (mut msgs, _) = apply_settlement(
        deps.storage,
        &s.config,
        &member,
        &plan.defaulter,
        &mut s.counters,
    )?;
    let mut record = plan.defaulter.record.clone();
    // Its recovery credits join layer 2 (what layer 2 did not need is held
    // with its stake): they leave the credits the fund holds for members.
    if !plan.own_credits.is_zero() {
        let (cancelled, claimable, _) =
            crate::recovery::collect(deps.storage, &member, &mut record)?;
        if !cancelled.is_zero() || record.recovered.checked_add(claimable)? != plan.own_credits {
            return Err(StdError::generic_err("defaulter's recovery credits changed").into());
        }
        record.recovered = Uint128::zero();
        s.counters.recoveries_held = s.counters.recoveries_held.checked_sub(plan.own_credits)?;
    }
    let was_voter = record.may_vote();
    if was_voter {
        s.pool.voters = s.pool.voters.saturating_sub(1);
    } else {
        s.pool.ineligible = s
            .pool
            .ineligible
            .saturating_sub(&record.stake, Rounding::Down)?;
    }
    let joined = record.obligations.len() as u64;
    // Its unpaid shares join this default's loss: recoveries of their
    // defaults will be passed on to this one (recovery.rs).
    for o in &record.obligations {
        JOINED.save(
            deps.storage,
            (o.default_id, &member),
            &(s.totals.defaults + 1),
        )?;
    }
    record.obligations.clear();
    record.status = MemberStatus::Defaulted;
    record.stake = Ratio::zero();
    record.fees = Ratio::zero();
    record.withdrawal = None;
    record.shortfall_due = None;
    record.shortfall_breached = false;
    // A suspension holds a member pending governance's decision (SPEC v2
    // §3); the default is that decision: what the defaulter gets back once
    // its default is closed (held stake, recovery credits) is not held up
    // by a suspension no one can lift any more.
    record.suspended = false;
    record.held = record.held.checked_add(plan.held)?;
    s.pool.total = s.pool.total.checked_sub(plan.own_balance)?;
    s.pool.dust = s.pool.dust.add(&plan.own_fraction, Rounding::Down)?;
    s.counters.fees_unclaimed = s.counters.fees_unclaimed.checked_sub(plan.own_fees)?;
    s.totals.held = s.totals.held.checked_add(plan.held)?;
    s.indexes.sums = plan.sums.clone();
    if !record.exposure.is_zero() {
        exposures().remove(deps.storage, &member)?;
    }

    // Layers 3 and 4.
    s.totals.sitg = s.totals.sitg.checked_sub(layers.sitg)?;
    let loss_factor = if layers.mutual_fund.is_zero() {
        None
    } else {
        Some(LossFactor {
            kept: plan.survivors.sub_int(layers.mutual_fund)?,
            of: plan.survivors.clone(),
        })
    };
    if let Some(f) = &loss_factor {
        s.pool.total = s.pool.total.checked_sub(layers.mutual_fund)?;
        s.pool.ineligible = f.apply(&s.pool.ineligible)?;
    }
    let paid_here = layers
        .defaulter_contribution
        .checked_add(layers.sitg)?
        .checked_add(layers.mutual_fund)?;
    s.counters.holdings = s.counters.holdings.checked_sub(paid_here)?;

    // Layer 5 and the event every survivor settles against.
    s.totals.defaults += 1;
    let id = s.totals.defaults;
    let assessment = plan.assessment_due.map(|due| AssessmentTerms {
        amount: layers.assessments,
        base: plan.base.clone(),
        due,
    });
    if assessment.is_some() {
        let assessed = s.indexes.regime.members_required(&plan.sums);
        crate::member::add_obligations(deps.storage, assessed.saturating_sub(joined))?;
        crate::member::clear_obligations(deps.storage, joined.saturating_sub(assessed))?;
    } else {
        crate::member::clear_obligations(deps.storage, joined)?;
    }
    record.seq = history::append(
        deps.storage,
        &mut s.pool,
        &s.indexes,
        now,
        EventKind::Default {
            default_id: id,
            member: member.clone(),
            loss: loss_factor,
            assessment,
        },
    )?;
    if let Some(c) = &plan.cooling_off {
        if plan.opens_cooling_off {
            COOLING_OFF_PERIODS.save(deps.storage, c.started.nanos(), &c.ends.nanos())?;
        }
        COOLING_OFF.save(deps.storage, c)?;
    }
    s.totals.uncovered_total = s
        .totals
        .uncovered_total
        .checked_add(Uint256::from(layers.uncovered))?;
    s.totals.open_defaults += 1;
    s.totals.last_default_at = Some(now);

    let receipt = receipt(id, &member, now, declared_by, &plan)?;
    DEFAULTS.save(deps.storage, id, &receipt)?;
    DEFAULT_OF.save(deps.storage, &member, &id)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    write_voter(deps.storage, height, &member, &record)?;
    INDEXES.save(deps.storage, &s.indexes)?;
    save_pool(deps.storage, height, &mut s.pool)?;
    TOTALS.save(deps.storage, &s.totals)?;
    COUNTERS.save(deps.storage, &s.counters)?;

    // Layer 1 from the vault (which also freezes the defaulter there),
    // layers 2–4 from here.
    msgs.push(
        VaultContract(s.config.vault.clone()).hook(FundHookMsg::Seize {
            member: member.to_string(),
            amount: layers.defaulter_margin,
            recipient: s.config.loss_recipient.to_string(),
        })?,
    );
    msgs.extend(
        s.config
            .asset
            .transfer_msgs(&s.config.loss_recipient, paid_here)?,
    );
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "declare_default")
        .add_event(receipt_event(&receipt, &plan)?))
}

/// The receipt as a typed event (`wasm-default`): one attribute per figure.
fn receipt_event(r: &DefaultReceipt, plan: &Plan) -> Result<Event, ContractError> {
    let mut e = Event::new("default")
        .add_attribute("default_id", r.id.to_string())
        .add_attribute("member", r.member.as_str())
        .add_attribute("declared_by", &r.declared_by)
        .add_attribute("loss", r.loss)
        .add_attribute("close_out_loss", r.close_out_loss)
        .add_attribute("unpaid_assessments", r.unpaid_assessments);
    for (name, amount) in r.layers.named() {
        e = e.add_attribute(name, amount);
    }
    e = e
        .add_attribute("assessment_base", r.assessment_base.to_string())
        .add_attribute("assessment_rate", r.assessment_rate.to_string())
        .add_attribute(
            "assessment_due",
            r.assessment_due
                .map(|d| d.seconds().to_string())
                .unwrap_or_default(),
        )
        .add_attribute("opened_cooling_off", r.opened_cooling_off.to_string())
        .add_attribute("held_for_defaulter", plan.held);
    if let Some(c) = &plan.cooling_off {
        e = e
            .add_attribute("cooling_off_ends", c.ends.seconds().to_string())
            .add_attribute(
                "rate_used",
                c.rate_used.to_decimal256(Rounding::Up)?.to_string(),
            );
    }
    Ok(e)
}

/// The receipt a default would produce now, without executing it.
pub fn preview(
    deps: Deps,
    env: Env,
    member: String,
    loss: Uint128,
) -> Result<DefaultReceipt, ContractError> {
    let member = deps.api.addr_validate(&member)?;
    let s = FundState::load(deps.storage, CONFIG.load(deps.storage)?)?;
    let plan = plan(deps, env.block.time, &s, &member, loss)?;
    receipt(0, &member, env.block.time, "preview", &plan)
}

/// `B` as a decimal for responses (rounded up).
pub fn base_decimal(indexes: &Indexes) -> Result<Decimal256, ContractError> {
    Ok(indexes.base()?.to_decimal256(Rounding::Up)?)
}
