//! The access matrix: every execute message of every contract, sent by every
//! role that may not send it, is refused with the contract's typed error and
//! leaves state and balances unchanged.
//!
//! The messages and who may send them are data (`vault_rows`, `fund_rows`,
//! `gov_rows`); the refused cases are every (message, role) pair outside the
//! allowed set, so a new role or message adds its rows by itself.
//!
//! Left out, because they are open to anyone by design (the handlers check
//! the target's state, not the sender, and the bad-input tests cover them):
//! - fund `DistributeFees` (anyone may pay fees in),
//! - fund `EnforceAssessment`, `EnforceReplenishment` (keepers; they draw only
//!   what is overdue or due),
//! - fund `RefreshRequirements` (keepers; it only recomputes requirements),
//! - governance `Execute` (a passed proposal after its timelock), `Close`
//!   (a rejected or expired one), `DiscountVote` (a defaulter's vote).
//!
//! Chain-governance `sudo` messages cannot be sent by an account at all.

use clearing_suite::{contract_error, GovernanceSpec, Settlement, Suite, SuiteBuilder};
use clearing_types::fund::{self, FundParams};
use clearing_types::governance::{self, VoteWeighting};
use clearing_types::vault;
use cosmwasm_std::{coins, to_json_binary, Addr, Binary, CosmosMsg, Uint128, WasmMsg};
use cw20::Cw20ReceiveMsg;
use cw3::Vote;
use cw_multi_test::Executor;
use cw_utils::{Expiration, Threshold};

const DENOM: &str = "uclear";
const PAYMENT: u128 = 1_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// An address never admitted.
    NonMember,
    /// A member acting for itself.
    Member,
    /// Another member.
    OtherMember,
    RiskEngine,
    Guardian,
    Operator,
    LossRecipient,
    /// The deployer, admin of nothing once governance took over.
    Deployer,
    Vault,
    Fund,
    Governance,
    Random,
}

const ROLES: [Role; 12] = [
    Role::NonMember,
    Role::Member,
    Role::OtherMember,
    Role::RiskEngine,
    Role::Guardian,
    Role::Operator,
    Role::LossRecipient,
    Role::Deployer,
    Role::Vault,
    Role::Fund,
    Role::Governance,
    Role::Random,
];

const MEMBERS: [Role; 2] = [Role::Member, Role::OtherMember];

/// The refusal each wrong sender must get.
#[derive(Clone, Copy, Debug)]
enum Refusal {
    /// The contract's `Unauthorized { sender }`.
    Unauthorized,
    /// Not a member: the vault's and fund's `UnknownMember`, governance's
    /// `NotAVoter`.
    NotMember,
    /// A cw20 `Receive` not sent by the settlement token.
    NotTheToken,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Vault,
    Fund,
    Gov,
}

struct Row {
    target: Target,
    label: &'static str,
    msg: Binary,
    /// For a message that takes a payment, the body of the cw20 `Send` that
    /// makes the same call in a cw20 deployment.
    pays: Option<Binary>,
    allowed: Vec<Role>,
    refusal: Refusal,
}

fn row<T: serde::Serialize>(
    target: Target,
    label: &'static str,
    msg: &T,
    allowed: &[Role],
    refusal: Refusal,
) -> Row {
    Row {
        target,
        label,
        msg: to_json_binary(msg).unwrap(),
        pays: None,
        allowed: allowed.to_vec(),
        refusal,
    }
}

/// A row for a message that takes a payment; `body` is its cw20 form.
fn paying_row<T: serde::Serialize, R: serde::Serialize>(
    target: Target,
    label: &'static str,
    msg: &T,
    body: &R,
    allowed: &[Role],
    refusal: Refusal,
) -> Row {
    Row {
        pays: Some(to_json_binary(body).unwrap()),
        ..row(target, label, msg, allowed, refusal)
    }
}

/// Four members with margin and contributions, governance in charge, dave
/// in default with assessments outstanding, alice's withdrawal pending and
/// an open proposal: every message finds something to act on.
fn rich_suite(settlement: Settlement) -> (Suite, u64) {
    let mut suite = SuiteBuilder::new()
        .settlement(settlement)
        .sitg(1_000)
        .member("alice", 5_000, 4_000, 400)
        .member("bob", 4_000, 3_000, 300)
        .member("carol", 3_000, 2_000, 200)
        .member("dave", 2_000, 1_000, 100)
        .with_governance(GovernanceSpec {
            threshold: Threshold::AbsoluteCount { weight: 3 },
            voting_period: 7 * 86_400,
            timelock: 2 * 86_400,
            weighting: VoteWeighting::OneMemberOneVote,
        })
        .build();
    suite.request_withdrawal("alice", 100).unwrap();
    // Margin, contribution, SITG and the whole mutual fund, then assessments.
    let receipt = suite.declare_default("dave", 5_000).unwrap();
    assert!(!receipt.layers.assessments.is_zero());
    let shut = clearing_suite::wasm_execute(&suite.gov(), &governance::ExecuteMsg::Shutdown {});
    let id = suite.propose("bob", vec![shut]).unwrap();
    (suite, id)
}

