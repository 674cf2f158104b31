//! The chain's key/value stores, charged the way the Cosmos SDK's gas KV
//! store charges them, and the view a contract instance gets of its own
//! storage (wasmd's prefix store: `0x03 ‖ contract address ‖ key`).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::rc::Rc;

use cosmwasm_std::{Order, Record};
use cosmwasm_vm::{BackendError, BackendResult, GasInfo, Storage};

use crate::gas::{
    Cost, Meter, DELETE_COST, GAS_MULTIPLIER, HAS_COST, ITER_NEXT_FLAT, READ_FLAT, READ_PER_BYTE,
    WRITE_FLAT, WRITE_PER_BYTE,
};

/// A Cosmos SDK module store. Separate trees on chain; here one map with a
/// tag byte in front that no gas is charged for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Module {
    Wasm = 1,
    Bank = 2,
    Auth = 3,
}

/// wasmd's prefix of a contract's storage in the wasm module store.
pub const CONTRACT_STORE_PREFIX: u8 = 0x03;

/// Every module store, with a journal so that a refused message (and
/// everything it caused) can be undone.
#[derive(Default)]
pub struct Kv {
    data: BTreeMap<Vec<u8>, Vec<u8>>,
    journal: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    marks: Vec<usize>,
}

fn tagged(module: Module, key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(key.len() + 1);
    k.push(module as u8);
    k.extend_from_slice(key);
    k
}

/// The smallest key greater than every key starting with `prefix`
/// (`None`: there is none).
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

impl Kv {
    pub fn get(&self, module: Module, key: &[u8]) -> Option<&Vec<u8>> {
        self.data.get(&tagged(module, key))
    }

    pub fn set(&mut self, module: Module, key: &[u8], value: Vec<u8>) {
        let k = tagged(module, key);
        let old = self.data.insert(k.clone(), value);
        self.record(k, old);
    }

    pub fn remove(&mut self, module: Module, key: &[u8]) {
        let k = tagged(module, key);
        let old = self.data.remove(&k);
        self.record(k, old);
    }

    /// Every entry of `module` whose key starts with `prefix` (keys without
    /// the module tag), in key order. Not charged: the bench's own view.
    pub fn entries(&self, module: Module, prefix: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
        let lo = tagged(module, prefix);
        let range = match prefix_end(&lo) {
            Some(hi) => self.data.range(lo..hi),
            None => self.data.range(lo..),
        };
        range.map(|(k, v)| (k[1..].to_vec(), v.clone())).collect()
    }

    fn record(&mut self, key: Vec<u8>, old: Option<Vec<u8>>) {
        if !self.marks.is_empty() {
            self.journal.push((key, old));
        }
    }

    /// Starts a unit of work that `rollback` can undo. Units nest.
    pub fn begin(&mut self) {
        self.marks.push(self.journal.len());
    }

    /// Keeps the innermost unit's writes (an enclosing unit may still undo them).
    pub fn commit(&mut self) {
        self.marks.pop();
        if self.marks.is_empty() {
            self.journal.clear();
        }
    }

    /// Undoes every write of the innermost unit.
    pub fn rollback(&mut self) {
        let mark = self.marks.pop().unwrap_or(0);
        while self.journal.len() > mark {
            let Some((key, old)) = self.journal.pop() else {
                break;
            };
            match old {
                Some(v) => self.data.insert(key, v),
                None => self.data.remove(&key),
            };
        }
    }

    /// The first entry of `[lo, hi)` in `order` that comes after `after`.
    fn next_in(
        &self,
        module: Module,
        lo: &[u8],
        hi: Option<&[u8]>,
        after: Option<&[u8]>,
        order: Order,
    ) -> Option<(Vec<u8>, Vec<u8>)> {
        let lo_t = tagged(module, lo);
        let hi_t = match hi {
            Some(h) => tagged(module, h),
            None => vec![module as u8 + 1],
        };
        if lo_t >= hi_t {
            return None;
        }
        let after_t = after.map(|a| tagged(module, a));
        let found = match order {
            Order::Ascending => {
                let start = match &after_t {
                    Some(a) => Bound::Excluded(a.clone()),
                    None => Bound::Included(lo_t),
                };
                self.data.range((start, Bound::Excluded(hi_t))).next()
            }
            Order::Descending => {
                let end = match &after_t {
                    Some(a) => Bound::Excluded(a.clone()),
                    None => Bound::Excluded(hi_t),
                };
                self.data.range((Bound::Included(lo_t), end)).next_back()
            }
        };
        found.map(|(k, v)| (k[1..].to_vec(), v.clone()))
    }
}

