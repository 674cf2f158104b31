//! The access matrix: every execute message of every contract, sent by every
//! role that may not send it, is refused with the contract's typed error and
//! leaves state and balances unchanged.
//!
//! The roles are [`ROLES`]; the messages, with the roles allowed to send
//! them, are data (`vault_rows`, `fund_rows`, `gov_rows`). The refused cases
//! are every (message, role) pair outside the allowed set, so a new role or
//! a new message adds its rows by itself. Each case runs through
//! [`Suite::refused`] (an error, and a byte-identical `Suite::snapshot`),
//! checks the sender's own wallet too, and matches the error against the
//! refusal the row expects: `Unauthorized { sender }`, `UnknownMember` /
//! `NotAVoter` for a non-member, `MemberInDefault` / `NotAVoter` for a frozen
//! defaulter, `NothingToClaim` for a member claiming another's remainder, an
//! asset error for a cw20 `Receive` the settlement token did not send.
//!
//! It runs in a busy deployment, so that no refusal is a mere "nothing to
//! do": five members with margin, contributions and fees to claim, alice's
//! withdrawal pending, erin's default closed (her remainder claimable), dave
//! in default with assessments outstanding, one proposal passed and in its
//! timelock, one open. It runs for a native and for a cw20 settlement asset.
//!
//! Left out, because they are open to anyone by design (the handler checks
//! the target's state, never the sender; see [`OPEN_TO_ANYONE`], and the
//! bad-input and flow tests for their refusals):
//! - fund `DistributeFees`: anyone may pay fees to the contributors (SPEC §3);
//! - fund `EnforceAssessment`, `EnforceReplenishment`: keeper calls after a
//!   deadline, drawing only what is overdue or short;
//! - fund `RefreshRequirements`: a keeper call applying governance's own
//!   parameters to a bounded list of members;
//! - governance `Execute` (a passed proposal after its timelock: the vote is
//!   the authorization), `Close` (a rejected or expired proposal),
//!   `DiscountVote` (the ballot of a member since declared in default).
//!
//! Chain-governance `sudo` messages cannot be sent by an account at all.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use clearing_suite::{wasm_execute, GovernanceSpec, Settlement, Suite, SuiteBuilder, DENOM};
use clearing_types::fund::{self, FundParams, MemberStatus};
use clearing_types::governance::{self, VoteWeighting};
use clearing_types::vault;
use cosmwasm_std::{coins, to_json_binary, Addr, Binary, CosmosMsg, Uint128, WasmMsg};
use cw20::Cw20ReceiveMsg;
use cw3::{Status, Vote};
use cw_multi_test::Executor;
use cw_utils::{Expiration, Threshold};

/// What a paying message carries: a valid payment, minted to the sender.
const PAYMENT: u128 = 1_000;
const TIMELOCK: u64 = 2 * 86_400;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// An address never admitted.
    NonMember,
    /// A member in good standing (alice).
    Member,
    /// Another member in good standing (bob).
    OtherMember,
    /// A member in default, frozen (dave).
    Defaulter,
    /// A member whose default governance closed (erin).
    ClosedDefaulter,
    RiskEngine,
    Guardian,
    Operator,
    LossRecipient,
    /// The deployer, admin of nothing once governance took over.
    Deployer,
    Vault,
    Fund,
    Governance,
    /// The cw20 settlement token (cw20 deployments only).
    Token,
    Random,
}

const ROLES: [Role; 15] = [
    Role::NonMember,
    Role::Member,
    Role::OtherMember,
    Role::Defaulter,
    Role::ClosedDefaulter,
    Role::RiskEngine,
    Role::Guardian,
    Role::Operator,
    Role::LossRecipient,
    Role::Deployer,
    Role::Vault,
    Role::Fund,
    Role::Governance,
    Role::Token,
    Role::Random,
];

/// Members in good standing.
const MEMBERS: [Role; 2] = [Role::Member, Role::OtherMember];
/// Members declared in default, open or closed: frozen for new business.
const DEFAULTERS: [Role; 2] = [Role::Defaulter, Role::ClosedDefaulter];

