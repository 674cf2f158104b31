//! Messages of the default fund, its parameters, the default receipt and
//! the fund's query responses (SPEC v2 §3, §4, §7, §8).
//!
//! Amounts are in base units of the settlement asset; times are unix
//! seconds (`Timestamp`); periods are seconds.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, CosmosMsg, Decimal, Decimal256, StdResult, Timestamp, Uint128, Uint256};
use cw20::Cw20ReceiveMsg;

use crate::asset::{AssetInfo, SettlementAsset};
use crate::ledger::{Basis, Obligation};

/// How the fund is sized (SPEC v2 §7).
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct SizingParams {
    /// `fixed`: basis = required margin, governance sets the rate;
    /// `cover`: basis = stress exposure, the rate is recalibrated.
    pub mode: Basis,
    /// The fund must cover the default of the `cover` members (1 or 2) with
    /// the largest stress exposures (Cover-1 / Cover-2).
    pub cover: u8,
    /// Target `T = (1 + buffer) × Σ top-cover exposures − SITG` (not below 0).
    pub buffer: Decimal,
    /// Bounds of a recalibrated `contribution_rate` in `cover` mode.
    pub min_rate: Decimal,
    pub max_rate: Decimal,
    /// Most a recalibration may move the rate, up or down.
    pub max_rate_step: Decimal,
    /// Seconds between two recalibrations.
    pub recalibration_interval: u64,
}

impl Default for SizingParams {
    fn default() -> Self {
        SizingParams {
            mode: Basis::RequiredMargin,
            cover: 2,
            buffer: Decimal::zero(),
            min_rate: Decimal::zero(),
            max_rate: Decimal::one(),
            max_rate_step: Decimal::percent(5),
            recalibration_interval: 86_400,
        }
    }
}

/// Risk parameters of the fund; changed only by governance (a proposal or
/// chain governance through `sudo`).
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct FundParams {
    /// Added to every member's required contribution (SPEC v2 §3).
    pub min_contribution: Uint128,
    /// Required contribution per unit of basis (0 to 1; 0: the minimum only).
    pub contribution_rate: Decimal,
    /// Cap on the sum of assessment rates inside one cooling-off period.
    pub assessment_multiple: Decimal,
    /// Seconds a cooling-off period lasts.
    pub cooling_off_period: u64,
    /// Seconds after a default before its assessment shares fall due.
    pub assessment_deadline: u64,
    /// Seconds a member has to cover a shortfall from the moment it opened.
    pub replenishment_period: u64,
    /// Seconds between a withdrawal request (or an exit notice) and its claim.
    pub withdrawal_notice_period: u64,
    /// Seconds a matured withdrawal request stays claimable before it lapses.
    pub withdrawal_claim_window: u64,
    /// The most the risk engine alone may mutualise in one default (layers
    /// 4 + 5 of the preview); larger defaults need governance. `None`: no limit.
    pub risk_engine_mutualised_limit: Option<Uint128>,
    pub sizing: SizingParams,
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
            withdrawal_claim_window: 7 * 86_400,
            risk_engine_mutualised_limit: None,
            sizing: SizingParams::default(),
        }
    }
}

#[cw_serde]
#[serde(deny_unknown_fields)]
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

