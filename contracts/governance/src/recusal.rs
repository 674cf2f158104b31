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
#[derive(Deserialize, Default)]
struct ActsOn {
    declare_default: Option<Named>,
    suspend: Option<Named>,
    unsuspend: Option<Named>,
    force_exit: Option<Named>,
    set_required_margin: Option<Named>,
}

/// The members `msgs` act on, each with the action's name, in order and
/// without repeats.
pub fn members_acted_on(
    msgs: &[CosmosMsg<Empty>],
    fund: &Addr,
    vault: &Addr,
) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = vec![];
    for msg in msgs {
        let CosmosMsg::Wasm(WasmMsg::Execute {
            contract_addr, msg, ..
        }) = msg
        else {
            continue;
        };
        if contract_addr != fund.as_str() && contract_addr != vault.as_str() {
            continue;
        }
        let Ok(acts) = cosmwasm_std::from_json::<ActsOn>(msg) else {
            continue;
        };
        for (named, action) in [
            (acts.declare_default, "declare_default"),
            (acts.suspend, "suspend"),
            (acts.unsuspend, "unsuspend"),
            (acts.force_exit, "force_exit"),
            (acts.set_required_margin, "set_required_margin"),
        ] {
            if let Some(n) = named {
                if !out.iter().any(|(m, _)| *m == n.member) {
                    out.push((n.member, action));
                }
            }
        }
    }
    out
}

/// Takes the opening weight of every member the proposal acts on out of
/// its total (a [`Discount`] marked `recused`, so that it may not vote).
/// Refused when the proposer is one of them. Returns the weight taken out.
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
    let mut out = Uint128::zero();
    for (member, action) in members_acted_on(msgs, fund, vault) {
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
            continue;
        };
        let Some(weight) = weight_at(querier, fund, weighting, &addr, height, fund_head)? else {
            continue;
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
        out = out
            .checked_add(weight)
            .map_err(cosmwasm_std::StdError::from)?;
    }
    Ok(out)
}
