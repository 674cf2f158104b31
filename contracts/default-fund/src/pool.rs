//! Cumulative indexes that settle every member lazily, in the style of
//! Liquity's stability pool, so that no transaction iterates over members.
//!
//! - Losses: a running product `p` (1 at `P_ONE`). A member's balance is
//!   `deposit × p / p_snapshot`. When `p` would fall below `P_MIN` it is
//!   multiplied by `SCALE_FACTOR` and `scale` goes up; a loss that takes the
//!   whole pool starts a new `epoch` in which every older deposit is zero.
//! - Fees: per `(epoch, scale)` a running sum `S` of `fee × p × FEE_PRECISION / D`;
//!   a member's gain is `deposit × ΔS / (p_snapshot × FEE_PRECISION)`.
//! - Assessments: a running index of `A × 10^40 / B` per unit of required
//!   contribution; a member owes `rc × ΔI / 10^40`.
//!
//! Deposits and `D` are kept in sub-units of 10⁻¹⁸ token (`SUB`), so that
//! settling a member never rounds its balance to whole tokens: only what is
//! paid out or shown is rounded, and unowned dust stays below 10⁻¹⁸ token
//! per member per event.
//!
//! Rounding always favours the fund: `p`, `S` and balances round down, what
//! a member owes rounds up. The assessment index itself rounds down so that
//! a share that is a whole number comes out exact; because `B < 2^128 <
//! 10^40`, the members' rounded-up shares still add up to at least `A`.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{StdError, StdResult, Uint128, Uint256, Uint512};

pub const P_ONE: Uint256 = Uint256::from_u128(1_000_000_000_000_000_000_000_000_000_000_000_000);
pub const P_MIN: Uint256 = Uint256::from_u128(1_000_000_000_000_000_000_000_000_000);
pub const FEE_PRECISION: u128 = 1_000_000_000_000_000_000;
// `SUB` (sub-units per token), `SCALE_FACTOR`, the compounding of a deposit
// and `to_tokens` are shared with governance, which weighs votes by balance.
pub use clearing_types::fund_storage::{to_tokens, LossIndex, SCALE_FACTOR, SUB};
/// A fee sum more than this many scales after a member's snapshot is
/// ignored for it: its share there is below 10⁻¹⁸ of its deposit.
const FEE_SCALES_COUNTED: u64 = 2;

/// The fund-wide indexes.
#[cw_serde]
pub struct Pool {
    /// `D`, in sub-units: members' balances in the pool (at least the sum
    /// of their exact balances).
    pub total_deposits: Uint256,
    pub p: Uint256,
    pub scale: u64,
    pub epoch: u64,
    /// Cumulative assessment per unit of required contribution.
    pub assess_index: Uint512,
    /// Number of defaults that assessed members so far.
    pub assess_seq: u64,
    /// `B`: sum of the required contributions of members not in default.
    pub total_required: Uint128,
}

impl Default for Pool {
    fn default() -> Self {
        Pool {
            total_deposits: Uint256::zero(),
            p: P_ONE,
            scale: 0,
            epoch: 0,
            assess_index: Uint512::zero(),
            assess_seq: 0,
            total_required: Uint128::zero(),
        }
    }
}

/// Where a member's deposit was last settled.
#[cw_serde]
pub struct Snapshot {
    pub p: Uint256,
    pub fee_sum: Uint512,
    pub scale: u64,
    pub epoch: u64,
}

/// 10^40: finer than one unit of any `B` that fits in a `Uint128`.
fn assess_precision() -> Uint512 {
    Uint512::from(10u128.pow(20)) * Uint512::from(10u128.pow(20))
}

/// Sub-units in an amount of tokens.
pub fn to_sub(tokens: Uint128) -> StdResult<Uint256> {
    Ok(Uint256::from(tokens).checked_mul(Uint256::from(SUB))?)
}

fn to_u128(v: Uint512) -> StdResult<Uint128> {
    Uint128::try_from(v).map_err(|e| StdError::generic_err(e.to_string()))
}

fn pow_scale(n: u64) -> Uint512 {
    let mut f = Uint512::one();
    for _ in 0..n {
        f *= Uint512::from(SCALE_FACTOR);
    }
    f
}

impl Pool {
    pub fn snapshot(&self, fee_sum: Uint512) -> Snapshot {
        Snapshot {
            p: self.p,
            fee_sum,
            scale: self.scale,
            epoch: self.epoch,
        }
    }

    /// Whole tokens of members' balances in the pool.
    pub fn total_balance(&self) -> StdResult<Uint128> {
        to_tokens(self.total_deposits)
    }