fn address(suite: &Suite, role: Role) -> Addr {
    match role {
        Role::NonMember => suite.addr("mallory"),
        Role::Member => suite.addr("alice"),
        Role::OtherMember => suite.addr("bob"),
        Role::RiskEngine => suite.risk_engine.clone(),
        Role::Guardian => suite.guardian.clone(),
        Role::Operator => suite.operator.clone(),
        Role::LossRecipient => suite.loss_recipient.clone(),
        Role::Deployer => suite.admin.clone(),
        Role::Vault => suite.vault.clone(),
        Role::Fund => suite.fund.clone(),
        Role::Governance => suite.gov(),
        Role::Random => suite.addr("random"),
    }
}

fn vault_rows(suite: &Suite) -> Vec<Row> {
    use vault::{ExecuteMsg as M, FundHookMsg as H};
    use Refusal::*;
    use Role::*;
    let (alice, carol, dave) = (suite.addr("alice"), suite.addr("carol"), suite.addr("dave"));
    let to = suite.addr("random").to_string();
    let t = Target::Vault;
    vec![
        paying_row(
            t,
            "Deposit",
            &M::Deposit {},
            &vault::ReceiveMsg::Deposit {},
            &MEMBERS,
            NotMember,
        ),
        row(
            t,
            "Withdraw",
            &M::Withdraw {
                amount: Uint128::new(1),
            },
            &MEMBERS,
            NotMember,
        ),
        row(
            t,
            "SetRequiredMargin",
            &M::SetRequiredMargin {
                member: alice.to_string(),
                amount: Uint128::new(4_500),
            },
            &[RiskEngine, Governance],
            Unauthorized,
        ),
        row(
            t,
            "AddMember",
            &M::AddMember {
                member: suite.addr("newcomer").to_string(),
                required_margin: Uint128::new(1_000),
            },
            &[Governance],
            Unauthorized,
        ),
        row(
            t,
            "RemoveMember",
            &M::RemoveMember {
                member: carol.to_string(),
            },
            &[Governance],
            Unauthorized,
        ),
        row(
            t,
            "UpdateConfig",
            &M::UpdateConfig {
                governance: Some(to.clone()),
                risk_engine: Some(to.clone()),
                default_fund: None,
            },
            &[Governance],
            Unauthorized,
        ),
        row(
            t,
            "SetPause",
            &M::SetPause { paused: true },
            &[Governance],
            Unauthorized,
        ),
        row(t, "Shutdown", &M::Shutdown {}, &[Governance], Unauthorized),
        row(
            t,
            "FundHook::Seize",
            &M::FundHook(H::Seize {
                member: alice.to_string(),
                amount: Uint128::new(100),
                recipient: to.clone(),
            }),
            &[Fund],
            Unauthorized,
        ),
        row(
            t,
            "FundHook::Draw",
            &M::FundHook(H::Draw {
                member: alice.to_string(),
                amount: Uint128::new(100),
                recipient: to.clone(),
            }),
            &[Fund],
            Unauthorized,
        ),
        row(
            t,
            "FundHook::Release",
            &M::FundHook(H::Release {
                member: dave.to_string(),
            }),
            &[Fund],
            Unauthorized,
        ),
        row(
            t,
            "Receive",
            &M::Receive(receive_from(&alice, &vault::ReceiveMsg::Deposit {})),
            &[],
            NotTheToken,
        ),
    ]
}

