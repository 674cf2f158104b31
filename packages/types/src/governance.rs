//! Messages of the governance contract (cw3-style proposals).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, CosmosMsg, Empty, Timestamp};
use cw3::{ProposalListResponse, ProposalResponse, Vote, VoteListResponse, VoteResponse};
use cw_utils::{Duration, Expiration, Threshold, ThresholdResponse};

/// How a member's vote is weighed.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum VoteWeighting {
    OneMemberOneVote,
    /// Weight = the member's default-fund balance when it votes; the total
    /// is the fund's total contributions when the proposal opens.
    FundBalance,
}

#[cw_serde]
pub struct InstantiateMsg {
    pub vault: String,
    pub fund: String,
    /// May pause at once and veto during the timelock.
    pub guardian: Option<String>,
    pub threshold: Threshold,
    pub voting_period: Duration,
    /// Seconds between a proposal passing and its execution.
    pub timelock: u64,
    pub weighting: VoteWeighting,
}

#[cw_serde]
pub enum ExecuteMsg {
    Propose {
        title: String,
        description: String,
        msgs: Vec<CosmosMsg<Empty>>,
        latest: Option<Expiration>,
    },
    Vote {
        proposal_id: u64,
        vote: Vote,
    },
    Execute {
        proposal_id: u64,
    },
    Close {
        proposal_id: u64,
    },
    /// Anyone: take back the vote of a member that has since defaulted.
    DiscountVote {
        proposal_id: u64,
        voter: String,
    },
    /// Guardian: stop a passed proposal during its timelock.
    Veto {
        proposal_id: u64,
    },
    /// Guardian or a proposal: pause the vault and the fund at once.
    Pause {},
    /// Only a proposal (the contract itself): unpause both.
    Unpause {},
    /// Only a proposal: emergency shutdown of both.
    Shutdown {},
    /// Only a proposal: change the rules of voting or the guardian.
    UpdateConfig {
        threshold: Option<Threshold>,
        voting_period: Option<Duration>,
        timelock: Option<u64>,
        weighting: Option<VoteWeighting>,
        guardian: Option<String>,
    },
}

#[cw_serde]
pub enum SudoMsg {
    SetGuardian {
        guardian: Option<String>,
    },
    /// Pauses or unpauses the vault and the fund through their own sudo.
    SetPause {
        paused: bool,
    },
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    #[returns(ThresholdResponse)]
    Threshold {},
    #[returns(ProposalResponse)]
    Proposal { proposal_id: u64 },
    #[returns(ProposalListResponse)]
    ListProposals {
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    #[returns(VoteResponse)]
    Vote { proposal_id: u64, voter: String },
    #[returns(VoteListResponse)]
    ListVotes {
        proposal_id: u64,
        start_after: Option<String>,
        limit: Option<u32>,
    },
    #[returns(cw3::VoterResponse)]
    Voter { address: String },
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
    pub timelock: u64,
    pub weighting: VoteWeighting,
}

#[cw_serde]
pub struct TimelockResponse {
    pub passed_at: Option<Timestamp>,
    pub executable_at: Option<Timestamp>,
    pub vetoed: bool,
}
