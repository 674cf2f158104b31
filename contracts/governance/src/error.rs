use cosmwasm_std::{StdError, Timestamp};
use cw_utils::ThresholdError;
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Threshold(#[from] ThresholdError),

    #[error("{0}")]
    Payment(#[from] cw_utils::PaymentError),

    #[error("unauthorized: {sender} may not {action}")]
    Unauthorized { action: String, sender: String },

    #[error("{address} is not an active member and cannot {action}")]
    NotAVoter { address: String, action: String },

    #[error("{address} has no voting weight")]
    NoVotingWeight { address: String },

    #[error("proposal {id} does not exist")]
    UnknownProposal { id: u64 },

    #[error("proposal {id} is not open for voting")]
    NotOpen { id: u64 },

    #[error("{voter} already voted on proposal {id}")]
    AlreadyVoted { id: u64, voter: String },

    #[error("{voter} did not vote on proposal {id}")]
    NoVote { id: u64, voter: String },

    #[error("{voter} is not in default: its vote still counts")]
    VoterNotDefaulted { voter: String },

    #[error("proposal {id} has not passed")]
    NotPassed { id: u64 },

    #[error("proposal {id} is in its timelock until {} (unix seconds)", until.seconds())]
    Timelocked { id: u64, until: Timestamp },

    #[error("proposal {id} is past its timelock: it can no longer be vetoed")]
    TimelockOver { id: u64 },

    #[error("proposal {id} was vetoed")]
    Vetoed { id: u64 },

    #[error("proposal {id} cannot be closed: {reason}")]
    CannotClose { id: u64, reason: String },

    #[error("a proposal needs at least one message")]
    EmptyProposal {},

    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },
}

impl ContractError {
    pub fn unauthorized(action: &str, sender: impl ToString) -> Self {
        ContractError::Unauthorized {
            action: action.to_string(),
            sender: sender.to_string(),
        }
    }

    pub fn invalid(field: &str, reason: &str) -> Self {
        ContractError::Invalid {
            field: field.to_string(),
            reason: reason.to_string(),
        }
    }
}
