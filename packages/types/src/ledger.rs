//! The one definition of a member's figures in the default fund: its
//! balance after pro-rata losses, its required contribution, what it owes
//! and what is overdue, its replenishment shortfall and its fees (SPEC v2
//! §3, §4, §7, §8). The default fund settles members with it, and the
//! margin vault and governance read the same figures with it, from the
//! fund's storage (`fund_storage`), so that "owed" and "overdue" mean one
//! thing everywhere.
//!
//! Nothing here iterates over members. Every fund-wide change that reaches
//! members lazily is a [`FundEvent`] in the fund's history: a default
//! (its layer-4 loss as an exact factor on every survivor's balance, its
//! layer-5 assessment terms and due date), a change of the requirement
//! regime (parameters or a recalibration), a recovery. A member's record
//! says up to which event it is settled; [`settle`] walks the events since,
//! one by one, so its cost grows with the number of events the member's
//! settlement spans and never with the number of members.
//!
//! Exactness (SPEC v2 "Exact to the unit"): a balance is an exact
//! fraction ([`Ratio`]) and is rounded down once where it is shown or paid;
//! a share of an assessment is `ceil(rc × A / B)` for each default on its
//! own; a required contribution is `min + rate × basis`, exact. Fees too
//! are exact: the fee index is the exact sum of `fee / balances` over the
//! distributions and a member's fees the exact sum of `balance × ΔS`,
//! rounded down once where they are shown or paid. Only a fraction whose
//! denominator would pass 2^256 is rounded (down, at 2^-256, see
//! [`Ratio`]); the index then never rises by more than the exact
//! distributions did, so no member is ever credited more than its exact
//! share.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal, StdResult, Timestamp, Uint128, Uint256, Uint512};

use crate::fund::{MemberStatus, PendingWithdrawal, Recovered};
use crate::ratio::{Ratio, Rounding};

/// What a member's required contribution is proportional to (SPEC v2 §7).
#[cw_serde]
#[derive(Copy, Eq)]
pub enum Basis {
    /// `fixed` sizing: the member's required margin.
    RequiredMargin,
    /// `cover` sizing: the member's stress exposure.
    StressExposure,
}

/// The rule for required contributions and replenishment in force from
/// one event to the next.
#[cw_serde]
pub struct Regime {
    /// Floor added to every member's requirement, in base units.
    pub min_contribution: Uint128,
    /// Required contribution per unit of basis.
    pub contribution_rate: Decimal,
    pub basis: Basis,
    /// Seconds a member has to cover a shortfall from the moment it opened.
    pub replenishment_period: u64,
    /// The fund is shut down (SPEC §5): no replenishment is owed and a
    /// member's whole balance may leave, while requirements still weigh
    /// the assessments of defaults until every member has left.
    #[serde(default)]
    pub wind_down: bool,
}

impl Regime {
    pub fn basis_of(&self, required_margin: Uint128, exposure: Uint128) -> Uint128 {
        match self.basis {
            Basis::RequiredMargin => required_margin,
            Basis::StressExposure => exposure,
        }
    }

    /// `min_contribution + contribution_rate × basis`, exact (SPEC v2 §3).
    pub fn required(&self, required_margin: Uint128, exposure: Uint128) -> StdResult<Ratio> {
        let basis = self.basis_of(required_margin, exposure);
        Ratio::from_int(self.min_contribution).add(
            &Ratio::from_decimal(self.contribution_rate)?.mul_frac(
                Uint512::from(basis),
                Uint512::one(),
                Rounding::Down,
            )?,
            Rounding::Down,
        )
    }

    /// `B`: the sum of the surviving members' required contributions,
    /// `n × min + rate × Σ basis`, exact.
    pub fn base(&self, sums: &BasisSums) -> StdResult<Ratio> {
        let total_basis = match self.basis {
            Basis::RequiredMargin => sums.required_margin,
            Basis::StressExposure => sums.exposure,
        };
        let one = Uint512::from(10u128.pow(Decimal::DECIMAL_PLACES));
        let num = Uint512::from(sums.members)
            .checked_mul(Uint512::from(self.min_contribution))?
            .checked_mul(one)?
            .checked_add(
                Uint512::from(self.contribution_rate.atomics())
                    .checked_mul(Uint512::from(total_basis))?,
            )?;
        Ratio::new(num, one)
    }

    /// How many surviving members owe a share of an assessment: those
    /// whose requirement is above zero.
    pub fn members_required(&self, sums: &BasisSums) -> u64 {
        if !self.min_contribution.is_zero() {
            sums.members
        } else if self.contribution_rate.is_zero() {
            0
        } else {
            match self.basis {
                Basis::RequiredMargin => sums.with_margin,
                Basis::StressExposure => sums.with_exposure,
            }
        }
    }
}

/// Sums over the surviving members (not defaulted, not exited): what `B`
/// is made of.
#[cw_serde]
#[derive(Default)]
pub struct BasisSums {
    pub members: u64,
    pub required_margin: Uint256,
    pub exposure: Uint256,
    /// Members with a required margin above zero.
    pub with_margin: u64,
    /// Members with a stress exposure above zero.
    pub with_exposure: u64,
}