/// One member's stress exposure, in base units.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub struct ExposurePost {
    pub member: String,
    pub amount: Uint128,
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ExecuteMsg {
    /// A member adds to its default-fund balance (native funds).
    Contribute {},
    /// The operator adds to the skin-in-the-game tranche (native funds).
    FundSitg {},
    /// A member pays everything it owes in assessments, due or not (native funds).
    PayAssessment {},
    /// Anyone pays fees to the contributors (native funds).
    DistributeFees {},
    /// Risk engine, governance or the loss recipient: money recovered from
    /// the defaulter's estate, credited in reverse order of the layers
    /// (native funds).
    RecordRecovery { default_id: u64 },
    /// cw20 deployments: the same through the token's `Send`.
    Receive(Cw20ReceiveMsg),
    /// Start the notice for withdrawing `amount` (only above the required
    /// contribution).
    RequestWithdrawal { amount: Uint128 },
    /// After the notice, within the claim window: take out
    /// `min(requested, balance − required contribution)`.
    ClaimWithdrawal {},
    /// Claim accrued fees.
    ClaimFees {},
    /// Claim recovery credits (SPEC v2 §8). A member that defaulted is
    /// paid none: its credits go to its own default as a recovery, in
    /// reverse order (what comes back to it is held, `ClaimReleased`).
    ClaimRecoveries {},
    /// Risk engine (within its limit) or governance: run the waterfall for
    /// `member`'s close-out loss.
    DeclareDefault { member: String, loss: Uint128 },
    /// Anyone: draw the overdue assessment shares from the member's excess
    /// margin; what cannot be drawn puts it in breach.
    EnforceAssessment { member: String },
    /// Anyone: draw an overdue replenishment shortfall from the member's
    /// excess margin into its balance; what cannot be drawn puts it in breach.
    EnforceReplenishment { member: String },
    /// Risk engine or governance: stop the member's exits at once, pending
    /// governance.
    Suspend { member: String },
    /// Governance: lift a suspension.
    Unsuspend { member: String },
    /// A member gives notice to exit; it stays fully liable meanwhile.
    RequestExit {},
    /// Governance: force a member's exit notice (removal).
    ForceExit { member: String },
    /// Anyone, after the notice: pay the member its whole balance, fees and
    /// margin and take it out of both contracts, if it owes nothing.
    CompleteExit { member: String },
    /// Risk engine: post members' stress exposures.
    PostExposures { exposures: Vec<ExposurePost> },
    /// Anyone, in `cover` mode, once the interval has passed: move the
    /// contribution rate toward the Cover-n target.
    Recalibrate {},
    /// Anyone: bring up to 30 members' records up to date. Recovery credits
    /// that cancel unpaid shares then reach the loss recipient, and the
    /// shares they clear stop counting as owed (which keeps the SITG
    /// tranche locked after shutdown); a former defaulter's credits go to
    /// its own default as a recovery.
    SettleMembers { members: Vec<String> },
    /// Governance: close a member's default; what is held of its margin and
    /// stake becomes claimable by it.
    CloseDefault { member: String },
    /// Defaulter, after its default is closed: take out what is held for it.
    ClaimReleased {},
    /// Operator, after shutdown, once every default is closed and nothing
    /// is owed: take out what is left of the SITG tranche.
    WithdrawSitg {},
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
    /// Calls only the fund itself may make (as the last message of one of
    /// its own responses).
    Callback(CallbackMsg),
}

/// The fund's own callbacks.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum CallbackMsg {
    /// After the vault paid `amount` of the member's excess margin to the
    /// fund (replenishment): credit it to the member's balance.
    CreditReplenishment { member: String, amount: Uint128 },
}

/// Body of a cw20 `Send` to the fund.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum ReceiveMsg {
    Contribute {},
    FundSitg {},
    PayAssessment {},
    DistributeFees {},
    RecordRecovery { default_id: u64 },
}

/// What the margin vault tells the fund.
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum VaultHookMsg {
    MemberAdded {
        member: String,
        required_margin: Uint128,
    },
    RequirementChanged {
        member: String,
        required_margin: Uint128,
    },
}

#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum SudoMsg {
    SetRoles {
        governance: Option<String>,
        risk_engine: Option<String>,
    },
    SetPause {
        paused: bool,
    },
    /// Chain governance: emergency shutdown.
    Shutdown {},
    /// Chain governance: change risk parameters.
    UpdateParams {
        params: FundParams,
    },
    /// Chain governance: lift a suspension.
    Unsuspend {
        member: String,
    },
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
    #[returns(FundParams)]
    Params {},
    #[returns(FundStateResponse)]
    State {},
    #[returns(MemberResponse)]
    Member { address: String },
    /// Members in address order, for reports.
    #[returns(MembersResponse)]
    Members {
        start_after: Option<String>,
        limit: Option<u32>,
    },
    #[returns(ObligationsResponse)]
    Obligations { address: String },
    #[returns(DefaultReceipt)]
    Default { id: u64 },
    #[returns(DefaultsResponse)]
    Defaults {
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// The default of one member, if it defaulted.
    #[returns(Option<DefaultReceipt>)]
    DefaultOf { member: String },
    /// What `DeclareDefault { member, loss }` would do now, without doing it.
    #[returns(DefaultReceipt)]
    PreviewDefault { member: String, loss: Uint128 },
    /// Pre-funded resources against the Cover-n requirement (SPEC v2 §7).
    #[returns(CoverageResponse)]
    Coverage {},
    /// The fund's books: what it holds against every claim on it (SPEC v2 §4).
    #[returns(BooksResponse)]
    Books {},
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
    /// Sum of the assessment rates of the period's defaults so far, exact.
    pub rate_used: crate::ratio::Ratio,
}

