//! Declaring a default: the loss waterfall of SPEC §3, in one transaction.
//!
//! `plan` works out every layer from current state without writing (it is
//! also the preview query); `declare_default` applies the plan.

use clearing_types::fund::{CoolingOff, DefaultReceipt, FundParams, Layers, MemberStatus};
use clearing_types::vault::{FundHookMsg, VaultContract};
use cosmwasm_std::{
    Addr, Decimal256, Deps, DepsMut, Env, MessageInfo, Response, Storage, Timestamp, Uint128,
    Uint256,
};

use crate::error::ContractError;
use crate::member::{
    balance_and_fees, load_live_member, margin_account, settle_assessments, settle_deposit,
};
use crate::pool::{to_sub, to_tokens, Pool};
use crate::state::{
    AssessmentRecord, Config, MemberState, Totals, ASSESSMENTS, ASSESSMENTS_BY_DUE, CONFIG,
    DEFAULTS, DEFAULT_OF, MEMBERS, PARAMS, POOL, TOTALS,
};

/// Everything a default will do, worked out before anything is written.
pub struct Plan {
    pub layers: Layers,
    /// The defaulter's whole tokens (in sub-units: what leaves the pool) and
    /// unclaimed fees, which layer 2 draws on.
    pub defaulter_balance: Uint256,
    pub defaulter_fees: Uint128,
    /// What is left of them after layer 2, held for the defaulter.
    pub released: Uint128,
    /// `B` without the defaulter.
    pub assessment_base: Uint128,
    pub assessment_rate: Decimal256,
    /// The cooling-off period after this default.
    pub cooling_off: CoolingOff,
}

fn take(remaining: &mut Uint128, available: Uint128) -> Uint128 {
    let taken = (*remaining).min(available);
    *remaining -= taken;
    taken
}

/// `A / B` rounded up, so that the cap is never exceeded.
fn rate_of(a: Uint128, b: Uint128) -> Result<Decimal256, ContractError> {
    if b.is_zero() {
        return Ok(Decimal256::zero());
    }
    let one = Uint256::from(10u128.pow(18));
    let num = Uint256::from(a).checked_mul(one)?;
    let b = Uint256::from(b);
    Ok(Decimal256::new(num.checked_add(b - Uint256::one())? / b))
}

#[allow(clippy::too_many_arguments)]
pub fn plan(
    deps: Deps,
    now: Timestamp,
    config: &Config,
    params: &FundParams,
    pool: &Pool,
    totals: &Totals,
    member: &Addr,
    m: &MemberState,
    loss: Uint128,
) -> Result<Plan, ContractError> {
    if loss.is_zero() {
        return Err(ContractError::ZeroAmount {});
    }
    let mut remaining = loss;
    let mut layers = Layers::default();

    // 1. The defaulter's margin in the vault.
    let margin = margin_account(&deps.querier, &config.vault, member)?.balance;
    layers.defaulter_margin = take(&mut remaining, margin);

    // 2. The defaulter's own default-fund balance (with its unclaimed fees).
    // Its whole tokens leave the pool; a fraction of a token stays there
    // and takes its part of layer 4 like any other dust.
    let (balance, fees) = balance_and_fees(deps.storage, pool, m)?;
    let whole = to_tokens(balance)?;
    let own = whole.checked_add(fees)?;
    let balance = to_sub(whole)?;
    layers.defaulter_contribution = take(&mut remaining, own);

    // 3. The operator's skin in the game.
    layers.sitg = take(&mut remaining, totals.sitg);

    // 4. The survivors' balances, pro rata.
    let survivors = to_tokens(pool.total_deposits.checked_sub(balance)?)?;
    layers.mutual_fund = take(&mut remaining, survivors);

    // 5. Capped assessments, pro rata to required contribution.
    let cooling_off = match &totals.cooling_off {
        Some(open) if now < open.ends => open.clone(),
        _ => CoolingOff {
            started: now,
            ends: now.plus_seconds(params.cooling_off_period),
            rate_used: Decimal256::zero(),
        },
    };
    let base = pool.total_required.checked_sub(m.required_contribution)?;
    let multiple = Decimal256::from(params.assessment_multiple);
    let cap = if multiple > cooling_off.rate_used {
        Uint256::from(base).mul_floor(multiple - cooling_off.rate_used)
    } else {
        Uint256::zero()
    };
    let cap = Uint128::try_from(cap.min(Uint256::from(remaining)))
        .map_err(|e| cosmwasm_std::StdError::generic_err(e.to_string()))?;
    layers.assessments = take(&mut remaining, cap);
    let assessment_rate = rate_of(layers.assessments, base)?;

    // 6. What nobody covers is recorded.
    layers.uncovered = remaining;

    Ok(Plan {
        released: own - layers.defaulter_contribution,
        defaulter_balance: balance,
        defaulter_fees: fees,
        assessment_base: base,
        assessment_rate,
        cooling_off: CoolingOff {
            rate_used: cooling_off.rate_used.checked_add(assessment_rate)?,
            ..cooling_off
        },
        layers,
    })
}