impl BasisSums {
    /// Adds (`sign` true) or removes a member's basis figures.
    pub fn apply(
        &mut self,
        required_margin: Uint128,
        exposure: Uint128,
        add: bool,
    ) -> StdResult<()> {
        let rm = Uint256::from(required_margin);
        let ex = Uint256::from(exposure);
        if add {
            self.members += 1;
            self.required_margin = self.required_margin.checked_add(rm)?;
            self.exposure = self.exposure.checked_add(ex)?;
            self.with_margin += u64::from(!required_margin.is_zero());
            self.with_exposure += u64::from(!exposure.is_zero());
        } else {
            self.members = self.members.saturating_sub(1);
            self.required_margin = self.required_margin.checked_sub(rm)?;
            self.exposure = self.exposure.checked_sub(ex)?;
            if !required_margin.is_zero() {
                self.with_margin = self.with_margin.saturating_sub(1);
            }
            if !exposure.is_zero() {
                self.with_exposure = self.with_exposure.saturating_sub(1);
            }
        }
        Ok(())
    }
}

/// Layer 4 of a default as a factor on every survivor's balance: each
/// keeps `kept / of` of what it held (`of`: the survivors' balances
/// together, exact; `kept`: what is left of them).
#[cw_serde]
pub struct LossFactor {
    pub kept: Ratio,
    pub of: Ratio,
}

impl LossFactor {
    /// Whole-unit figures (tests and simple pools).
    pub fn whole(kept: u128, of: u128) -> Self {
        LossFactor {
            kept: Ratio::from_int(kept),
            of: Ratio::from_int(of),
        }
    }

    /// `stake × kept / of`, exact (rounded down only past the precision cap).
    pub fn apply(&self, stake: &Ratio) -> StdResult<Ratio> {
        stake
            .mul(&self.kept, Rounding::Down)?
            .div(&self.of, Rounding::Down)
    }
}

/// Layer 5 of a default: `amount` spread over `base` (`B` at the default),
/// each member owing `ceil(rc × amount / base)`, due at `due`.
#[cw_serde]
pub struct AssessmentTerms {
    pub amount: Uint128,
    pub base: Ratio,
    pub due: Timestamp,
}

#[cw_serde]
#[allow(clippy::large_enum_variant)] // a stored record, read whole; boxing changes nothing on the wire
pub enum EventKind {
    /// A default (SPEC §3): layer 4 as a loss factor, layer 5 as assessment
    /// terms, either or both absent when the default did not reach them.
    Default {
        default_id: u64,
        member: Addr,
        loss: Option<LossFactor>,
        assessment: Option<AssessmentTerms>,
    },
    /// A change of the requirement regime (parameters, sizing mode, a
    /// recalibration of the rate, the wind-down after shutdown): every
    /// requirement follows at once.
    Requirement {},
}

/// One fund-wide event, numbered from 1 in the fund's history.
#[cw_serde]
pub struct FundEvent {
    pub at: Timestamp,
    /// The regime in force from this event on.
    pub regime: Regime,
    /// The fee index when the event happened (before its loss): fees per
    /// unit of balance since the start, exact.
    #[serde(default, skip_serializing_if = "Ratio::is_zero")]
    pub fee_sum: Ratio,
    pub kind: EventKind,
}

/// An assessment share of one default, unpaid.
#[cw_serde]
pub struct Obligation {
    pub default_id: u64,
    pub amount: Uint128,
    pub due: Timestamp,
    /// An enforcement found it overdue and could not draw it: the member
    /// is in breach until it is paid or cancelled.
    #[serde(default, skip_serializing_if = "is_false")]
    pub breached: bool,
}

/// What a member bore of one default, for crediting recoveries to it.
#[cw_serde]
#[derive(Default)]
pub struct Participation {
    /// Its part of the assessment layer: `rc / B` at the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Ratio>,
    /// Its part of the mutual-fund layer: `balance before / survivors' balances`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutual_fund: Option<Ratio>,
    /// Recoveries credited to it so far, per layer.
    #[serde(default, skip_serializing_if = "Uint128::is_zero")]
    pub credited_assessments: Uint128,
    #[serde(default, skip_serializing_if = "Uint128::is_zero")]
    pub credited_mutual_fund: Uint128,
}

