//! The settlement asset of a deployment: one native denom or one cw20 token.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    to_json_binary, Addr, Api, BankMsg, Coin, CosmosMsg, MessageInfo, QuerierWrapper, StdResult,
    Uint128, WasmMsg,
};
use cw20::BalanceResponse;

use crate::call::Variant;

/// The fields of `Cw20ExecuteMsg::Transfer`.
#[derive(serde::Serialize)]
struct Cw20Transfer {
    recipient: String,
    amount: Uint128,
}

/// The fields of `Cw20QueryMsg::Balance`.
#[derive(serde::Serialize)]
struct Cw20Balance {
    address: String,
}
use cw_utils::PaymentError;

/// The settlement asset as given in messages (unchecked address).
#[cw_serde]
#[serde(deny_unknown_fields)]
pub enum AssetInfo {
    Native { denom: String },
    Cw20 { address: String },
}

/// The settlement asset as kept in state (checked address).
#[cw_serde]
pub enum SettlementAsset {
    Native { denom: String },
    Cw20 { address: Addr },
}

impl AssetInfo {
    pub fn check(&self, api: &dyn Api) -> StdResult<SettlementAsset> {
        Ok(match self {
            AssetInfo::Native { denom } => {
                if denom.trim().is_empty() {
                    return Err(cosmwasm_std::StdError::generic_err(
                        "settlement denom must not be empty",
                    ));
                }
                SettlementAsset::Native {
                    denom: denom.clone(),
                }
            }
            AssetInfo::Cw20 { address } => SettlementAsset::Cw20 {
                address: api.addr_validate(address)?,
            },
        })
    }
}

/// Why a payment in the settlement asset was refused.
#[derive(thiserror::Error, Debug, PartialEq)]
pub enum AssetError {
    #[error("{0}")]
    Payment(#[from] PaymentError),
    #[error(
        "this deployment settles in the cw20 token {expected}; send it through the token's Send"
    )]
    NativeNotAccepted { expected: String },
    #[error("token {received} is not the settlement asset {expected}")]
    WrongToken { expected: String, received: String },
    #[error("this deployment settles in the native denom {expected}; cw20 tokens are refused")]
    Cw20NotAccepted { expected: String },
}

impl SettlementAsset {
    /// Human-readable name: the denom or the token address.
    pub fn label(&self) -> String {
        match self {
            SettlementAsset::Native { denom } => denom.clone(),
            SettlementAsset::Cw20 { address } => address.to_string(),
        }
    }

    /// The amount paid in with a native-funds message: exactly one coin of the
    /// settlement denom and nothing else, non-zero.
    pub fn native_payment(&self, info: &MessageInfo) -> Result<Uint128, AssetError> {
        match self {
            SettlementAsset::Native { denom } => Ok(cw_utils::must_pay(info, denom)?),
            SettlementAsset::Cw20 { address } => Err(AssetError::NativeNotAccepted {
                expected: address.to_string(),
            }),
        }
    }

    /// Checks that a cw20 `Receive` comes from the settlement token, with a
    /// non-zero amount and no native funds attached.
    pub fn cw20_payment(&self, info: &MessageInfo, amount: Uint128) -> Result<Uint128, AssetError> {
        match self {
            SettlementAsset::Cw20 { address } => {
                if info.sender != *address {
                    return Err(AssetError::WrongToken {
                        expected: address.to_string(),
                        received: info.sender.to_string(),
                    });
                }
                cw_utils::nonpayable(info)?;
                if amount.is_zero() {
                    return Err(PaymentError::NoFunds {}.into());
                }
                Ok(amount)
            }
            SettlementAsset::Native { denom } => Err(AssetError::Cw20NotAccepted {
                expected: denom.clone(),
            }),
        }
    }

    /// A message paying `amount` of the settlement asset to `recipient`.
    pub fn transfer_msg(&self, recipient: &Addr, amount: Uint128) -> StdResult<CosmosMsg> {
        Ok(match self {
            SettlementAsset::Native { denom } => BankMsg::Send {
                to_address: recipient.to_string(),
                amount: vec![Coin::new(amount, denom.clone())],
            }
            .into(),
            SettlementAsset::Cw20 { address } => WasmMsg::Execute {
                contract_addr: address.to_string(),
                // Cw20ExecuteMsg::Transfer, as that one variant (wasm size).
                msg: to_json_binary(&Variant(
                    "transfer",
                    &Cw20Transfer {
                        recipient: recipient.to_string(),
                        amount,
                    },
                ))?,
                funds: vec![],
            }
            .into(),
        })
    }

    /// Payment messages, skipping a zero amount (bank and cw20 refuse zero).
    pub fn transfer_msgs(&self, recipient: &Addr, amount: Uint128) -> StdResult<Vec<CosmosMsg>> {
        if amount.is_zero() {
            Ok(vec![])
        } else {
            Ok(vec![self.transfer_msg(recipient, amount)?])
        }
    }

    /// What `holder` holds of the settlement asset.
    pub fn balance_of(&self, querier: &QuerierWrapper, holder: &Addr) -> StdResult<Uint128> {
        match self {
            SettlementAsset::Native { denom } => Ok(querier.query_balance(holder, denom)?.amount),
            SettlementAsset::Cw20 { address } => {
                let res: BalanceResponse = querier.query_wasm_smart(
                    address,
                    &Variant(
                        "balance",
                        &Cw20Balance {
                            address: holder.to_string(),
                        },
                    ),
                )?;
                Ok(res.balance)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cw20::{Cw20ExecuteMsg, Cw20QueryMsg};

    #[test]
    fn cw20_messages_serialize_as_cw20s_own() {
        let transfer = Variant(
            "transfer",
            &Cw20Transfer {
                recipient: "r".into(),
                amount: Uint128::new(9),
            },
        );
        assert_eq!(
            to_json_binary(&transfer).unwrap(),
            to_json_binary(&Cw20ExecuteMsg::Transfer {
                recipient: "r".into(),
                amount: Uint128::new(9),
            })
            .unwrap()
        );
        let balance = Variant(
            "balance",
            &Cw20Balance {
                address: "h".into(),
            },
        );
        assert_eq!(
            to_json_binary(&balance).unwrap(),
            to_json_binary(&Cw20QueryMsg::Balance {
                address: "h".into()
            })
            .unwrap()
        );
    }
}