/// When an assessment made now falls due. Deadlines never run backwards
/// (even if `assessment_deadline` was shortened), so sequence order is due
/// order and "what is overdue" is a single lookup.
fn next_assessment_due(
    storage: &dyn Storage,
    params: &FundParams,
    pool: &Pool,
    now: Timestamp,
) -> Result<Timestamp, ContractError> {
    let due = now.plus_seconds(params.assessment_deadline);
    Ok(match pool.assess_seq {
        0 => due,
        seq => due.max(ASSESSMENTS.load(storage, seq)?.due),
    })
}

/// Checks the caller and the member, and loads what `plan` needs.
pub fn load_for_default(
    storage: &dyn Storage,
    member: &Addr,
) -> Result<(Config, FundParams, Pool, Totals, MemberState), ContractError> {
    let m = load_live_member(storage, member)?;
    Ok((
        CONFIG.load(storage)?,
        PARAMS.load(storage)?,
        POOL.load(storage)?,
        TOTALS.load(storage)?,
        m,
    ))
}

pub fn declare_default(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    member: String,
    loss: Uint128,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let member = deps.api.addr_validate(&member)?;
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.risk_engine && info.sender != config.governance {
        return Err(ContractError::unauthorized(
            "declare a default",
            &info.sender,
        ));
    }
    let (config, params, mut pool, mut totals, mut m) = load_for_default(deps.storage, &member)?;
    let now = env.block.time;
    let plan = plan(
        deps.as_ref(),
        now,
        &config,
        &params,
        &pool,
        &totals,
        &member,
        &m,
        loss,
    )?;
    let layers = &plan.layers;

    // The defaulter leaves the pool, the assessment base and the vote.
    settle_deposit(deps.storage, &pool, &mut m)?;
    settle_assessments(deps.storage, &pool, &mut m)?;
    let written_off = m.owed;
    m.owed = Uint128::zero();
    m.owed_due = None;
    m.deposit = Uint256::zero();
    m.fees = Uint128::zero();
    m.withdrawal = None;
    m.status = MemberStatus::Defaulted;
    m.released = plan.released;
    // Out of the assessment base for good: nothing more accrues to it.
    m.required_contribution = Uint128::zero();
    pool.total_deposits = pool.total_deposits.checked_sub(plan.defaulter_balance)?;
    pool.total_required = plan.assessment_base;
    totals.fees_unclaimed = totals.fees_unclaimed.checked_sub(plan.defaulter_fees)?;
    totals.released_pending = totals.released_pending.checked_add(plan.released)?;
    totals.active_members = totals.active_members.saturating_sub(1);

    // Layers 3 and 4.
    totals.sitg = totals.sitg.checked_sub(layers.sitg)?;
    pool.apply_loss(layers.mutual_fund)?;

    // Layer 5: obligations on the survivors, due after the deadline.
    totals.defaults += 1;
    let id = totals.defaults;
    let mut assessment_due = None;
    if !layers.assessments.is_zero() {
        let due = next_assessment_due(deps.storage, &params, &pool, now)?;
        pool.add_assessment(layers.assessments)?;
        ASSESSMENTS.save(
            deps.storage,
            pool.assess_seq,
            &AssessmentRecord {
                default_id: id,
                index_after: pool.assess_index,
                due,
            },
        )?;
        ASSESSMENTS_BY_DUE.save(deps.storage, (due.seconds(), pool.assess_seq), &())?;
        assessment_due = Some(due);
    }
    totals.cooling_off = Some(plan.cooling_off.clone());
    totals.uncovered_total = totals.uncovered_total.checked_add(layers.uncovered)?;
    totals.open_defaults += 1;
    totals.last_default_at = Some(now);

    let receipt = DefaultReceipt {
        id,
        member: member.clone(),
        loss,
        layers: layers.clone(),
        declared_at: now,
        assessment_base: plan.assessment_base,
        assessment_rate: plan.assessment_rate,
        assessment_due,
        closed: false,
    };
    if receipt.layers.total()? != loss {
        return Err(cosmwasm_std::StdError::generic_err("waterfall layers do not add up").into());
    }
    DEFAULTS.save(deps.storage, id, &receipt)?;
    DEFAULT_OF.save(deps.storage, &member, &id)?;
    MEMBERS.save(deps.storage, &member, &m)?;
    POOL.save(deps.storage, &pool)?;
    TOTALS.save(deps.storage, &totals)?;

    // Layer 1 from the vault (also freezes the defaulter there), layers 2–4 from here.
    let paid_here = layers
        .defaulter_contribution
        .checked_add(layers.sitg)?
        .checked_add(layers.mutual_fund)?;
    let mut res = Response::new()
        .add_message(
            VaultContract(config.vault.clone()).hook(FundHookMsg::Seize {
                member: member.to_string(),
                amount: layers.defaulter_margin,
                recipient: config.loss_recipient.to_string(),
            })?,
        )
        .add_messages(
            config
                .asset
                .transfer_msgs(&config.loss_recipient, paid_here)?,
        )
        .add_attribute("action", "declare_default")
        .add_attribute("default_id", id.to_string())
        .add_attribute("member", &member)
        .add_attribute("loss", loss);
    for (name, amount) in layers.named() {
        res = res.add_attribute(name, amount);
    }
    Ok(res
        .add_attribute("assessment_base", plan.assessment_base)
        .add_attribute("assessment_rate", plan.assessment_rate.to_string())
        .add_attribute("rate_used", plan.cooling_off.rate_used.to_string())
        .add_attribute(
            "cooling_off_ends",
            plan.cooling_off.ends.seconds().to_string(),
        )
        .add_attribute("written_off_assessment", written_off)
        .add_attribute("released_contribution", plan.released))
}

/// The receipt a default would produce now, without executing it.
pub fn preview(
    deps: Deps,
    env: Env,
    member: String,
    loss: Uint128,
) -> Result<DefaultReceipt, ContractError> {
    let member = deps.api.addr_validate(&member)?;
    let (config, params, pool, totals, m) = load_for_default(deps.storage, &member)?;
    let plan = plan(
        deps,
        env.block.time,
        &config,
        &params,
        &pool,
        &totals,
        &member,
        &m,
        loss,
    )?;
    Ok(DefaultReceipt {
        id: 0,
        member,
        loss,
        declared_at: env.block.time,
        assessment_base: plan.assessment_base,
        assessment_rate: plan.assessment_rate,
        assessment_due: if plan.layers.assessments.is_zero() {
            None
        } else {
            Some(next_assessment_due(
                deps.storage,
                &params,
                &pool,
                env.block.time,
            )?)
        },
        layers: plan.layers,
        closed: false,
    })
}
