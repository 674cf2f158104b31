//! A chain in one process. Contracts run on cosmwasm-vm from their
//! optimized wasm; what they return is dispatched the way wasmd does it:
//! `WasmMsg::Execute` enters the target contract, `BankMsg::Send` moves
//! native coins, submessages reply, and smart and bank queries from a
//! contract are answered by the target contract or the bank. Everything is
//! charged to one gas meter per transaction.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::rc::Rc;

use anyhow::{anyhow, bail, Context, Result};
use bech32::{Bech32, Hrp};
use cosmwasm_std::{
    BankMsg, BankQuery, Binary, Checksum, ContractResult, CosmosMsg, Empty, QueryRequest, ReplyOn,
    Response, SubMsg, SystemError, SystemResult, WasmMsg, WasmQuery,
};
use cosmwasm_vm::testing::MockApi;
use cosmwasm_vm::{
    call_execute_raw, call_instantiate_raw, call_query_raw, call_reply_raw, Backend, BackendResult,
    Cache, CacheOptions, GasInfo, Instance, InstanceOptions, Querier, Size,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::gas::{
    event_costs, vm_to_sdk, Cost, Counts, GasUsed, Trace, EVENT_PER_BYTE, GAS_MULTIPLIER,
    INSTANCE_COST_DISCOUNT,
};
use crate::sdk::{self, Coin};
use crate::storage::{ContractStorage, Ledger, Module, SharedLedger};

/// Bech32 prefix of every address (cosmwasm-vm's `MockApi` checks it).
pub const PREFIX: &str = "cosmwasm";
/// VM gas each contract call may use: far more than any message needs.
pub const CALL_GAS_LIMIT: u64 = 10_000_000_000_000;
/// What wasmd 0.5x offers contracts.
const CAPABILITIES: &str = "iterator,staking,stargate,cosmwasm_1_1,cosmwasm_1_2,cosmwasm_1_3,\
                            cosmwasm_1_4,cosmwasm_2_0,cosmwasm_2_1,cosmwasm_2_2";

type Vm = Instance<MockApi, ContractStorage, ChainQuerier>;

/// An event as the chain records it.
#[derive(Clone, Debug)]
pub struct Event {
    pub ty: String,
    pub attributes: Vec<(String, String)>,
}

/// What a transaction cost and emitted.
#[derive(Clone, Debug)]
pub struct TxResult {
    pub gas: GasUsed,
    pub counts: Counts,
    pub trace: Trace,
    pub events: Vec<Event>,
}

impl TxResult {
    /// The first value of attribute `key` in any event.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.events
            .iter()
            .flat_map(|e| e.attributes.iter())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of attribute `key` in the events of type `ty`.
    pub fn event_attribute(&self, ty: &str, key: &str) -> Option<&str> {
        self.events
            .iter()
            .filter(|e| e.ty == ty)
            .flat_map(|e| e.attributes.iter())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone)]
struct ContractRecord {
    code_id: u64,
    checksum: Checksum,
    canonical: Vec<u8>,
}

struct Block {
    height: u64,
    time_nanos: u64,
}

/// cosmwasm-vm's module cache, shared by every chain of the process: each
/// code is compiled, written to the cache directory and pinned in memory
/// once (rewriting a module file while a chain still maps it would crash).
pub struct VmCache {
    cache: Cache<MockApi, ContractStorage, ChainQuerier>,
    stored: RefCell<HashSet<Checksum>>,
}

impl VmCache {
    /// A cache keeping compiled modules in `dir`, which must be this
    /// process's alone.
    pub fn new(dir: &Path) -> Result<Rc<VmCache>> {
        let options = CacheOptions::new(
            dir,
            cosmwasm_vm::capabilities_from_csv(CAPABILITIES),
            Size::mebi(200),
            Size::mebi(32),
        );
        // SAFETY: the directory is this process's; nothing else writes to it.
        let cache = unsafe { Cache::new(options) }.map_err(|e| anyhow!("VM cache: {e}"))?;
        Ok(Rc::new(VmCache {
            cache,
            stored: RefCell::new(HashSet::new()),
        }))
    }

    /// Stores (with the VM's static checks, as `MsgStoreCode` does) and
    /// pins `wasm` unless it already is.
    fn store(&self, wasm: &[u8]) -> Result<Checksum> {
        let checksum = Checksum::generate(wasm);
        if self.stored.borrow().contains(&checksum) {
            return Ok(checksum);
        }
        self.cache.store_code(wasm, true, true).map_err(|e| {
            anyhow!("store code: {e} (cosmwasm-vm's static checks, as on MsgStoreCode: a chain would refuse this code)")
        })?;
        self.cache.pin(&checksum).map_err(|e| anyhow!("pin: {e}"))?;
        self.stored.borrow_mut().insert(checksum);
        Ok(checksum)
    }
}

struct Inner {
    vm: Rc<VmCache>,
    ledger: SharedLedger,
    api: MockApi,
    codes: RefCell<Vec<Checksum>>,
    contracts: RefCell<HashMap<String, ContractRecord>>,
    accounts: RefCell<HashSet<String>>,
    block: RefCell<Block>,
}

/// The chain.
pub struct Chain {
    inner: Rc<Inner>,
}

/// The querier a contract instance gets: answered by the chain.
pub struct ChainQuerier {
    chain: Rc<Inner>,
}

/// The canonical (raw) bytes of a bech32 address.
pub fn canonical(address: &str) -> Result<Vec<u8>> {
    let (hrp, data) =
        bech32::decode(address).with_context(|| format!("invalid address {address}"))?;
    if hrp.as_str() != PREFIX {
        bail!("address {address} does not have the prefix {PREFIX}");
    }
    Ok(data)
}

fn humanize(bytes: &[u8]) -> String {
    let hrp = Hrp::parse(PREFIX).expect("valid prefix");
    bech32::encode::<Bech32>(hrp, bytes).expect("encodable address")
}

fn coins_of(funds: &[cosmwasm_std::Coin]) -> Result<Vec<Coin>> {
    funds
        .iter()
        .map(|c| {
            Ok(Coin {
                denom: c.denom.clone(),
                amount: cosmwasm_std::Uint128::try_from(c.amount)
                    .map_err(|e| anyhow!("{e}"))?
                    .u128(),
            })
        })
        .collect()
}

fn attributes_of(attrs: &[cosmwasm_std::Attribute]) -> Vec<(String, String)> {
    attrs
        .iter()
        .map(|a| (a.key.clone(), a.value.clone()))
        .collect()
}

impl Chain {
    /// A new chain at block 1, running contracts from `vm`.
    pub fn new(vm: Rc<VmCache>) -> Chain {
        Chain {
            inner: Rc::new(Inner {
                vm,
                ledger: SharedLedger::default(),
                api: MockApi::default(),
                codes: RefCell::new(vec![]),
                contracts: RefCell::new(HashMap::new()),
                accounts: RefCell::new(HashSet::new()),
                block: RefCell::new(Block {
                    height: 1,
                    time_nanos: 1_700_000_000_000_000_000,
                }),
            }),
        }
    }

    /// Stores (and statically checks) a wasm blob, like `MsgStoreCode`;
    /// returns its code id.
    pub fn store_code(&self, wasm: &[u8]) -> Result<u64> {
        let checksum = self.inner.vm.store(wasm)?;
        let mut codes = self.inner.codes.borrow_mut();
        codes.push(checksum);
        let code_id = codes.len() as u64;
        self.inner.ledger.borrow_mut().kv.set(
            Module::Wasm,
            &sdk::code_info_key(code_id),
            sdk::code_info(checksum.as_slice(), &humanize(&[1u8; 20])),
        );
        Ok(code_id)
    }

    /// A user account (20 bytes, like a secp256k1 key's address) that has
    /// signed transactions before.
    pub fn user(&self, name: &str) -> String {
        let digest = Sha256::digest(name.as_bytes());
        let address = humanize(&digest[..20]);
        if self.inner.accounts.borrow_mut().insert(address.clone()) {
            let n = self.inner.accounts.borrow().len() as u64;
            let account = sdk::base_account(&address, n, true);
            sdk::create_account(
                &mut self.inner.ledger.borrow_mut().kv,
                &digest[..20],
                account,
            );
        }
        address
    }

    /// The address `user(name)` has, without creating its account (members
    /// that never sign a transaction).
    pub fn address(&self, name: &str) -> String {
        let digest = Sha256::digest(name.as_bytes());
        humanize(&digest[..20])
    }

    /// Names a contract in the storage trace (`vault`, `fund`, `gov`).
    pub fn tag(&self, contract: &str, name: &str) -> Result<()> {
        let raw = self.inner.record(contract)?.canonical;
        self.inner
            .ledger
            .borrow_mut()
            .labels
            .insert(raw, name.to_string());
        Ok(())
    }

    /// The canonical address of a contract.
    pub fn contract_canonical(&self, contract: &str) -> Result<Vec<u8>> {
        Ok(self.inner.record(contract)?.canonical)
    }

    /// Direct access to the chain's stores, outside any transaction and
    /// uncharged: for populating members behind the contracts.
    pub fn with_ledger<R>(&self, f: impl FnOnce(&mut Ledger) -> R) -> R {
        let mut ledger = self.inner.ledger.borrow_mut();
        let r = f(&mut ledger);
        ledger.meter.reset();
        r
    }

    /// Gives `address` coins at genesis (no gas).
    pub fn mint(&self, address: &str, coin: &Coin) -> Result<()> {
        let raw = canonical(address)?;
        sdk::mint(&mut self.inner.ledger.borrow_mut(), &raw, coin);
        Ok(())
    }

    /// A native balance, looked up from outside the chain (no gas counted).
    pub fn balance(&self, address: &str, denom: &str) -> Result<u128> {
        let raw = canonical(address)?;
        let mut ledger = self.inner.ledger.borrow_mut();
        let amount = sdk::balance(&mut ledger, &raw, denom);
        ledger.meter.reset();
        Ok(amount)
    }

    /// Moves the chain `seconds` ahead (one block per 5 seconds).
    pub fn advance(&self, seconds: u64) {
        let mut b = self.inner.block.borrow_mut();
        b.time_nanos += seconds * 1_000_000_000;
        b.height += seconds.div_ceil(5).max(1);
    }

    /// Instantiates a contract in its own transaction; returns its address.
    pub fn instantiate(
        &self,
        code_id: u64,
        sender: &str,
        msg: &Value,
        label: &str,
        admin: Option<&str>,
    ) -> Result<String> {
        let inner = &self.inner;
        let checksum = *inner
            .codes
            .borrow()
            .get(code_id as usize - 1)
            .ok_or_else(|| anyhow!("no code {code_id}"))?;
        let seq = inner.contracts.borrow().len() as u64 + 1;
        let raw: [u8; 32] = Sha256::new()
            .chain_update(b"wasm\0")
            .chain_update(code_id.to_be_bytes())
            .chain_update(seq.to_be_bytes())
            .finalize()
            .into();
        let address = humanize(&raw);
        let record = ContractRecord {
            code_id,
            checksum,
            canonical: raw.to_vec(),
        };
        inner
            .contracts
            .borrow_mut()
            .insert(address.clone(), record.clone());
        let body = serde_json::to_vec(msg)?;
        let result = self.transaction(|| {
            {
                let height = inner.block.borrow().height;
                let mut ledger = inner.ledger.borrow_mut();
                let info = sdk::contract_info(code_id, sender, admin.unwrap_or(""), label, height);
                ledger.write(
                    Cost::Setup,
                    Module::Wasm,
                    &sdk::contract_info_key(&raw),
                    info,
                );
                let account = sdk::base_account(&address, seq + 1_000_000, false);
                sdk::create_account(&mut ledger.kv, &raw, account);
            }
            inner.enter(&address, &record)?;
            let mut vm = inner.instance(&record, CALL_GAS_LIMIT)?;
            let env = inner.env(&address);
            let info = info_json(sender, &[]);
            let out = call_instantiate_raw(&mut vm, &env, &info, &body);
            inner.charge_vm(&mut vm, &out);
            inner.handle_result(&address, out)
        });
        match result {
            Ok(_) => Ok(address),
            Err(e) => {
                inner.contracts.borrow_mut().remove(&address);
                Err(e.context(format!("instantiate {label}")))
            }
        }
    }

    /// Executes `msg` on `contract` as a transaction of `sender` with `funds`;
    /// on error, nothing it did stays.
    pub fn execute(
        &self,
        sender: &str,
        contract: &str,
        msg: &Value,
        funds: &[Coin],
    ) -> Result<TxResult> {
        let body = serde_json::to_vec(msg)?;
        self.transaction(|| self.inner.execute(sender, contract, &body, funds))
    }

    /// A smart query from outside the chain (no gas counted).
    pub fn query<T: DeserializeOwned>(&self, contract: &str, msg: &Value) -> Result<T> {
        let body = serde_json::to_vec(msg)?;
        let out = self.inner.query_smart(contract, &body, CALL_GAS_LIMIT);
        self.inner.ledger.borrow_mut().meter.reset();
        Ok(serde_json::from_slice(out?.as_slice())?)
    }

    /// A smart query measured as a contract making it pays for it: the
    /// queried contract's entry (instance cost and look-ups), its Wasm
    /// execution and its storage reads.
    pub fn measure_query(&self, contract: &str, msg: &Value) -> Result<(Value, TxResult)> {
        let body = serde_json::to_vec(msg)?;
        let mut answer = None;
        let r = self.transaction(|| {
            self.inner.ledger.borrow_mut().meter.counts.queries += 1;
            let out = self.inner.query_smart(contract, &body, CALL_GAS_LIMIT)?;
            answer = Some(serde_json::from_slice(out.as_slice())?);
            Ok(vec![])
        })?;
        Ok((answer.unwrap_or(Value::Null), r))
    }

    /// Runs `f` as one transaction: a fresh gas meter; its writes are kept
    /// only if it succeeds.
    fn transaction(&self, f: impl FnOnce() -> Result<Vec<Event>>) -> Result<TxResult> {
        {
            let mut ledger = self.inner.ledger.borrow_mut();
            ledger.meter.reset();
            ledger.kv.begin();
        }
        let result = f();
        let mut ledger = self.inner.ledger.borrow_mut();
        match result {
            Ok(events) => {
                ledger.kv.commit();
                Ok(TxResult {
                    gas: ledger.meter.used,
                    counts: ledger.meter.counts,
                    trace: std::mem::take(&mut ledger.meter.trace),
                    events,
                })
            }
            Err(e) => {
                ledger.kv.rollback();
                Err(e)
            }
        }
    }
}

fn info_json(sender: &str, funds: &[Coin]) -> Vec<u8> {
    let funds: Vec<Value> = funds
        .iter()
        .map(|c| json!({"denom": c.denom, "amount": c.amount.to_string()}))
        .collect();
    serde_json::to_vec(&json!({"sender": sender, "funds": funds})).expect("serializable")
}

impl Inner {
    fn record(&self, contract: &str) -> Result<ContractRecord> {
        self.contracts
            .borrow()
            .get(contract)
            .cloned()
            .ok_or_else(|| anyhow!("no such contract: {contract}"))
    }

    fn env(&self, contract: &str) -> Vec<u8> {
        let b = self.block.borrow();
        serde_json::to_vec(&json!({
            "block": {
                "height": b.height,
                "time": b.time_nanos.to_string(),
                "chain_id": "bench-1",
            },
            "transaction": {"index": 0},
            "contract": {"address": contract},
        }))
        .expect("serializable")
    }

    fn ledger(&self) -> std::cell::RefMut<'_, Ledger> {
        self.ledger.borrow_mut()
    }

    /// wasmd's set-up of a contract call.
    fn enter(&self, contract: &str, record: &ContractRecord) -> Result<()> {
        sdk::enter_contract(&mut self.ledger(), &record.canonical, record.code_id)
            .with_context(|| format!("entering {contract}"))
    }

    fn instance(self: &Rc<Self>, record: &ContractRecord, gas_limit: u64) -> Result<Vm> {
        let backend = Backend {
            api: self.api,
            storage: ContractStorage::new(self.ledger.clone(), &record.canonical),
            querier: ChainQuerier {
                chain: Rc::clone(self),
            },
        };
        self.vm
            .cache
            .get_instance(&record.checksum, backend, InstanceOptions { gas_limit })
            .map_err(|e| anyhow!("VM instance: {e}"))
    }

    /// Charges what the call used inside the VM, with the deserialization
    /// of its result.
    fn charge_vm(&self, vm: &mut Vm, out: &cosmwasm_vm::VmResult<Vec<u8>>) {
        let report = vm.create_gas_report();
        let bytes = out.as_ref().map_or(0, |o| o.len());
        self.ledger()
            .meter
            .charge(Cost::Vm, vm_to_sdk(report.used_internally, bytes));
    }

    fn execute(
        self: &Rc<Self>,
        sender: &str,
        contract: &str,
        msg: &[u8],
        funds: &[Coin],
    ) -> Result<Vec<Event>> {
        let record = self.record(contract)?;
        self.ledger().meter.counts.executions += 1;
        self.enter(contract, &record)?;
        if !funds.is_empty() {
            let from = canonical(sender)?;
            sdk::send(&mut self.ledger(), &from, &record.canonical, funds)?;
        }
        let mut vm = self.instance(&record, CALL_GAS_LIMIT)?;
        let env = self.env(contract);
        let info = info_json(sender, funds);
        let out = call_execute_raw(&mut vm, &env, &info, msg);
        self.charge_vm(&mut vm, &out);
        drop(vm);
        self.handle_result(contract, out)
            .with_context(|| format!("execute {}", String::from_utf8_lossy(msg)))
    }

    /// Turns a call's result into events and runs its messages.
    fn handle_result(
        self: &Rc<Self>,
        contract: &str,
        out: cosmwasm_vm::VmResult<Vec<u8>>,
    ) -> Result<Vec<Event>> {
        let out = out.map_err(|e| anyhow!("VM error in {contract}: {e}"))?;
        let result: ContractResult<Response<Empty>> = serde_json::from_slice(&out)?;
        let response = result
            .into_result()
            .map_err(|e| anyhow!("{contract} refused: {e}"))?;
        self.handle_response(contract, response)
    }

    fn handle_response(
        self: &Rc<Self>,
        contract: &str,
        response: Response<Empty>,
    ) -> Result<Vec<Event>> {
        let attributes = attributes_of(&response.attributes);
        let custom: Vec<(String, Vec<(String, String)>)> = response
            .events
            .iter()
            .map(|e| (e.ty.clone(), attributes_of(&e.attributes)))
            .collect();
        self.ledger()
            .meter
            .charge(Cost::Events, event_costs(&attributes, &custom));
        let mut events = vec![];
        let mut wasm = vec![("_contract_address".to_string(), contract.to_string())];
        wasm.extend(attributes);
        events.push(Event {
            ty: "wasm".to_string(),
            attributes: wasm,
        });
        events.extend(custom.into_iter().map(|(ty, attributes)| Event {
            ty: format!("wasm-{ty}"),
            attributes,
        }));
        for sub in response.messages {
            events.extend(self.run_submessage(contract, sub)?);
        }
        Ok(events)
    }

    /// One message of a response, with wasmd's submessage semantics: its
    /// writes are undone if it fails; the contract gets a `reply` when
    /// `reply_on` asks for one (and then a failure does not propagate).
    fn run_submessage(self: &Rc<Self>, contract: &str, sub: SubMsg<Empty>) -> Result<Vec<Event>> {
        if sub.reply_on == ReplyOn::Never {
            return self.dispatch(contract, &sub.msg);
        }
        self.ledger().kv.begin();
        let result = self.dispatch(contract, &sub.msg);
        match result {
            Ok(events) => {
                self.ledger().kv.commit();
                if matches!(sub.reply_on, ReplyOn::Success | ReplyOn::Always) {
                    let mut all = events.clone();
                    all.extend(self.reply(contract, &sub, Ok(events))?);
                    Ok(all)
                } else {
                    Ok(events)
                }
            }
            Err(e) => {
                self.ledger().kv.rollback();
                if matches!(sub.reply_on, ReplyOn::Error | ReplyOn::Always) {
                    self.reply(contract, &sub, Err(format!("{e:#}")))
                } else {
                    Err(e)
                }
            }
        }
    }

    fn reply(
        self: &Rc<Self>,
        contract: &str,
        sub: &SubMsg<Empty>,
        result: std::result::Result<Vec<Event>, String>,
    ) -> Result<Vec<Event>> {
        let record = self.record(contract)?;
        // wasmd `ReplyCosts`: the discounted instance cost, plus the events
        // handed back (their type names, and attributes with the free tier).
        let reply_cost = match &result {
            Ok(events) => {
                let types: u64 = events.iter().map(|e| e.ty.len() as u64).sum();
                let attrs: Vec<(String, String)> = events
                    .iter()
                    .flat_map(|e| e.attributes.iter().cloned())
                    .collect();
                types * EVENT_PER_BYTE + event_costs(&attrs, &[])
            }
            Err(_) => 0,
        };
        {
            let mut ledger = self.ledger();
            ledger.meter.counts.executions += 1;
            ledger
                .meter
                .charge(Cost::Setup, INSTANCE_COST_DISCOUNT + reply_cost);
        }
        let result = match result {
            Ok(events) => {
                let events: Vec<Value> = events
                    .iter()
                    .map(|e| {
                        let attrs: Vec<Value> = e
                            .attributes
                            .iter()
                            .map(|(k, v)| json!({"key": k, "value": v}))
                            .collect();
                        json!({"type": e.ty, "attributes": attrs})
                    })
                    .collect();
                json!({"ok": {"events": events, "data": null, "msg_responses": []}})
            }
            Err(e) => json!({"error": e}),
        };
        let msg = serde_json::to_vec(&json!({
            "id": sub.id,
            "payload": sub.payload,
            "gas_used": 0,
            "result": result,
        }))?;
        let mut vm = self.instance(&record, CALL_GAS_LIMIT)?;
        let env = self.env(contract);
        let out = call_reply_raw(&mut vm, &env, &msg);
        self.charge_vm(&mut vm, &out);
        drop(vm);
        self.handle_result(contract, out)
    }

    fn dispatch(self: &Rc<Self>, sender: &str, msg: &CosmosMsg<Empty>) -> Result<Vec<Event>> {
        match msg {
            CosmosMsg::Wasm(WasmMsg::Execute {
                contract_addr,
                msg,
                funds,
            }) => self.execute(sender, contract_addr, msg.as_slice(), &coins_of(funds)?),
            CosmosMsg::Bank(BankMsg::Send { to_address, amount }) => {
                let (from, to) = (canonical(sender)?, canonical(to_address)?);
                sdk::send(&mut self.ledger(), &from, &to, &coins_of(amount)?)?;
                Ok(vec![])
            }
            other => bail!("the bench chain does not dispatch {other:?}"),
        }
    }

    fn query_smart(self: &Rc<Self>, contract: &str, msg: &[u8], gas_limit: u64) -> Result<Binary> {
        let record = self.record(contract)?;
        self.enter(contract, &record)?;
        let mut vm = self.instance(&record, gas_limit.min(CALL_GAS_LIMIT))?;
        let env = self.env(contract);
        let out = call_query_raw(&mut vm, &env, msg);
        self.charge_vm(&mut vm, &out);
        drop(vm);
        let out = out.map_err(|e| anyhow!("VM error in {contract}: {e}"))?;
        let result: ContractResult<Binary> = serde_json::from_slice(&out)?;
        result.into_result().map_err(|e| anyhow!("{e}"))
    }

    /// A query a contract makes (wasmd's query plugins).
    fn query_request(
        self: &Rc<Self>,
        request: &[u8],
        gas_limit: u64,
    ) -> SystemResult<ContractResult<Binary>> {
        let request: QueryRequest<Empty> = match cosmwasm_std::from_json(request) {
            Ok(r) => r,
            Err(e) => {
                return SystemResult::Err(SystemError::InvalidRequest {
                    error: e.to_string(),
                    request: Binary::from(request),
                })
            }
        };
        let answer = |r: Result<Binary>| match r {
            Ok(bin) => SystemResult::Ok(ContractResult::Ok(bin)),
            Err(e) => SystemResult::Ok(ContractResult::Err(format!("{e:#}"))),
        };
        match request {
            QueryRequest::Bank(BankQuery::Balance { address, denom }) => answer((|| {
                let raw = canonical(&address)?;
                let amount = sdk::balance(&mut self.ledger(), &raw, &denom);
                let res = json!({"amount": {"denom": denom, "amount": amount.to_string()}});
                Ok(Binary::new(serde_json::to_vec(&res)?))
            })()),
            QueryRequest::Wasm(WasmQuery::Smart { contract_addr, msg }) => {
                self.ledger().meter.counts.queries += 1;
                answer(self.query_smart(&contract_addr, msg.as_slice(), gas_limit))
            }
            QueryRequest::Wasm(WasmQuery::Raw { contract_addr, key }) => answer((|| {
                let record = self.record(&contract_addr)?;
                let mut full = vec![crate::storage::CONTRACT_STORE_PREFIX];
                full.extend_from_slice(&record.canonical);
                full.extend_from_slice(key.as_slice());
                let (value, _) =
                    self.ledger()
                        .read_as(Cost::Storage, Module::Wasm, &full, "raw read");
                Ok(Binary::new(value.unwrap_or_default()))
            })()),
            other => SystemResult::Err(SystemError::UnsupportedRequest {
                kind: format!("{other:?}"),
            }),
        }
    }
}

impl Querier for ChainQuerier {
    fn query_raw(
        &self,
        request: &[u8],
        gas_limit: u64,
    ) -> BackendResult<SystemResult<ContractResult<Binary>>> {
        let before = self.chain.ledger.borrow().meter.total();
        let result = self.chain.query_request(request, gas_limit);
        let used = self.chain.ledger.borrow().meter.total() - before;
        // wasmd charges the query to the caller's SDK meter; the VM learns
        // of it as externally used gas.
        (
            Ok(result),
            GasInfo::with_externally_used(used * GAS_MULTIPLIER),
        )
    }
}