#[cw_serde]
pub struct FundStateResponse {
    /// The members' balances together, rounded down.
    pub total_contributions: Uint128,
    pub sitg: Uint128,
    /// Fees distributed and not yet claimed.
    pub fees_unclaimed: Uint128,
    /// Defaulters' stakes held until their defaults close.
    pub held: Uint128,
    /// Recovery credits held for members.
    pub recoveries_held: Uint128,
    /// `B`, exact, shown with 18 decimals (rounded up).
    pub total_required: Decimal256,
    /// Layer 6 of every default, summed (256 bits).
    pub uncovered_total: Uint256,
    /// Members in `B` (not defaulted, not exited).
    pub members: u64,
    pub voters: u64,
    pub defaults: u64,
    pub open_defaults: u64,
    pub open_obligations: u64,
    pub cooling_off: Option<CoolingOff>,
    /// Whether the cooling-off period is open now.
    pub cooling_off_open: bool,
    pub last_default_at: Option<Timestamp>,
    pub contribution_rate: Decimal,
    pub basis: Basis,
    pub last_recalibration: Option<Timestamp>,
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
    /// Left the fund and the vault after its notice.
    Exited,
}

impl MemberStatus {
    /// Plain words for events and reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            MemberStatus::Active => "active",
            MemberStatus::InBreach => "in_breach",
            MemberStatus::Defaulted => "defaulted",
            MemberStatus::Closed => "closed",
            MemberStatus::Exited => "exited",
        }
    }
}

#[cw_serde]
pub struct PendingWithdrawal {
    pub amount: Uint128,
    /// The notice ends.
    pub claimable_at: Timestamp,
    /// Seconds the request stays claimable once its notice (or a
    /// cooling-off period open when it ended) is over; fixed at the request.
    pub claim_window: u64,
}

#[cw_serde]
pub struct MemberResponse {
    pub address: Addr,
    pub status: MemberStatus,
    pub suspended: bool,
    /// When the member first gave notice to exit, or its exit was forced
    /// (a notice given again after a lapse keeps it): it has no vote on a
    /// proposal opened from then on.
    pub exit_notice_at: Option<Timestamp>,
    /// When a given exit notice ends.
    pub exit_available_at: Option<Timestamp>,
    /// When a member's own notice lapses if it has not completed its exit
    /// (the withdrawal claim window after the notice, pushed by a
    /// cooling-off period open when the notice ended); `None` for a forced
    /// exit, which does not lapse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_lapses_at: Option<Timestamp>,
    /// Balance, rounded down once.
    pub balance: Uint128,
    pub required_margin: Uint128,
    pub exposure: Uint128,
    /// `min + rate × basis`, exact, shown with 18 decimals (rounded up).
    pub required_contribution: Decimal256,
    /// Unpaid assessment shares with their own due dates.
    pub obligations: Vec<Obligation>,
    pub assessment_owed: Uint128,
    /// Part of `assessment_owed` past its due dates.
    pub assessment_overdue: Uint128,
    /// Balance below the required contribution, rounded up.
    pub shortfall: Uint128,
    /// When the shortfall falls due.
    pub shortfall_due: Option<Timestamp>,
    /// The shortfall once past its date.
    pub replenishment_overdue: Uint128,
    pub fees_claimable: Uint128,
    pub pending_withdrawal: Option<PendingWithdrawal>,
    /// A defaulter's stake held for it until its default closes.
    pub held: Uint128,
    /// Recovery credits claimable.
    pub recovered: Uint128,
    pub may_vote: bool,
}

#[cw_serde]
pub struct MembersResponse {
    pub members: Vec<MemberResponse>,
}

#[cw_serde]
pub struct ObligationsResponse {
    /// Assessments owed, due or not.
    pub owed: Uint128,
    /// Assessments past their due dates.
    pub overdue: Uint128,
    /// An overdue replenishment shortfall.
    pub replenishment_overdue: Uint128,
    pub shortfall: Uint128,
    pub shortfall_due: Option<Timestamp>,
    /// The earliest date among what is owed and the shortfall.
    pub next_due: Option<Timestamp>,
    pub status: MemberStatus,
    pub suspended: bool,
}

/// The amounts of one default, layer by layer. They add up to `loss`.
#[cw_serde]
#[derive(Default)]
pub struct Layers {
    pub defaulter_margin: Uint128,
    /// Layer 2: the defaulter's balance, unclaimed fees and unclaimed
    /// recovery credits — every token the fund held for it.
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

    /// What the survivors bear: layers 4 and 5.
    pub fn mutualised(&self) -> StdResult<Uint128> {
        Ok(self.mutual_fund.checked_add(self.assessments)?)
    }
}

