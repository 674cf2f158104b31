use clearing_types::asset::AssetError;
use cosmwasm_std::{OverflowError, StdError, Uint128};
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

    #[error("{address} is not a member of the vault")]
    UnknownMember { address: String },

    #[error("{address} is already a member")]
    AlreadyMember { address: String },

    #[error("member {address} is in default: its margin is frozen")]
    MemberInDefault { address: String },

    #[error("member {address} is not in default")]
    NotInDefault { address: String },

    #[error("amount must be greater than zero")]
    ZeroAmount {},

    #[error("insufficient excess margin: {available} available, {requested} requested")]
    InsufficientExcessMargin {
        available: Uint128,
        requested: Uint128,
    },

    #[error("insufficient margin: {available} held, {requested} requested")]
    InsufficientMargin {
        available: Uint128,
        requested: Uint128,
    },

    #[error("member owes {overdue} overdue to the default fund: pay it before withdrawing")]
    OverdueObligation { overdue: Uint128 },

    #[error("member is in breach of an obligation to the default fund")]
    InBreach {},

    #[error("the vault is paused: withdrawals are stopped")]
    Paused {},

    #[error("the vault is shut down: no new business")]
    ShutDown {},

    #[error("{address} is not a member of the default fund")]
    NotFundMember { address: String },

    #[error("the default fund address is not set yet")]
    FundNotSet {},

    #[error("withdrawal refused: {reason}")]
    ExitBlocked { reason: String },

    #[error("{address} has left the vault")]
    MemberExited { address: String },

    #[error("{address} has not completed its exit from the default fund")]
    NotExited { address: String },

    #[error("the vault's books do not balance: margin {margin}, holdings {holdings}, bank balance {bank}")]
    BooksBroken {
        margin: Uint128,
        holdings: Uint128,
        bank: String,
    },
}
