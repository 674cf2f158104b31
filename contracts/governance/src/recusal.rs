//! A member does not vote on a proposal about itself.
//!
//! A proposal that acts on a member — declares it in default, suspends it
//! or lifts its suspension, forces its exit (the fund), sets its margin
//! requirement (the vault) — is decided without it: its opening weight
//! leaves the proposal's total when the proposal opens, and it may not
//! vote (`Recused`). Without this a large member could block its own
//! default (the first review's finding), and taking the vote of every
//! suspended member away instead let the risk engine turn any vote by
//! suspending its voters (the second's).
//!
//! So that recusal decides only that member's case, and never strikes
//! voters out of another decision (the third review's finding: a proposer
//! who named every other member in no-op messages passed anything alone):
//! - a proposal acts on one member at most (`SeveralMembersActedOn`);
//! - a proposal that acts on a member carries nothing else
//!   (`NotOnlyAboutMember`), so that what it decides is that member's case;
//! - the fund's and the vault's addresses are recognised in any spelling
//!   the chain accepts (bech32 is case-insensitive: compared canonical);
//! - a contract call wrapped where recusal cannot read it (a
//!   `MsgExecuteContract` or an authz `MsgExec` as an `Any` message) is
//!   refused (`OpaqueContractCall`): contract calls are wasm messages.
//!
//! Cost: one parse per message of the proposal, one raw read of the
//! named member's weight at the opening.

use clearing_types::governance::VoteWeighting;
use cosmwasm_std::{Addr, Api, CosmosMsg, Empty, QuerierWrapper, Storage, Uint128, WasmMsg};
use serde::Deserialize;

use crate::error::ContractError;
use crate::state::{Discount, DISCOUNTS};
use crate::weights::weight_at;

/// The member a message names, whatever else it carries.
#[derive(Deserialize)]
struct Named {
    member: String,
}

/// The fund's and the vault's messages that act on one member (any other
/// message reads as all `None`: unknown fields are skipped).
#[derive(Deserialize)]
struct ActsOn {
    declare_default: Option<Named>,
    suspend: Option<Named>,
    unsuspend: Option<Named>,
    force_exit: Option<Named>,
    set_required_margin: Option<Named>,
}

/// Type URLs of `Any` messages that would call a contract out of
/// recusal's sight.
const OPAQUE_CALLS: [&str; 2] = ["/cosmwasm.wasm.", "/cosmos.authz.v1beta1.MsgExec"];

/// The member `msgs` act on, with the first action's name, if any.
///
/// Errors: `OpaqueContractCall` (a contract call as an `Any` message),
/// `SeveralMembersActedOn` (two members named), `NotOnlyAboutMember` (a
/// member named and a message that does not act on it).
pub fn member_acted_on(
    api: &dyn Api,
    msgs: &[CosmosMsg<Empty>],
    fund: &Addr,
    vault: &Addr,
) -> Result<Option<(String, &'static str)>, ContractError> {
    let ours = [
        api.addr_canonicalize(fund.as_str())?,
        api.addr_canonicalize(vault.as_str())?,
    ];
    let mut target: Option<(String, &'static str)> = None;
    let mut other: Option<usize> = None;
    for (index, msg) in msgs.iter().enumerate() {
        let named = match msg {
            CosmosMsg::Any(any) if OPAQUE_CALLS.iter().any(|p| any.type_url.starts_with(p)) => {
                return Err(ContractError::OpaqueContractCall {
                    index: index as u64,
                    type_url: any.type_url.clone(),
                })
            }
            CosmosMsg::Wasm(WasmMsg::Execute {
                contract_addr, msg, ..
            }) if api
                .addr_canonicalize(contract_addr)
                .is_ok_and(|c| ours.contains(&c)) =>
            {
                cosmwasm_std::from_json::<ActsOn>(msg)
                    .ok()
                    .and_then(ActsOn::named)
            }
            _ => None,
        };
        let Some((member, action)) = named else {
            other.get_or_insert(index);
            continue;
        };
        // Addresses are lower case; the target contract refuses any other
        // spelling of a member when it runs.
        let member = member.to_lowercase();
        match &target {
            Some((first, _)) if *first != member => {
                return Err(ContractError::SeveralMembersActedOn {
                    first: first.clone(),
                    second: member,
                })
            }
            Some(_) => {}
            None => target = Some((member, action)),
        }
    }
    if let (Some((member, _)), Some(index)) = (&target, other) {
        return Err(ContractError::NotOnlyAboutMember {
            member: member.clone(),
            index: index as u64,
        });
    }
    Ok(target)
}

impl ActsOn {
    /// The member this message names and its action's name (a message
    /// names one: the contracts' messages are one-key objects).
    fn named(self) -> Option<(String, &'static str)> {
        [
            (self.declare_default, "declare_default"),
            (self.suspend, "suspend"),
            (self.unsuspend, "unsuspend"),
            (self.force_exit, "force_exit"),
            (self.set_required_margin, "set_required_margin"),
        ]
        .into_iter()
        .find_map(|(n, action)| n.map(|n| (n.member, action)))
    }
}

/// Takes the opening weight of the member the proposal acts on out of its
/// total (a [`Discount`] marked `recused`, so that it may not vote).
/// Refused when the proposer is that member, and as
/// [`member_acted_on`] refuses. Returns the weight taken out.
#[allow(clippy::too_many_arguments)]
pub fn recuse(
    storage: &mut dyn Storage,
    api: &dyn Api,
    querier: &QuerierWrapper,
    fund: &Addr,
    vault: &Addr,
    weighting: VoteWeighting,
    id: u64,
    proposer: &Addr,
    msgs: &[CosmosMsg<Empty>],
    height: u64,
    fund_head: u64,
) -> Result<Uint128, ContractError> {
    let Some((member, action)) = member_acted_on(api, msgs, fund, vault)? else {
        return Ok(Uint128::zero());
    };
    if member == proposer.as_str() {
        return Err(ContractError::Recused {
            id,
            voter: member,
            action: action.to_string(),
        });
    }
    // A malformed address names no voter; the target contract refuses
    // the message itself when it runs.
    let Ok(addr) = api.addr_validate(&member) else {
        return Ok(Uint128::zero());
    };
    let Some(weight) = weight_at(querier, fund, weighting, &addr, height, fund_head)? else {
        return Ok(Uint128::zero());
    };
    DISCOUNTS.save(
        storage,
        (id, &addr),
        &Discount {
            weight,
            vote: None,
            recused: Some(action.to_string()),
        },
    )?;
    Ok(weight)
}
