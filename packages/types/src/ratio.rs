//! Exact fractions for the fund's figures (SPEC v2 §4 "Exact to the unit").
//!
//! A [`Ratio`] is `num / den` in lowest terms. Every figure that a rule
//! defines as a fraction (a balance after pro-rata losses, a required
//! contribution `min + rate × basis`, an assessment weight `rc / B`, the
//! period's `rate_used`) is kept as one, and rounded once, where it is
//! paid or shown, with [`Ratio::floor`] (what a member holds or is paid)
//! or [`Ratio::ceil`] (what a member owes).
//!
//! Intermediate products are taken at 1,024 bits, so nothing overflows for
//! amounts up to `u128::MAX`. A denominator is kept below 2^256: a fraction
//! whose lowest terms need more (a balance that has been through several
//! pro-rata losses with large, coprime pool totals) is rounded to the
//! nearest 2^-256 in the direction the caller names. With pool totals
//! below 10^30 that takes at least three such losses in a row, and the
//! error is below 10^-47 of a base unit.

use std::cmp::Ordering;

use bnum::BUint;
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Decimal, StdError, StdResult, Uint128, Uint256, Uint512};

/// 1,024-bit unsigned integers for intermediate products.
type Wide = BUint<16>;

/// Which way a rounded figure goes: the fund's favour is `Down` for what a
/// member holds or is paid, `Up` for what it owes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Down,
    Up,
}

/// An exact non-negative fraction `num / den`, in lowest terms, `den > 0`.
#[cw_serde]
#[derive(Eq)]
pub struct Ratio {
    pub num: Uint512,
    pub den: Uint512,
}

impl Default for Ratio {
    fn default() -> Self {
        Ratio::zero()
    }
}

fn wide(v: Uint512) -> Wide {
    // 64 big-endian bytes always fit 128.
    Wide::from_be_slice(&v.to_be_bytes()).unwrap_or(Wide::ZERO)
}

fn narrow(v: Wide) -> StdResult<Uint512> {
    let digits = v.digits();
    if digits[8..].iter().any(|d| *d != 0) {
        return Err(StdError::generic_err("exact fraction exceeds 512 bits"));
    }
    let mut out = [0u8; 64];
    for (i, d) in digits[..8].iter().enumerate() {
        // digits are little endian; bytes big endian
        out[(7 - i) * 8..(8 - i) * 8].copy_from_slice(&d.to_be_bytes());
    }
    Ok(Uint512::from_be_bytes(out))
}

fn w128(v: u128) -> Wide {
    Wide::from_be_slice(&v.to_be_bytes()).unwrap_or(Wide::ZERO)
}

