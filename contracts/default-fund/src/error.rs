use clearing_types::asset::AssetError;
use clearing_types::ledger::Blocked;
use cosmwasm_std::{OverflowError, StdError, Timestamp, Uint128};
use cw_utils::PaymentError;
use thiserror::Error;

/// Every refusal of the default fund; each leaves state and balances as
/// they were.
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

    #[error("{address} is or was a member already: it cannot be admitted again")]
    AlreadyMember { address: String },

    #[error("member {address} is in default")]
    MemberInDefault { address: String },

    #[error("{address} has left the fund")]
    MemberExited { address: String },

    #[error("member {address} is not in default")]
    NotInDefault { address: String },

    #[error("the default of {address} is already closed")]
    DefaultClosed { address: String },

    #[error("the default {id} is still open: governance closes it first")]
    DefaultStillOpen { id: u64 },

    #[error("amount must be greater than zero")]
    ZeroAmount {},

    #[error("nothing is owed")]
    NothingOwed {},

    #[error("nothing is overdue: the earliest unpaid share is due at {} (unix seconds)", due.seconds())]
    NotYetDue { due: Timestamp },

    #[error("no replenishment is overdue: shortfall {shortfall}, due {}", due.map(|d| d.seconds().to_string()).unwrap_or_else(|| "never".to_string()))]
    NoReplenishmentDue {
        shortfall: Uint128,
        due: Option<Timestamp>,
    },

    #[error("payment of {paid} is below the {owed} owed: pay at least what is owed")]
    WrongPaymentAmount { paid: Uint128, owed: Uint128 },

    #[error("requested {requested} exceeds the {available} above the required contribution")]
    ExceedsAvailable {
        requested: Uint128,
        available: Uint128,
    },

    #[error("no withdrawal was requested")]
    NoWithdrawalRequested {},

    #[error("the notice runs until {} (unix seconds)", claimable_at.seconds())]
    NoticeNotOver { claimable_at: Timestamp },

    #[error("the withdrawal request lapsed at {} (unix seconds): request again", lapsed_at.seconds())]
    WithdrawalLapsed { lapsed_at: Timestamp },

    #[error("a cooling-off period is open until {} (unix seconds): no withdrawals or exits", ends.seconds())]
    CoolingOffOpen { ends: Timestamp },

    #[error("exit refused: {reason}")]
    ExitBlocked { reason: String },

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

    #[error("no default with id {id}")]
    UnknownDefault { id: u64 },

    #[error("the risk engine may mutualise at most {limit} in one default; this one mutualises {mutualised}: governance must declare it")]
    RiskEngineLimit { mutualised: Uint128, limit: Uint128 },

    #[error("member {address} is already suspended")]
    AlreadySuspended { address: String },

    #[error("member {address} is not suspended")]
    NotSuspended { address: String },

    #[error("member {address} is suspended pending governance")]
    Suspended { address: String },

    #[error("member {address} already gave notice to exit")]
    ExitAlreadyRequested { address: String },

    #[error("member {address} has not given notice to exit")]
    NoExitRequested { address: String },

    #[error("the exit notice runs until {} (unix seconds)", available_at.seconds())]
    ExitNoticeNotOver { available_at: Timestamp },

    #[error(
        "the exit notice lapsed at {} (unix seconds): give notice again",
        lapsed_at.seconds()
    )]
    ExitNoticeLapsed { lapsed_at: Timestamp },

    #[error("the fund is sized by required margin: recalibration needs cover mode")]
    NotCoverMode {},

    #[error("the next recalibration is due at {} (unix seconds)", due.seconds())]
    RecalibrationNotDue { due: Timestamp },

    #[error("{count} exposures in one message: at most {max}")]
    TooManyExposures { count: usize, max: usize },

    #[error("the SITG tranche stays until every default is closed ({open_defaults} open) and nothing is owed ({open_obligations} unpaid shares)")]
    SitgLocked {
        open_defaults: u64,
        open_obligations: u64,
    },

    #[error("the fund's books do not balance: claims {claims}, holdings {holdings}, bank balance {bank}")]
    BooksBroken {
        claims: Uint128,
        holdings: Uint128,
        bank: String,
    },

    #[error("only the fund itself may call its callbacks")]
    NotSelf {},
}

impl ContractError {
    pub fn unauthorized(action: &str, sender: impl ToString) -> Self {
        ContractError::Unauthorized {
            action: action.to_string(),
            sender: sender.to_string(),
        }
    }
}

impl From<Blocked> for ContractError {
    fn from(b: Blocked) -> Self {
        ContractError::ExitBlocked {
            reason: b.to_string(),
        }
    }
}