/// A member's record in the fund, as the fund stores it under
/// `fund_storage::MEMBERS`. Fields at their default (no suspension, no
/// notice, nothing owed, held or recovered) are left out of the stored
/// JSON: every byte written costs gas, and most records are mostly empty.
#[cw_serde]
pub struct MemberRecord {
    pub status: MemberStatus,
    /// The risk engine stopped every exit pending governance (SPEC v2 §3).
    #[serde(default, skip_serializing_if = "is_false")]
    pub suspended: bool,
    /// When the member first gave notice to exit (SPEC v2 §8), or its exit
    /// was forced: its vote is lost from then until it exits, so a notice
    /// given again after a lapse keeps this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_notice_at: Option<Timestamp>,
    /// When that notice ends, fixed when it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_available_at: Option<Timestamp>,
    /// Seconds after the notice (SPEC v2 §3's claim window, fixed when the
    /// notice was given) within which the member must complete its exit;
    /// after that the notice lapses. `None` for an exit governance forced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_window: Option<u64>,
    pub required_margin: Uint128,
    #[serde(default, skip_serializing_if = "Uint128::is_zero")]
    pub exposure: Uint128,
    /// The balance, exact, as of event `seq`.
    pub stake: Ratio,
    /// The last event settled into this record.
    pub seq: u64,
    /// The fee index when the record was last settled.
    #[serde(default, skip_serializing_if = "Ratio::is_zero")]
    pub fee_sum: Ratio,
    /// Fees earned and not claimed, exact, in base units.
    #[serde(default, skip_serializing_if = "Ratio::is_zero")]
    pub fees: Ratio,
    /// Unpaid assessment shares, each with its own due date, in default order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<Obligation>,
    /// When the open replenishment shortfall falls due; `None` when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall_due: Option<Timestamp>,
    /// An enforcement found that shortfall overdue and could not draw it
    /// all: the member is in breach until the shortfall closes.
    #[serde(default, skip_serializing_if = "is_false")]
    pub shortfall_breached: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<PendingWithdrawal>,
    /// A defaulter's own stake left after layer 2, held until its default
    /// is closed (and, after an exit, nothing).
    #[serde(default, skip_serializing_if = "Uint128::is_zero")]
    pub held: Uint128,
    /// Recovery credits claimable by the member.
    #[serde(default, skip_serializing_if = "Uint128::is_zero")]
    pub recovered: Uint128,
}

/// `skip_serializing_if` for flags that are usually off.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

impl MemberRecord {
    pub fn new(required_margin: Uint128, exposure: Uint128, seq: u64, fee_sum: Ratio) -> Self {
        MemberRecord {
            status: MemberStatus::Active,
            suspended: false,
            exit_notice_at: None,
            exit_available_at: None,
            exit_window: None,
            required_margin,
            exposure,
            stake: Ratio::zero(),
            seq,
            fee_sum,
            fees: Ratio::zero(),
            obligations: vec![],
            shortfall_due: None,
            shortfall_breached: false,
            withdrawal: None,
            held: Uint128::zero(),
            recovered: Uint128::zero(),
        }
    }

    /// In the pool: bears losses, earns fees, owes assessments, counts in `B`.
    pub fn is_live(&self) -> bool {
        matches!(self.status, MemberStatus::Active | MemberStatus::InBreach)
    }

    /// May vote on a proposal opened now (SPEC v2 §5, §8): live, not
    /// suspended, no exit notice. A member in breach keeps its vote.
    pub fn may_vote(&self) -> bool {
        self.is_live() && !self.suspended && self.exit_notice_at.is_none()
    }

    /// The balance in whole units, rounded down once.
    pub fn balance(&self) -> StdResult<Uint128> {
        self.stake.floor()
    }

    /// Fees claimable, in whole units, rounded down once.
    pub fn fees_claimable(&self) -> StdResult<Uint128> {
        self.fees.floor()
    }

    /// The required contribution under `regime`, exact.
    pub fn required(&self, regime: &Regime) -> StdResult<Ratio> {
        regime.required(self.required_margin, self.exposure)
    }

    /// Everything owed in assessments, due or not.
    pub fn owed(&self) -> StdResult<Uint128> {
        self.obligations
            .iter()
            .try_fold(Uint128::zero(), |acc, o| Ok(acc.checked_add(o.amount)?))
    }

    /// The shortfall below the required contribution, rounded up (none
    /// after shutdown).
    pub fn shortfall(&self, regime: &Regime) -> StdResult<Uint128> {
        if !self.is_live() || regime.wind_down {
            return Ok(Uint128::zero());
        }
        self.required(regime)?
            .saturating_sub(&self.stake, Rounding::Up)?
            .ceil()
    }

    /// The balance above the required contribution, rounded down: what a
    /// withdrawal may take (SPEC v2 "Withdrawal notice"); after shutdown,
    /// the whole balance.
    pub fn above_required(&self, regime: &Regime) -> StdResult<Uint128> {
        if regime.wind_down {
            return self.balance();
        }
        self.stake
            .saturating_sub(&self.required(regime)?, Rounding::Down)?
            .floor()
    }

    /// What is overdue at `now` (SPEC v2 "Owed and overdue").
    pub fn overdue(&self, regime: &Regime, now: Timestamp) -> StdResult<Overdue> {
        let assessments = self
            .obligations
            .iter()
            .filter(|o| o.due <= now)
            .try_fold(Uint128::zero(), |acc, o| acc.checked_add(o.amount))?;
        let replenishment = match self.shortfall_due {
            Some(due) if due <= now => self.shortfall(regime)?,
            _ => Uint128::zero(),
        };
        Ok(Overdue {
            assessments,
            replenishment,
        })
    }

