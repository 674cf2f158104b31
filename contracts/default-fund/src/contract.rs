//! Entry points; each only dispatches to the file that owns the rule.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{from_json, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult};

use clearing_types::fund::{
    ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg, SudoMsg, VaultHookMsg,
};

use crate::error::ContractError;
use crate::pool::Pool;
use crate::state::{Config, Totals, CONFIG, POOL, TOTALS};
use crate::{admin, assessment, contribute, fees, query, vault_hooks, waterfall, withdrawal};

pub const CONTRACT_NAME: &str = "crates.io:default-fund";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    mut deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let api = deps.api;
    let config = Config {
        governance: api.addr_validate(&msg.governance)?,
        risk_engine: api.addr_validate(&msg.risk_engine)?,
        operator: api.addr_validate(&msg.operator)?,
        loss_recipient: api.addr_validate(&msg.loss_recipient)?,
        vault: api.addr_validate(&msg.vault)?,
        asset: msg.asset.check(api)?,
        paused: false,
        shutdown: false,
    };
    CONFIG.save(deps.storage, &config)?;
    POOL.save(deps.storage, &Pool::default())?;
    TOTALS.save(deps.storage, &Totals::default())?;
    Ok(admin::instantiate_params(deps.branch(), &msg.params)?
        .add_attribute("governance", config.governance)
        .add_attribute("vault", config.vault)
        .add_attribute("asset", config.asset.label()))
}

/// Native payments and cw20 `Send`s end up here alike.
fn receive(
    deps: DepsMut,
    env: Env,
    msg: ReceiveMsg,
    sender: cosmwasm_std::Addr,
    amount: cosmwasm_std::Uint128,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    match msg {
        ReceiveMsg::Contribute {} => contribute::contribute(deps, env, &config, sender, amount),
        ReceiveMsg::FundSitg {} => contribute::fund_sitg(deps, &config, sender, amount),
        ReceiveMsg::PayAssessment {} => assessment::pay(deps, env, &config, sender, amount),
        ReceiveMsg::DistributeFees {} => fees::distribute(deps, &config, amount),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    let native = |deps: &DepsMut, info: &MessageInfo| -> Result<_, ContractError> {
        Ok(CONFIG.load(deps.storage)?.asset.native_payment(info)?)
    };
    match msg {
        ExecuteMsg::Contribute {} => {
            let amount = native(&deps, &info)?;
            receive(deps, env, ReceiveMsg::Contribute {}, info.sender, amount)
        }
        ExecuteMsg::FundSitg {} => {
            let amount = native(&deps, &info)?;
            receive(deps, env, ReceiveMsg::FundSitg {}, info.sender, amount)
        }
        ExecuteMsg::PayAssessment {} => {
            let amount = native(&deps, &info)?;
            receive(deps, env, ReceiveMsg::PayAssessment {}, info.sender, amount)
        }
        ExecuteMsg::DistributeFees {} => {
            let amount = native(&deps, &info)?;
            receive(
                deps,
                env,
                ReceiveMsg::DistributeFees {},
                info.sender,
                amount,
            )
        }
        ExecuteMsg::Receive(wrapper) => {
            let config = CONFIG.load(deps.storage)?;
            let amount = config.asset.cw20_payment(&info, wrapper.amount)?;
            let sender = deps.api.addr_validate(&wrapper.sender)?;
            receive(deps, env, from_json(&wrapper.msg)?, sender, amount)
        }
        ExecuteMsg::RequestWithdrawal { amount } => withdrawal::request(deps, env, info, amount),
        ExecuteMsg::ClaimWithdrawal {} => withdrawal::claim(deps, env, info),
        ExecuteMsg::ClaimFees {} => fees::claim(deps, info),
        ExecuteMsg::DeclareDefault { member, loss } => {
            waterfall::declare_default(deps, env, info, member, loss)
        }
        ExecuteMsg::EnforceAssessment { member } => {
            let config = CONFIG.load(deps.storage)?;
            assessment::enforce(deps, env, info, &config, member)
        }
        ExecuteMsg::EnforceReplenishment { member } => {
            let config = CONFIG.load(deps.storage)?;
            assessment::enforce_replenishment(deps, env, info, &config, member)
        }
        ExecuteMsg::RefreshRequirements { members } => {
            vault_hooks::refresh_requirements(deps, info, members)
        }
        ExecuteMsg::CloseDefault { member } => admin::close_default(deps, info, member),
        ExecuteMsg::ClaimReleased {} => withdrawal::claim_released(deps, info),
        ExecuteMsg::UpdateParams { params } => admin::update_params(deps, info, params),
        ExecuteMsg::UpdateConfig {
            governance,
            risk_engine,
            operator,
            loss_recipient,
        } => admin::update_config(
            deps,
            info,
            governance,
            risk_engine,
            operator,
            loss_recipient,
        ),
        ExecuteMsg::SetPause { paused } => admin::set_pause(deps, info, paused),
        ExecuteMsg::Shutdown {} => admin::shutdown(deps, info),
        ExecuteMsg::VaultHook(hook) => {
            vault_hooks::ensure_vault(deps.as_ref(), &info)?;
            match hook {
                VaultHookMsg::MemberAdded {
                    member,
                    required_margin,
                } => vault_hooks::member_added(deps, member, required_margin),
                VaultHookMsg::RequirementChanged {
                    member,
                    required_margin,
                } => vault_hooks::requirement_changed(deps, member, required_margin),
                VaultHookMsg::MemberRemoved { member } => vault_hooks::member_removed(deps, member),
            }
        }
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn sudo(deps: DepsMut, _env: Env, msg: SudoMsg) -> Result<Response, ContractError> {
    admin::sudo(deps, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    query::query(deps, env, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    Ok(clearing_types::migrate::migrate_version(
        deps.storage,
        CONTRACT_NAME,
        CONTRACT_VERSION,
    )?)
}
