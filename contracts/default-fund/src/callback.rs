//! The fund's own callbacks (cw-plus PATTERNS: a private message refused
//! unless the fund sent it).

use clearing_types::call::Variant;
use clearing_types::fund::CallbackMsg;
use cosmwasm_std::{Addr, CosmosMsg, DepsMut, Env, MessageInfo, Response, StdResult, Uint128};

use crate::error::ContractError;
use crate::replenishment;

/// The callback that credits a replenishment drawn from the vault.
pub fn credit_replenishment(env: &Env, member: &Addr, amount: Uint128) -> StdResult<CosmosMsg> {
    clearing_types::call::execute_msg(
        &env.contract.address,
        &Variant(
            "callback",
            &CallbackMsg::CreditReplenishment {
                member: member.to_string(),
                amount,
            },
        ),
    )
}

pub fn handle(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: CallbackMsg,
) -> Result<Response, ContractError> {
    if info.sender != env.contract.address {
        return Err(ContractError::NotSelf {});
    }
    cw_utils::nonpayable(&info)?;
    match msg {
        CallbackMsg::CreditReplenishment { member, amount } => {
            replenishment::credit(deps, env, member, amount)
        }
    }
}