    /// The earliest date among what is owed and the shortfall.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.obligations
            .iter()
            .map(|o| o.due)
            .chain(self.shortfall_due)
            .min()
    }

    /// Re-evaluates the shortfall at `at` under `regime`: one opens (due a
    /// replenishment period later) when the balance is below the
    /// requirement and none is open; it closes once the balance meets the
    /// requirement. An open one keeps its date whatever happens later.
    pub fn track_shortfall(&mut self, regime: &Regime, at: Timestamp) -> StdResult<()> {
        if !self.is_live() || regime.wind_down {
            self.shortfall_due = None;
        } else if self.stake < self.required(regime)? {
            if self.shortfall_due.is_none() {
                self.shortfall_due = Some(at.plus_seconds(regime.replenishment_period));
            }
        } else {
            self.shortfall_due = None;
        }
        if self.shortfall_due.is_none() {
            self.shortfall_breached = false;
        }
        self.refresh_breach();
        Ok(())
    }

    /// Adds the fees a balance earned while the fee index rose to
    /// `fee_sum`: `stake × ΔS`, exact (rounded down only past 2^-256).
    fn accrue_fees(&mut self, fee_sum: &Ratio) -> StdResult<()> {
        if *fee_sum > self.fee_sum {
            if !self.stake.is_zero() {
                let rise = fee_sum.sub(&self.fee_sum, Rounding::Down)?;
                let gain = self.stake.mul(&rise, Rounding::Down)?;
                self.fees = self.fees.add(&gain, Rounding::Down)?;
            }
            self.fee_sum = fee_sum.clone();
        }
        Ok(())
    }

    /// The breach rule (SPEC §3 "what cannot be drawn puts it in
    /// breach"): an enforcement marks what it found overdue and could not
    /// draw; the member is in breach while anything marked is unpaid — an
    /// assessment share until it is paid, drawn or cancelled by a
    /// recovery, a shortfall until it closes (a top-up, a lower
    /// requirement). What falls overdue later and was never enforced is
    /// overdue (and blocks every exit), not a breach. The status follows
    /// the marks wherever they change; nothing depends on when the record
    /// is settled.
    pub fn refresh_breach(&mut self) {
        if !self.is_live() {
            return;
        }
        let breached = self.shortfall_breached || self.obligations.iter().any(|o| o.breached);
        self.status = if breached {
            MemberStatus::InBreach
        } else {
            MemberStatus::Active
        };
    }

    /// An enforcement at `now` could not draw everything it found overdue:
    /// marks the assessment shares still overdue (`assessments`) or the
    /// open shortfall (`!assessments`), and puts the member in breach.
    pub fn mark_breach(&mut self, assessments: bool, now: Timestamp) {
        if assessments {
            for o in self.obligations.iter_mut().filter(|o| o.due <= now) {
                o.breached = true;
            }
        } else if self.shortfall_due.is_some() {
            self.shortfall_breached = true;
        }
        self.refresh_breach();
    }

    /// Takes `amount` off the overdue assessment shares, earliest default
    /// first; returns how many shares it cleared.
    pub fn reduce_overdue(&mut self, mut amount: Uint128, now: Timestamp) -> u64 {
        let mut cleared = 0;
        for o in self.obligations.iter_mut().filter(|o| o.due <= now) {
            let take = amount.min(o.amount);
            o.amount -= take;
            amount -= take;
            if o.amount.is_zero() {
                cleared += 1;
            }
        }
        self.obligations.retain(|o| !o.amount.is_zero());
        self.refresh_breach();
        cleared
    }
}

/// What a member has overdue (SPEC v2 "Owed and overdue").
#[cw_serde]
#[derive(Default, Copy, Eq)]
pub struct Overdue {
    /// Assessment shares past their own due dates.
    pub assessments: Uint128,
    /// The shortfall, once past its date.
    pub replenishment: Uint128,
}

impl Overdue {
    pub fn total(&self) -> StdResult<Uint128> {
        Ok(self.assessments.checked_add(self.replenishment)?)
    }

    pub fn is_zero(&self) -> bool {
        self.assessments.is_zero() && self.replenishment.is_zero()
    }
}

/// The fund's history, as the fund reads it from its own storage and the
/// other contracts read it raw.
pub trait History {
    fn event(&self, seq: u64) -> StdResult<FundEvent>;
    fn participation(&self, member: &Addr, default_id: u64) -> StdResult<Option<Participation>>;
    /// What recoveries have credited so far to a default's layers.
    fn recovered(&self, default_id: u64) -> StdResult<Option<Recovered>>;
}

