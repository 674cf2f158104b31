//! What the chain around the contracts does per message, as store accesses
//! charged like any other: wasmd's look-up of a contract before entering it,
//! and x/bank (Cosmos SDK 0.50) transfers and balance queries.
//!
//! Records are encoded with the same protobuf layout as on chain, so that
//! their byte lengths (which gas is charged on) are the real ones.

use anyhow::{bail, Result};

use crate::gas::{Cost, INSTANCE_COST};
use crate::storage::{Kv, Ledger, Module};

/// A native coin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coin {
    pub denom: String,
    pub amount: u128,
}

impl Coin {
    pub fn new(amount: u128, denom: &str) -> Coin {
        Coin {
            denom: denom.to_string(),
            amount,
        }
    }
}

// ---- protobuf, just enough to get lengths right -------------------------

fn varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

fn field_varint(buf: &mut Vec<u8>, field: u64, v: u64) {
    if v != 0 {
        varint(buf, field << 3);
        varint(buf, v);
    }
}

fn field_bytes(buf: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    if !bytes.is_empty() {
        varint(buf, (field << 3) | 2);
        varint(buf, bytes.len() as u64);
        buf.extend_from_slice(bytes);
    }
}

fn any(type_url: &str, value: &[u8]) -> Vec<u8> {
    let mut buf = vec![];
    field_bytes(&mut buf, 1, type_url.as_bytes());
    field_bytes(&mut buf, 2, value);
    buf
}

// ---- x/wasm -------------------------------------------------------------

/// wasmd `ContractKeyPrefix ‖ address`.
pub fn contract_info_key(contract: &[u8]) -> Vec<u8> {
    [&[0x02][..], contract].concat()
}

/// wasmd `CodeKeyPrefix ‖ code id`.
pub fn code_info_key(code_id: u64) -> Vec<u8> {
    [&[0x01][..], &code_id.to_be_bytes()[..]].concat()
}

/// wasmd `PinnedCodeIndexPrefix ‖ code id`.
fn pinned_key(code_id: u64) -> Vec<u8> {
    [&[0x07][..], &code_id.to_be_bytes()[..]].concat()
}

/// `wasmd.x.wasm.v1.ContractInfo`.
pub fn contract_info(
    code_id: u64,
    creator: &str,
    admin: &str,
    label: &str,
    height: u64,
) -> Vec<u8> {
    let mut created = vec![];
    field_varint(&mut created, 1, height);
    field_varint(&mut created, 2, 1);
    let mut buf = vec![];
    field_varint(&mut buf, 1, code_id);
    field_bytes(&mut buf, 2, creator.as_bytes());
    field_bytes(&mut buf, 3, admin.as_bytes());
    field_bytes(&mut buf, 4, label.as_bytes());
    field_bytes(&mut buf, 5, &created);
    buf
}

/// `wasmd.x.wasm.v1.CodeInfo` (instantiate permission: everybody).
pub fn code_info(checksum: &[u8], creator: &str) -> Vec<u8> {
    let mut config = vec![];
    field_varint(&mut config, 1, 3);
    let mut buf = vec![];
    field_bytes(&mut buf, 1, checksum);
    field_bytes(&mut buf, 2, creator.as_bytes());
    field_bytes(&mut buf, 5, &config);
    buf
}

/// What wasmd does before every execute, query or instantiate of a
/// contract: load its `ContractInfo` and `CodeInfo`, check whether the code
/// is pinned, and charge the instance cost.
pub fn enter_contract(ledger: &mut Ledger, contract: &[u8], code_id: u64) -> Result<()> {
    let (info, _) = ledger.read(Cost::Setup, Module::Wasm, &contract_info_key(contract));
    if info.is_none() {
        bail!("no such contract");
    }
    ledger.read(Cost::Setup, Module::Wasm, &code_info_key(code_id));
    ledger.has(Cost::Setup, Module::Wasm, &pinned_key(code_id));
    ledger.meter.charge(Cost::Setup, INSTANCE_COST);
    ledger.meter.entered(code_id);
    Ok(())
}

// ---- x/auth -------------------------------------------------------------

/// x/auth `AddressStoreKeyPrefix ‖ address`.
fn account_key(address: &[u8]) -> Vec<u8> {
    [&[0x01][..], address].concat()
}

/// A `BaseAccount` wrapped in `Any`, as x/auth stores it; users have a
/// secp256k1 public key once they have signed, contracts never do.
pub fn base_account(address: &str, number: u64, with_pubkey: bool) -> Vec<u8> {
    let mut acc = vec![];
    field_bytes(&mut acc, 1, address.as_bytes());
    if with_pubkey {
        let mut pk = vec![];
        field_bytes(&mut pk, 1, &[2u8; 33]);
        field_bytes(&mut acc, 2, &any("/cosmos.crypto.secp256k1.PubKey", &pk));
    }
    field_varint(&mut acc, 3, number);
    field_varint(&mut acc, 4, 1);
    any("/cosmos.auth.v1beta1.BaseAccount", &acc)
}

/// Creates an account at genesis (no gas).
pub fn create_account(kv: &mut Kv, address: &[u8], account: Vec<u8>) {
    kv.set(Module::Auth, &account_key(address), account);
}

// ---- x/bank -------------------------------------------------------------

