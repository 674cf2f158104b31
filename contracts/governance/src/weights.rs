//! Who votes, with what weight: the fund's snapshots read raw (SPEC v2 §5
//! "Weights fixed at opening").
//!
//! A proposal opened at height `h` is weighed as the fund stood at the
//! start of block `h` (`fund_storage::POOL` and `VOTERS`, cw-storage-plus
//! snapshots): its total is the count of members who may vote then (one
//! member one vote) or their balance together (fund balance), and a
//! voter's weight is 1, or its balance then after every loss up to the
//! fund's last event then (`fund_head`), rounded down once. Nothing that
//! happens after `h` changes either; the fund guarantees that the weights
//! at `h` sum to at most the total at `h`, so the same tokens never vote
//! twice.
//!
//! Every read is a `WasmQuery::Raw` (one store read each), never a smart
//! query:
//! - the pool at `h`: the pool, plus its changelog entry when it changed
//!   in or after block `h`;
//! - a voter at `h`: its record, plus one changelog entry per block it
//!   changed in since `h`;
//! - its balance by weight: one event of the fund's history per event
//!   between its record and `fund_head`;
//! - whether it still may vote (not in default, no exit notice by the
//!   opening): its member record.

use clearing_types::fund::{FundContract, MemberStatus};
use clearing_types::fund_storage::{stake_balance, RawHistory};
use clearing_types::governance::VoteWeighting;
use cosmwasm_std::{Addr, QuerierWrapper, StdResult, Timestamp, Uint128};

use crate::error::ContractError;

/// A proposal's figures at its opening.
pub struct Opening {
    /// The weight all voters held together.
    pub total: Uint128,
    /// The fund's last event.
    pub fund_head: u64,
}

/// The total weight and the fund's head at the start of block `height`.
pub fn opening(
    querier: &QuerierWrapper,
    fund: &Addr,
    weighting: VoteWeighting,
    height: u64,
) -> StdResult<Opening> {
    let pool = FundContract(fund.clone()).pool_at(querier, height)?;
    let total = match weighting {
        VoteWeighting::OneMemberOneVote => Uint128::from(pool.voters),
        VoteWeighting::FundBalance => pool.voting_balance()?,
    };
    Ok(Opening {
        total,
        fund_head: pool.head,
    })
}

/// `voter`'s weight on a proposal opened at `height` with the fund's head
/// `fund_head`; `None` when it was not a member who may vote then.
pub fn weight_at(
    querier: &QuerierWrapper,
    fund: &Addr,
    weighting: VoteWeighting,
    voter: &Addr,
    height: u64,
    fund_head: u64,
) -> StdResult<Option<Uint128>> {
    let Some(record) = FundContract(fund.clone()).voter_at(querier, voter, height)? else {
        return Ok(None);
    };
    if !record.eligible {
        return Ok(None);
    }
    Ok(Some(match weighting {
        VoteWeighting::OneMemberOneVote => Uint128::one(),
        VoteWeighting::FundBalance => {
            stake_balance(&record, fund_head, &RawHistory { querier, fund })?
        }
    }))
}

/// A member's standing in the fund now, as governance reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub status: MemberStatus,
    /// When it gave notice to exit (or governance forced its exit).
    pub exit_notice_at: Option<Timestamp>,
}

/// `address`'s standing in the fund now; `None` for an address it does
/// not know.
pub fn standing_now(
    querier: &QuerierWrapper,
    fund: &Addr,
    address: &Addr,
) -> StdResult<Option<Standing>> {
    Ok(FundContract(fund.clone())
        .member_record(querier, address)?
        .map(|m| Standing {
            status: m.status,
            exit_notice_at: m.exit_notice_at,
        }))
}

/// Why a member's opening weight no longer counts on a proposal opened at
/// `opened_at` (`None`: it counts):
/// - `"defaulted"` / `"closed"`: declared in default since (SPEC v2 §5: a
///   defaulter's vote is taken back), also in the opening block after the
///   snapshot;
/// - `"exiting"`: it gave notice to exit at or before the opening (SPEC v2
///   §8: no vote on proposals opened after its notice) — a notice earlier
///   than the opening block already kept it out of the snapshot, one in
///   the opening block did not.
///
/// A suspension changes nothing here: a member suspended at the opening
/// had no vote on it (the snapshot), and one suspended later keeps the
/// vote it had — otherwise the risk engine, whose suspension is meant to
/// hold a member pending governance, could turn any vote by suspending
/// its voters. A member never votes on a proposal about itself
/// (`recusal.rs`).
pub fn lost_vote(standing: Option<Standing>, opened_at: Timestamp) -> Option<&'static str> {
    let s = standing?;
    if is_defaulter(Some(s.status)) {
        return Some(s.status.as_str());
    }
    if s.exit_notice_at.is_some_and(|at| at <= opened_at) {
        return Some("exiting");
    }
    None
}

/// Whether a status is a defaulter's (declared, or closed by governance).
pub fn is_defaulter(status: Option<MemberStatus>) -> bool {
    matches!(status, Some(MemberStatus::Defaulted | MemberStatus::Closed))
}

/// Plain words for a status, `not_a_member` for none.
pub fn status_str(status: Option<MemberStatus>) -> &'static str {
    status.map(|s| s.as_str()).unwrap_or("not_a_member")
}

/// Refuses a member whose vote on a proposal opened at `opened_at` no
/// longer counts ([`lost_vote`]).
pub fn ensure_may_vote(
    querier: &QuerierWrapper,
    fund: &Addr,
    address: &Addr,
    opened_at: Timestamp,
) -> Result<(), ContractError> {
    if let Some(status) = lost_vote(standing_now(querier, fund, address)?, opened_at) {
        return Err(ContractError::Defaulted {
            address: address.to_string(),
            status: status.to_string(),
        });
    }
    Ok(())
}