/// What recoveries owe one member for one default it bore (SPEC v2 §8):
/// its part of the assessment layer's recovery (`rc / B` of it) and of the
/// mutual-fund layer's (`balance before / survivors' balances` of it), each
/// rounded down once on the cumulative amount, less what was credited
/// before. The assessment part first cancels what the member still owes
/// for that default. Returns `(cancelled, claimable)` and updates `part`
/// and the record's obligations.
pub fn credit_recoveries(
    record: &mut MemberRecord,
    default_id: u64,
    part: &mut Participation,
    recovered: &Recovered,
) -> StdResult<(Uint128, Uint128)> {
    let mut cancelled = Uint128::zero();
    let mut claimable = Uint128::zero();
    if let Some(w) = &part.assessment {
        let total = w.floor_of(recovered.assessments)?;
        let mut new = total.saturating_sub(part.credited_assessments);
        part.credited_assessments = total;
        if let Some(o) = record
            .obligations
            .iter_mut()
            .find(|o| o.default_id == default_id)
        {
            let take = new.min(o.amount);
            o.amount -= take;
            new -= take;
            cancelled = take;
        }
        record.obligations.retain(|o| !o.amount.is_zero());
        record.refresh_breach();
        claimable = claimable.checked_add(new)?;
    }
    if let Some(w) = &part.mutual_fund {
        let total = w.floor_of(recovered.mutual_fund)?;
        claimable = claimable.checked_add(total.saturating_sub(part.credited_mutual_fund))?;
        part.credited_mutual_fund = total;
    }
    Ok((cancelled, claimable))
}

/// A member brought up to date: what the fund saves, and what the others
/// only read.
#[derive(Clone, Debug, PartialEq)]
pub struct Settled {
    pub record: MemberRecord,
    /// Participations to save, by default id.
    pub participations: Vec<(u64, Participation)>,
    /// Recovery credits that cancelled what the member still owed: they
    /// are paid to the loss recipient in place of the member.
    pub forwarded: Uint128,
    /// Assessment shares that recoveries cleared in full.
    pub obligations_cleared: u64,
}

/// Walks the events after the record's `seq` up to `head`, then brings its
/// fees to `fee_sum` (the fund's fee index now). A member out of the pool
/// (defaulted, closed, exited) has nothing to walk.
pub fn settle(
    member: &Addr,
    mut record: MemberRecord,
    head: u64,
    fee_sum: &Ratio,
    history: &dyn History,
) -> StdResult<Settled> {
    let live = record.is_live();
    let mut participations: Vec<(u64, Participation)> = vec![];
    for seq in record.seq + 1..=head {
        let event = history.event(seq)?;
        if live {
            record.accrue_fees(&event.fee_sum)?;
        }
        match &event.kind {
            EventKind::Default {
                default_id,
                member: defaulter,
                loss,
                assessment,
            } if live && defaulter != member => {
                let mut part = Participation::default();
                if let Some(f) = loss.as_ref().filter(|_| !record.stake.is_zero()) {
                    part.mutual_fund = Some(record.stake.div(&f.of, Rounding::Down)?);
                    record.stake = f.apply(&record.stake)?;
                }
                if let Some(a) = assessment {
                    let rc = record.required(&event.regime)?;
                    if !rc.is_zero() && !a.base.is_zero() {
                        let weight = rc.div(&a.base, Rounding::Down)?;
                        let share = rc
                            .mul_frac(Uint512::from(a.amount), Uint512::one(), Rounding::Up)?
                            .div(&a.base, Rounding::Up)?
                            .ceil()?;
                        if !share.is_zero() {
                            record.obligations.push(Obligation {
                                default_id: *default_id,
                                amount: share,
                                due: a.due,
                                breached: false,
                            });
                        }
                        part.assessment = Some(weight);
                    }
                }
                if part.assessment.is_some() || part.mutual_fund.is_some() {
                    participations.push((*default_id, part));
                }
            }
            _ => {}
        }
        if live {
            // Closing the shortfall (a lower requirement) ends a breach of it.
            record.track_shortfall(&event.regime, event.at)?;
        }
        record.seq = seq;
    }
    if live {
        record.accrue_fees(fee_sum)?;
    }
    Ok(Settled {
        record,
        participations,
        forwarded: Uint128::zero(),
        obligations_cleared: 0,
    })
}

/// [`settle`], then the recoveries of the defaults whose shares the member
/// still owes (each cancels what is owed for its default first, which ends
/// a breach of that share; the rest is claimable): how every contract
/// brings a member up to date before reading it. The
/// cost grows with the number of unpaid shares, never with the members.
/// Recoveries of defaults the member owes nothing for wait for its claim
/// (the fund's `ClaimRecoveries`).
pub fn settle_at(
    member: &Addr,
    record: MemberRecord,
    head: u64,
    indexes: &crate::fund_storage::Indexes,
    history: &dyn History,
) -> StdResult<Settled> {
    let mut settled = settle(member, record, head, &indexes.fee_sum, history)?;
    if !indexes.any_recovery {
        // No recovery has ever been recorded: nothing to look up.
        return Ok(settled);
    }
    let owed: Vec<u64> = settled
        .record
        .obligations
        .iter()
        .map(|o| o.default_id)
        .collect();
    for default_id in owed {
        let Some(recovered) = history.recovered(default_id)? else {
            continue;
        };
        let found = match settled
            .participations
            .iter()
            .position(|(id, _)| *id == default_id)
        {
            Some(i) => Some(settled.participations.remove(i).1),
            None => history.participation(member, default_id)?,
        };
        let Some(mut part) = found else { continue };
        let before = settled.record.obligations.len();
        let (cancelled, claimable) =
            credit_recoveries(&mut settled.record, default_id, &mut part, &recovered)?;
        settled.obligations_cleared += (before - settled.record.obligations.len()) as u64;
        settled.forwarded = settled.forwarded.checked_add(cancelled)?;
        settled.record.recovered = settled.record.recovered.checked_add(claimable)?;
        settled.participations.push((default_id, part));
    }
    Ok(settled)
}