fn fund_rows(suite: &Suite) -> Vec<Row> {
    use fund::{ExecuteMsg as M, VaultHookMsg as H};
    use Refusal::*;
    use Role::*;
    let (alice, carol, dave) = (suite.addr("alice"), suite.addr("carol"), suite.addr("dave"));
    let to = Some(suite.addr("random").to_string());
    let t = Target::Fund;
    let mut rows = vec![
        paying_row(
            t,
            "Contribute",
            &M::Contribute {},
            &fund::ReceiveMsg::Contribute {},
            &MEMBERS,
            NotMember,
        ),
        paying_row(
            t,
            "PayAssessment",
            &M::PayAssessment {},
            &fund::ReceiveMsg::PayAssessment {},
            &MEMBERS,
            NotMember,
        ),
        row(
            t,
            "RequestWithdrawal",
            &M::RequestWithdrawal {
                amount: Uint128::new(1),
            },
            &MEMBERS,
            NotMember,
        ),
        row(
            t,
            "ClaimWithdrawal",
            &M::ClaimWithdrawal {},
            &MEMBERS,
            NotMember,
        ),
        row(t, "ClaimFees", &M::ClaimFees {}, &MEMBERS, NotMember),
        paying_row(
            t,
            "FundSitg",
            &M::FundSitg {},
            &fund::ReceiveMsg::FundSitg {},
            &[Operator],
            Unauthorized,
        ),
        row(
            t,
            "DeclareDefault",
            &M::DeclareDefault {
                member: carol.to_string(),
                loss: Uint128::new(100),
            },
            &[RiskEngine, Governance],
            Unauthorized,
        ),
        row(
            t,
            "CloseDefault",
            &M::CloseDefault {
                member: dave.to_string(),
            },
            &[Governance],
            Unauthorized,
        ),
        row(
            t,
            "UpdateParams",
            &M::UpdateParams {
                params: FundParams {
                    withdrawal_notice_period: 86_400,
                    ..FundParams::default()
                },
            },
            &[Governance],
            Unauthorized,
        ),
        row(
            t,
            "UpdateConfig",
            &M::UpdateConfig {
                governance: to.clone(),
                risk_engine: to.clone(),
                operator: to.clone(),
                loss_recipient: to,
            },
            &[Governance],
            Unauthorized,
        ),
        row(
            t,
            "SetPause",
            &M::SetPause { paused: true },
            &[Governance],
            Unauthorized,
        ),
        row(t, "Shutdown", &M::Shutdown {}, &[Governance], Unauthorized),
        row(
            t,
            "VaultHook::MemberAdded",
            &M::VaultHook(H::MemberAdded {
                member: suite.addr("newcomer").to_string(),
                required_margin: Uint128::new(1_000),
            }),
            &[Vault],
            Unauthorized,
        ),
        row(
            t,
            "VaultHook::RequirementChanged",
            &M::VaultHook(H::RequirementChanged {
                member: alice.to_string(),
                required_margin: Uint128::new(9_000),
            }),
            &[Vault],
            Unauthorized,
        ),
        row(
            t,
            "VaultHook::MemberRemoved",
            &M::VaultHook(H::MemberRemoved {
                member: carol.to_string(),
            }),
            &[Vault],
            Unauthorized,
        ),
    ];
    for (label, body) in [
        ("Receive::Contribute", fund::ReceiveMsg::Contribute {}),
        ("Receive::FundSitg", fund::ReceiveMsg::FundSitg {}),
        ("Receive::PayAssessment", fund::ReceiveMsg::PayAssessment {}),
        (
            "Receive::DistributeFees",
            fund::ReceiveMsg::DistributeFees {},
        ),
    ] {
        rows.push(row(
            t,
            label,
            &M::Receive(receive_from(&alice, &body)),
            &[],
            NotTheToken,
        ));
    }
    rows
}

fn gov_rows(suite: &Suite, open_proposal: u64) -> Vec<Row> {
    use governance::ExecuteMsg as M;
    use Refusal::*;
    use Role::*;
    let shut = clearing_suite::wasm_execute(&suite.gov(), &M::Shutdown {});
    let t = Target::Gov;
    vec![
        row(
            t,
            "Propose",
            &M::Propose {
                title: "Shut down".into(),
                description: String::new(),
                msgs: vec![shut],
                latest: None::<Expiration>,
            },
            &MEMBERS,
            NotMember,
        ),
        // bob proposed: his own ballot is cast, so "other member" votes too.
        row(
            t,
            "Vote",
            &M::Vote {
                proposal_id: open_proposal,
                vote: Vote::Yes,
            },
            &[Member, OtherMember],
            NotMember,
        ),
        row(
            t,
            "Veto",
            &M::Veto {
                proposal_id: open_proposal,
            },
            &[Guardian],
            Unauthorized,
        ),
        row(
            t,
            "Pause",
            &M::Pause {},
            &[Guardian, Governance],
            Unauthorized,
        ),
        row(t, "Unpause", &M::Unpause {}, &[Governance], Unauthorized),
        row(t, "Shutdown", &M::Shutdown {}, &[Governance], Unauthorized),
        row(
            t,
            "UpdateConfig",
            &M::UpdateConfig {
                threshold: Some(Threshold::AbsoluteCount { weight: 1 }),
                voting_period: None,
                timelock: Some(0),
                weighting: None,
                guardian: Some(suite.addr("random").to_string()),
            },
            &[Governance],
            Unauthorized,
        ),
    ]
}

/// A cw20 `Receive` claiming to carry `amount` from `sender`.
fn receive_from<T: serde::Serialize>(sender: &Addr, body: &T) -> Cw20ReceiveMsg {
    Cw20ReceiveMsg {
        sender: sender.to_string(),
        amount: Uint128::new(PAYMENT),
        msg: to_json_binary(body).unwrap(),
    }
}