/// What recoveries have credited back to one default, per layer (SPEC v2 §8).
#[cw_serde]
#[derive(Default)]
pub struct Recovered {
    pub assessments: Uint128,
    pub mutual_fund: Uint128,
    pub sitg: Uint128,
    /// Layer 6: what nobody covered, back to the loss recipient who bore it
    /// (before the defaulter gets anything back).
    pub uncovered: Uint128,
    /// Layers 1 and 2, held for the defaulter.
    pub defaulter: Uint128,
    /// Beyond the loss, to the defaulter.
    pub excess: Uint128,
    /// When the last recovery was recorded.
    pub last_at: Option<Timestamp>,
}

impl Recovered {
    pub fn total(&self) -> StdResult<Uint128> {
        Ok(self
            .assessments
            .checked_add(self.mutual_fund)?
            .checked_add(self.sitg)?
            .checked_add(self.uncovered)?
            .checked_add(self.defaulter)?
            .checked_add(self.excess)?)
    }
}

#[cw_serde]
pub struct DefaultReceipt {
    /// 0 in a preview.
    pub id: u64,
    pub member: Addr,
    /// `close_out_loss + unpaid_assessments`: what the layers cover.
    pub loss: Uint128,
    /// The loss the risk engine or governance declared.
    pub close_out_loss: Uint128,
    /// The defaulter's unpaid assessment shares from earlier defaults, due
    /// or not, that joined its loss.
    pub unpaid_assessments: Uint128,
    pub layers: Layers,
    pub declared_at: Timestamp,
    /// Who declared it: `risk_engine` or `governance`.
    pub declared_by: String,
    /// `B` the assessment is spread over, shown with 18 decimals (rounded up).
    pub assessment_base: Decimal256,
    /// `A / B` of this default, shown with 18 decimals (rounded up).
    pub assessment_rate: Decimal256,
    /// When this default's assessment shares fall due.
    pub assessment_due: Option<Timestamp>,
    /// Whether this default opened a cooling-off period.
    pub opened_cooling_off: bool,
    pub closed: bool,
    /// Filled in from the fund's recoveries when queried.
    #[serde(default)]
    pub recovered: Recovered,
}

#[cw_serde]
pub struct DefaultsResponse {
    pub defaults: Vec<DefaultReceipt>,
}

/// One of the largest stress exposures.
#[cw_serde]
pub struct TopExposure {
    pub member: Addr,
    pub exposure: Uint128,
}

#[cw_serde]
pub struct CoverageResponse {
    pub cover: u8,
    /// The `cover` members with the largest stress exposures, largest first.
    pub top_exposures: Vec<TopExposure>,
    /// `(1 + buffer) × Σ top exposures`, rounded up: the Cover-n requirement
    /// (256 bits: two exposures near `u128::MAX` still add up).
    pub requirement: Uint256,
    /// `max(requirement − SITG, 0)`: the target for the mutual fund.
    pub target: Uint256,
    /// SITG plus every member's balance.
    pub prefunded: Uint128,
    /// `prefunded / requirement` (`None` when the requirement is 0).
    pub ratio: Option<Decimal256>,
    /// `assessment_multiple × B` left in the current cooling-off period, rounded down.
    pub assessment_capacity: Uint256,
    /// `(prefunded + assessment_capacity) / requirement`.
    pub ratio_with_assessments: Option<Decimal256>,
    /// `B`, rounded up.
    pub total_required: Uint256,
    pub contribution_rate: Decimal,
    pub basis: Basis,
    /// When a recalibration may next run (`cover` mode).
    pub next_recalibration: Option<Timestamp>,
}

/// The fund's books (SPEC v2 §4 conservation): every claim on the tokens
/// it holds, and what it holds.
#[cw_serde]
pub struct BooksResponse {
    /// The tokens held for the pool: the members' balances and the dust
    /// below one unit that defaulters and leavers left.
    pub balances: Uint128,
    pub sitg: Uint128,
    pub fees_unclaimed: Uint128,
    pub held: Uint128,
    pub recoveries_held: Uint128,
    /// Sum of the above.
    pub claims: Uint128,
    /// The tokens the books say the fund holds.
    pub holdings: Uint128,
    /// For a native asset, the bank balance; `None` for cw20.
    pub bank_balance: Option<Uint128>,
}

/// Typed handle on a deployed default fund.
#[cw_serde]
pub struct FundContract(pub Addr);

impl FundContract {
    pub fn call(&self, msg: ExecuteMsg) -> StdResult<CosmosMsg> {
        crate::call::execute_msg(&self.0, &msg)
    }

    /// `ExecuteMsg::VaultHook(msg)`, serialized as that one variant.
    pub fn hook(&self, msg: VaultHookMsg) -> StdResult<CosmosMsg> {
        crate::call::execute_msg(&self.0, &crate::call::Variant("vault_hook", &msg))
    }
}
