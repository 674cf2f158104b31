//! Building a `WasmMsg::Execute` to one of the suite's contracts.

use cosmwasm_std::{to_json_binary, Addr, CosmosMsg, StdResult, WasmMsg};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// A no-funds `WasmMsg::Execute` of `msg` on `contract`.
pub fn execute_msg<T: Serialize>(contract: &Addr, msg: &T) -> StdResult<CosmosMsg> {
    Ok(WasmMsg::Execute {
        contract_addr: contract.to_string(),
        msg: to_json_binary(msg)?,
        funds: vec![],
    }
    .into())
}

/// One variant of a message enum, `{"<name>": inner}` — the JSON serde
/// writes for that variant of a `#[cw_serde]` enum. A contract that only
/// ever sends one variant serializes it with this instead of the whole
/// enum, whose serializer (every variant's) would otherwise be compiled in
/// (a few KiB of wasm per enum). Tests check both give the same bytes.
pub struct Variant<'a, T: Serialize>(pub &'static str, pub &'a T);

impl<T: Serialize> Serialize for Variant<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fund, vault};
    use cosmwasm_std::Uint128;

    #[test]
    fn a_variant_serializes_as_its_enum_does() {
        let hook = vault::FundHookMsg::Draw {
            member: "m".into(),
            amount: Uint128::new(7),
            recipient: "r".into(),
        };
        assert_eq!(
            to_json_binary(&Variant("fund_hook", &hook)).unwrap(),
            to_json_binary(&vault::ExecuteMsg::FundHook(hook.clone())).unwrap()
        );
        let back = fund::CallbackMsg::CreditReplenishment {
            member: "m".into(),
            amount: Uint128::new(3),
        };
        assert_eq!(
            to_json_binary(&Variant("callback", &back)).unwrap(),
            to_json_binary(&fund::ExecuteMsg::Callback(back.clone())).unwrap()
        );
        let added = fund::VaultHookMsg::MemberAdded {
            member: "m".into(),
            required_margin: Uint128::new(5),
        };
        assert_eq!(
            to_json_binary(&Variant("vault_hook", &added)).unwrap(),
            to_json_binary(&fund::ExecuteMsg::VaultHook(added.clone())).unwrap()
        );
    }
}
