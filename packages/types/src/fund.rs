//! Messages of the default fund, its parameters and the default receipt.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, CosmosMsg, Decimal, QuerierWrapper, StdResult, Timestamp, Uint128};
use cw20::Cw20ReceiveMsg;

use crate::asset::{AssetInfo, SettlementAsset};

/// Risk parameters of the fund; changed only by governance.
#[cw_serde]
pub struct FundParams {
    /// Floor of every member's required contribution.
    pub min_contribution: Uint128,
    /// Required contribution per unit of required margin.
    pub contribution_rate: Decimal,
    /// Cap on the sum of assessment rates inside one cooling-off period.
    pub assessment_multiple: Decimal,
    /// Seconds a cooling-off period lasts.
    pub cooling_off_period: u64,
    /// Seconds members have to pay an assessment.
    pub assessment_deadline: u64,
    /// Seconds members have to top up their contribution after a default.
    pub replenishment_period: u64,
    /// Seconds between a withdrawal request and its claim.
    pub withdrawal_notice_period: u64,
}

impl Default for FundParams {
    fn default() -> Self {
        FundParams {
            min_contribution: Uint128::new(100),
            contribution_rate: Decimal::percent(10),
            assessment_multiple: Decimal::percent(200),
            cooling_off_period: 28 * 86_400,
            assessment_deadline: 86_400,
            replenishment_period: 7 * 86_400,
            withdrawal_notice_period: 14 * 86_400,
        }
    }
}

#[cw_serde]
pub struct InstantiateMsg {
    pub governance: String,
    pub risk_engine: String,
    /// Funds the skin-in-the-game tranche.
    pub operator: String,
    /// Paid the covered part of every default.
    pub loss_recipient: String,
    pub vault: String,
    pub asset: AssetInfo,
    pub params: FundParams,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// A member adds to its default-fund balance (native funds).
    Contribute {},
    /// The operator adds to the skin-in-the-game tranche (native funds).
    FundSitg {},
    /// A member pays everything it owes in assessments (native funds).
    PayAssessment {},
    /// Anyone pays fees to the contributors (native funds).
    DistributeFees {},
    /// cw20 deployments: the same four through the token's `Send`.
    Receive(Cw20ReceiveMsg),
    /// Start the notice period for withdrawing `amount` of contributions.
    RequestWithdrawal { amount: Uint128 },
    /// After the notice: take out `min(requested, balance now)`.
    ClaimWithdrawal {},
    /// Claim accrued fees.
    ClaimFees {},
    /// Risk engine or governance: run the waterfall for `member`'s loss.
    DeclareDefault { member: String, loss: Uint128 },
    /// Anyone, after the deadline: draw the overdue assessment from the
    /// member's excess margin; what cannot be drawn puts it in breach.
    EnforceAssessment { member: String },
    /// Anyone, after the replenishment period: draw the member's shortfall
    /// below its required contribution from its excess margin.
    EnforceReplenishment { member: String },
    /// Anyone: recompute members' required contributions after a change of
    /// `contribution_rate` or `min_contribution` (at most 30 per call).
    RefreshRequirements { members: Vec<String> },
    /// Governance: close a member's default; what is left of its margin
    /// and contribution becomes claimable by it.
    CloseDefault { member: String },
    /// Defaulter, after its default is closed: take out what is left of
    /// its contribution.
    ClaimReleased {},
    /// Governance: change risk parameters.
    UpdateParams { params: FundParams },
    /// Governance: change roles.
    UpdateConfig {
        governance: Option<String>,
        risk_engine: Option<String>,
        operator: Option<String>,
        loss_recipient: Option<String>,
    },
    /// Governance: pause (withdrawal claims stop) or unpause.
    SetPause { paused: bool },
    /// Governance: emergency shutdown. New business stops; once no default
    /// is open, members take out their whole balance without notice.
    Shutdown {},
    /// Calls only the margin vault may make.
    VaultHook(VaultHookMsg),
}

/// Body of a cw20 `Send` to the fund.
#[cw_serde]
pub enum ReceiveMsg {
    Contribute {},
    FundSitg {},
    PayAssessment {},
    DistributeFees {},
}

/// What the margin vault tells the fund.
#[cw_serde]
pub enum VaultHookMsg {
    MemberAdded {
        member: String,
        required_margin: Uint128,
    },
    RequirementChanged {
        member: String,
        required_margin: Uint128,
    },
    /// Refused unless the member holds and owes nothing in the fund.
    MemberRemoved { member: String },
}

