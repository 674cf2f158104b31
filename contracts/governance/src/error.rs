//! Every refusal of governance, with the figures that explain it. A
//! refused message changes nothing.

use cosmwasm_std::{Decimal, StdError, Timestamp, Uint128};
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Payment(#[from] cw_utils::PaymentError),

    #[error("unauthorized: {sender} may not {action}")]
    Unauthorized { action: String, sender: String },

    /// Propose: the sender was not a member who may vote at the start of
    /// this block (not a member, suspended, giving notice, defaulted).
    #[error("{address} may not vote at the start of block {height}, so it cannot propose")]
    NotAVoter { address: String, height: u64 },

    /// Vote: the sender could not vote when the proposal opened.
    #[error(
        "{voter} could not vote on proposal {id}: it was not a member who may vote \
         at the start of block {height}, when the proposal opened"
    )]
    NotAVoterAtOpening { id: u64, voter: String, height: u64 },

    /// Weighing by balance: a balance of zero at the opening.
    #[error("{address} had no fund balance at the start of block {height}: no voting weight")]
    NoVotingWeight { address: String, height: u64 },

    /// A defaulter neither proposes nor votes (SPEC §3: frozen), nor does
    /// a member that gave notice to exit by the opening (SPEC v2 §8).
    #[error("{address} has lost its vote ({status}): it can neither propose nor vote")]
    Defaulted { address: String, status: String },

    /// A member does not vote on a proposal about itself.
    #[error("{voter} may not vote on proposal {id}: the proposal acts on it ({action})")]
    Recused {
        id: u64,
        voter: String,
        action: String,
    },

    /// Recusal decides one member's case at a time (`recusal.rs`).
    #[error("a proposal acts on one member at most: it names {first} and {second} (propose each separately)")]
    SeveralMembersActedOn { first: String, second: String },

    /// A proposal about a member is about nothing else (`recusal.rs`).
    #[error("the proposal acts on {member}, so that member does not vote on it: message {index} does not act on {member} (propose it separately)")]
    NotOnlyAboutMember { member: String, index: u64 },

    /// A contract call recusal cannot read (`recusal.rs`).
    #[error(
        "message {index} calls through {type_url}: write a contract call as a wasm execute message"
    )]
    OpaqueContractCall { index: u64, type_url: String },

    #[error("proposal {id} does not exist")]
    UnknownProposal { id: u64 },

    #[error(
        "voting on proposal {id} is over: it is {status} (voting ends at {} unix seconds)",
        expires.seconds()
    )]
    VotingClosed {
        id: u64,
        status: String,
        expires: Timestamp,
    },

    #[error("{voter} already voted {vote} on proposal {id} with weight {weight}")]
    AlreadyVoted {
        id: u64,
        voter: String,
        vote: String,
        weight: Uint128,
    },

    #[error("{voter}'s weight {weight} was already taken out of proposal {id}")]
    AlreadyDiscounted {
        id: u64,
        voter: String,
        weight: Uint128,
    },

    #[error("{voter} has not lost its vote ({status}): it still counts")]
    VoterNotDefaulted { voter: String, status: String },

    #[error(
        "{voter} had no weight on proposal {id} (start of block {height}): nothing to take out"
    )]
    NothingToDiscount { id: u64, voter: String, height: u64 },

    /// The fund's snapshot gave a voter more weight than the proposal has
    /// left: the same tokens would count twice.
    #[error(
        "a weight of {weight} on proposal {id} exceeds the {remaining} not yet cast of its \
         total {total}"
    )]
    WeightBeyondTotal {
        id: u64,
        weight: Uint128,
        remaining: Uint128,
        total: Uint128,
    },

    #[error("an absolute count of {needed} can never be reached: the total weight is {total}")]
    UnreachableThreshold { needed: Uint128, total: Uint128 },

    #[error("proposal {id} has not passed: it is {status}")]
    NotPassed { id: u64, status: String },

    #[error("proposal {id} is in its timelock until {} (unix seconds)", until.seconds())]
    Timelocked { id: u64, until: Timestamp },

    #[error(
        "proposal {id} can no longer be executed: its execution window closed at {} (unix seconds)",
        deadline.seconds()
    )]
    ExecutionExpired { id: u64, deadline: Timestamp },

    #[error(
        "proposal {id} is past its timelock (ended at {} unix seconds): it can no longer be vetoed",
        ended.seconds()
    )]
    TimelockOver { id: u64, ended: Timestamp },

    #[error("proposal {id} was vetoed")]
    Vetoed { id: u64 },

    #[error("proposal {id} was already executed")]
    AlreadyExecuted { id: u64 },

    #[error("proposal {id} cannot be closed: it is {status}{}", if *voting_open { " and voting is open" } else { "" })]
    CannotClose {
        id: u64,
        status: String,
        voting_open: bool,
    },

    #[error("a proposal needs at least one message")]
    EmptyProposal {},

    #[error("a proposal needs a title")]
    EmptyTitle {},

    #[error("a timelock of {requested} s is below the minimum of {minimum} s")]
    TimelockBelowMinimum { requested: u64, minimum: u64 },

    #[error("{field} must be above 0 and at most {max} s, got {seconds} s")]
    InvalidPeriod {
        field: String,
        seconds: u64,
        max: u64,
    },

    #[error("{field} must be a time, not a height")]
    NotATime { field: String },

    #[error("a proposal's voting lasts the whole voting period, until {} (unix seconds): `latest` {} would cut it short", ends.seconds(), latest.seconds())]
    VotingPeriodShortened { latest: Timestamp, ends: Timestamp },

    #[error(
        "latest ({} unix seconds) is not after the current block time ({} unix seconds)",
        latest.seconds(), now.seconds()
    )]
    LatestPast { latest: Timestamp, now: Timestamp },

    #[error("{field} must be between {min} and {max}, got {value}")]
    InvalidFraction {
        field: String,
        value: Decimal,
        min: Decimal,
        max: Decimal,
    },

    #[error("{field} must be above 0")]
    ZeroFraction { field: String },

    #[error("an absolute count threshold must be above 0")]
    ZeroThresholdWeight {},
}

impl ContractError {
    pub fn unauthorized(action: &str, sender: impl ToString) -> Self {
        ContractError::Unauthorized {
            action: action.to_string(),
            sender: sender.to_string(),
        }
    }
}
