//! Building a `WasmMsg::Execute` to one of the suite's contracts.

use cosmwasm_std::{to_json_binary, Addr, CosmosMsg, StdResult, WasmMsg};
use serde::Serialize;

/// A no-funds `WasmMsg::Execute` of `msg` on `contract`.
pub fn execute_msg<T: Serialize>(contract: &Addr, msg: &T) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: to_json_binary(msg)?,
        funds: vec![],
    }
    .into())
}