    pub fn loss_index(&self) -> LossIndex {
        LossIndex {
            p: self.p,
            scale: self.scale,
            epoch: self.epoch,
        }
    }

    /// A deposit (sub-units) made at `snap`, after every loss since
    /// (rounded down, in sub-units).
    pub fn compounded(&self, deposit: Uint256, snap: &Snapshot) -> StdResult<Uint256> {
        let since = LossIndex {
            p: snap.p,
            scale: snap.scale,
            epoch: snap.epoch,
        };
        self.loss_index().compound(deposit, &since)
    }

    /// Fees earned by a deposit made at `snap`. `sums[i]` is the fee sum at
    /// `(snap.epoch, snap.scale + i)` for i = 0..=2 (zero where none).
    pub fn fee_gain(
        &self,
        deposit: Uint256,
        snap: &Snapshot,
        sums: [Uint512; 3],
    ) -> StdResult<Uint128> {
        if deposit.is_zero() {
            return Ok(Uint128::zero());
        }
        let mut delta = sums[0].checked_sub(snap.fee_sum)?;
        for (i, s) in sums.iter().enumerate().skip(1) {
            if i as u64 > FEE_SCALES_COUNTED {
                break;
            }
            delta = delta.checked_add(*s / pow_scale(i as u64))?;
        }
        let num = Uint512::from(deposit).checked_mul(delta)?;
        let den = Uint512::from(snap.p)
            .checked_mul(Uint512::from(FEE_PRECISION))?
            .checked_mul(Uint512::from(SUB))?;
        to_u128(num / den)
    }

    /// What distributing `fees` adds to the fee sum of the current
    /// `(epoch, scale)`. Refused when members hold less than one token.
    pub fn fee_sum_increment(&self, fees: Uint128) -> StdResult<Uint512> {
        if self.total_balance()?.is_zero() {
            return Err(StdError::generic_err("no deposits to share fees"));
        }
        let num = Uint512::from(fees)
            .checked_mul(Uint512::from(self.p))?
            .checked_mul(Uint512::from(FEE_PRECISION))?
            .checked_mul(Uint512::from(SUB))?;
        Ok(num / Uint512::from(self.total_deposits))
    }

    /// Takes `loss` tokens (at most `total_balance`) from every deposit pro
    /// rata. When less than one token would be left, the pool is wiped out
    /// instead: a new epoch starts and the fraction stays in the fund as
    /// dust that nobody owns.
    pub fn apply_loss(&mut self, loss: Uint128) -> StdResult<()> {
        if loss.is_zero() {
            return Ok(());
        }
        let loss = to_sub(loss)?;
        if loss > self.total_deposits {
            return Err(StdError::generic_err("loss exceeds the pool"));
        }
        let remaining = self.total_deposits - loss;
        if remaining < Uint256::from(SUB) {
            // Total wipe-out: every deposit of this epoch is now worth zero.
            self.epoch += 1;
            self.scale = 0;
            self.p = P_ONE;
            self.total_deposits = Uint256::zero();
            return Ok(());
        }
        let d = Uint512::from(self.total_deposits);
        let mut num = Uint512::from(self.p).checked_mul(Uint512::from(remaining))?;
        let mut q = num / d;
        // At most five steps: p ≥ P_MIN, remaining ≥ one token and
        // D < 2^128 tokens bound the shortfall.
        while q < Uint512::from(P_MIN) {
            num = num.checked_mul(Uint512::from(SCALE_FACTOR))?;
            q = num / d;
            self.scale += 1;
        }
        self.p = Uint256::try_from(q).map_err(|e| StdError::generic_err(e.to_string()))?;
        self.total_deposits = remaining;
        Ok(())
    }

    /// Adds assessment `a` spread over `total_required` (rounded down; see
    /// the module notes for why the members' shares still cover `a`).
    pub fn add_assessment(&mut self, a: Uint128) -> StdResult<()> {
        if a.is_zero() {
            return Ok(());
        }
        let b = Uint512::from(self.total_required);
        if b.is_zero() {
            return Err(StdError::generic_err("no required contributions to assess"));
        }
        let step = Uint512::from(a).checked_mul(assess_precision())? / b;
        self.assess_index = self.assess_index.checked_add(step)?;
        self.assess_seq += 1;
        Ok(())
    }
}

