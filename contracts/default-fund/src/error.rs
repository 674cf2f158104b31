use clearing_types::asset::AssetError;
use cosmwasm_std::{OverflowError, StdError, Timestamp, Uint128};
use cw_utils::PaymentError;
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Overflow(#[from] OverflowError),

    #[error("{0}")]
    Asset(#[from] AssetError),

    #[error("{0}")]
    Payment(#[from] PaymentError),

    #[error("unauthorized: {sender} may not {action}")]
    Unauthorized { action: String, sender: String },

    #[error("{address} is not a member of the fund")]
    UnknownMember { address: String },

    #[error("{address} has no margin account in the vault")]
    NoMarginAccount { address: String },

    #[error("{address} is already a member")]
    AlreadyMember { address: String },

    #[error("member {address} is in default")]
    MemberInDefault { address: String },

    #[error("member {address} is not in default")]
    NotInDefault { address: String },

    #[error("the default of {address} is already closed")]
    DefaultClosed { address: String },

    #[error("amount must be greater than zero")]
    ZeroAmount {},

    #[error("nothing is owed")]
    NothingOwed {},

    #[error("nothing is overdue: the earliest unpaid assessment is due at {} (unix seconds)", due.seconds())]
    NotYetDue { due: Timestamp },

    #[error("no replenishment is due")]
    NoReplenishmentDue {},

    #[error("payment of {paid} does not match the {owed} owed: pay exactly what is owed")]
    WrongPaymentAmount { paid: Uint128, owed: Uint128 },

    #[error("requested {requested} exceeds the balance of {balance}")]
    ExceedsBalance {
        requested: Uint128,
        balance: Uint128,
    },

    #[error("no withdrawal was requested")]
    NoWithdrawalRequested {},

    #[error("the notice period runs until {} (unix seconds)", claimable_at.seconds())]
    NoticeNotOver { claimable_at: Timestamp },

    #[error("a cooling-off period is open until {} (unix seconds): no withdrawals", ends.seconds())]
    CoolingOffOpen { ends: Timestamp },

    #[error("member owes {owed} in assessments: pay before withdrawing")]
    OutstandingObligation { owed: Uint128 },

    #[error("no member has a balance to receive fees")]
    NoContributors {},

    #[error("no fees to claim")]
    NoFees {},

    #[error("nothing to claim")]
    NothingToClaim {},

    #[error("the fund is paused: withdrawals are stopped")]
    Paused {},

    #[error("the fund is shut down: no new business")]
    ShutDown {},

    #[error("the fund is not shut down")]
    NotShutDown {},

    #[error("invalid parameter {name}: {reason}")]
    InvalidParam { name: String, reason: String },

    #[error("member {address} still has {what} in the fund")]
    MemberNotEmpty { address: String, what: String },

    #[error("at most {max} members per call")]
    TooManyMembers { max: usize },

    #[error("no default with id {id}")]
    UnknownDefault { id: u64 },
}

impl ContractError {
    pub fn unauthorized(action: &str, sender: impl ToString) -> Self {
        ContractError::Unauthorized {
            action: action.to_string(),
            sender: sender.to_string(),
        }
    }
}
