//! cw2 version handling shared by every contract's `migrate`.

use cosmwasm_std::{Response, StdResult, Storage};

/// Refuses a migration from another contract or from a newer version,
/// records the new version and reports both.
pub fn migrate_version(
    storage: &mut dyn Storage,
    name: &str,
    version: &str,
) -> StdResult<Response> {
    let previous = cw2::ensure_from_older_version(storage, name, version)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", previous.to_string())
        .add_attribute("to_version", version))
}
