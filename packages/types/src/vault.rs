//! Messages of the margin vault and typed helpers that build them.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, CosmosMsg, QuerierWrapper, StdResult, Uint128};
use cw20::Cw20ReceiveMsg;
use cw_storage_plus::Map;

use crate::asset::{AssetInfo, SettlementAsset};

#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    /// Admin of the vault: the governance contract (or an operator address
    /// until governance is deployed).
    pub governance: String,
    /// Sets margin requirements.
    pub risk_engine: String,
    pub asset: AssetInfo,
    /// The default fund; may be set later with `UpdateConfig` because the
    /// fund is instantiated with the vault's address.
    pub default_fund: Option<String>,
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ExecuteMsg {
    /// Deposit margin in the native settlement denom (attach exactly one coin).
    Deposit {},
    /// Deposit margin in the cw20 settlement token (`Send` with [`ReceiveMsg`]).
    Receive(Cw20ReceiveMsg),
    /// Withdraw margin above the member's requirement (all of it once the
    /// member has completed its exit from the fund).
    Withdraw { amount: Uint128 },
    /// Anyone, once the member has completed its exit from the fund (SPEC
    /// v2 §8): pay it its whole margin and close its account.
    CloseAccount { member: String },
    /// Risk engine (or governance): set a member's margin requirement.
    SetRequiredMargin { member: String, amount: Uint128 },
    /// Governance: admit a member to the vault and the default fund.
    AddMember {
        member: String,
        required_margin: Uint128,
    },
    /// Governance: change roles and the fund address.
    UpdateConfig {
        governance: Option<String>,
        risk_engine: Option<String>,
        default_fund: Option<String>,
    },
    /// Governance: pause (withdrawals stop) or unpause.
    SetPause { paused: bool },
    /// Governance: emergency shutdown. Deposits stop; once the fund has no
    /// open default, members withdraw all their margin.
    Shutdown {},
    /// Calls only the default fund may make.
    FundHook(FundHookMsg),
}

/// Body of a cw20 `Send` to the vault.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ReceiveMsg {
    Deposit {},
}

/// What the default fund asks the vault to do.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum FundHookMsg {
    /// Freeze the defaulter and pay `amount` of its margin to `recipient`
    /// (waterfall layer 1). Refused if the margin is smaller than `amount`.
    Seize {
        member: String,
        amount: Uint128,
        recipient: String,
    },
    /// Pay `amount` of the member's margin above its requirement to
    /// `recipient` (overdue assessment or replenishment). Refused if the
    /// excess margin is smaller than `amount`.
    Draw {
        member: String,
        amount: Uint128,
        recipient: String,
    },
    /// Governance closed the default: the defaulter may take out what is
    /// left of its margin.
    Release { member: String },
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum SudoMsg {
    /// Chain governance: replace roles.
    SetRoles {
        governance: Option<String>,
        risk_engine: Option<String>,
    },
    /// Chain governance: pause or unpause.
    SetPause { paused: bool },
    /// Chain governance: emergency shutdown.
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
    #[returns(MemberResponse)]
    Member { address: String },
    #[returns(MembersResponse)]
    Members {
        start_after: Option<String>,
        limit: Option<u32>,
    },
    #[returns(TotalsResponse)]
    Totals {},
    /// The vault's books: margin held against the tokens it holds (SPEC v2 §4).
    #[returns(VaultBooksResponse)]
    Books {},
}

#[cw_serde]
pub struct ConfigResponse {
    pub governance: Addr,
    pub risk_engine: Addr,
    pub default_fund: Option<Addr>,
    pub asset: SettlementAsset,
    pub paused: bool,
    pub shutdown: bool,
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum MarginStatus {
    Active,
    /// Declared in default: frozen, nothing moves until governance closes it.
    Defaulted,
    /// Default closed by governance: the rest of the margin is claimable.
    Released,
    /// Left after its exit from the fund; the account is empty and closed.
    Exited,
}

#[cw_serde]
pub struct MemberResponse {
    pub address: Addr,
    pub balance: Uint128,
    pub required_margin: Uint128,
    /// Margin above the requirement (what a withdrawal or a draw may take).
    pub excess: Uint128,
    pub status: MarginStatus,
}

#[cw_serde]
pub struct MembersResponse {
    pub members: Vec<MemberResponse>,
}

#[cw_serde]
pub struct TotalsResponse {
    pub members: u64,
    pub total_margin: Uint128,
    pub total_required: Uint128,
}

#[cw_serde]
pub struct VaultBooksResponse {
    /// Every member's margin: the vault's only claims.
    pub total_margin: Uint128,
    /// For a native asset, the bank balance; `None` for cw20.
    pub bank_balance: Option<Uint128>,
}

/// Typed handle on a deployed margin vault.
#[cw_serde]
pub struct VaultContract(pub Addr);

/// A member's margin account, as the vault stores it under
/// [`MARGIN_ACCOUNTS`]. Published here because the default fund reads it
/// directly (one store read) instead of by a smart query.
#[cw_serde]
pub struct MarginAccount {
    pub balance: Uint128,
    pub required_margin: Uint128,
    pub status: MarginStatus,
}

impl MarginAccount {
    /// Margin above the requirement.
    pub fn excess(&self) -> Uint128 {
        self.balance.saturating_sub(self.required_margin)
    }
}

/// The vault's margin accounts by member. The vault declares its storage with
/// this map; other contracts read it with [`VaultContract::margin_account`].
pub const MARGIN_ACCOUNTS: Map<&Addr, MarginAccount> = Map::new("members");

impl VaultContract {
    pub fn call(&self, msg: ExecuteMsg) -> StdResult<CosmosMsg> {
        crate::call::execute_msg(&self.0, &msg)
    }

    /// `ExecuteMsg::FundHook(msg)`, serialized as that one variant.
    pub fn hook(&self, msg: FundHookMsg) -> StdResult<CosmosMsg> {
        crate::call::execute_msg(&self.0, &crate::call::Variant("fund_hook", &msg))
    }

    /// A member's margin account by a raw read of the vault's storage:
    /// one store read, where a smart query costs an instance load (wasmd
    /// charges ~64,000 gas before the vault runs). `None` for a non-member.
    pub fn margin_account(
        &self,
        querier: &QuerierWrapper,
        member: &Addr,
    ) -> StdResult<Option<MarginAccount>> {
        MARGIN_ACCOUNTS.query(querier, self.0.clone(), member)
    }
}
