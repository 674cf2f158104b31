//! Messages of the governance contract (SPEC v2 §5): cw3-style proposals
//! whose weights, totals and tallies are `Uint128` end to end, fixed at
//! the block a proposal opens.
//!
//! Shapes follow cw3 (`propose`, `vote`, `execute`, `close`; cw-utils'
//! three kinds of threshold), with the weights widened the way DAO DAO's
//! proposal modules widen them: a balance-weighted vote of 10^30 base
//! units, and the total of many such balances, are held exactly. Times are
//! unix seconds (`Timestamp`); periods are seconds; weights are a count
//! of members (one member one vote) or base units of the settlement asset
//! (fund balance).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, CosmosMsg, Decimal, Empty, StdResult, Timestamp, Uint128};
use cw_utils::{Duration, Expiration};

/// A ballot's option, as in cw3.
pub use cw3::Vote;

/// How a member's vote is weighed (SPEC v2 §5).
#[cw_serde]
#[derive(Copy, Eq)]
pub enum VoteWeighting {
    /// Weight 1 for every member who may vote at the proposal's opening;
    /// the total is the fund's count of such members then.
    OneMemberOneVote,
    /// Weight = the member's default-fund balance at the proposal's
    /// opening (after every loss up to then, rounded down once), in base
    /// units; the total is the balance of every member who may vote then.
    FundBalance,
}

impl VoteWeighting {
    /// Plain words for events.
    pub fn as_str(&self) -> &'static str {
        match self {
            VoteWeighting::OneMemberOneVote => "one_member_one_vote",
            VoteWeighting::FundBalance => "fund_balance",
        }
    }
}

/// What a proposal needs to pass: cw-utils' `Threshold`, with the absolute
/// count in the unit of the weights (`Uint128`).
///
/// - `AbsoluteCount`: `yes ≥ weight`.
/// - `AbsolutePercentage`: `yes ≥ ⌈(total − abstain) × percentage⌉`.
/// - `ThresholdQuorum`: the votes cast (abstain included) reach
///   `⌈total × quorum⌉`, and `yes ≥ ⌈(total − abstain) × threshold⌉` while
///   voting is open, `yes ≥ ⌈(cast − abstain) × threshold⌉` once it ended.
///
/// Every product is exact (no rounding before the one `⌈⌉`). Percentages
/// (`threshold`, `AbsolutePercentage`) are between 0.5 and 1, a quorum
/// above 0 and at most 1, an absolute count above 0.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum Threshold {
    AbsoluteCount { weight: Uint128 },
    AbsolutePercentage { percentage: Decimal },
    ThresholdQuorum { threshold: Decimal, quorum: Decimal },
}

impl From<cw_utils::Threshold> for Threshold {
    fn from(t: cw_utils::Threshold) -> Self {
        match t {
            cw_utils::Threshold::AbsoluteCount { weight } => Threshold::AbsoluteCount {
                weight: weight.into(),
            },
            cw_utils::Threshold::AbsolutePercentage { percentage } => {
                Threshold::AbsolutePercentage { percentage }
            }
            cw_utils::Threshold::ThresholdQuorum { threshold, quorum } => {
                Threshold::ThresholdQuorum { threshold, quorum }
            }
        }
    }
}

impl Threshold {
    /// The threshold with the total it is measured against.
    pub fn to_response(&self, total_weight: Uint128) -> ThresholdResponse {
        match self.clone() {
            Threshold::AbsoluteCount { weight } => ThresholdResponse::AbsoluteCount {
                weight,
                total_weight,
            },
            Threshold::AbsolutePercentage { percentage } => ThresholdResponse::AbsolutePercentage {
                percentage,
                total_weight,
            },
            Threshold::ThresholdQuorum { threshold, quorum } => {
                ThresholdResponse::ThresholdQuorum {
                    threshold,
                    quorum,
                    total_weight,
                }
            }
        }
    }
}

/// cw-utils' `ThresholdResponse` with `Uint128` weights.
#[cw_serde]
pub enum ThresholdResponse {
    AbsoluteCount {
        weight: Uint128,
        total_weight: Uint128,
    },
    AbsolutePercentage {
        percentage: Decimal,
        total_weight: Uint128,
    },
    ThresholdQuorum {
        threshold: Decimal,
        quorum: Decimal,
        total_weight: Uint128,
    },
}

