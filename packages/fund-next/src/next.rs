//! The fixture's `migrate`: the fund's own (cw2: refuses a foreign
//! contract and a downgrade, records the new version), then the stored
//! config rewritten with its new field. Nothing else is touched: balances,
//! indexes, history and snapshots stay as they were.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{DepsMut, Env, Response};

use clearing_types::fund::MigrateMsg;

use crate::contract::{base_migrate, CONTRACT_NAME};
use crate::error::ContractError;
use crate::state::CONFIG;

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(mut deps: DepsMut, env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    let previous = cw2::get_contract_version(deps.storage)?;
    let res = base_migrate(deps.branch(), env, msg)?;
    // The v2 record reads (the new field defaults); it is saved with it.
    let mut config = CONFIG.load(deps.storage)?;
    config.migrated_from = Some(format!("{}@{}", CONTRACT_NAME, previous.version));
    CONFIG.save(deps.storage, &config)?;
    Ok(res.add_attribute("migrated_from", previous.version))
}
