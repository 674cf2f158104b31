//! Tallying, in one place (SPEC v2 §5): adding and taking back weight,
//! whether a proposal passes under its cw-utils-style threshold, and where
//! it stands at a given moment (open, passed, rejected, in its timelock,
//! executable, expired).
//!
//! Weights are `Uint128` throughout; every threshold figure is the exact
//! `⌈weight × fraction⌉` of a `Uint128` by a `Decimal` (a 256-bit product,
//! rounded up once), so nothing saturates and nothing drifts, up to totals
//! of `u128::MAX`.

use clearing_types::governance::{Status, Threshold, Vote, Votes};
use cosmwasm_std::{Decimal, StdError, StdResult, Timestamp, Uint128};

use crate::state::Proposal;

/// `⌈weight × fraction⌉`, exact.
pub fn votes_needed(weight: Uint128, fraction: Decimal) -> StdResult<Uint128> {
    weight
        .checked_mul_ceil(fraction)
        .map_err(|e| StdError::generic_err(e.to_string()))
}

/// Every weight cast, abstentions and vetoes included.
pub fn cast(votes: &Votes) -> StdResult<Uint128> {
    Ok(votes
        .yes
        .checked_add(votes.no)?
        .checked_add(votes.abstain)?
        .checked_add(votes.veto)?)
}

/// Plain words for an option.
pub fn vote_str(vote: Vote) -> &'static str {
    match vote {
        Vote::Yes => "yes",
        Vote::No => "no",
        Vote::Abstain => "abstain",
        Vote::Veto => "veto",
    }
}

fn slot(votes: &mut Votes, vote: Vote) -> &mut Uint128 {
    match vote {
        Vote::Yes => &mut votes.yes,
        Vote::No => &mut votes.no,
        Vote::Abstain => &mut votes.abstain,
        Vote::Veto => &mut votes.veto,
    }
}

/// Adds `weight` to `vote`'s option.
pub fn add(votes: &mut Votes, vote: Vote, weight: Uint128) -> StdResult<()> {
    let s = slot(votes, vote);
    *s = s.checked_add(weight)?;
    Ok(())
}

/// Takes `weight` back from `vote`'s option.
pub fn remove(votes: &mut Votes, vote: Vote, weight: Uint128) -> StdResult<()> {
    let s = slot(votes, vote);
    *s = s.checked_sub(weight)?;
    Ok(())
}

/// Whether `votes` out of `total` pass `threshold`; `ended`: the voting
/// period is over (only `ThresholdQuorum` reads it, as in cw3). A proposal
/// never passes without some yes weight (cw3 would pass an all-abstain
/// vote that meets the quorum).
pub fn is_passed(
    threshold: &Threshold,
    votes: &Votes,
    total: Uint128,
    ended: bool,
) -> StdResult<bool> {
    if votes.yes.is_zero() {
        return Ok(false);
    }
    Ok(match threshold {
        Threshold::AbsoluteCount { weight } => votes.yes >= *weight,
        Threshold::AbsolutePercentage { percentage } => {
            votes.yes >= votes_needed(total.checked_sub(votes.abstain)?, *percentage)?
        }
        Threshold::ThresholdQuorum { threshold, quorum } => {
            let cast = cast(votes)?;
            if cast < votes_needed(total, *quorum)? {
                return Ok(false);
            }
            let opinions = if ended {
                cast.checked_sub(votes.abstain)?
            } else {
                total.checked_sub(votes.abstain)?
            };
            votes.yes >= votes_needed(opinions, *threshold)?
        }
    })
}

impl Proposal {
    /// Voting is open: not passed, not closed, before the end of voting.
    pub fn voting_open(&self, now: Timestamp) -> bool {
        self.status == Status::Open && now < self.expires
    }

    /// The weight not yet cast nor taken out.
    pub fn remaining(&self) -> StdResult<Uint128> {
        Ok(self.total_weight.checked_sub(cast(&self.votes)?)?)
    }

    /// After a vote or a discount: a proposal that now passes starts its
    /// timelock at `now`.
    pub fn record_outcome(&mut self, now: Timestamp) -> StdResult<()> {
        if self.status == Status::Open
            && is_passed(&self.threshold, &self.votes, self.total_weight, false)?
        {
            self.status = Status::Passed;
            self.passed_at = Some(now);
        }
        Ok(())
    }

