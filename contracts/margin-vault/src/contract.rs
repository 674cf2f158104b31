//! Entry points; each only dispatches to the file that owns the rule, and
//! every execute ends with the conservation check of `books.rs`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{from_json, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult};

use clearing_types::vault::{
    ExecuteMsg, FundHookMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg, SudoMsg,
};

use crate::error::ContractError;
use crate::state::{Config, Totals, CONFIG, TOTALS};
use crate::{admin, books, deposit, fund_hooks, membership, query, withdraw};
use clearing_types::cache::CachedStorage;

pub const CONTRACT_NAME: &str = "crates.io:margin-vault";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    deps: DepsMut,
    _env: Env,
    _info: MessageInfo,
    msg: InstantiateMsg,
) -> Result<Response, ContractError> {
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let config = Config {
        governance: deps.api.addr_validate(&msg.governance)?,
        risk_engine: deps.api.addr_validate(&msg.risk_engine)?,
        default_fund: msg
            .default_fund
            .map(|a| deps.api.addr_validate(&a))
            .transpose()?,
        asset: msg.asset.check(deps.api)?,
        paused: false,
        shutdown: false,
    };
    CONFIG.save(deps.storage, &config)?;
    TOTALS.save(deps.storage, &Totals::default())?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("governance", config.governance)
        .add_attribute("risk_engine", config.risk_engine)
        .add_attribute("asset", config.asset.label()))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    // Each key is read from the chain at most once in this message.
    let mut storage = CachedStorage::new(deps.storage);
    let mut deps = DepsMut {
        storage: &mut storage,
        api: deps.api,
        querier: deps.querier,
    };
    let res = dispatch(deps.branch(), env.clone(), info, msg)?;
    books::check(deps.as_ref(), &env, &res)?;
    Ok(res)
}

fn dispatch(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Deposit {} => {
            let config = CONFIG.load(deps.storage)?;
            let amount = config.asset.native_payment(&info)?;
            deposit::deposit(deps, &config, info.sender, amount)
        }
        ExecuteMsg::Receive(wrapper) => {
            let config = CONFIG.load(deps.storage)?;
            let amount = config.asset.cw20_payment(&info, wrapper.amount)?;
            let sender = deps.api.addr_validate(&wrapper.sender)?;
            match from_json(&wrapper.msg)? {
                ReceiveMsg::Deposit {} => deposit::deposit(deps, &config, sender, amount),
            }
        }
        ExecuteMsg::Withdraw { amount } => withdraw::withdraw(deps, env, info, amount),
        ExecuteMsg::CloseAccount { member } => withdraw::close_account(deps, info, member),
        ExecuteMsg::SetRequiredMargin { member, amount } => {
            membership::set_required_margin(deps, info, member, amount)
        }
        ExecuteMsg::AddMember {
            member,
            required_margin,
        } => membership::add_member(deps, info, member, required_margin),
        ExecuteMsg::UpdateConfig {
            governance,
            risk_engine,
            default_fund,
        } => admin::update_config(deps, info, governance, risk_engine, default_fund),
        ExecuteMsg::SetPause { paused } => admin::set_pause(deps, info, paused),
        ExecuteMsg::Shutdown {} => admin::shutdown(deps, info),
        ExecuteMsg::FundHook(hook) => {
            fund_hooks::ensure_fund(deps.as_ref(), &info)?;
            match hook {
                FundHookMsg::Seize {
                    member,
                    amount,
                    recipient,
                } => fund_hooks::seize(deps, member, amount, recipient),
                FundHookMsg::Draw {
                    member,
                    amount,
                    recipient,
                } => fund_hooks::draw(deps, member, amount, recipient),
                FundHookMsg::Release { member } => fund_hooks::release(deps, member),
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