/// The vault's and the fund's errors have the same refusal variants.
macro_rules! vault_or_fund_refusal {
    ($E:ty, $refusal:expr, $who:expr, $e:expr) => {{
        use clearing_types::asset::AssetError;
        type E = $E;
        match ($refusal, contract_error::<E>($e)) {
            (Refusal::Unauthorized, E::Unauthorized { sender, .. }) => *sender == $who,
            (Refusal::NotMember, E::UnknownMember { address }) => *address == $who,
            (Refusal::NotTheToken, E::Asset(a)) => matches!(
                a,
                AssetError::Cw20NotAccepted { .. } | AssetError::WrongToken { .. }
            ),
            _ => false,
        }
    }};
}

fn is_refusal(target: Target, refusal: Refusal, sender: &Addr, e: &anyhow::Error) -> bool {
    let who = sender.to_string();
    match target {
        Target::Vault => vault_or_fund_refusal!(margin_vault::ContractError, refusal, who, e),
        Target::Fund => vault_or_fund_refusal!(default_fund::ContractError, refusal, who, e),
        Target::Gov => {
            use ::governance::ContractError as E;
            match (refusal, contract_error::<E>(e)) {
                (Refusal::Unauthorized, E::Unauthorized { sender, .. }) => *sender == who,
                (Refusal::NotMember, E::NotAVoter { address, .. }) => *address == who,
                _ => false,
            }
        }
    }
}

/// Sends every refused (message, role) pair; returns the count per contract.
fn run_matrix(settlement: Settlement) -> [usize; 3] {
    let (mut suite, open_proposal) = rich_suite(settlement);
    let mut rows = vault_rows(&suite);
    rows.extend(fund_rows(&suite));
    rows.extend(gov_rows(&suite, open_proposal));
    let mut counts = [0usize; 3];
    for r in &rows {
        for role in ROLES.into_iter().filter(|role| !r.allowed.contains(role)) {
            let sender = address(&suite, role);
            let contract = match r.target {
                Target::Vault => suite.vault.clone(),
                Target::Fund => suite.fund.clone(),
                Target::Gov => suite.gov(),
            };
            // A message that takes a payment gets one, so that the refusal is
            // about who sends it, not about what is attached: coins in a
            // native deployment, the token's `Send` in a cw20 one.
            let call: CosmosMsg = match (&r.pays, suite.token.clone()) {
                (Some(_), None) => {
                    suite.mint(&sender, PAYMENT).unwrap();
                    WasmMsg::Execute {
                        contract_addr: contract.to_string(),
                        msg: r.msg.clone(),
                        funds: coins(PAYMENT, DENOM),
                    }
                    .into()
                }
                (Some(body), Some(token)) => {
                    suite.mint(&sender, PAYMENT).unwrap();
                    WasmMsg::Execute {
                        contract_addr: token.to_string(),
                        msg: to_json_binary(&cw20::Cw20ExecuteMsg::Send {
                            contract: contract.to_string(),
                            amount: Uint128::new(PAYMENT),
                            msg: body.clone(),
                        })
                        .unwrap(),
                        funds: vec![],
                    }
                    .into()
                }
                (None, _) => WasmMsg::Execute {
                    contract_addr: contract.to_string(),
                    msg: r.msg.clone(),
                    funds: vec![],
                }
                .into(),
            };
            let e = suite.refused(|s| s.app.execute(sender.clone(), call));
            assert!(
                is_refusal(r.target, r.refusal, &sender, &e),
                "{:?} {} by {role:?} ({sender}): expected {:?}, got {e:?}",
                r.target,
                r.label,
                r.refusal
            );
            counts[r.target as usize] += 1;
        }
    }
    suite.assert_conservation();
    counts
}

#[test]
fn every_message_from_every_wrong_role_is_refused_and_changes_nothing() {
    let mut total = [0usize; 3];
    for settlement in [Settlement::Native, Settlement::Cw20] {
        let counts = run_matrix(settlement);
        println!(
            "access matrix ({settlement:?}): vault {}, fund {}, governance {}, total {} refused cases",
            counts[0],
            counts[1],
            counts[2],
            counts.iter().sum::<usize>()
        );
        for i in 0..3 {
            total[i] += counts[i];
        }
    }
    let sum: usize = total.iter().sum();
    println!(
        "access matrix, both settlements: vault {}, fund {}, governance {}, total {sum} refused cases",
        total[0], total[1], total[2]
    );
    // 12 roles; per settlement: vault 12 messages (130 refused cases),
    // fund 19 (207), governance 7 (74).
    assert_eq!(
        total,
        [2 * 130, 2 * 207, 2 * 74],
        "rows disappeared or appeared"
    );
}