    /// When it passed: at the deciding vote or discount, or at the end of
    /// voting when its votes pass then.
    pub fn passed_at(&self, now: Timestamp) -> StdResult<Option<Timestamp>> {
        Ok(match self.status {
            Status::Open if now >= self.expires => {
                if is_passed(&self.threshold, &self.votes, self.total_weight, true)? {
                    Some(self.expires)
                } else {
                    None
                }
            }
            _ => self.passed_at,
        })
    }

    /// The first moment it may be executed: `timelock` seconds after it passed.
    pub fn executable_at(&self, now: Timestamp) -> StdResult<Option<Timestamp>> {
        Ok(self.passed_at(now)?.map(|p| p.plus_seconds(self.timelock)))
    }

    /// It may be executed until just before this moment.
    pub fn execution_deadline(&self, now: Timestamp) -> StdResult<Option<Timestamp>> {
        Ok(self
            .executable_at(now)?
            .map(|e| e.plus_seconds(self.execution_window)))
    }

    /// Where it stands at `now`.
    pub fn status_at(&self, now: Timestamp) -> StdResult<Status> {
        Ok(match self.status {
            Status::Open | Status::Passed => match self.execution_deadline(now)? {
                Some(deadline) if now >= deadline => Status::Expired,
                Some(_) => Status::Passed,
                None if now >= self.expires => Status::Rejected,
                None => Status::Open,
            },
            settled => settled,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn votes(yes: u128, no: u128, abstain: u128, veto: u128) -> Votes {
        Votes {
            yes: yes.into(),
            no: no.into(),
            abstain: abstain.into(),
            veto: veto.into(),
        }
    }

    fn pct(p: u64) -> Decimal {
        Decimal::percent(p)
    }

    #[test]
    fn votes_needed_is_the_exact_ceiling() {
        assert_eq!(
            votes_needed(4u128.into(), pct(51)).unwrap(),
            Uint128::new(3)
        );
        assert_eq!(
            votes_needed(100u128.into(), pct(51)).unwrap(),
            Uint128::new(51)
        );
        assert_eq!(
            votes_needed(0u128.into(), pct(51)).unwrap(),
            Uint128::zero()
        );
        assert_eq!(
            votes_needed(7u128.into(), Decimal::one()).unwrap(),
            Uint128::new(7)
        );
        // 10^30 × 0.51 exactly, and one unit more needs one more.
        let big = Uint128::new(10u128.pow(30));
        assert_eq!(
            votes_needed(big, pct(51)).unwrap(),
            Uint128::new(51 * 10u128.pow(28))
        );
        assert_eq!(
            votes_needed(big + Uint128::one(), pct(51)).unwrap(),
            Uint128::new(51 * 10u128.pow(28) + 1)
        );
        // The largest weight: no overflow, exact.
        assert_eq!(
            votes_needed(Uint128::MAX, Decimal::one()).unwrap(),
            Uint128::MAX
        );
        assert_eq!(
            votes_needed(Uint128::MAX, pct(50)).unwrap(),
            Uint128::new(u128::MAX / 2 + 1)
        );
        // A fraction below 10^-9 of a unit still rounds up (cw3's 10^9
        // precision factor would drop it).
        let tiny = Decimal::from_atomics(500_000_000_000_000_001u128, 18).unwrap();
        assert_eq!(votes_needed(2u128.into(), tiny).unwrap(), Uint128::new(2));
    }

    #[test]
    fn one_of_five_balances_of_ten_to_the_nineteen_does_not_pass_51_percent() {
        let unit = 10u128.pow(19);
        let t = Threshold::AbsolutePercentage {
            percentage: pct(51),
        };
        let total = Uint128::new(5 * unit);
        assert!(!is_passed(&t, &votes(unit, 0, 0, 0), total, false).unwrap());
        assert!(!is_passed(&t, &votes(2 * unit, 0, 0, 0), total, false).unwrap());
        assert!(is_passed(&t, &votes(3 * unit, 0, 0, 0), total, false).unwrap());
        // Balances of 10^30: the same, exactly.
        let unit = 10u128.pow(30);
        let total = Uint128::new(5 * unit);
        assert!(!is_passed(&t, &votes(2 * unit, 0, 0, 0), total, false).unwrap());
        assert!(is_passed(&t, &votes(3 * unit, 0, 0, 0), total, false).unwrap());
        // One unit short of 51 % of 5 × 10^30.
        let needed = 51 * 10u128.pow(28) * 5;
        assert!(!is_passed(&t, &votes(needed - 1, 0, 0, 0), total, false).unwrap());
        assert!(is_passed(&t, &votes(needed, 0, 0, 0), total, false).unwrap());
    }

    #[test]
    fn absolute_count_in_base_units() {
        let t = Threshold::AbsoluteCount {
            weight: Uint128::new(3 * 10u128.pow(30)),
        };
        let total = Uint128::new(5 * 10u128.pow(30));
        assert!(!is_passed(&t, &votes(3 * 10u128.pow(30) - 1, 0, 0, 0), total, false).unwrap());
        assert!(is_passed(&t, &votes(3 * 10u128.pow(30), 0, 0, 0), total, false).unwrap());
    }

    #[test]
    fn absolute_percentage_leaves_abstentions_out() {
        let t = Threshold::AbsolutePercentage {
            percentage: pct(51),
        };
        // 100 total, 40 abstain: 51 % of 60 is 30.6 → 31.
        assert!(!is_passed(&t, &votes(30, 0, 40, 0), 100u128.into(), false).unwrap());
        assert!(is_passed(&t, &votes(31, 0, 40, 0), 100u128.into(), false).unwrap());
    }

    #[test]
    fn threshold_quorum_passes_fails_on_quorum_fails_on_threshold() {
        let t = Threshold::ThresholdQuorum {
            threshold: pct(60),
            quorum: pct(40),
        };
        let total = Uint128::new(10 * 10u128.pow(30));
        let u = 10u128.pow(30);
        // While open: yes must reach 60 % of everything not abstaining.
        assert!(is_passed(&t, &votes(6 * u, 0, 0, 0), total, false).unwrap());
        assert!(!is_passed(&t, &votes(5 * u, 0, 0, 0), total, false).unwrap());
        // Ended: 3 yes, 1 no, quorum 4 of 10 met, 75 % of opinions: passes.
        assert!(is_passed(&t, &votes(3 * u, u, 0, 0), total, true).unwrap());
        // Ended: 3 yes out of 3 cast, quorum 40 % not met: fails on quorum.
        assert!(!is_passed(&t, &votes(3 * u, 0, 0, 0), total, true).unwrap());
        // Quorum met with abstentions, threshold met by the opinions.
        assert!(is_passed(&t, &votes(u, 0, 3 * u, 0), total, true).unwrap());
        // Ended: 3 yes, 3 no: quorum met, 50 % < 60 %: fails on threshold.
        assert!(!is_passed(&t, &votes(3 * u, 3 * u, 0, 0), total, true).unwrap());
        // Vetoes are opinions against.
        assert!(!is_passed(&t, &votes(3 * u, u, 0, 2 * u), total, true).unwrap());
    }

    #[test]
    fn no_pass_without_a_yes() {
        let t = Threshold::ThresholdQuorum {
            threshold: pct(50),
            quorum: pct(10),
        };
        assert!(!is_passed(&t, &votes(0, 0, 10, 0), 10u128.into(), true).unwrap());
        let t = Threshold::AbsolutePercentage {
            percentage: pct(50),
        };
        assert!(!is_passed(&t, &votes(0, 0, 10, 0), 10u128.into(), false).unwrap());
    }

    #[test]
    fn add_and_remove_are_checked() {
        let mut v = Votes::default();
        add(&mut v, Vote::Yes, Uint128::MAX).unwrap();
        assert!(add(&mut v, Vote::Yes, Uint128::one()).is_err());
        assert!(remove(&mut v, Vote::No, Uint128::one()).is_err());
        remove(&mut v, Vote::Yes, Uint128::MAX).unwrap();
        assert_eq!(v, Votes::default());
    }
}
