//! The gas schedule of a wasmd chain, and the meter of one transaction.
//!
//! Sources: Cosmos SDK `store/types/gas.go` (`KVGasConfig`), wasmd
//! `x/wasm/types/gas_register.go` and `x/wasm/keeper/api.go` (wasmd ≥ 0.51,
//! the releases that run cosmwasm-vm 2 and 3).

use std::collections::BTreeMap;

/// CosmWasm (VM) gas per Cosmos SDK gas: wasmd `DefaultGasMultiplier`.
pub const GAS_MULTIPLIER: u64 = 140_000;
/// SDK gas each time a contract is entered (execute, query, instantiate):
/// wasmd `DefaultInstanceCost`.
pub const INSTANCE_COST: u64 = 60_000;
/// What wasmd charges instead for a `reply` (the module is surely cached):
/// `DefaultInstanceCostDiscount`.
pub const INSTANCE_COST_DISCOUNT: u64 = 2_000;
/// SDK gas per byte of a contract's JSON result that wasmvm deserializes
/// (`DefaultDeserializationCostPerByte`).
pub const DESERIALIZATION_PER_BYTE: u64 = 1;
/// Event costs: `DefaultPerAttributeCost`, `DefaultEventAttributeDataCost`,
/// `DefaultEventAttributeDataFreeTier`, `DefaultPerCustomEventCost`.
pub const EVENT_PER_ATTRIBUTE: u64 = 10;
pub const EVENT_PER_BYTE: u64 = 1;
pub const EVENT_FREE_BYTES: u64 = 100;
pub const CUSTOM_EVENT_COST: u64 = 20;

/// Cosmos SDK `KVGasConfig`, charged on the full key as the module store
/// sees it (for contract storage: `0x03 ‖ contract address ‖ key`).
pub const HAS_COST: u64 = 1_000;
pub const DELETE_COST: u64 = 1_000;
pub const READ_FLAT: u64 = 1_000;
pub const READ_PER_BYTE: u64 = 3;
pub const WRITE_FLAT: u64 = 2_000;
pub const WRITE_PER_BYTE: u64 = 30;
pub const ITER_NEXT_FLAT: u64 = 30;

/// Where SDK gas went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cost {
    /// Contract storage reads, writes, deletes and iterator steps.
    Storage,
    /// Wasm execution and host calls (VM gas / `GAS_MULTIPLIER`, plus the
    /// deserialization of results).
    Vm,
    /// Entering a contract: instance cost and the keeper's look-ups of the
    /// contract and code records.
    Setup,
    /// Event attributes the contracts emit.
    Events,
    /// x/bank and x/auth work: transfers and balance queries.
    Bank,
}

/// SDK gas of one transaction, by where it went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GasUsed {
    pub storage: u64,
    pub vm: u64,
    pub setup: u64,
    pub events: u64,
    pub bank: u64,
}

impl GasUsed {
    pub fn total(&self) -> u64 {
        self.storage + self.vm + self.setup + self.events + self.bank
    }

    fn slot(&mut self, cost: Cost) -> &mut u64 {
        match cost {
            Cost::Storage => &mut self.storage,
            Cost::Vm => &mut self.vm,
            Cost::Setup => &mut self.setup,
            Cost::Events => &mut self.events,
            Cost::Bank => &mut self.bank,
        }
    }
}

/// What a transaction did, besides spending gas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Contract executions (the message itself and every `WasmMsg::Execute`).
    pub executions: u32,
    /// Smart queries from contracts to contracts.
    pub queries: u32,
    /// Native transfers (`BankMsg::Send` and funds sent with an execute).
    pub transfers: u32,
    /// Contract storage operations (reads, writes, deletes, iterator steps).
    pub storage_ops: u32,
    /// Entries into a contract whose code was already entered earlier in
    /// the transaction: wasmd ≥ 0.54 charges `INSTANCE_COST_DISCOUNT` for
    /// those instead of `INSTANCE_COST`.
    pub repeat_entries: u32,
}

impl Counts {
    /// Total SDK gas under wasmd ≥ 0.54's per-transaction code discount.
    pub fn with_tx_discount(&self, total: u64) -> u64 {
        total - u64::from(self.repeat_entries) * (INSTANCE_COST - INSTANCE_COST_DISCOUNT)
    }

    /// Total SDK gas if chain governance pins the three codes (wasmd
    /// charges the discounted instance cost for every entry then).
    pub fn with_pinned_codes(&self, total: u64) -> u64 {
        let entries = u64::from(self.executions + self.queries);
        total - entries * (INSTANCE_COST - INSTANCE_COST_DISCOUNT)
    }
}

/// One kind of contract-storage access to one record, in a transaction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpStat {
    pub count: u32,
    /// Bytes of key and value charged for.
    pub bytes: u64,
    pub gas: u64,
}