/// The refusal a wrong sender must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    /// The contract's `Unauthorized { sender }`.
    Unauthorized,
    /// Not a member: the vault's and fund's `UnknownMember`, governance's
    /// `NotAVoter`.
    NotMember,
    /// A member in default: the vault's and fund's `MemberInDefault`,
    /// governance's `NotAVoter`.
    Frozen,
    /// The fund's `NothingToClaim`: what is claimable is someone else's.
    NothingToClaim,
    /// A cw20 `Receive` not sent by the settlement token.
    NotTheToken,
}

/// Messages open to anyone by design, left out of the matrix: (contract,
/// message as in the schema, why).
const OPEN_TO_ANYONE: [(Target, &str, &str); 7] = [
    (Target::Fund, "distribute_fees", "anyone may pay fees"),
    (
        Target::Fund,
        "enforce_assessment",
        "keeper: draws only what is overdue",
    ),
    (
        Target::Fund,
        "enforce_replenishment",
        "keeper: draws only the shortfall",
    ),
    (
        Target::Fund,
        "refresh_requirements",
        "keeper: applies governance's params",
    ),
    (
        Target::Gov,
        "execute",
        "a passed proposal after its timelock",
    ),
    (Target::Gov, "close", "a rejected or expired proposal"),
    (
        Target::Gov,
        "discount_vote",
        "the ballot of a member now in default",
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Vault,
    Fund,
    Gov,
}

const TARGETS: [Target; 3] = [Target::Vault, Target::Fund, Target::Gov];

struct Row {
    target: Target,
    label: &'static str,
    msg: Binary,
    /// For a message that takes a payment, the body of the cw20 `Send` that
    /// makes the same call in a cw20 deployment.
    pays: Option<Binary>,
    allowed: Vec<Role>,
    refusal: Refusal,
    /// Roles refused otherwise than `refusal`.
    except: Vec<(Role, Refusal)>,
}

impl Row {
    /// Refused `Unauthorized` to everyone until told otherwise.
    fn new<T: serde::Serialize>(target: Target, label: &'static str, msg: &T) -> Row {
        Row {
            target,
            label,
            msg: to_json_binary(msg).expect("message serializes"),
            pays: None,
            allowed: vec![],
            refusal: Refusal::Unauthorized,
            except: vec![],
        }
    }

    /// The message takes a payment; `body` is its cw20 form.
    fn pays<R: serde::Serialize>(mut self, body: &R) -> Row {
        self.pays = Some(to_json_binary(body).expect("body serializes"));
        self
    }

    fn allowed(mut self, roles: &[Role]) -> Row {
        self.allowed.extend_from_slice(roles);
        self
    }

    fn refusal(mut self, refusal: Refusal) -> Row {
        self.refusal = refusal;
        self
    }

    fn except(mut self, roles: &[Role], refusal: Refusal) -> Row {
        self.except.extend(roles.iter().map(|&r| (r, refusal)));
        self
    }

    /// What `role` must get, or `None` if it may send the message.
    fn refusal_for(&self, role: Role) -> Option<Refusal> {
        if self.allowed.contains(&role) {
            return None;
        }
        Some(
            self.except
                .iter()
                .find(|(r, _)| *r == role)
                .map_or(self.refusal, |&(_, refusal)| refusal),
        )
    }

    /// The message's name as in the schema, and its hook's for a hook.
    fn names(&self) -> (String, Option<String>) {
        let json: serde_json::Value = serde_json::from_slice(&self.msg).expect("message is JSON");
        let (top, inner) = json
            .as_object()
            .and_then(|o| o.iter().next())
            .expect("an enum message");
        let hook = matches!(top.as_str(), "fund_hook" | "vault_hook").then(|| {
            let (name, _) = inner
                .as_object()
                .and_then(|o| o.iter().next())
                .expect("a hook");
            name.clone()
        });
        (top.clone(), hook)
    }
}

/// Proposals the matrix votes on and vetoes.
struct Proposals {
    open: u64,
    passed: u64,
}

/// Five members with margin, contributions and fees, governance in charge,
/// alice's withdrawal pending, erin's default closed with her remainder
/// claimable, dave in default with assessments outstanding, a proposal
/// passed and in its timelock and one open: every message finds something
/// to act on.
fn rich_suite(settlement: Settlement) -> (Suite, Proposals) {
    let mut suite = SuiteBuilder::new()
        .settlement(settlement)
        .sitg(1_000)
        .member("alice", 5_000, 4_000, 400)
        .member("bob", 4_000, 3_000, 300)
        .member("carol", 3_000, 2_000, 200)
        .member("dave", 2_000, 1_000, 100)
        .member("erin", 2_000, 1_000, 100)
        .with_governance(GovernanceSpec {
            threshold: Threshold::AbsoluteCount { weight: 3 },
            voting_period: 7 * 86_400,
            timelock: TIMELOCK,
            weighting: VoteWeighting::OneMemberOneVote,
        })
        .build();
    suite.distribute_fees(1_000).unwrap();
    suite.request_withdrawal("alice", 100).unwrap();

    // erin defaults on a loss her margin covers; governance closes it.
    let receipt = suite.declare_default("erin", 500).unwrap();
    assert_eq!(receipt.layers.defaulter_margin.u128(), 500);
    let close = wasm_execute(
        &suite.fund,
        &fund::ExecuteMsg::CloseDefault {
            member: suite.addr("erin").to_string(),
        },
    );
    let id = pass(&mut suite, vec![close]);
    suite.advance(TIMELOCK);
    suite.execute_proposal(id).unwrap();
    let erin = suite.fund_member("erin");
    assert_eq!(erin.status, MemberStatus::Closed);
    assert!(!erin.released.is_zero());

    // dave's loss takes margin, contribution, SITG and the whole mutual
    // fund, then assessments.
    let receipt = suite.declare_default("dave", 5_000).unwrap();
    assert!(!receipt.layers.assessments.is_zero());
    for name in ["alice", "bob", "carol"] {
        let m = suite.fund_member(name);
        assert!(!m.assessment_owed.is_zero(), "{name} owes an assessment");
        assert!(!m.fees_claimable.is_zero(), "{name} has fees to claim");
    }
    assert!(suite.fund_member("alice").pending_withdrawal.is_some());

    let shut = wasm_execute(&suite.gov(), &governance::ExecuteMsg::Shutdown {});
    let passed = pass(&mut suite, vec![shut.clone()]);
    let open = suite.propose("bob", vec![shut]).unwrap();
    assert_eq!(suite.proposal(open).status, Status::Open);
    (suite, Proposals { open, passed })
}

/// alice proposes, bob and carol vote yes: passed now, in its timelock.
fn pass(suite: &mut Suite, msgs: Vec<CosmosMsg>) -> u64 {
    let id = suite.propose("alice", msgs).unwrap();
    suite.vote("bob", id, Vote::Yes).unwrap();
    suite.vote("carol", id, Vote::Yes).unwrap();
    assert_eq!(suite.proposal(id).status, Status::Passed);
    id
}

/// The role's address; `None` for a role the deployment does not have.
fn address(suite: &Suite, role: Role) -> Option<Addr> {
    Some(match role {
        Role::NonMember => suite.addr("mallory"),
        Role::Member => suite.addr("alice"),
        Role::OtherMember => suite.addr("bob"),
        Role::Defaulter => suite.addr("dave"),
        Role::ClosedDefaulter => suite.addr("erin"),
        Role::RiskEngine => suite.risk_engine.clone(),
        Role::Guardian => suite.guardian.clone(),
        Role::Operator => suite.operator.clone(),
        Role::LossRecipient => suite.loss_recipient.clone(),
        Role::Deployer => suite.admin.clone(),
        Role::Vault => suite.vault.clone(),
        Role::Fund => suite.fund.clone(),
        Role::Governance => suite.gov(),
        Role::Token => return suite.token.clone(),
        Role::Random => suite.addr("random"),
    })
}

fn vault_rows(suite: &Suite) -> Vec<Row> {
    use vault::{ExecuteMsg as M, FundHookMsg as H};
    use Refusal::*;
    use Role::*;
    let (alice, carol, dave) = (suite.addr("alice"), suite.addr("carol"), suite.addr("dave"));
    let to = suite.addr("random").to_string();
    let t = Target::Vault;
    let one = Uint128::new(1);
    let hundred = Uint128::new(100);
    vec![
        Row::new(t, "Deposit", &M::Deposit {})
            .pays(&vault::ReceiveMsg::Deposit {})
            .allowed(&MEMBERS)
            .refusal(NotMember)
            .except(&DEFAULTERS, Frozen),
        // A closed defaulter takes out what is left of its margin.
        Row::new(t, "Withdraw", &M::Withdraw { amount: one })
            .allowed(&[Member, OtherMember, ClosedDefaulter])
            .refusal(NotMember)
            .except(&[Defaulter], Frozen),
        Row::new(
            t,
            "SetRequiredMargin",
            &M::SetRequiredMargin {
                member: alice.to_string(),
                amount: Uint128::new(4_500),
            },
        )
        .allowed(&[RiskEngine, Governance]),
        Row::new(
            t,
            "AddMember",
            &M::AddMember {
                member: suite.addr("newcomer").to_string(),
                required_margin: Uint128::new(1_000),
            },
        )
        .allowed(&[Governance]),
        Row::new(
            t,
            "RemoveMember",
            &M::RemoveMember {
                member: carol.to_string(),
            },
        )
        .allowed(&[Governance]),
        Row::new(
            t,
            "UpdateConfig",
            &M::UpdateConfig {
                governance: Some(to.clone()),
                risk_engine: Some(to.clone()),
                default_fund: None,
            },
        )
        .allowed(&[Governance]),
        Row::new(t, "SetPause", &M::SetPause { paused: true }).allowed(&[Governance]),
        Row::new(t, "Shutdown", &M::Shutdown {}).allowed(&[Governance]),
        Row::new(
            t,
            "FundHook::Seize",
            &M::FundHook(H::Seize {
                member: alice.to_string(),
                amount: hundred,
                recipient: to.clone(),
            }),
        )
        .allowed(&[Fund]),
        Row::new(
            t,
            "FundHook::Draw",
            &M::FundHook(H::Draw {
                member: alice.to_string(),
                amount: hundred,
                recipient: to,
            }),
        )
        .allowed(&[Fund]),
        Row::new(
            t,
            "FundHook::Release",
            &M::FundHook(H::Release {
                member: dave.to_string(),
            }),
        )
        .allowed(&[Fund]),
        // A direct `Receive` claiming a deposit for alice: only the token
        // vouches for a cw20 payment.
        Row::new(
            t,
            "Receive(Deposit)",
            &M::Receive(receive_from(&alice, &vault::ReceiveMsg::Deposit {})),
        )
        .allowed(&[Token])
        .refusal(NotTheToken),
    ]
}

fn fund_rows(suite: &Suite) -> Vec<Row> {
    use fund::{ExecuteMsg as M, ReceiveMsg as R, VaultHookMsg as H};
    use Refusal::*;
    use Role::*;
    let (alice, carol, dave) = (suite.addr("alice"), suite.addr("carol"), suite.addr("dave"));
    let to = Some(suite.addr("random").to_string());
    let t = Target::Fund;
    let one = Uint128::new(1);
    let mut rows = vec![
        Row::new(t, "Contribute", &M::Contribute {})
            .pays(&R::Contribute {})
            .allowed(&MEMBERS)
            .refusal(NotMember)
            .except(&DEFAULTERS, Frozen),
        Row::new(t, "PayAssessment", &M::PayAssessment {})
            .pays(&R::PayAssessment {})
            .allowed(&MEMBERS)
            .refusal(NotMember)
            .except(&DEFAULTERS, Frozen),
        Row::new(t, "FundSitg", &M::FundSitg {})
            .pays(&R::FundSitg {})
            .allowed(&[Operator]),
        Row::new(
            t,
            "RequestWithdrawal",
            &M::RequestWithdrawal { amount: one },
        )
        .allowed(&MEMBERS)
        .refusal(NotMember)
        .except(&DEFAULTERS, Frozen),
        Row::new(t, "ClaimWithdrawal", &M::ClaimWithdrawal {})
            .allowed(&MEMBERS)
            .refusal(NotMember)
            .except(&DEFAULTERS, Frozen),
        // Fees earned before a default stay the defaulter's.
        Row::new(t, "ClaimFees", &M::ClaimFees {})
            .allowed(&MEMBERS)
            .allowed(&DEFAULTERS)
            .refusal(NotMember),
        // Only erin has a remainder; the others claiming it get nothing.
        Row::new(t, "ClaimReleased", &M::ClaimReleased {})
            .allowed(&[ClosedDefaulter])
            .refusal(NotMember)
            .except(&[Member, OtherMember, Defaulter], NothingToClaim),
        Row::new(
            t,
            "DeclareDefault",
            &M::DeclareDefault {
                member: carol.to_string(),
                loss: Uint128::new(100),
            },
        )
        .allowed(&[RiskEngine, Governance]),
        Row::new(
            t,
            "CloseDefault",
            &M::CloseDefault {
                member: dave.to_string(),
            },
        )
        .allowed(&[Governance]),
        Row::new(
            t,
            "UpdateParams",
            &M::UpdateParams {
                params: FundParams {
                    withdrawal_notice_period: 86_400,
                    ..FundParams::default()
                },
            },
        )
        .allowed(&[Governance]),
        Row::new(
            t,
            "UpdateConfig",
            &M::UpdateConfig {
                governance: to.clone(),
                risk_engine: to.clone(),
                operator: to.clone(),
                loss_recipient: to,
            },
        )
        .allowed(&[Governance]),
        Row::new(t, "SetPause", &M::SetPause { paused: true }).allowed(&[Governance]),
        Row::new(t, "Shutdown", &M::Shutdown {}).allowed(&[Governance]),
        Row::new(
            t,
            "VaultHook::MemberAdded",
            &M::VaultHook(H::MemberAdded {
                member: suite.addr("newcomer").to_string(),
                required_margin: Uint128::new(1_000),
            }),
        )
        .allowed(&[Vault]),
        Row::new(
            t,
            "VaultHook::RequirementChanged",
            &M::VaultHook(H::RequirementChanged {
                member: alice.to_string(),
                required_margin: Uint128::new(9_000),
            }),
        )
        .allowed(&[Vault]),
        Row::new(
            t,
            "VaultHook::MemberRemoved",
            &M::VaultHook(H::MemberRemoved {
                member: carol.to_string(),
            }),
        )
        .allowed(&[Vault]),
    ];
    // Direct `Receive`s claiming a payment from alice.
    for (label, body) in [
        ("Receive(Contribute)", R::Contribute {}),
        ("Receive(FundSitg)", R::FundSitg {}),
        ("Receive(PayAssessment)", R::PayAssessment {}),
        ("Receive(DistributeFees)", R::DistributeFees {}),
    ] {
        rows.push(
            Row::new(t, label, &M::Receive(receive_from(&alice, &body)))
                .allowed(&[Token])
                .refusal(NotTheToken),
        );
    }
    rows
}

fn gov_rows(suite: &Suite, proposals: &Proposals) -> Vec<Row> {
    use governance::ExecuteMsg as M;
    use Refusal::*;
    use Role::*;
    let shut = wasm_execute(&suite.gov(), &M::Shutdown {});
    let t = Target::Gov;
    vec![
        Row::new(
            t,
            "Propose",
            &M::Propose {
                title: "Shut down".into(),
                description: String::new(),
                msgs: vec![shut],
                latest: None::<Expiration>,
            },
        )
        .allowed(&MEMBERS)
        .refusal(NotMember)
        .except(&DEFAULTERS, Frozen),
        // bob proposed: his own ballot is cast, yet he is a voter.
        Row::new(
            t,
            "Vote",
            &M::Vote {
                proposal_id: proposals.open,
                vote: Vote::Yes,
            },
        )
        .allowed(&MEMBERS)
        .refusal(NotMember)
        .except(&DEFAULTERS, Frozen),
        Row::new(
            t,
            "Veto",
            &M::Veto {
                proposal_id: proposals.passed,
            },
        )
        .allowed(&[Guardian]),
        Row::new(t, "Pause", &M::Pause {}).allowed(&[Guardian, Governance]),
        Row::new(t, "Unpause", &M::Unpause {}).allowed(&[Governance]),
        Row::new(t, "Shutdown", &M::Shutdown {}).allowed(&[Governance]),
        Row::new(
            t,
            "UpdateConfig",
            &M::UpdateConfig {
                threshold: Some(Threshold::AbsoluteCount { weight: 1 }),
                voting_period: None,
                timelock: Some(0),
                weighting: None,
                guardian: Some(suite.addr("random").to_string()),
            },
        )
        .allowed(&[Governance]),
    ]
}

/// A cw20 `Receive` claiming to carry a payment from `sender`.
fn receive_from<T: serde::Serialize>(sender: &Addr, body: &T) -> Cw20ReceiveMsg {
    Cw20ReceiveMsg {
        sender: sender.to_string(),
        amount: Uint128::new(PAYMENT),
        msg: to_json_binary(body).expect("body serializes"),
    }
}

/// Refusal arms the vault's and the fund's errors share.
macro_rules! vault_or_fund_refusal {
    ($E:ty, $refusal:expr, $who:expr, $e:expr) => {{
        use clearing_types::asset::AssetError;
        type E = $E;
        match ($refusal, $e.downcast_ref::<E>()) {
            (Refusal::Unauthorized, Some(E::Unauthorized { sender, .. })) => *sender == $who,
            (Refusal::NotMember, Some(E::UnknownMember { address })) => *address == $who,
            (Refusal::Frozen, Some(E::MemberInDefault { address })) => *address == $who,
            (Refusal::NotTheToken, Some(E::Asset(a))) => match a {
                AssetError::Cw20NotAccepted { .. } => true,
                AssetError::WrongToken { received, .. } => *received == $who,
                _ => false,
            },
            _ => false,
        }
    }};
}

/// Whether `e` is the typed refusal the row expects for `sender`.
fn is_refusal(target: Target, refusal: Refusal, sender: &Addr, e: &anyhow::Error) -> bool {
    let who = sender.to_string();
    match target {
        Target::Vault => vault_or_fund_refusal!(margin_vault::ContractError, refusal, who, e),
        Target::Fund => {
            use default_fund::ContractError as F;
            match (refusal, e.downcast_ref::<F>()) {
                (Refusal::NothingToClaim, Some(F::NothingToClaim {})) => true,
                _ => vault_or_fund_refusal!(F, refusal, who, e),
            }
        }
        Target::Gov => {
            use ::governance::ContractError as E;
            match (refusal, e.downcast_ref::<E>()) {
                (Refusal::Unauthorized, Some(E::Unauthorized { sender, .. })) => *sender == who,
                (Refusal::NotMember | Refusal::Frozen, Some(E::NotAVoter { address, .. })) => {
                    *address == who
                }
                _ => false,
            }
        }
    }
}

/// The call `sender` makes: with a payment if the row takes one (coins in a
/// native deployment, the token's `Send` in a cw20 one), minted first, so
/// that the refusal is about who sends it, not about what is attached.
fn call(suite: &mut Suite, r: &Row, sender: &Addr) -> CosmosMsg {
    let contract = match r.target {
        Target::Vault => suite.vault.clone(),
        Target::Fund => suite.fund.clone(),
        Target::Gov => suite.gov(),
    };
    let execute = |contract_addr: &Addr, msg: Binary, funds| -> CosmosMsg {
        WasmMsg::Execute {
            contract_addr: contract_addr.to_string(),
            msg,
            funds,
        }
        .into()
    };
    match (&r.pays, suite.token.clone()) {
        (None, _) => execute(&contract, r.msg.clone(), vec![]),
        (Some(_), None) => {
            suite.mint(sender, PAYMENT).expect("mint the payment");
            execute(&contract, r.msg.clone(), coins(PAYMENT, DENOM))
        }
        (Some(body), Some(token)) => {
            suite.mint(sender, PAYMENT).expect("mint the payment");
            let send = cw20::Cw20ExecuteMsg::Send {
                contract: contract.to_string(),
                amount: Uint128::new(PAYMENT),
                msg: body.clone(),
            };
            execute(&token, to_json_binary(&send).expect("send"), vec![])
        }
    }
}

/// Counts per contract of one settlement's run, and what went wrong.
struct Outcome {
    counts: [usize; 3],
    failures: Vec<String>,
}

/// Sends every refused (message, role) pair.
fn run_matrix(settlement: Settlement) -> Outcome {
    let (mut suite, proposals) = rich_suite(settlement);
    let mut rows = vault_rows(&suite);
    rows.extend(fund_rows(&suite));
    rows.extend(gov_rows(&suite, &proposals));
    check_every_message_is_listed(&rows);

    let mut outcome = Outcome {
        counts: [0; 3],
        failures: vec![],
    };
    for r in &rows {
        for role in ROLES {
            let (Some(refusal), Some(sender)) = (r.refusal_for(role), address(&suite, role)) else {
                continue;
            };
            outcome.counts[r.target as usize] += 1;
            let case = format!(
                "{settlement:?} {:?} {} by {role:?} ({sender})",
                r.target, r.label
            );
            let msg = call(&mut suite, r, &sender);
            let wallet = suite.balance(&sender);
            // `refused` panics if the message went through or changed the
            // snapshot: catch it, report the case, and start afresh.
            let refused = catch_unwind(AssertUnwindSafe(|| {
                suite.refused(|s| s.app.execute(sender.clone(), msg))
            }));
            match refused {
                Err(panic) => {
                    let why = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    outcome.failures.push(format!("ACCESS HOLE? {case}: {why}"));
                    suite = rich_suite(settlement).0;
                }
                Ok(e) => {
                    if !is_refusal(r.target, refusal, &sender, &e) {
                        outcome
                            .failures
                            .push(format!("{case}: expected {refusal:?}, got {e:?}"));
                    }
                    if suite.balance(&sender) != wallet {
                        outcome
                            .failures
                            .push(format!("{case}: the sender's wallet changed"));
                    }
                }
            }
        }
    }
    suite.assert_conservation();
    outcome
}

/// Every execute message in the contracts' schemas (and every hook) has a
/// row or is open to anyone by design: none is forgotten.
fn check_every_message_is_listed(rows: &[Row]) {
    for (target, file, hook) in [
        (
            Target::Vault,
            "margin-vault/margin-vault.json",
            "FundHookMsg",
        ),
        (
            Target::Fund,
            "default-fund/default-fund.json",
            "VaultHookMsg",
        ),
        (Target::Gov, "governance/governance.json", ""),
    ] {
        let path = format!("{}/../../schema/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
        let variants = |v: &serde_json::Value| -> BTreeSet<String> {
            v["oneOf"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|o| o["required"][0].as_str().map(str::to_string))
                .collect()
        };
        let mut listed: BTreeSet<String> = rows
            .iter()
            .filter(|r| r.target == target)
            .map(|r| r.names().0)
            .collect();
        listed.extend(
            OPEN_TO_ANYONE
                .iter()
                .filter(|(t, ..)| *t == target)
                .map(|(_, name, _)| name.to_string()),
        );
        assert_eq!(variants(&schema["execute"]), listed, "{file}: messages");
        if !hook.is_empty() {
            let hooks: BTreeSet<String> = rows
                .iter()
                .filter(|r| r.target == target)
                .filter_map(|r| r.names().1)
                .collect();
            let schema_hooks = variants(&schema["execute"]["definitions"][hook]);
            assert_eq!(schema_hooks, hooks, "{file}: {hook}");
        }
    }
}

/// Fails to compile when a message is added to a contract: give it a row
/// (or a reason in [`OPEN_TO_ANYONE`]) and an arm here.
#[allow(dead_code)]
fn every_variant_is_considered(
    v: vault::ExecuteMsg,
    vh: vault::FundHookMsg,
    f: fund::ExecuteMsg,
    fh: fund::VaultHookMsg,
    fr: fund::ReceiveMsg,
    g: governance::ExecuteMsg,
) {
    use fund::ExecuteMsg as F;
    use governance::ExecuteMsg as G;
    use vault::ExecuteMsg as V;
    match v {
        V::Deposit {} | V::Receive(_) | V::Withdraw { .. } | V::SetRequiredMargin { .. } => {}
        V::AddMember { .. } | V::RemoveMember { .. } | V::UpdateConfig { .. } => {}
        V::SetPause { .. } | V::Shutdown {} | V::FundHook(_) => {}
    }
    match vh {
        vault::FundHookMsg::Seize { .. }
        | vault::FundHookMsg::Draw { .. }
        | vault::FundHookMsg::Release { .. } => {}
    }
    match f {
        F::Contribute {} | F::FundSitg {} | F::PayAssessment {} | F::DistributeFees {} => {}
        F::Receive(_) | F::RequestWithdrawal { .. } | F::ClaimWithdrawal {} | F::ClaimFees {} => {}
        F::DeclareDefault { .. } | F::EnforceAssessment { .. } => {}
        F::EnforceReplenishment { .. } | F::RefreshRequirements { .. } => {}
        F::CloseDefault { .. } | F::ClaimReleased {} | F::UpdateParams { .. } => {}
        F::UpdateConfig { .. } | F::SetPause { .. } | F::Shutdown {} | F::VaultHook(_) => {}
    }
    match fh {
        fund::VaultHookMsg::MemberAdded { .. }
        | fund::VaultHookMsg::RequirementChanged { .. }
        | fund::VaultHookMsg::MemberRemoved { .. } => {}
    }
    match fr {
        fund::ReceiveMsg::Contribute {}
        | fund::ReceiveMsg::FundSitg {}
        | fund::ReceiveMsg::PayAssessment {}
        | fund::ReceiveMsg::DistributeFees {} => {}
    }
    match g {
        G::Propose { .. } | G::Vote { .. } | G::Execute { .. } | G::Close { .. } => {}
        G::DiscountVote { .. } | G::Veto { .. } | G::Pause {} | G::Unpause {} => {}
        G::Shutdown {} | G::UpdateConfig { .. } => {}
    }
}

#[test]
fn every_message_from_every_wrong_role_is_refused_and_changes_nothing() {
    let started = Instant::now();
    let mut total = [0usize; 3];
    let mut failures = vec![];
    for settlement in [Settlement::Native, Settlement::Cw20] {
        let outcome = run_matrix(settlement);
        let [vault, fund, gov] = outcome.counts;
        println!(
            "access matrix ({settlement:?}): vault {vault}, fund {fund}, governance {gov}, total {} refused cases",
            vault + fund + gov
        );
        for (t, n) in total.iter_mut().zip(outcome.counts) {
            *t += n;
        }
        failures.extend(outcome.failures);
    }
    let [vault, fund, gov] = total;
    let sum = vault + fund + gov;
    println!(
        "access matrix: vault {vault}, fund {fund}, governance {gov}, total {sum} refused cases \
         (native and cw20, {} roles, {:.1?})",
        ROLES.len(),
        started.elapsed()
    );
    println!(
        "left out, open to anyone: {}",
        OPEN_TO_ANYONE
            .iter()
            .map(|(t, name, why)| format!("{t:?} {name} ({why})"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    assert!(
        failures.is_empty(),
        "{} cases not refused as expected:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Rows may be added, never silently lost. Native has 14 roles, cw20 15
    // (the token); per settlement: vault 12 messages, fund 20, governance 7.
    for (target, (n, min)) in TARGETS.iter().zip(total.iter().zip([317, 528, 183])) {
        assert!(
            *n >= min,
            "{target:?}: {n} refused cases, expected at least {min}"
        );
    }
    assert!(sum >= 1_028, "{sum} refused cases, expected at least 1028");
}