#[cw_serde]
pub enum SudoMsg {
    SetRoles {
        governance: Option<String>,
        risk_engine: Option<String>,
    },
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
    #[returns(FundParams)]
    Params {},
    #[returns(FundStateResponse)]
    State {},
    #[returns(MemberResponse)]
    Member { address: String },
    #[returns(ObligationsResponse)]
    Obligations { address: String },
    #[returns(DefaultReceipt)]
    Default { id: u64 },
    #[returns(DefaultsResponse)]
    Defaults {
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// What `DeclareDefault { member, loss }` would do now, without doing it.
    #[returns(DefaultReceipt)]
    PreviewDefault { member: String, loss: Uint128 },
}

#[cw_serde]
pub struct ConfigResponse {
    pub governance: Addr,
    pub risk_engine: Addr,
    pub operator: Addr,
    pub loss_recipient: Addr,
    pub vault: Addr,
    pub asset: SettlementAsset,
    pub paused: bool,
    pub shutdown: bool,
}

#[cw_serde]
pub struct CoolingOff {
    pub started: Timestamp,
    pub ends: Timestamp,
    /// Sum of the assessment rates of the period's defaults so far.
    pub rate_used: cosmwasm_std::Decimal256,
}

#[cw_serde]
pub struct FundStateResponse {
    /// Sum of members' default-fund balances (before per-member rounding).
    pub total_contributions: Uint128,
    pub sitg: Uint128,
    /// Fees distributed and not yet claimed.
    pub fees_unclaimed: Uint128,
    /// Defaulters' contributions left after layer 2, held until closed.
    pub released_pending: Uint128,
    /// Sum of the required contributions of members not in default (`B`).
    pub total_required: Uint128,
    pub uncovered_total: Uint128,
    pub active_members: u64,
    pub defaults: u64,
    pub open_defaults: u64,
    pub cooling_off: Option<CoolingOff>,
    pub last_default_at: Option<Timestamp>,
}

#[cw_serde]
#[derive(Copy, Eq)]
pub enum MemberStatus {
    Active,
    /// An overdue obligation could not be drawn in full.
    InBreach,
    Defaulted,
    /// Default closed by governance.
    Closed,
}

#[cw_serde]
pub struct PendingWithdrawal {
    pub amount: Uint128,
    pub claimable_at: Timestamp,
}

#[cw_serde]
pub struct MemberResponse {
    pub address: Addr,
    pub balance: Uint128,
    pub required_margin: Uint128,
    pub required_contribution: Uint128,
    pub assessment_owed: Uint128,
    /// Part of `assessment_owed` past its deadline.
    pub assessment_overdue: Uint128,
    /// Shortfall below the required contribution that can be enforced now.
    pub replenishment_due: Uint128,
    pub fees_claimable: Uint128,
    pub pending_withdrawal: Option<PendingWithdrawal>,
    /// A defaulter's contribution left after the waterfall.
    pub released: Uint128,
    pub status: MemberStatus,
}

#[cw_serde]
pub struct ObligationsResponse {
    pub owed: Uint128,
    pub overdue: Uint128,
    pub replenishment_due: Uint128,
    pub status: MemberStatus,
}

/// The amounts of one default, layer by layer. They add up to `loss`.
#[cw_serde]
#[derive(Default)]
pub struct Layers {
    pub defaulter_margin: Uint128,
    pub defaulter_contribution: Uint128,
    pub sitg: Uint128,
    pub mutual_fund: Uint128,
    pub assessments: Uint128,
    pub uncovered: Uint128,
}

impl Layers {
    /// `(name, amount)` in waterfall order.
    pub fn named(&self) -> [(&'static str, Uint128); 6] {
        [
            ("defaulter_margin", self.defaulter_margin),
            ("defaulter_contribution", self.defaulter_contribution),
            ("sitg", self.sitg),
            ("mutual_fund", self.mutual_fund),
            ("assessments", self.assessments),
            ("uncovered", self.uncovered),
        ]
    }

    pub fn total(&self) -> StdResult<Uint128> {
        self.named()
            .iter()
            .try_fold(Uint128::zero(), |acc, (_, a)| Ok(acc.checked_add(*a)?))
    }
}

#[cw_serde]
pub struct DefaultReceipt {
    /// 0 in a preview.
    pub id: u64,
    pub member: Addr,
    pub loss: Uint128,
    pub layers: Layers,
    pub declared_at: Timestamp,
    /// `B`: required contributions of the survivors the assessment is spread over.
    pub assessment_base: Uint128,
    /// `A / B` of this default.
    pub assessment_rate: cosmwasm_std::Decimal256,
    /// Assessments are due by then.
    pub assessment_due: Option<Timestamp>,
    pub closed: bool,
}

#[cw_serde]
pub struct DefaultsResponse {
    pub defaults: Vec<DefaultReceipt>,
}

/// Typed handle on a deployed default fund.
#[cw_serde]
pub struct FundContract(pub Addr);

impl FundContract {
    pub fn call(&self, msg: ExecuteMsg) -> StdResult<CosmosMsg> {
        crate::call::execute_msg(&self.0, &msg)
    }

    pub fn hook(&self, msg: VaultHookMsg) -> StdResult<CosmosMsg> {
        self.call(ExecuteMsg::VaultHook(msg))
    }

    pub fn obligations(
        &self,
        querier: &QuerierWrapper,
        member: &Addr,
    ) -> StdResult<ObligationsResponse> {
        querier.query_wasm_smart(
            &self.0,
            &QueryMsg::Obligations {
                address: member.to_string(),
            },
        )
    }
}