/// Contract storage work of one transaction by record: `(contract,
/// record, operation)` → what it cost. The record is the cw-storage-plus
/// namespace of the key (`members`, `events`, `pool`, ...); operations are
/// `read`, `raw read` (by another contract, `WasmQuery::Raw`), `write`,
/// `delete` and `iterate`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace(pub BTreeMap<(String, String, &'static str), OpStat>);

impl Trace {
    pub fn add(&mut self, who: String, what: String, op: &'static str, bytes: u64, gas: u64) {
        let s = self.0.entry((who, what, op)).or_default();
        s.count += 1;
        s.bytes += bytes;
        s.gas += gas;
    }

    /// How many times `who`'s record `what` was read (directly or raw).
    pub fn reads(&self, who: &str, what: &str) -> u32 {
        self.0
            .iter()
            .filter(|((w, r, op), _)| w == who && r == what && op.ends_with("read"))
            .map(|(_, s)| s.count)
            .sum()
    }

    /// Records by storage gas, largest first: `(contract, record)` with the
    /// operations on it.
    pub fn by_record(&self) -> Vec<((String, String), Vec<(&'static str, OpStat)>, u64)> {
        let mut map: BTreeMap<(String, String), Vec<(&'static str, OpStat)>> = BTreeMap::new();
        for ((who, what, op), s) in &self.0 {
            map.entry((who.clone(), what.clone()))
                .or_default()
                .push((op, *s));
        }
        let mut rows: Vec<_> = map
            .into_iter()
            .map(|(k, ops)| {
                let gas: u64 = ops.iter().map(|(_, s)| s.gas).sum();
                (k, ops, gas)
            })
            .collect();
        rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        rows
    }
}

/// The gas meter of the transaction being run.
#[derive(Debug, Default)]
pub struct Meter {
    pub used: GasUsed,
    pub counts: Counts,
    /// Contract storage accesses by record.
    pub trace: Trace,
    /// Codes entered so far in this transaction.
    codes_entered: Vec<u64>,
}

impl Meter {
    pub fn charge(&mut self, cost: Cost, amount: u64) {
        *self.used.slot(cost) += amount;
    }

    pub fn total(&self) -> u64 {
        self.used.total()
    }

    /// Notes an entry into a contract of `code_id` (for the discount count).
    pub fn entered(&mut self, code_id: u64) {
        if self.codes_entered.contains(&code_id) {
            self.counts.repeat_entries += 1;
        } else {
            self.codes_entered.push(code_id);
        }
    }

    pub fn reset(&mut self) {
        *self = Meter::default();
    }
}

/// wasmd `EventCosts`: per attribute, plus per byte of keys and values
/// beyond a free tier shared by the whole response, plus per custom event
/// (and its type name).
pub fn event_costs(
    attributes: &[(String, String)],
    events: &[(String, Vec<(String, String)>)],
) -> u64 {
    let mut free = EVENT_FREE_BYTES;
    let mut attribute_costs = |attrs: &[(String, String)]| -> u64 {
        if attrs.is_empty() {
            return 0;
        }
        let bytes: u64 = attrs.iter().map(|(k, v)| (k.len() + v.len()) as u64).sum();
        let charged = bytes.saturating_sub(free);
        free = free.saturating_sub(bytes);
        charged * EVENT_PER_BYTE + attrs.len() as u64 * EVENT_PER_ATTRIBUTE
    };
    let mut gas = attribute_costs(attributes);
    for (ty, attrs) in events {
        gas += CUSTOM_EVENT_COST + ty.len() as u64 * EVENT_PER_BYTE + attribute_costs(attrs);
    }
    gas
}

/// SDK gas of a contract call's VM work, as wasmd computes it: wasmvm adds
/// the deserialization of the result to the VM gas, wasmd divides (rounding
/// down) by the multiplier.
pub fn vm_to_sdk(vm_gas_used: u64, result_bytes: usize) -> u64 {
    let deserialization = result_bytes as u64 * DESERIALIZATION_PER_BYTE * GAS_MULTIPLIER;
    (vm_gas_used + deserialization) / GAS_MULTIPLIER
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn events_have_a_free_tier_shared_by_the_response() {
        // 2 attributes, 60 bytes: free tier covers the bytes.
        let small = vec![
            attr("action", &"x".repeat(24)),
            attr("member", &"y".repeat(24)),
        ];
        assert_eq!(event_costs(&small, &[]), 20);
        // 150 bytes: 50 over the free tier.
        let big = vec![attr("k", &"v".repeat(149))];
        assert_eq!(event_costs(&big, &[]), 10 + 50);
        // A custom event after the free tier is used up pays for every byte.
        let ev = vec![("wasm-x".to_string(), vec![attr("ab", "cd")])];
        assert_eq!(event_costs(&big, &ev), 60 + 20 + 6 + 4 + 10);
    }

    #[test]
    fn vm_gas_rounds_down_after_adding_deserialization() {
        assert_eq!(vm_to_sdk(GAS_MULTIPLIER * 10 + 5, 3), 13);
        assert_eq!(vm_to_sdk(GAS_MULTIPLIER - 1, 0), 0);
    }
}
