//! Replenishment (SPEC v2 §3): a shortfall below the required contribution
//! falls due a replenishment period after it opened, and nothing moves
//! that date; after it, anyone may draw it from the member's excess margin
//! into its balance.

use clearing_types::vault::{FundHookMsg, VaultContract};
use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::member::{
    apply_settlement, credit_stake, margin_account, save_pool, settled_live, write_voter,
};
use crate::state::{Config, COUNTERS, INDEXES, MEMBERS, POOL};

/// Anyone, once the shortfall is past its date: the vault pays the
/// shortfall (or what excess margin there is) to the fund, and the
/// fund's callback credits it to the member. What cannot be drawn puts
/// the member in breach.
pub fn enforce(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    config: &Config,
    member: String,
) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    let member = deps.api.addr_validate(&member)?;
    let now = env.block.time;
    let indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    let overdue = settled.record.overdue(&indexes.regime, now)?.replenishment;
    if overdue.is_zero() {
        return Err(ContractError::NoReplenishmentDue {
            shortfall: settled.record.shortfall(&indexes.regime)?,
            due: settled.record.shortfall_due,
        });
    }
    let excess = margin_account(&deps.querier, &config.vault, &member)?.excess();
    let drawn = overdue.min(excess);
    let (mut msgs, dirty) =
        apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    if drawn < overdue {
        record.mark_breach(false, now);
    }
    MEMBERS.save(deps.storage, &member, &record)?;
    if dirty {
        COUNTERS.save(deps.storage, &counters)?;
    }
    if !drawn.is_zero() {
        msgs.push(VaultContract(config.vault.clone()).hook(FundHookMsg::Draw {
            member: member.to_string(),
            amount: drawn,
            recipient: env.contract.address.to_string(),
        })?);
        msgs.push(crate::callback::credit_replenishment(&env, &member, drawn)?);
    }
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "enforce_replenishment")
        .add_attribute("member", member)
        .add_attribute("overdue", overdue)
        .add_attribute("drawn", drawn)
        .add_attribute("unpaid", overdue - drawn)
        .add_attribute("status", record.status.as_str()))
}

/// The fund's own callback, after the vault paid `amount` to it: credit it
/// to the member's balance, which closes the shortfall when it is covered.
pub fn credit(
    deps: DepsMut,
    env: Env,
    member: String,
    amount: Uint128,
) -> Result<Response, ContractError> {
    let member = deps.api.addr_validate(&member)?;
    let now = env.block.time;
    let indexes = INDEXES.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    let mut record = settled.record;
    credit_stake(&mut pool, &mut record, amount)?;
    // Covering the shortfall ends a breach of it.
    record.track_shortfall(&indexes.regime, now)?;
    counters.holdings = counters.holdings.checked_add(amount)?;
    MEMBERS.save(deps.storage, &member, &record)?;
    write_voter(deps.storage, env.block.height, &member, &record)?;
    save_pool(deps.storage, env.block.height, &mut pool)?;
    COUNTERS.save(deps.storage, &counters)?;
    Ok(Response::new()
        .add_attribute("action", "credit_replenishment")
        .add_attribute("member", member)
        .add_attribute("amount", amount)
        .add_attribute("balance", record.balance()?)
        .add_attribute("status", record.status.as_str()))
}