/// The chain state and the meter of the running transaction.
#[derive(Default)]
pub struct Ledger {
    pub kv: Kv,
    pub meter: Meter,
    /// Short names of contracts by canonical address, for the trace.
    pub labels: HashMap<Vec<u8>, String>,
}

pub type SharedLedger = Rc<RefCell<Ledger>>;

/// The record a contract-storage key belongs to: the cw-storage-plus
/// namespace of a map key (`len ‖ namespace ‖ …`), or an item's whole key.
pub fn record_name(key: &[u8]) -> String {
    let printable = |b: &[u8]| !b.is_empty() && b.iter().all(|c| c.is_ascii_graphic());
    if key.len() >= 2 {
        let len = u16::from_be_bytes([key[0], key[1]]) as usize;
        if len > 0 && key.len() >= 2 + len && printable(&key[2..2 + len]) {
            return String::from_utf8_lossy(&key[2..2 + len]).into_owned();
        }
    }
    if printable(key) {
        return String::from_utf8_lossy(key).into_owned();
    }
    format!(
        "0x{}",
        key.iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

impl Ledger {
    /// Notes a contract-storage access in the trace (other accesses are
    /// the chain's own: contract look-ups, bank, accounts).
    fn note(
        &mut self,
        cost: Cost,
        module: Module,
        key: &[u8],
        op: &'static str,
        bytes: u64,
        gas: u64,
    ) {
        if cost != Cost::Storage || module != Module::Wasm {
            return;
        }
        let (who, what) = if key.len() >= 33 && key[0] == CONTRACT_STORE_PREFIX {
            let who = self
                .labels
                .get(&key[1..33])
                .cloned()
                .unwrap_or_else(|| "contract".to_string());
            (who, record_name(&key[33..]))
        } else {
            ("wasmd".to_string(), record_name(key))
        };
        self.meter.trace.add(who, what, op, bytes, gas);
    }

    /// Gas KV `Get`: flat, plus per byte of key and of value.
    pub fn read(&mut self, cost: Cost, module: Module, key: &[u8]) -> (Option<Vec<u8>>, u64) {
        self.read_as(cost, module, key, "read")
    }

    /// A `Get` noted in the trace as `op` (`raw read`: another contract's).
    pub fn read_as(
        &mut self,
        cost: Cost,
        module: Module,
        key: &[u8],
        op: &'static str,
    ) -> (Option<Vec<u8>>, u64) {
        let value = self.kv.get(module, key).cloned();
        let bytes = key.len() as u64 + value.as_ref().map_or(0, |v| v.len()) as u64;
        let gas = READ_FLAT + READ_PER_BYTE * bytes;
        self.meter.charge(cost, gas);
        self.note(cost, module, key, op, bytes, gas);
        (value, gas)
    }

    /// Gas KV `Has`: flat.
    pub fn has(&mut self, cost: Cost, module: Module, key: &[u8]) -> bool {
        self.meter.charge(cost, HAS_COST);
        self.note(cost, module, key, "has", 0, HAS_COST);
        self.kv.get(module, key).is_some()
    }

    /// Gas KV `Set`: flat, plus per byte of key and of value.
    pub fn write(&mut self, cost: Cost, module: Module, key: &[u8], value: Vec<u8>) -> u64 {
        let bytes = (key.len() + value.len()) as u64;
        let gas = WRITE_FLAT + WRITE_PER_BYTE * bytes;
        self.meter.charge(cost, gas);
        self.note(cost, module, key, "write", bytes, gas);
        self.kv.set(module, key, value);
        gas
    }

    /// Gas KV `Delete`: flat.
    pub fn delete(&mut self, cost: Cost, module: Module, key: &[u8]) -> u64 {
        self.meter.charge(cost, DELETE_COST);
        self.note(cost, module, key, "delete", 0, DELETE_COST);
        self.kv.remove(module, key);
        DELETE_COST
    }

    /// One iterator step over an entry (gas KV iterator `consumeSeekGas`):
    /// flat, plus per byte of key and value of the entry it stands on.
    /// `at` names the range for the trace when there is no entry.
    fn iterator_step(&mut self, entry: Option<&(Vec<u8>, Vec<u8>)>, at: &[u8]) -> u64 {
        let bytes = entry.map_or(0, |(k, v)| (k.len() + v.len()) as u64);
        let gas = ITER_NEXT_FLAT + READ_PER_BYTE * bytes;
        self.meter.charge(Cost::Storage, gas);
        let key = entry.map_or(at, |(k, _)| k.as_slice()).to_vec();
        self.note(Cost::Storage, Module::Wasm, &key, "iterate", bytes, gas);
        gas
    }
}

/// An open iterator of a contract: its range (full keys) and how far it got.
struct Cursor {
    lo: Vec<u8>,
    hi: Option<Vec<u8>>,
    order: Order,
    last: Option<Vec<u8>>,
}

/// What a contract instance sees as its storage.
pub struct ContractStorage {
    ledger: SharedLedger,
    prefix: Vec<u8>,
    iterators: HashMap<u32, Cursor>,
}

fn sdk_gas(gas: u64) -> GasInfo {
    GasInfo::with_externally_used(gas * GAS_MULTIPLIER)
}

impl ContractStorage {
    pub fn new(ledger: SharedLedger, contract: &[u8]) -> Self {
        let mut prefix = vec![CONTRACT_STORE_PREFIX];
        prefix.extend_from_slice(contract);
        ContractStorage {
            ledger,
            prefix,
            iterators: HashMap::new(),
        }
    }

    fn full(&self, key: &[u8]) -> Vec<u8> {
        let mut k = self.prefix.clone();
        k.extend_from_slice(key);
        k
    }

    fn peek(&self, cursor: &Cursor) -> Option<(Vec<u8>, Vec<u8>)> {
        self.ledger.borrow().kv.next_in(
            Module::Wasm,
            &cursor.lo,
            cursor.hi.as_deref(),
            cursor.last.as_deref(),
            cursor.order,
        )
    }
}

impl Storage for ContractStorage {
    fn get(&self, key: &[u8]) -> BackendResult<Option<Vec<u8>>> {
        let full = self.full(key);
        let mut ledger = self.ledger.borrow_mut();
        ledger.meter.counts.storage_ops += 1;
        let (value, gas) = ledger.read(Cost::Storage, Module::Wasm, &full);
        (Ok(value), sdk_gas(gas))
    }

    fn scan(
        &mut self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> BackendResult<u32> {
        let cursor = Cursor {
            lo: self.full(start.unwrap_or_default()),
            hi: match end {
                Some(e) => Some(self.full(e)),
                None => prefix_end(&self.prefix),
            },
            order,
            last: None,
        };
        // Opening an iterator seeks to its first entry and pays for it.
        let first = self.peek(&cursor);
        let gas = {
            let mut ledger = self.ledger.borrow_mut();
            ledger.meter.counts.storage_ops += 1;
            ledger.iterator_step(first.as_ref(), &cursor.lo)
        };
        let id = self.iterators.len() as u32 + 1;
        self.iterators.insert(id, cursor);
        (Ok(id), sdk_gas(gas))
    }

    fn next(&mut self, iterator_id: u32) -> BackendResult<Option<Record>> {
        let Some(cursor) = self.iterators.get(&iterator_id) else {
            return (
                Err(BackendError::iterator_does_not_exist(iterator_id)),
                GasInfo::free(),
            );
        };
        let Some(entry) = self.peek(cursor) else {
            // wasmvm returns at the end without touching the store.
            return (Ok(None), GasInfo::free());
        };
        let gas = {
            let mut ledger = self.ledger.borrow_mut();
            ledger.meter.counts.storage_ops += 1;
            ledger.iterator_step(Some(&entry), &[])
        };
        let (key, value) = entry;
        let record = (key[self.prefix.len()..].to_vec(), value);
        if let Some(c) = self.iterators.get_mut(&iterator_id) {
            c.last = Some(key);
        }
        (Ok(Some(record)), sdk_gas(gas))
    }

    fn set(&mut self, key: &[u8], value: &[u8]) -> BackendResult<()> {
        let full = self.full(key);
        let mut ledger = self.ledger.borrow_mut();
        ledger.meter.counts.storage_ops += 1;
        let gas = ledger.write(Cost::Storage, Module::Wasm, &full, value.to_vec());
        (Ok(()), sdk_gas(gas))
    }

    fn remove(&mut self, key: &[u8]) -> BackendResult<()> {
        let full = self.full(key);
        let mut ledger = self.ledger.borrow_mut();
        ledger.meter.counts.storage_ops += 1;
        let gas = ledger.delete(Cost::Storage, Module::Wasm, &full);
        (Ok(()), sdk_gas(gas))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn storage() -> (SharedLedger, ContractStorage) {
        let ledger = SharedLedger::default();
        let s = ContractStorage::new(ledger.clone(), &[7u8; 32]);
        (ledger, s)
    }

    #[test]
    fn reads_and_writes_charge_the_prefixed_key() {
        let (ledger, mut s) = storage();
        // key: 0x03 + 32 address bytes + 3 = 36 bytes; value 4 bytes.
        let (_, gas) = s.set(b"abc", b"1234");
        assert_eq!(gas.externally_used, (2000 + 30 * 40) * GAS_MULTIPLIER);
        let (v, gas) = s.get(b"abc");
        assert_eq!(v.unwrap().unwrap(), b"1234");
        assert_eq!(gas.externally_used, (1000 + 3 * 40) * GAS_MULTIPLIER);
        let (_, gas) = s.get(b"zz");
        assert_eq!(gas.externally_used, (1000 + 3 * 35) * GAS_MULTIPLIER);
        assert_eq!(
            ledger.borrow().meter.used.storage,
            2000 + 1200 + 1120 + 1105
        );
    }

    #[test]
    fn iterators_stay_inside_the_contract_and_charge_each_entry() {
        let (ledger, mut s) = storage();
        let mut other = ContractStorage::new(ledger.clone(), &[8u8; 32]);
        other.set(b"a", b"x").0.unwrap();
        for k in [b"a", b"b", b"c"] {
            s.set(k, b"v").0.unwrap();
        }
        ledger.borrow_mut().meter.reset();
        let (id, gas) = s.scan(Some(b"b"), None, Order::Ascending);
        let id = id.unwrap();
        let step = 30 + 3 * (34 + 1);
        assert_eq!(gas.externally_used, step * GAS_MULTIPLIER);
        let keys: Vec<Vec<u8>> =
            std::iter::from_fn(|| s.next(id).0.unwrap().map(|(k, _)| k)).collect();
        assert_eq!(keys, vec![b"b".to_vec(), b"c".to_vec()]);
        assert_eq!(ledger.borrow().meter.used.storage, 3 * step);

        let (id, _) = s.scan(None, Some(b"c"), Order::Descending);
        let id = id.unwrap();
        let keys: Vec<Vec<u8>> =
            std::iter::from_fn(|| s.next(id).0.unwrap().map(|(k, _)| k)).collect();
        assert_eq!(keys, vec![b"b".to_vec(), b"a".to_vec()]);
    }

    #[test]
    fn records_are_named_by_their_namespace() {
        // cw-storage-plus map key: 2-byte length, namespace, key.
        assert_eq!(record_name(b"\x00\x07membersabc"), "members");
        // An item's key is its name.
        assert_eq!(record_name(b"totals"), "totals");
        assert_eq!(record_name(&[0, 0, 1]), "0x000001");
    }

    #[test]
    fn contract_storage_is_traced_by_contract_and_record() {
        let (ledger, mut s) = storage();
        ledger
            .borrow_mut()
            .labels
            .insert(vec![7u8; 32], "fund".into());
        s.set(b"\x00\x06eventsk", b"v").0.unwrap();
        s.get(b"\x00\x06eventsk").0.unwrap();
        let trace = ledger.borrow().meter.trace.clone();
        assert_eq!(trace.reads("fund", "events"), 1);
        let rows = trace.by_record();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, ("fund".to_string(), "events".to_string()));
        assert_eq!(rows[0].1.len(), 2);
    }

    #[test]
    fn rollback_undoes_a_unit_of_work() {
        let (ledger, mut s) = storage();
        s.set(b"k", b"1").0.unwrap();
        ledger.borrow_mut().kv.begin();
        s.set(b"k", b"2").0.unwrap();
        s.set(b"n", b"3").0.unwrap();
        ledger.borrow_mut().kv.rollback();
        assert_eq!(s.get(b"k").0.unwrap().unwrap(), b"1");
        assert_eq!(s.get(b"n").0.unwrap(), None);
    }
}