impl ThresholdResponse {
    pub fn total_weight(&self) -> Uint128 {
        match self {
            ThresholdResponse::AbsoluteCount { total_weight, .. }
            | ThresholdResponse::AbsolutePercentage { total_weight, .. }
            | ThresholdResponse::ThresholdQuorum { total_weight, .. } => *total_weight,
        }
    }
}

/// Where a proposal stands.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum Status {
    /// Voting: neither passed nor past its voting period.
    Open,
    /// Passed; executable from the end of its timelock until its
    /// execution window closes.
    Passed,
    /// Its voting period ended without it passing (or it was closed).
    Rejected,
    Executed,
    /// The guardian stopped it during its timelock.
    Vetoed,
    /// Passed, but not executed within its execution window.
    Expired,
}

impl Status {
    /// Plain words for events and errors.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Passed => "passed",
            Status::Rejected => "rejected",
            Status::Executed => "executed",
            Status::Vetoed => "vetoed",
            Status::Expired => "expired",
        }
    }
}

/// The tally of a proposal, per option, in the unit of the weights.
#[cw_serde]
#[derive(Default)]
pub struct Votes {
    pub yes: Uint128,
    pub no: Uint128,
    pub abstain: Uint128,
    pub veto: Uint128,
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    pub vault: String,
    pub fund: String,
    /// May pause at once and veto a passed proposal during its timelock.
    pub guardian: Option<String>,
    pub threshold: Threshold,
    /// How long a proposal is open for votes; a time (`{"time": seconds}`),
    /// above 0 and at most ten years.
    pub voting_period: Duration,
    /// The least timelock of a proposal, in seconds (above 0, at most ten
    /// years): the guardian's veto window.
    pub min_timelock: u64,
    /// Seconds a passed proposal stays executable once its timelock ends
    /// (above 0, at most ten years).
    pub execution_window: u64,
    pub weighting: VoteWeighting,
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ExecuteMsg {
    /// A member who may vote at the start of this block opens a proposal
    /// and votes yes with its weight. Weights and the total are those at
    /// the start of this block. `latest` (a time) shortens the voting
    /// period; `timelock` (seconds) lengthens the minimum timelock.
    Propose {
        title: String,
        description: String,
        msgs: Vec<CosmosMsg<Empty>>,
        latest: Option<Expiration>,
        timelock: Option<u64>,
    },
    /// A member who could vote when the proposal opened votes once, with
    /// its weight at the opening.
    Vote { proposal_id: u64, vote: Vote },
    /// Anyone, after the timelock and within the execution window: send
    /// the proposal's messages.
    Execute { proposal_id: u64 },
    /// Anyone: record a proposal whose voting period ended without passing
    /// as rejected.
    Close { proposal_id: u64 },
    /// Anyone, while voting is open: take a defaulter's opening weight out
    /// of the proposal's total, with its ballot if it voted. Once per
    /// voter and proposal.
    DiscountVote { proposal_id: u64, voter: String },
    /// Guardian: stop a passed proposal during its timelock.
    Veto { proposal_id: u64 },
    /// Guardian or a proposal: pause the vault and the fund at once.
    Pause {},
    /// Only a proposal (the contract itself): unpause both.
    Unpause {},
    /// Only a proposal: emergency shutdown of both.
    Shutdown {},
    /// Only a proposal: change the rules of voting. Proposals already open
    /// keep the rules they opened with.
    UpdateConfig {
        threshold: Option<Threshold>,
        voting_period: Option<Duration>,
        min_timelock: Option<u64>,
        execution_window: Option<u64>,
        weighting: Option<VoteWeighting>,
    },
    /// Only a proposal: name or remove the guardian.
    SetGuardian { guardian: Option<String> },
}

/// Chain governance (x/gov) through `sudo`.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum SudoMsg {
    SetGuardian {
        guardian: Option<String>,
    },
    /// Pauses or unpauses the vault and the fund (governance is their admin).
    SetPause {
        paused: bool,
    },
    /// Emergency shutdown of the vault and the fund (SPEC v2 §5).
    Shutdown {},
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}

