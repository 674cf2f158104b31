//! Membership and margin requirements, as the margin vault reports them.

use clearing_types::ledger::{Basis, MemberRecord};
use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};

use crate::error::ContractError;
use crate::member::{apply_settlement, save_pool, settled_live, write_voter};
use crate::state::{Config, COUNTERS, INDEXES, MEMBERS, POOL};

pub fn ensure_vault(config: &Config, info: &MessageInfo) -> Result<(), ContractError> {
    cw_utils::nonpayable(info)?;
    if info.sender != config.vault {
        return Err(ContractError::unauthorized(
            "call a vault hook",
            &info.sender,
        ));
    }
    Ok(())
}

/// Governance admitted a member through the vault. Refused once the fund
/// is shut down (SPEC §5: new business stops, whichever governance shut
/// it), and for an address the fund has known before (a member, a
/// defaulter, a former member). A new member's requirement above its zero
/// balance opens a shortfall.
pub fn member_added(
    deps: DepsMut,
    env: Env,
    config: &Config,
    member: String,
    required_margin: Uint128,
) -> Result<Response, ContractError> {
    if config.shutdown {
        return Err(ContractError::ShutDown {});
    }
    let member = deps.api.addr_validate(&member)?;
    if MEMBERS.has(deps.storage, &member) {
        return Err(ContractError::AlreadyMember {
            address: member.to_string(),
        });
    }
    let mut indexes = INDEXES.load(deps.storage)?;
    let mut pool = POOL.load(deps.storage)?;
    let mut record = MemberRecord::new(
        required_margin,
        Uint128::zero(),
        pool.head,
        indexes.fee_sum.clone(),
    );
    record.track_shortfall(&indexes.regime, env.block.time)?;
    indexes.sums.apply(required_margin, Uint128::zero(), true)?;
    pool.voters += 1;
    MEMBERS.save(deps.storage, &member, &record)?;
    write_voter(deps.storage, env.block.height, &member, &record)?;
    INDEXES.save(deps.storage, &indexes)?;
    save_pool(deps.storage, env.block.height, &mut pool)?;
    Ok(Response::new()
        .add_attribute("action", "fund_member_added")
        .add_attribute("member", member)
        .add_attribute(
            "required_contribution",
            record.required(&indexes.regime)?.ceil()?,
        )
        .add_attribute("members", indexes.sums.members.to_string()))
}

/// The risk engine (or governance) set a member's required margin in the
/// vault: the member is settled under its old requirement first, `B`
/// follows at once, and a raise opens a shortfall (in `fixed` sizing).
pub fn requirement_changed(
    deps: DepsMut,
    env: Env,
    config: &Config,
    member: String,
    required_margin: Uint128,
) -> Result<Response, ContractError> {
    let member = deps.api.addr_validate(&member)?;
    let mut indexes = INDEXES.load(deps.storage)?;
    let pool = POOL.load(deps.storage)?;
    let mut counters = COUNTERS.load(deps.storage)?;
    let settled = settled_live(deps.storage, &member, &pool, &indexes)?;
    let (msgs, dirty) = apply_settlement(deps.storage, config, &member, &settled, &mut counters)?;
    let mut record = settled.record;
    indexes
        .sums
        .apply(record.required_margin, record.exposure, false)?;
    indexes.sums.apply(required_margin, record.exposure, true)?;
    record.required_margin = required_margin;
    if indexes.regime.basis == Basis::RequiredMargin {
        record.track_shortfall(&indexes.regime, env.block.time)?;
    }
    MEMBERS.save(deps.storage, &member, &record)?;
    INDEXES.save(deps.storage, &indexes)?;
    if dirty {
        COUNTERS.save(deps.storage, &counters)?;
    }
    Ok(Response::new()
        .add_messages(msgs)
        .add_attribute("action", "fund_requirement_changed")
        .add_attribute("member", member)
        .add_attribute(
            "required_contribution",
            record.required(&indexes.regime)?.ceil()?,
        )
        .add_attribute(
            "total_required",
            indexes
                .base()?
                .to_decimal256(clearing_types::ratio::Rounding::Up)?
                .to_string(),
        ))
}
