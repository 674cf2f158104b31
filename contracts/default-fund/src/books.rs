//! Conservation checked on-chain (SPEC v2 §4): every execute ends by
//! checking, from the fund's own books, that the tokens it holds cover
//! every claim on it — the members' balances, the SITG tranche, unclaimed
//! fees, defaulters' held stakes and recovery credits — and, for a native
//! asset, that its bank balance (less what this very message pays out)
//! holds what the books say. A message that would break it is refused.

use clearing_types::fund::BooksResponse;
use clearing_types::SettlementAsset;
use cosmwasm_std::{BankMsg, CosmosMsg, Deps, Env, Response, StdResult, Uint128};

use crate::error::ContractError;
use crate::state::{Config, COUNTERS, POOL, TOTALS};

pub fn books(deps: Deps, env: &Env, config: &Config) -> StdResult<BooksResponse> {
    let pool = POOL.load(deps.storage)?;
    let t = TOTALS.load(deps.storage)?;
    let c = COUNTERS.load(deps.storage)?;
    let claims = pool
        .total
        .checked_add(t.sitg)?
        .checked_add(c.fees_unclaimed)?
        .checked_add(t.held)?
        .checked_add(c.recoveries_held)?;
    let bank_balance = match &config.asset {
        SettlementAsset::Native { denom } => Some(
            deps.querier
                .query_balance(&env.contract.address, denom)?
                .amount,
        ),
        SettlementAsset::Cw20 { .. } => None,
    };
    Ok(BooksResponse {
        balances: pool.total,
        sitg: t.sitg,
        fees_unclaimed: c.fees_unclaimed,
        held: t.held,
        recoveries_held: c.recoveries_held,
        claims,
        holdings: c.holdings,
        bank_balance,
    })
}

/// What `res` sends out of the fund in `denom` by bank transfers.
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

/// Refuses the message when the books no longer cover every claim.
pub fn check(deps: Deps, env: &Env, config: &Config, res: &Response) -> Result<(), ContractError> {
    let b = books(deps, env, config)?;
    let broken = |bank: String| ContractError::BooksBroken {
        claims: b.claims,
        holdings: b.holdings,
        bank,
    };
    if b.claims > b.holdings {
        return Err(broken(
            b.bank_balance.map(|v| v.to_string()).unwrap_or_default(),
        ));
    }
    if let (Some(bank), SettlementAsset::Native { denom }) = (b.bank_balance, &config.asset) {
        let after = bank.checked_sub(outgoing(res, denom)?).unwrap_or_default();
        if after < b.holdings {
            return Err(broken(after.to_string()));
        }
    }
    Ok(())
}