/// `BalancesPrefix ‖ len(address) ‖ address ‖ denom`.
fn balance_key(address: &[u8], denom: &str) -> Vec<u8> {
    let mut k = vec![0x02, address.len() as u8];
    k.extend_from_slice(address);
    k.extend_from_slice(denom.as_bytes());
    k
}

/// The balances' denom index: `DenomAddressPrefix ‖ denom ‖ 0x00 ‖ address`.
fn denom_index_key(address: &[u8], denom: &str) -> Vec<u8> {
    let mut k = vec![0x03];
    k.extend_from_slice(denom.as_bytes());
    k.push(0);
    k.extend_from_slice(address);
    k
}

const PARAMS_KEY: [u8; 1] = [0x05];

fn send_enabled_key(denom: &str) -> Vec<u8> {
    [&[0x04][..], denom.as_bytes()].concat()
}

fn parse_amount(bytes: Option<Vec<u8>>) -> u128 {
    bytes
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// x/bank `GetBalance` (charged).
pub fn balance(ledger: &mut Ledger, address: &[u8], denom: &str) -> u128 {
    parse_amount(
        ledger
            .read(Cost::Bank, Module::Bank, &balance_key(address, denom))
            .0,
    )
}

/// x/bank `setBalance`: a zero balance is removed (with its index entry),
/// any other is written with its index entry.
fn set_balance(ledger: &mut Ledger, address: &[u8], denom: &str, amount: u128) {
    let key = balance_key(address, denom);
    let index = denom_index_key(address, denom);
    if amount == 0 {
        ledger.read(Cost::Bank, Module::Bank, &key);
        ledger.delete(Cost::Bank, Module::Bank, &index);
        ledger.delete(Cost::Bank, Module::Bank, &key);
    } else {
        ledger.write(Cost::Bank, Module::Bank, &index, vec![]);
        ledger.write(
            Cost::Bank,
            Module::Bank,
            &key,
            amount.to_string().into_bytes(),
        );
    }
}

/// Mints at genesis (no gas).
pub fn mint(ledger: &mut Ledger, address: &[u8], coin: &Coin) {
    let key = balance_key(address, &coin.denom);
    let now = parse_amount(ledger.kv.get(Module::Bank, &key).cloned());
    ledger.kv.set(
        Module::Bank,
        &key,
        (now + coin.amount).to_string().into_bytes(),
    );
    ledger
        .kv
        .set(Module::Bank, &denom_index_key(address, &coin.denom), vec![]);
}

/// x/bank `MsgSend` (what wasmd dispatches a `BankMsg::Send` to, and what it
/// does with the funds of an execute): send-enabled checks, the sender's
/// account (vesting check), both balances, the recipient's account.
pub fn send(ledger: &mut Ledger, from: &[u8], to: &[u8], coins: &[Coin]) -> Result<()> {
    ledger.meter.counts.transfers += 1;
    ledger.read(Cost::Bank, Module::Bank, &PARAMS_KEY);
    for c in coins {
        ledger.has(Cost::Bank, Module::Bank, &send_enabled_key(&c.denom));
    }
    ledger.read(Cost::Bank, Module::Auth, &account_key(from));
    for c in coins {
        let have = balance(ledger, from, &c.denom);
        if have < c.amount {
            bail!(
                "insufficient funds: {have}{} < {}{}",
                c.denom,
                c.amount,
                c.denom
            );
        }
        set_balance(ledger, from, &c.denom, have - c.amount);
    }
    for c in coins {
        let have = balance(ledger, to, &c.denom);
        set_balance(ledger, to, &c.denom, have + c.amount);
    }
    if !ledger.has(Cost::Bank, Module::Auth, &account_key(to)) {
        let account = base_account("new", 0, false);
        ledger.write(Cost::Bank, Module::Auth, &account_key(to), account);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_moves_coins_and_charges_the_bank() {
        let mut l = Ledger::default();
        let (a, b) = ([1u8; 20], [2u8; 20]);
        create_account(&mut l.kv, &a, base_account("a", 1, true));
        create_account(&mut l.kv, &b, base_account("b", 2, true));
        mint(&mut l, &a, &Coin::new(100, "ucl"));
        send(&mut l, &a, &b, &[Coin::new(40, "ucl")]).unwrap();
        assert_eq!(balance(&mut l, &a, "ucl"), 60);
        assert_eq!(balance(&mut l, &b, "ucl"), 40);
        assert!(l.meter.used.bank > 15_000, "{:?}", l.meter.used);
        assert!(send(&mut l, &a, &b, &[Coin::new(61, "ucl")]).is_err());
        // Sending everything removes the balance.
        send(&mut l, &a, &b, &[Coin::new(60, "ucl")]).unwrap();
        assert_eq!(l.kv.get(Module::Bank, &balance_key(&a, "ucl")), None);
    }

    #[test]
    fn records_have_their_protobuf_lengths() {
        // 0x0a 0x20 ‖ 32 bytes, 0x12 len ‖ creator, 0x2a 0x02 0x08 0x03.
        assert_eq!(code_info(&[0u8; 32], "abc").len(), 34 + 5 + 4);
        let acc = base_account("x", 5, false);
        // Any: type url (2 + 32) + value (2 + [0x0a 0x01 'x', 0x18 0x05, 0x20 0x01]).
        assert_eq!(acc.len(), 34 + 2 + 7);
    }
}