#[cw_serde]
#[derive(QueryResponses)]
#[serde(deny_unknown_fields)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    /// The threshold of a proposal opened now, with its total.
    #[returns(ThresholdResponse)]
    Threshold {},
    #[returns(ProposalResponse)]
    Proposal { proposal_id: u64 },
    #[returns(ProposalListResponse)]
    ListProposals {
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    #[returns(ProposalListResponse)]
    ReverseProposals {
        start_before: Option<u64>,
        limit: Option<u32>,
    },
    /// A ballot that counts (`None`: no vote, or a vote taken back).
    #[returns(VoteResponse)]
    Vote { proposal_id: u64, voter: String },
    /// The ballots that count, in address order.
    #[returns(VoteListResponse)]
    ListVotes {
        proposal_id: u64,
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// Defaulters' weights taken out of the proposal, in address order.
    #[returns(DiscountListResponse)]
    ListDiscounts {
        proposal_id: u64,
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// `address`'s weight on the proposal (at its opening) or, without
    /// one, on a proposal opened now; `None` when it may not vote then.
    #[returns(VoterResponse)]
    Voter {
        address: String,
        proposal_id: Option<u64>,
    },
    #[returns(TimelockResponse)]
    Timelock { proposal_id: u64 },
}

#[cw_serde]
pub struct ConfigResponse {
    pub vault: Addr,
    pub fund: Addr,
    pub guardian: Option<Addr>,
    pub threshold: Threshold,
    pub voting_period: Duration,
    pub min_timelock: u64,
    pub execution_window: u64,
    pub weighting: VoteWeighting,
}

#[cw_serde]
pub struct ProposalResponse {
    pub id: u64,
    pub title: String,
    pub description: String,
    pub msgs: Vec<CosmosMsg<Empty>>,
    pub status: Status,
    pub proposer: Addr,
    /// Weights and the total are those at the start of this block.
    pub start_height: u64,
    pub opened_at: Timestamp,
    /// End of voting.
    pub expires: Expiration,
    pub weighting: VoteWeighting,
    /// The proposal's threshold against `total_weight`.
    pub threshold: ThresholdResponse,
    /// The voters' weight together at the opening.
    pub opening_total: Uint128,
    /// `opening_total` less the defaulters' weights taken out.
    pub total_weight: Uint128,
    pub votes: Votes,
    /// The last event of the fund's history at the opening: balances are
    /// weighed after every loss up to it.
    pub fund_head: u64,
    /// Seconds from passing to the first moment it may be executed.
    pub timelock: u64,
    /// Seconds it stays executable after that.
    pub execution_window: u64,
    pub passed_at: Option<Timestamp>,
    pub executable_at: Option<Timestamp>,
    /// It may be executed until just before this moment.
    pub execution_deadline: Option<Timestamp>,
}

#[cw_serde]
pub struct ProposalListResponse {
    pub proposals: Vec<ProposalResponse>,
}

#[cw_serde]
pub struct VoteInfo {
    pub proposal_id: u64,
    pub voter: String,
    pub vote: Vote,
    pub weight: Uint128,
}

#[cw_serde]
pub struct VoteResponse {
    pub vote: Option<VoteInfo>,
}

#[cw_serde]
pub struct VoteListResponse {
    pub votes: Vec<VoteInfo>,
}

/// A defaulter's weight taken out of a proposal.
#[cw_serde]
pub struct DiscountInfo {
    pub voter: String,
    /// Its weight at the opening, out of the total (and of its ballot's option).
    pub weight: Uint128,
    /// The ballot taken back with it, if it had voted.
    pub vote: Option<Vote>,
}

#[cw_serde]
pub struct DiscountListResponse {
    pub discounts: Vec<DiscountInfo>,
}

#[cw_serde]
pub struct VoterResponse {
    pub weight: Option<Uint128>,
}

#[cw_serde]
pub struct TimelockResponse {
    pub timelock: u64,
    pub passed_at: Option<Timestamp>,
    pub executable_at: Option<Timestamp>,
    pub execution_deadline: Option<Timestamp>,
    pub vetoed: bool,
}

/// Typed handle on a deployed governance contract.
#[cw_serde]
pub struct GovernanceContract(pub Addr);

impl GovernanceContract {
    pub fn call(&self, msg: ExecuteMsg) -> StdResult<CosmosMsg> {
        crate::call::execute_msg(&self.0, &msg)
    }
}
