//! Entry points; each only dispatches to the file that owns the rule, and
//! every execute ends with the conservation check of `books.rs`.

#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    from_json, Addr, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult, Uint128,
};

use crate::state::{Counters, COUNTERS};
use clearing_types::fund::{
    ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ReceiveMsg, SudoMsg, VaultHookMsg,
};
use clearing_types::fund_storage::{FundTotals, Indexes, PoolTotals};
use clearing_types::ledger::BasisSums;
use clearing_types::ratio::Ratio;

use crate::error::ContractError;
use crate::history::regime_of;
use crate::state::{Config, CONFIG, INDEXES, POOL, TOTALS};
use crate::{
    admin, assessment, books, callback, contribute, exit, fees, query, recovery, replenishment,
    sizing, suspension, vault_hooks, waterfall, winddown, withdrawal,
};
use clearing_types::cache::CachedStorage;

pub const CONTRACT_NAME: &str = "crates.io:default-fund";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(
    mut deps: DepsMut,
    env: Env,
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
    let res = admin::instantiate_params(deps.branch(), &msg.params)?;
    INDEXES.save(
        deps.storage,
        &Indexes {
            regime: regime_of(&msg.params, false),
            sums: BasisSums::default(),
            fee_sum: Ratio::zero(),
            any_recovery: false,
            last_recalibration: None,
        },
    )?;
    POOL.save(
        deps.storage,
        &PoolTotals {
            changed_at: env.block.height,
            ..PoolTotals::default()
        },
        env.block.height,
    )?;
    TOTALS.save(deps.storage, &FundTotals::default())?;
    COUNTERS.save(deps.storage, &Counters::default())?;
    Ok(res
        .add_attribute("governance", config.governance)
        .add_attribute("vault", config.vault)
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
    let config = CONFIG.load(deps.storage)?;
    let res = dispatch(deps.branch(), env.clone(), info, msg, &config)?;
    books::check(deps.as_ref(), &env, &config, &res)?;
    Ok(res)
}

fn dispatch(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
    config: &Config,
) -> Result<Response, ContractError> {
    // The messages paid in the native asset, as their cw20 twins.
    let native = match msg {
        ExecuteMsg::Contribute {} => Some(ReceiveMsg::Contribute {}),
        ExecuteMsg::FundSitg {} => Some(ReceiveMsg::FundSitg {}),
        ExecuteMsg::PayAssessment {} => Some(ReceiveMsg::PayAssessment {}),
        ExecuteMsg::DistributeFees {} => Some(ReceiveMsg::DistributeFees {}),
        ExecuteMsg::RecordRecovery { default_id } => {
            Some(ReceiveMsg::RecordRecovery { default_id })
        }
        _ => None,
    };
    let (msg, amount, sender) = match (native, msg) {
        (Some(paid), _) => (paid, config.asset.native_payment(&info)?, info.sender),
        (None, ExecuteMsg::Receive(wrapper)) => {
            let amount = config.asset.cw20_payment(&info, wrapper.amount)?;
            let sender = deps.api.addr_validate(&wrapper.sender)?;
            (from_json(&wrapper.msg)?, amount, sender)
        }
        (None, other) => return dispatch_unpaid(deps, env, info, other, config),
    };
    receive(deps, env, config, msg, sender, amount)
}

/// Native payments and cw20 `Send`s end up here alike.
fn receive(
    deps: DepsMut,
    env: Env,
    config: &Config,
    msg: ReceiveMsg,
    sender: Addr,
    amount: Uint128,
) -> Result<Response, ContractError> {
    match msg {
        ReceiveMsg::Contribute {} => contribute::contribute(deps, env, config, sender, amount),
        ReceiveMsg::FundSitg {} => contribute::fund_sitg(deps, config, sender, amount),
        ReceiveMsg::PayAssessment {} => assessment::pay(deps, config, sender, amount),
        ReceiveMsg::DistributeFees {} => fees::distribute(deps, config, amount),
        ReceiveMsg::RecordRecovery { default_id } => {
            recovery::record(deps, env, config, sender, default_id, amount)
        }
    }
}

fn dispatch_unpaid(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    msg: ExecuteMsg,
    config: &Config,
) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::RequestWithdrawal { amount } => {
            withdrawal::request(deps, env, info, config, amount)
        }
        ExecuteMsg::ClaimWithdrawal {} => withdrawal::claim(deps, env, info, config),
        ExecuteMsg::ClaimFees {} => fees::claim(deps, env, info, config),
        ExecuteMsg::ClaimRecoveries {} => recovery::claim(deps, env, info, config),
        ExecuteMsg::DeclareDefault { member, loss } => {
            waterfall::declare_default(deps, env, info, config, member, loss)
        }
        ExecuteMsg::EnforceAssessment { member } => {
            assessment::enforce(deps, env, info, config, member)
        }
        ExecuteMsg::EnforceReplenishment { member } => {
            replenishment::enforce(deps, env, info, config, member)
        }
        ExecuteMsg::Suspend { member } => suspension::suspend(deps, env, info, config, member),
        ExecuteMsg::Unsuspend { member } => suspension::unsuspend(deps, env, info, config, member),
        ExecuteMsg::RequestExit {} => exit::request(deps, env, info, config),
        ExecuteMsg::ForceExit { member } => exit::force(deps, env, info, config, member),
        ExecuteMsg::CompleteExit { member } => exit::complete(deps, env, info, config, member),
        ExecuteMsg::PostExposures { exposures } => sizing::post(deps, env, info, config, exposures),
        ExecuteMsg::Recalibrate {} => sizing::recalibrate(deps, env, info, config),
        ExecuteMsg::SettleMembers { members } => {
            recovery::settle_members(deps, env, info, config, members)
        }
        ExecuteMsg::CloseDefault { member } => admin::close_default(deps, info, config, member),
        ExecuteMsg::ClaimReleased {} => winddown::claim_released(deps, info, config),
        ExecuteMsg::WithdrawSitg {} => winddown::withdraw_sitg(deps, info, config),
        ExecuteMsg::UpdateParams { params } => {
            admin::update_params(deps, env, info, config, params)
        }
        ExecuteMsg::UpdateConfig {
            governance,
            risk_engine,
            operator,
            loss_recipient,
        } => admin::update_config(
            deps,
            info,
            config,
            governance,
            risk_engine,
            operator,
            loss_recipient,
        ),
        ExecuteMsg::SetPause { paused } => admin::set_pause(deps, info, config, paused),
        ExecuteMsg::Shutdown {} => admin::shutdown(deps, env, info, config),
        ExecuteMsg::VaultHook(hook) => {
            vault_hooks::ensure_vault(config, &info)?;
            match hook {
                VaultHookMsg::MemberAdded {
                    member,
                    required_margin,
                } => vault_hooks::member_added(deps, env, config, member, required_margin),
                VaultHookMsg::RequirementChanged {
                    member,
                    required_margin,
                } => vault_hooks::requirement_changed(deps, env, config, member, required_margin),
            }
        }
        ExecuteMsg::Callback(msg) => callback::handle(deps, env, info, msg),
        ExecuteMsg::Contribute {}
        | ExecuteMsg::FundSitg {}
        | ExecuteMsg::PayAssessment {}
        | ExecuteMsg::DistributeFees {}
        | ExecuteMsg::RecordRecovery { .. }
        | ExecuteMsg::Receive(_) => unreachable!("payments are dispatched by `dispatch`"),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn sudo(deps: DepsMut, env: Env, msg: SudoMsg) -> Result<Response, ContractError> {
    admin::sudo(deps, env, msg)
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