/// What `rc` owes for an index move from `from` to `to`, rounded up.
pub fn assessment_owed(rc: Uint128, from: Uint512, to: Uint512) -> StdResult<Uint128> {
    if rc.is_zero() || to <= from {
        return Ok(Uint128::zero());
    }
    let num = Uint512::from(rc).checked_mul(to - from)?;
    let prec = assess_precision();
    to_u128(num.checked_add(prec - Uint512::one())? / prec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(v: u128) -> Uint128 {
        Uint128::new(v)
    }

    /// Sub-units of `v` tokens.
    fn s(v: u128) -> Uint256 {
        to_sub(u(v)).unwrap()
    }

    /// Whole tokens of a compounded deposit.
    fn tokens(pool: &Pool, deposit: u128, snap: &Snapshot) -> Uint128 {
        to_tokens(pool.compounded(s(deposit), snap).unwrap()).unwrap()
    }

    fn pool_with(d: u128) -> Pool {
        Pool {
            total_deposits: s(d),
            ..Pool::default()
        }
    }

    #[test]
    fn a_loss_is_shared_pro_rata() {
        let mut pool = pool_with(1_000);
        let snap = pool.snapshot(Uint512::zero());
        pool.apply_loss(u(900)).unwrap();
        assert_eq!(pool.total_balance().unwrap(), u(100));
        assert_eq!(tokens(&pool, 500, &snap), u(50));
        assert_eq!(tokens(&pool, 200, &snap), u(20));
        assert_eq!(tokens(&pool, 300, &snap), u(30));
    }

    #[test]
    fn balances_round_down_and_never_exceed_the_pool() {
        let mut pool = pool_with(3);
        let snap = pool.snapshot(Uint512::zero());
        pool.apply_loss(u(1)).unwrap();
        let each = tokens(&pool, 1, &snap);
        assert_eq!(each, u(0)); // 2/3 rounds down
        assert!(each * u(3) <= pool.total_balance().unwrap());
    }

    #[test]
    fn wipe_out_starts_a_new_epoch() {
        let mut pool = pool_with(1_000);
        let old = pool.snapshot(Uint512::zero());
        pool.apply_loss(u(1_000)).unwrap();
        assert_eq!(pool.epoch, 1);
        assert_eq!(pool.p, P_ONE);
        assert_eq!(tokens(&pool, 1_000, &old), u(0));
        pool.total_deposits = s(10);
        let new = pool.snapshot(Uint512::zero());
        assert_eq!(tokens(&pool, 10, &new), u(10));
    }

    #[test]
    fn deep_losses_change_scale_without_losing_precision() {
        let big = 10u128.pow(30);
        let mut pool = pool_with(big);
        let snap = pool.snapshot(Uint512::zero());
        // Keep one part in a million four times over: p falls by 10^24.
        let mut expected = big;
        for _ in 0..4 {
            let keep = expected / 1_000_000;
            pool.apply_loss(u(expected - keep)).unwrap();
            expected = keep;
        }
        assert_eq!(expected, 1_000_000);
        assert_eq!(pool.scale, 2);
        assert!(pool.p >= P_MIN && pool.p < P_ONE);
        assert_eq!(tokens(&pool, big, &snap), u(expected));
        // A deposit made after the losses is untouched by them.
        let late = pool.snapshot(Uint512::zero());
        assert_eq!(tokens(&pool, 77, &late), u(77));
    }

    #[test]
    fn a_long_run_of_small_losses_stays_within_dust() {
        let mut pool = pool_with(2_000_000_000);
        let snap = pool.snapshot(Uint512::zero());
        let mut exact = 1_000_000_000f64; // one of two equal members
        for _ in 0..10_000 {
            let loss = pool.total_balance().unwrap() / u(1000);
            exact *= 1.0 - loss.u128() as f64 / pool.total_balance().unwrap().u128() as f64;
            pool.apply_loss(loss).unwrap();
        }
        let got = tokens(&pool, 1_000_000_000, &snap).u128() as f64;
        assert!((exact - got).abs() <= 2.0, "exact {exact} got {got}");
        assert!(got * 2.0 <= pool.total_balance().unwrap().u128() as f64);
    }

    #[test]
    fn fees_follow_the_balance_at_the_time() {
        let mut pool = pool_with(1_000);
        let snap = pool.snapshot(Uint512::zero());
        let s1 = pool.fee_sum_increment(u(100)).unwrap();
        // a 600 holder of 1000 earns 60
        assert_eq!(
            pool.fee_gain(s(600), &snap, [s1, Uint512::zero(), Uint512::zero()])
                .unwrap(),
            u(60)
        );
        pool.apply_loss(u(500)).unwrap();
        let s2 = s1 + pool.fee_sum_increment(u(100)).unwrap();
        // after the loss it holds 300 of 500: 60 more
        assert_eq!(
            pool.fee_gain(s(600), &snap, [s2, Uint512::zero(), Uint512::zero()])
                .unwrap(),
            u(120)
        );
    }

    #[test]
    fn fees_across_a_scale_change_are_counted() {
        let mut pool = pool_with(10u128.pow(20));
        let snap = pool.snapshot(Uint512::zero());
        pool.apply_loss(u(10u128.pow(20) - 10u128.pow(10))).unwrap();
        assert_eq!(pool.scale, 1);
        let s_next = pool.fee_sum_increment(u(1_000)).unwrap();
        let gain = pool
            .fee_gain(
                s(10u128.pow(20)),
                &snap,
                [Uint512::zero(), s_next, Uint512::zero()],
            )
            .unwrap();
        assert_eq!(gain, u(1_000));
    }

    #[test]
    fn a_fraction_of_a_token_keeps_its_share_of_fees() {
        // Found by the property test: 514 tokens lose 513, leaving one
        // token in the pool. Settled in sub-units, the member keeps its
        // 0.99.. of it and earns the next fees instead of nobody.
        let mut pool = pool_with(514);
        let snap = pool.snapshot(Uint512::zero());
        pool.apply_loss(u(513)).unwrap();
        let left = pool.compounded(s(514), &snap).unwrap();
        assert!(left > s(1) - Uint256::from(10u128.pow(9)) && left <= s(1));
        let sum = pool.fee_sum_increment(u(2_727)).unwrap();
        let late = pool.snapshot(Uint512::zero());
        let gain = pool
            .fee_gain(left, &late, [sum, Uint512::zero(), Uint512::zero()])
            .unwrap();
        assert!(gain >= u(2_726), "{gain}");
    }

    #[test]
    fn no_fees_without_deposits() {
        assert!(Pool::default().fee_sum_increment(u(1)).is_err());
    }

    #[test]
    fn assessments_round_up_per_member() {
        let mut pool = Pool {
            total_required: u(3),
            ..Pool::default()
        };
        pool.add_assessment(u(2)).unwrap();
        let owed = assessment_owed(u(1), Uint512::zero(), pool.assess_index).unwrap();
        assert_eq!(owed, u(1)); // 2/3 rounded up
        let total: u128 = (0..3).map(|_| owed.u128()).sum();
        assert!(total >= 2 && total - 2 <= 3);
    }

    #[test]
    fn shares_over_several_assessments_stay_exact_when_whole() {
        let mut pool = Pool {
            total_required: u(700),
            ..Pool::default()
        };
        pool.add_assessment(u(700)).unwrap();
        pool.total_required = u(600);
        pool.add_assessment(u(100)).unwrap();
        // 300 × 700/700 + 300 × 100/600 = 350 exactly.
        assert_eq!(
            assessment_owed(u(300), Uint512::zero(), pool.assess_index).unwrap(),
            u(350)
        );
        // 200 × 1 + 200/6 = 233.33.. → 234
        assert_eq!(
            assessment_owed(u(200), Uint512::zero(), pool.assess_index).unwrap(),
            u(234)
        );
    }

    #[test]
    fn rounded_up_shares_cover_the_assessment_even_for_a_huge_base() {
        let b = u128::MAX - 7;
        let mut pool = Pool {
            total_required: u(b),
            ..Pool::default()
        };
        pool.add_assessment(u(12_345)).unwrap();
        // One member holding the whole base owes at least all of it.
        let owed = assessment_owed(u(b), Uint512::zero(), pool.assess_index).unwrap();
        assert_eq!(owed, u(12_345));
    }

    #[test]
    fn assessment_shares_are_exact_when_divisible() {
        let mut pool = Pool {
            total_required: u(500_000),
            ..Pool::default()
        };
        pool.add_assessment(u(1_000_000)).unwrap();
        let i = pool.assess_index;
        assert_eq!(
            assessment_owed(u(200_000), Uint512::zero(), i).unwrap(),
            u(400_000)
        );
        assert_eq!(
            assessment_owed(u(300_000), Uint512::zero(), i).unwrap(),
            u(600_000)
        );
    }

    #[test]
    fn near_max_amounts_do_not_overflow() {
        let mut pool = pool_with(u128::MAX);
        let snap = pool.snapshot(Uint512::zero());
        let sum = pool.fee_sum_increment(u(u128::MAX)).unwrap();
        assert_eq!(
            pool.fee_gain(s(u128::MAX), &snap, [sum, Uint512::zero(), Uint512::zero()])
                .unwrap(),
            u(u128::MAX)
        );
        pool.apply_loss(u(u128::MAX - 1)).unwrap();
        // Exactly 1 remains; p rounds down, so the member may see 0 of it.
        assert!(tokens(&pool, u128::MAX, &snap) <= u(1));
        assert_eq!(pool.total_balance().unwrap(), u(1));
    }
}