/// An exit a member asks for (SPEC v2 "Exits check every obligation").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Margin out of the vault.
    MarginWithdrawal,
    /// Fees or recovery credits out of the fund: like margin, nothing
    /// leaves while something is overdue.
    Claim,
    /// A claim of a fund withdrawal after its notice.
    FundWithdrawal,
    /// Completing an exit from the fund and the vault.
    Exit,
}

/// Why an exit is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// Frozen by its default.
    Defaulted,
    Suspended,
    InBreach,
    Overdue(Overdue),
    /// Owes assessments, due or not.
    Owes(Uint128),
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Blocked::Defaulted => write!(f, "the member is in default"),
            Blocked::Suspended => write!(f, "the member is suspended pending governance"),
            Blocked::InBreach => write!(f, "the member is in breach"),
            Blocked::Overdue(o) => write!(
                f,
                "the member has {} in assessments and {} of replenishment overdue",
                o.assessments, o.replenishment
            ),
            Blocked::Owes(owed) => write!(f, "the member owes {owed} in assessments"),
        }
    }
}

/// The one rule for every exit (SPEC v2): margin withdrawal (and a claim
/// of fees or recovery credits) is refused while anything is overdue, in
/// breach or suspended; a fund withdrawal claim and an exit also while
/// anything is owed at all; after shutdown every exit while anything is
/// owed. `record` must be settled.
pub fn check_exit(
    record: &MemberRecord,
    regime: &Regime,
    now: Timestamp,
    shutdown: bool,
    exit: Exit,
) -> Result<(), Blocked> {
    if !record.is_live() {
        return Err(Blocked::Defaulted);
    }
    if record.suspended {
        return Err(Blocked::Suspended);
    }
    if record.status == MemberStatus::InBreach {
        return Err(Blocked::InBreach);
    }
    let overdue = record
        .overdue(regime, now)
        .map_err(|_| Blocked::Overdue(Overdue::default()))?;
    if !overdue.is_zero() {
        return Err(Blocked::Overdue(overdue));
    }
    if matches!(exit, Exit::FundWithdrawal | Exit::Exit) || shutdown {
        let owed = record.owed().map_err(|_| Blocked::Owes(Uint128::MAX))?;
        if !owed.is_zero() {
            return Err(Blocked::Owes(owed));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Mem {
        events: Vec<FundEvent>,
        parts: HashMap<(Addr, u64), Participation>,
    }

    impl History for Mem {
        fn event(&self, seq: u64) -> StdResult<FundEvent> {
            Ok(self.events[(seq - 1) as usize].clone())
        }
        fn participation(&self, member: &Addr, id: u64) -> StdResult<Option<Participation>> {
            Ok(self.parts.get(&(member.clone(), id)).cloned())
        }
        fn recovered(&self, _: u64) -> StdResult<Option<Recovered>> {
            Ok(None)
        }
    }

    fn regime(min: u128, rate: u64) -> Regime {
        Regime {
            min_contribution: Uint128::new(min),
            contribution_rate: Decimal::percent(rate),
            basis: Basis::RequiredMargin,
            replenishment_period: 100,
            wind_down: false,
        }
    }

    fn t(s: u64) -> Timestamp {
        Timestamp::from_seconds(s)
    }

    fn member(rm: u128, stake: u128) -> MemberRecord {
        let mut m = MemberRecord::new(Uint128::new(rm), Uint128::zero(), 0, Ratio::zero());
        m.stake = Ratio::from_int(stake);
        m
    }

    fn default_event(
        id: u64,
        at: u64,
        reg: Regime,
        loss: Option<(u128, u128)>,
        assess: Option<(u128, Ratio, u64)>,
    ) -> FundEvent {
        FundEvent {
            at: t(at),
            regime: reg,
            fee_sum: Ratio::zero(),
            kind: EventKind::Default {
                default_id: id,
                member: Addr::unchecked("defaulter"),
                loss: loss.map(|(kept, of)| LossFactor::whole(kept, of)),
                assessment: assess.map(|(amount, base, due)| AssessmentTerms {
                    amount: Uint128::new(amount),
                    base,
                    due: t(due),
                }),
            },
        }
    }

    #[test]
    fn required_contribution_is_min_plus_rate_times_basis_exactly() {
        let r = regime(100_000, 10);
        assert_eq!(
            r.required(Uint128::new(2_000_000), Uint128::zero())
                .unwrap(),
            Ratio::from_int(300_000u128)
        );
        // 0.1 × 1001 = 100.1, not rounded.
        let rc = regime(0, 10)
            .required(Uint128::new(1_001), Uint128::zero())
            .unwrap();
        assert_eq!(
            rc,
            Ratio::new(Uint512::from(1_001u128), Uint512::from(10u128)).unwrap()
        );
        let sums = BasisSums {
            members: 3,
            required_margin: Uint256::from(9_000_000u128),
            ..BasisSums::default()
        };
        assert_eq!(r.base(&sums).unwrap(), Ratio::from_int(1_200_000u128));
        // A zero rate: the minimum only.
        assert_eq!(regime(7, 0).base(&sums).unwrap(), Ratio::from_int(21u128));
    }

    #[test]
    fn each_default_is_its_own_share_rounded_up_whenever_it_settles() {
        // rc 1 of B 3 assessed 2, then 2 more: ceil(2/3) + ceil(2/3) = 2,
        // whether the member settles between the defaults or not.
        let reg = regime(1, 0);
        let base = Ratio::from_int(3u128);
        let events = vec![
            default_event(1, 10, reg.clone(), None, Some((2, base.clone(), 20))),
            default_event(2, 30, reg.clone(), None, Some((2, base.clone(), 40))),
        ];
        let h = Mem {
            events,
            parts: HashMap::new(),
        };
        let who = Addr::unchecked("m");
        let at_once = settle(&who, member(0, 5), 2, &Ratio::zero(), &h).unwrap();
        let first = settle(&who, member(0, 5), 1, &Ratio::zero(), &h).unwrap();
        let then = settle(&who, first.record, 2, &Ratio::zero(), &h).unwrap();
        assert_eq!(at_once.record.owed().unwrap(), Uint128::new(2));
        assert_eq!(then.record.owed().unwrap(), Uint128::new(2));
        // Each keeps its own due date.
        let dues: Vec<u64> = at_once
            .record
            .obligations
            .iter()
            .map(|o| o.due.seconds())
            .collect();
        assert_eq!(dues, vec![20, 40]);
        let od = at_once.record.overdue(&reg, t(25)).unwrap();
        assert_eq!(od.assessments, Uint128::new(1));
    }

    #[test]
    fn a_shortfall_keeps_the_date_it_opened() {
        let reg = regime(100, 0);
        // A loss at t=10 takes the member below 100; a later default at t=50 does not move the date.
        let events = vec![
            default_event(1, 10, reg.clone(), Some((1, 2)), None),
            default_event(2, 50, reg.clone(), Some((1, 2)), None),
        ];
        let h = Mem {
            events,
            parts: HashMap::new(),
        };
        let s = settle(&Addr::unchecked("m"), member(0, 120), 2, &Ratio::zero(), &h).unwrap();
        assert_eq!(s.record.shortfall_due, Some(t(110)));
        assert_eq!(s.record.balance().unwrap(), Uint128::new(30));
        assert_eq!(
            s.record.overdue(&reg, t(109)).unwrap().replenishment,
            Uint128::zero()
        );
        assert_eq!(
            s.record.overdue(&reg, t(110)).unwrap().replenishment,
            Uint128::new(70)
        );
    }

    #[test]
    fn exits_check_every_obligation() {
        let reg = regime(0, 0);
        let mut m = member(0, 10);
        m.obligations.push(Obligation {
            default_id: 1,
            amount: Uint128::new(5),
            due: t(100),
            breached: false,
        });
        // Not due yet: margin may leave, a fund claim may not.
        assert_eq!(
            check_exit(&m, &reg, t(50), false, Exit::MarginWithdrawal),
            Ok(())
        );
        assert_eq!(
            check_exit(&m, &reg, t(50), false, Exit::FundWithdrawal),
            Err(Blocked::Owes(Uint128::new(5)))
        );
        // After shutdown, no exit while owing.
        assert_eq!(
            check_exit(&m, &reg, t(50), true, Exit::MarginWithdrawal),
            Err(Blocked::Owes(Uint128::new(5)))
        );
        // Due: nothing leaves.
        assert!(matches!(
            check_exit(&m, &reg, t(100), false, Exit::MarginWithdrawal),
            Err(Blocked::Overdue(_))
        ));
        m.obligations.clear();
        m.suspended = true;
        assert_eq!(
            check_exit(&m, &reg, t(100), false, Exit::MarginWithdrawal),
            Err(Blocked::Suspended)
        );
    }
}

/// Issue 12's index checks through [`settle`]: long sequences of small
/// losses and deep scale changes, at 6 and 18 decimals. The figures are
/// exact because a member holding a fixed part of the pool keeps exactly
/// that part of what is left after each pro-rata loss (the factors
/// telescope), so the expected balance is a whole-number division.
#[cfg(test)]
mod index_sequences {
    use super::*;
    use bnum::BUint;

    struct Events(Vec<FundEvent>);

    impl History for Events {
        fn event(&self, seq: u64) -> StdResult<FundEvent> {
            Ok(self.0[(seq - 1) as usize].clone())
        }
        fn participation(&self, _: &Addr, _: u64) -> StdResult<Option<Participation>> {
            Ok(None)
        }
        fn recovered(&self, _: u64) -> StdResult<Option<Recovered>> {
            Ok(None)
        }
    }

    fn loss(id: u64, kept: u128, of: u128) -> FundEvent {
        FundEvent {
            at: Timestamp::from_seconds(id),
            regime: Regime {
                min_contribution: Uint128::zero(),
                contribution_rate: Decimal::zero(),
                basis: Basis::RequiredMargin,
                replenishment_period: 1,
                wind_down: false,
            },
            fee_sum: Ratio::zero(),
            kind: EventKind::Default {
                default_id: id,
                member: Addr::unchecked("defaulter"),
                loss: Some(LossFactor::whole(kept, of)),
                assessment: None,
            },
        }
    }

    fn holding(stake: Ratio, seq: u64) -> MemberRecord {
        let mut m = MemberRecord::new(Uint128::zero(), Uint128::zero(), seq, Ratio::zero());
        m.stake = stake;
        m
    }

    fn settled(stake: Ratio, from: u64, to: u64, h: &Events) -> MemberRecord {
        settle(
            &Addr::unchecked("m"),
            holding(stake, from),
            to,
            &Ratio::zero(),
            h,
        )
        .unwrap()
        .record
    }

    /// `n` losses of `step` base units each on a pool of `pool`.
    fn small_losses(pool: u128, step: u128, n: u64) -> Events {
        Events(
            (1..=n)
                .map(|k| {
                    let before = pool - step * (k as u128 - 1);
                    loss(k, before - step, before)
                })
                .collect(),
        )
    }

    #[test]
    fn ten_thousand_small_losses_leave_exact_pro_rata_balances() {
        const N: u64 = 10_000;
        // 6 decimals: a pool of 3,000,000 units; 18 decimals: 3 × 10^12 units.
        for pool in [3 * 10u128.pow(12), 3 * 10u128.pow(30)] {
            for step in [1u128, 7] {
                let h = small_losses(pool, step, N);
                let left = pool - step * N as u128;
                // a holds a third of the pool: a third of what is left.
                let a = settled(Ratio::from_int(pool / 3), 0, N, &h);
                assert_eq!(a.stake, Ratio::new(left, 3u128).unwrap(), "{pool} {step}");
                assert_eq!(a.balance().unwrap().u128(), left / 3);
            }
        }
        // 18 decimals, steps of 7: b, with two thirds, holds two thirds of
        // what is left, and settling in two goes gives the same as in one.
        let (pool, step) = (3 * 10u128.pow(30), 7);
        let h = small_losses(pool, step, N);
        let left = pool - step * N as u128;
        let half = settled(Ratio::from_int(2 * pool / 3), 0, N / 2, &h);
        let b = settle(&Addr::unchecked("m"), half, N, &Ratio::zero(), &h)
            .unwrap()
            .record;
        assert_eq!(b.stake, Ratio::new(2 * left, 3u128).unwrap());
        assert_eq!(b.balance().unwrap().u128(), 2 * left / 3);
    }

    #[test]
    fn deep_scale_changes_keep_whole_figures_whole() {
        let e30 = 10u128.pow(30);
        let pool = 3 * e30;
        // A loss leaves 3 base units of 3 × 10^30: a (a third) holds 1, b 2.
        let h = Events(vec![loss(1, 3, pool)]);
        let a = settled(Ratio::from_int(e30), 0, 1, &h);
        let b = settled(Ratio::from_int(2 * e30), 0, 1, &h);
        assert_eq!(
            (a.stake.clone(), b.stake),
            (Ratio::one(), Ratio::from_int(2u128))
        );
        // a tops up 10^30: the pool is 10^30 + 3. A loss of 10^30 − 5
        // leaves 8: a keeps (10^30 + 1) × 8 / (10^30 + 3), just below 8.
        let topped = a.stake.add_int(Uint128::new(e30)).unwrap();
        let p2 = e30 + 3;
        let h = Events(vec![loss(1, 3, pool), loss(2, 8, p2)]);
        let a = settled(topped, 1, 2, &h);
        type Big = BUint<8>;
        let exact = Big::from(e30 + 1) * Big::from(8u8) / Big::from(p2);
        assert_eq!(Big::from(a.balance().unwrap().u128()), exact);
        assert_eq!(a.balance().unwrap().u128(), 7);
        // A loss of everything leaves exactly nothing, and a later loss
        // does not touch a zero balance.
        let h = Events(vec![loss(1, 0, pool), loss(2, 1, 2)]);
        let gone = settled(Ratio::from_int(e30), 0, 2, &h);
        assert!(gone.stake.is_zero());
    }
}
