//! Margin in.

use cosmwasm_std::{Addr, DepsMut, Response, Uint128};

use crate::error::ContractError;
use crate::membership::{ensure_active, load_member};
use crate::state::{Config, MEMBERS, TOTALS};

/// Credits `amount` (already received and checked) to `member`'s margin.
pub fn deposit(
    deps: DepsMut,
    config: &Config,
    member: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    if config.shutdown {
        return Err(ContractError::ShutDown {});
    }
    let mut record = load_member(deps.storage, &member)?;
    ensure_active(&record, &member)?;
    record.balance = record.balance.checked_add(amount)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    let mut totals = TOTALS.load(deps.storage)?;
    totals.total_margin = totals.total_margin.checked_add(amount)?;
    totals.holdings = totals.holdings.checked_add(amount)?;
    TOTALS.save(deps.storage, &totals)?;
    Ok(Response::new()
        .add_attribute("action", "deposit_margin")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("balance", record.balance)
        .add_attribute("required_margin", record.required_margin))
}