fn gcd(mut a: Wide, mut b: Wide) -> Wide {
    // Most figures are below 2^128 (amounts, small denominators): native
    // arithmetic there costs a fraction of the 1,024-bit division.
    if a.bits() <= 128 && b.bits() <= 128 {
        let (mut x, mut y) = (low_u128(a), low_u128(b));
        while y != 0 {
            let r = x % y;
            x = y;
            y = r;
        }
        return w128(x);
    }
    while !b.is_zero() {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

/// The low 128 bits of a wide integer.
fn low_u128(v: Wide) -> u128 {
    let d = v.digits();
    (d[0] as u128) | ((d[1] as u128) << 64)
}

/// The largest denominator kept: 2^256.
fn den_cap() -> Wide {
    Wide::ONE << 256u32
}

impl Ratio {
    pub fn zero() -> Self {
        Ratio {
            num: Uint512::zero(),
            den: Uint512::one(),
        }
    }

    pub fn one() -> Self {
        Ratio::from_int(1u128)
    }

    pub fn from_int(v: impl Into<Uint128>) -> Self {
        Ratio {
            num: Uint512::from(v.into()),
            den: Uint512::one(),
        }
    }

    /// `num / den` in lowest terms; refused for a zero denominator.
    pub fn new(num: impl Into<Uint512>, den: impl Into<Uint512>) -> StdResult<Self> {
        Self::from_wide(wide(num.into()), wide(den.into()), Rounding::Down)
    }

    /// A `Decimal` exactly (its 18-decimal atomics over 10^18).
    pub fn from_decimal(d: Decimal) -> StdResult<Self> {
        Ratio::new(
            Uint512::from(d.atomics()),
            Uint512::from(10u128.pow(Decimal::DECIMAL_PLACES)),
        )
    }

    /// `num / den` already in lowest terms: only the cap is applied.
    fn from_reduced(num: Wide, den: Wide, rounding: Rounding) -> StdResult<Self> {
        if den <= den_cap() {
            return Ok(Ratio {
                num: narrow(num)?,
                den: narrow(den)?,
            });
        }
        Self::from_wide(num, den, rounding)
    }

    fn from_wide(num: Wide, den: Wide, rounding: Rounding) -> StdResult<Self> {
        if den.is_zero() {
            return Err(StdError::generic_err("fraction with a zero denominator"));
        }
        if num.is_zero() {
            return Ok(Ratio::zero());
        }
        let g = gcd(num, den);
        let (mut num, mut den) = (num / g, den / g);
        if den > den_cap() {
            // Rescale to the cap: num × 2^256 / den, rounded as asked.
            let scaled = num
                .checked_mul(den_cap())
                .ok_or_else(|| StdError::generic_err("exact fraction overflow"))?;
            let (q, r) = (scaled / den, scaled % den);
            num = if rounding == Rounding::Up && !r.is_zero() {
                q + Wide::ONE
            } else {
                q
            };
            den = den_cap();
            if num.is_zero() {
                return Ok(Ratio::zero());
            }
            let g = gcd(num, den);
            num /= g;
            den /= g;
        }
        Ok(Ratio {
            num: narrow(num)?,
            den: narrow(den)?,
        })
    }

    pub fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    /// Whole units, rounded down.
    pub fn floor(&self) -> StdResult<Uint128> {
        Uint128::try_from(self.num / self.den).map_err(|e| StdError::generic_err(e.to_string()))
    }

    /// Whole units at 256 bits, rounded as asked (for sums of many amounts).
    pub fn round256(&self, rounding: Rounding) -> StdResult<Uint256> {
        let q = self.num / self.den;
        let q = if rounding == Rounding::Up && !(self.num % self.den).is_zero() {
            q + Uint512::one()
        } else {
            q
        };
        Uint256::try_from(q).map_err(|e| StdError::generic_err(e.to_string()))
    }

    /// Whole units, rounded up.
    pub fn ceil(&self) -> StdResult<Uint128> {
        let q = self.num / self.den;
        let q = if (self.num % self.den).is_zero() {
            q
        } else {
            q + Uint512::one()
        };
        Uint128::try_from(q).map_err(|e| StdError::generic_err(e.to_string()))
    }

    /// Whole units of `self` rounded as asked.
    pub fn round(&self, rounding: Rounding) -> StdResult<Uint128> {
        match rounding {
            Rounding::Down => self.floor(),
            Rounding::Up => self.ceil(),
        }
    }

    /// `self × a / b`, exact (rounded at 2^-256 as asked only past the cap).
    ///
    /// The factors are cancelled crosswise before they are multiplied
    /// (`gcd(a, b)`, `gcd(num, b)`, `gcd(a, den)`), so the product comes
    /// out in lowest terms from small divisions, never from a division of
    /// the 1,024-bit product.
    pub fn mul_frac(
        &self,
        a: impl Into<Uint512>,
        b: impl Into<Uint512>,
        rounding: Rounding,
    ) -> StdResult<Ratio> {
        let mut a = wide(a.into());
        let mut b = wide(b.into());
        if b.is_zero() {
            return Err(StdError::generic_err("fraction with a zero denominator"));
        }
        if a.is_zero() || self.num.is_zero() {
            return Ok(Ratio::zero());
        }
        let g = gcd(a, b);
        a /= g;
        b /= g;
        let (mut num, mut den) = (wide(self.num), wide(self.den));
        let g1 = gcd(num, b);
        num /= g1;
        b /= g1;
        let g2 = gcd(a, den);
        a /= g2;
        den /= g2;
        let num = num
            .checked_mul(a)
            .ok_or_else(|| StdError::generic_err("exact fraction overflow"))?;
        let den = den
            .checked_mul(b)
            .ok_or_else(|| StdError::generic_err("exact fraction overflow"))?;
        Self::from_reduced(num, den, rounding)
    }

    /// `self × other`.
    pub fn mul(&self, other: &Ratio, rounding: Rounding) -> StdResult<Ratio> {
        self.mul_frac(other.num, other.den, rounding)
    }

    /// `self / other`; refused when `other` is zero.
    pub fn div(&self, other: &Ratio, rounding: Rounding) -> StdResult<Ratio> {
        self.mul_frac(other.den, other.num, rounding)
    }

    pub fn add(&self, other: &Ratio, rounding: Rounding) -> StdResult<Ratio> {
        let (an, ad, bn, bd) = (
            wide(self.num),
            wide(self.den),
            wide(other.num),
            wide(other.den),
        );
        let num = an
            .checked_mul(bd)
            .and_then(|x| bn.checked_mul(ad).and_then(|y| x.checked_add(y)))
            .ok_or_else(|| StdError::generic_err("exact fraction overflow"))?;
        let den = ad
            .checked_mul(bd)
            .ok_or_else(|| StdError::generic_err("exact fraction overflow"))?;
        Self::from_wide(num, den, rounding)
    }

    /// `self - other`, refused when `other > self`.
    pub fn sub(&self, other: &Ratio, rounding: Rounding) -> StdResult<Ratio> {
        let (an, ad, bn, bd) = (
            wide(self.num),
            wide(self.den),
            wide(other.num),
            wide(other.den),
        );
        let x = an
            .checked_mul(bd)
            .ok_or_else(|| StdError::generic_err("exact fraction overflow"))?;
        let y = bn
            .checked_mul(ad)
            .ok_or_else(|| StdError::generic_err("exact fraction overflow"))?;
        let num = x
            .checked_sub(y)
            .ok_or_else(|| StdError::generic_err("exact fraction underflow"))?;
        let den = ad
            .checked_mul(bd)
            .ok_or_else(|| StdError::generic_err("exact fraction overflow"))?;
        Self::from_wide(num, den, rounding)
    }

    /// `max(self - other, 0)`.
    pub fn saturating_sub(&self, other: &Ratio, rounding: Rounding) -> StdResult<Ratio> {
        if self <= other {
            return Ok(Ratio::zero());
        }
        self.sub(other, rounding)
    }

    pub fn add_int(&self, v: Uint128) -> StdResult<Ratio> {
        self.add(&Ratio::from_int(v), Rounding::Down)
    }

    /// `self - v`, refused when `v > self`.
    pub fn sub_int(&self, v: Uint128) -> StdResult<Ratio> {
        self.sub(&Ratio::from_int(v), Rounding::Down)
    }

    /// `floor(self × v)` for a 512-bit `v`, exact (one rounding).
    pub fn floor_mul(&self, v: Uint512) -> StdResult<Uint512> {
        let num = wide(self.num)
            .checked_mul(wide(v))
            .ok_or_else(|| StdError::generic_err("exact fraction overflow"))?;
        narrow(num / wide(self.den))
    }

    /// `floor(self × v)` in whole units of a `Uint128` amount.
    pub fn floor_of(&self, v: Uint128) -> StdResult<Uint128> {
        let out = self.floor_mul(Uint512::from(v))?;
        Uint128::try_from(out).map_err(|e| StdError::generic_err(e.to_string()))
    }

    /// `ceil(self × v)`.
    pub fn ceil_of(&self, v: Uint128) -> StdResult<Uint128> {
        self.mul_frac(Uint512::from(v), Uint512::one(), Rounding::Up)?
            .ceil()
    }

    /// A `Decimal256` view for events and queries (rounded as asked at 18
    /// decimals; never used in a rule).
    pub fn to_decimal256(&self, rounding: Rounding) -> StdResult<cosmwasm_std::Decimal256> {
        let scaled = self.mul_frac(Uint512::from(10u128.pow(18)), Uint512::one(), rounding)?;
        let atomics = Uint256::try_from(match rounding {
            Rounding::Down => scaled.num / scaled.den,
            Rounding::Up => {
                let q = scaled.num / scaled.den;
                if (scaled.num % scaled.den).is_zero() {
                    q
                } else {
                    q + Uint512::one()
                }
            }
        })
        .map_err(|e| StdError::generic_err(e.to_string()))?;
        Ok(cosmwasm_std::Decimal256::new(atomics))
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        // Both products fit 1,024 bits: each side is at most 512 bits.
        let a = wide(self.num) * wide(other.den);
        let b = wide(other.num) * wide(self.den);
        a.cmp(&b)
    }
}

/// Whole units of `n × a / b`, rounded once as asked: for figures that are a
/// single fraction of amounts (a share, a cap), without building a `Ratio`.
pub fn mul_div(n: Uint128, a: Uint128, b: Uint128, rounding: Rounding) -> StdResult<Uint128> {
    if b.is_zero() {
        return Err(StdError::generic_err("division by zero"));
    }
    let num = w128(n.u128()) * w128(a.u128());
    let den = w128(b.u128());
    let (q, r) = (num / den, num % den);
    let q = if rounding == Rounding::Up && !r.is_zero() {
        q + Wide::ONE
    } else {
        q
    };
    Uint128::try_from(narrow(q)?).map_err(|e| StdError::generic_err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: u128, d: u128) -> Ratio {
        Ratio::new(Uint512::from(n), Uint512::from(d)).unwrap()
    }

    #[test]
    fn fractions_are_kept_in_lowest_terms() {
        assert_eq!(r(6, 9), r(2, 3));
        assert_eq!(r(9, 9), Ratio::one());
        assert_eq!(r(0, 7), Ratio::zero());
        assert!(Ratio::new(Uint512::one(), Uint512::zero()).is_err());
    }

    #[test]
    fn three_balances_of_three_after_a_loss_of_six_are_one_each() {
        let b = Ratio::from_int(3u128)
            .mul_frac(3u128, 9u128, Rounding::Down)
            .unwrap();
        assert_eq!(b.floor().unwrap(), Uint128::new(1));
        assert_eq!(b, Ratio::one());
    }

    #[test]
    fn a_fraction_carried_through_a_top_up_comes_back_whole() {
        // 1 of 3 after a loss of 1: 2/3. Top up 1: 5/3. A loss of 2 out of 5: × 3/5 = 1.
        let b = Ratio::from_int(1u128)
            .mul_frac(2u128, 3u128, Rounding::Down)
            .unwrap();
        let b = b.add_int(Uint128::new(1)).unwrap();
        let b = b.mul_frac(3u128, 5u128, Rounding::Down).unwrap();
        assert_eq!(b, Ratio::one());
    }

    #[test]
    fn floor_and_ceil() {
        assert_eq!(r(7, 2).floor().unwrap(), Uint128::new(3));
        assert_eq!(r(7, 2).ceil().unwrap(), Uint128::new(4));
        assert_eq!(r(8, 2).ceil().unwrap(), Uint128::new(4));
        assert_eq!(r(1_500_000, 13).ceil().unwrap(), Uint128::new(115_385));
    }

    #[test]
    fn ordering_and_subtraction() {
        assert!(r(1, 3) < r(34, 100));
        assert!(r(2, 3) > r(66, 100));
        assert_eq!(r(5, 3).sub(&r(2, 3), Rounding::Down).unwrap(), Ratio::one());
        assert!(r(1, 3).sub(&r(1, 2), Rounding::Down).is_err());
        assert_eq!(
            r(1, 3).saturating_sub(&r(1, 2), Rounding::Down).unwrap(),
            Ratio::zero()
        );
    }

    #[test]
    fn rate_used_after_a_third_gives_the_exact_cap() {
        // SPEC v2 §3: cap = floor((2 − 1/3) × 300) = 500.
        let used = r(200, 600);
        let left = Ratio::from_int(2u128).sub(&used, Rounding::Down).unwrap();
        assert_eq!(left.floor_of(Uint128::new(300)).unwrap(), Uint128::new(500));
    }

    #[test]
    fn eighteen_decimal_magnitudes_stay_exact() {
        let e30 = 10u128.pow(30);
        // 10^30 through a loss keeping (10^30 − 1)/ (10^30 + 7).
        let b = Ratio::from_int(e30)
            .mul_frac(e30 - 1, e30 + 7, Rounding::Down)
            .unwrap();
        assert!(b < Ratio::from_int(e30));
        // Exact: 10^30 × (10^30 − 1) / (10^30 + 7) = 10^30 − 8 + 56/(10^30+7)
        assert_eq!(b.floor().unwrap(), Uint128::new(e30 - 8));
        // Six coprime losses at 10^30 go past the 2^256 cap: the figure is
        // then rounded down at 2^-256, so its whole units are the exact
        // floor (computed here at 4,096 bits) or, at worst, one less.
        type Big = BUint<64>;
        let mut x = Ratio::from_int(e30);
        let (mut num, mut den) = (Big::from(e30), Big::ONE);
        for k in 1..=6u128 {
            x = x.mul_frac(e30 - k, e30 + 13 * k, Rounding::Down).unwrap();
            num *= Big::from(e30 - k);
            den *= Big::from(e30 + 13 * k);
        }
        assert!(x.den <= Uint512::from(Uint256::MAX) + Uint512::one());
        let exact = num / den;
        let got = Big::from(x.floor().unwrap().u128());
        assert!(got <= exact && got + Big::ONE >= exact, "{got} vs {exact}");
    }

    #[test]
    fn near_max_amounts_do_not_overflow() {
        let m = u128::MAX;
        let b = Ratio::from_int(m)
            .mul_frac(m - 1, m, Rounding::Down)
            .unwrap();
        assert_eq!(b.floor().unwrap(), Uint128::new(m - 1));
        assert_eq!(
            mul_div(
                Uint128::new(m),
                Uint128::new(m),
                Uint128::new(m),
                Rounding::Up
            )
            .unwrap(),
            Uint128::new(m)
        );
    }

    #[test]
    fn mul_div_rounds_once() {
        let u = Uint128::new;
        assert_eq!(
            mul_div(u(300_000), u(500_000), u(1_300_000), Rounding::Up).unwrap(),
            u(115_385)
        );
        assert_eq!(
            mul_div(u(300_000), u(500_000), u(1_300_000), Rounding::Down).unwrap(),
            u(115_384)
        );
        assert_eq!(mul_div(u(10), u(10), u(5), Rounding::Up).unwrap(), u(20));
    }

    #[test]
    fn decimals_convert_exactly() {
        assert_eq!(Ratio::from_decimal(Decimal::percent(10)).unwrap(), r(1, 10));
        assert_eq!(
            r(1, 3).to_decimal256(Rounding::Up).unwrap().to_string(),
            "0.333333333333333334"
        );
    }
}
