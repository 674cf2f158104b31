//! Conservation checked on-chain (SPEC v2 §4): every execute ends by
//! checking that the vault's books hold every member's margin and, for a
//! native asset, that its bank balance (less what this very message pays
//! out) holds what the books say. A message that would break it is refused.

use clearing_types::vault::VaultBooksResponse;
use clearing_types::SettlementAsset;
use cosmwasm_std::{BankMsg, CosmosMsg, Deps, Env, Response, StdResult, Uint128};

use crate::error::ContractError;
use crate::state::{CONFIG, TOTALS};

pub fn books(deps: Deps, env: &Env) -> StdResult<VaultBooksResponse> {
    let t = TOTALS.load(deps.storage)?;
    let bank_balance = match CONFIG.load(deps.storage)?.asset {
        SettlementAsset::Native { denom } => Some(
            deps.querier
                .query_balance(&env.contract.address, denom)?
                .amount,
        ),
        SettlementAsset::Cw20 { .. } => None,
    };
    Ok(VaultBooksResponse {
        total_margin: t.total_margin,
        bank_balance,
    })
}

fn outgoing(res: &Response, denom: &str) -> StdResult<Uint128> {
    let mut sum = Uint128::zero();
    for sub in &res.messages {
        if let CosmosMsg::Bank(BankMsg::Send { amount, .. }) = &sub.msg {
            for coin in amount.iter().filter(|c| c.denom == denom) {
                sum = sum.checked_add(coin.amount)?;
            }
        }
    }
    Ok(sum)
}

/// Refuses the message when the books no longer cover every member's margin.
pub fn check(deps: Deps, env: &Env, res: &Response) -> Result<(), ContractError> {
    let t = TOTALS.load(deps.storage)?;
    let broken = |bank: String| ContractError::BooksBroken {
        margin: t.total_margin,
        holdings: t.holdings,
        bank,
    };
    if t.total_margin > t.holdings {
        return Err(broken(String::new()));
    }
    if let SettlementAsset::Native { denom } = CONFIG.load(deps.storage)?.asset {
        let bank = deps
            .querier
            .query_balance(&env.contract.address, &denom)?
            .amount;
        let after = bank.checked_sub(outgoing(res, &denom)?).unwrap_or_default();
        if after < t.holdings {
            return Err(broken(after.to_string()));
        }
    }
    Ok(())
}
