//! The deployment, its N members, and the messages whose gas is measured.
//!
//! The actors of a scenario (the members that send or suffer a measured
//! message) are admitted through the real contracts. The other members are
//! written directly into the contracts' storage (`populate`): one more
//! member, the template, is admitted through the contracts, and every
//! record the contracts wrote under its address (the fund's member record,
//! voter record and its snapshot changelog, exposure and exposure index;
//! the vault's margin account) is copied under each other member's
//! address, while every fund-wide and vault-wide figure its admission
//! changed (the pool total and voter count, the sums `B` is made of, the
//! books, the vault's totals, both contracts' bank balances) is advanced by
//! the template's change times the number of copies. The state is then
//! exactly what admitting those members one by one in the same block would
//! have written, and the bench checks it (pool total = sum of balances,
//! members, voters, books = bank balances) before measuring.
//!
//! Then each measured message runs once, in an order that lets each one do
//! its full work (a withdrawal claim before any default, an enforcement
//! after the deadline, ...). A second deployment per N measures a member
//! settling across k = 1, 5 and 20 defaults (SPEC §4 lets cost grow with
//! the defaults a member's settlement spans, never with the members).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context, Result};
use cosmwasm_std::Binary;
use serde_json::{json, Value};

use crate::gas::{Counts, GasUsed, Trace};
use crate::harness::{canonical, Chain, TxResult};
use crate::sdk::{self, Coin};
use crate::storage::{Module, CONTRACT_STORE_PREFIX};

pub const DENOM: &str = "uclear";
const DAY: u64 = 86_400;
const NOTICE: u64 = 14 * DAY;
const CLAIM_WINDOW: u64 = 7 * DAY;
const ASSESSMENT_DEADLINE: u64 = DAY;
const REPLENISHMENT_PERIOD: u64 = 7 * DAY;
const COOLING_OFF: u64 = 28 * DAY;
const VOTING_PERIOD: u64 = 7 * DAY;
const TIMELOCK: u64 = 2 * DAY;
const EXECUTION_WINDOW: u64 = 30 * DAY;
const BLOCK: u64 = 5;
const SITG: u128 = 1_000;
/// Every member's required margin and stress exposure (required
/// contribution `100 + 0.1 × 4,000 = 500`).
const REQUIRED_MARGIN: u128 = 4_000;
const EXPOSURE: u128 = 4_000;
/// Background members: margin and contribution.
const MARGIN: u128 = 5_000;
const CONTRIBUTION: u128 = 500;
/// Proposals open when "…, 50 proposals open" is measured.
const OPEN_PROPOSALS: usize = 50;
/// Members whose exposures one measured batch posts.
const BATCH: usize = 10;

/// The k of "a member settling across k defaults".
pub const KS: [usize; 3] = [1, 5, 20];

/// Members that act in the main scenario; the other N − 9 are there to be
/// many.
pub const ACTORS: usize = 9;
/// Members that act in the k scenario (20 defaulters, 6 settlers).
pub const K_ACTORS: usize = 26;

/// The contracts' optimized wasm.
pub struct Artifacts {
    pub vault: Vec<u8>,
    pub fund: Vec<u8>,
    pub governance: Vec<u8>,
}

impl Artifacts {
    pub fn load(dir: &Path) -> Result<Artifacts> {
        let read = |name: &str| {
            let path = dir.join(format!("{name}.wasm"));
            std::fs::read(&path).with_context(|| format!("reading {}", path.display()))
        };
        Ok(Artifacts {
            vault: read("margin_vault")?,
            fund: read("default_fund")?,
            governance: read("governance")?,
        })
    }
}

/// What one measured message cost.
#[derive(Clone, Debug)]
pub struct Measurement {
    pub message: &'static str,
    pub gas: GasUsed,
    pub counts: Counts,
    pub trace: Trace,
}

impl Measurement {
    /// Events of the fund's history the message read (the fund's own
    /// reads and other contracts' raw reads).
    pub fn events_read(&self) -> u32 {
        self.trace.reads("fund", "events")
    }
}

/// Timing of a deployment, for the report.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timing {
    pub populate: Duration,
    pub measure: Duration,
}

fn native(amount: u128) -> Vec<Coin> {
    vec![Coin::new(amount, DENOM)]
}

/// A `CosmosMsg` executing `msg` on `contract`, as a proposal carries it.
fn wasm_execute(contract: &str, msg: &Value) -> Result<Value> {
    let body = Binary::new(serde_json::to_vec(msg)?);
    Ok(json!({"wasm": {"execute": {"contract_addr": contract, "msg": body, "funds": []}}}))
}

fn amount(v: &Value, field: &str) -> Result<u128> {
    v[field]
        .as_str()
        .ok_or_else(|| anyhow!("no {field} in {v}"))?
        .parse::<u128>()
        .with_context(|| format!("{field} in {v}"))
}

/// The fund's parameters: `cover` sizing (basis = stress exposure), so that
/// posting exposures, the exposure index and recalibration do their full
/// work.
fn fund_params() -> Value {
    json!({
        "min_contribution": "100", "contribution_rate": "0.1",
        "assessment_multiple": "2", "cooling_off_period": COOLING_OFF,
        "assessment_deadline": ASSESSMENT_DEADLINE,
        "replenishment_period": REPLENISHMENT_PERIOD,
        "withdrawal_notice_period": NOTICE, "withdrawal_claim_window": CLAIM_WINDOW,
        "risk_engine_mutualised_limit": null,
        "sizing": {
            "mode": "stress_exposure", "cover": 2, "buffer": "0.1",
            "min_rate": "0.05", "max_rate": "0.5", "max_rate_step": "0.05",
            "recalibration_interval": DAY,
        },
    })
}

/// The deployed suite on a chain.
struct Suite {
    chain: Chain,
    vault: String,
    fund: String,
    gov_code: u64,
    admin: String,
    risk_engine: String,
    loss_recipient: String,
    keeper: String,
}

/// Layers of a default, by name, from a receipt.
fn layer(receipt: &Value, name: &str) -> Result<u128> {
    amount(&receipt["layers"], name)
}

const LAYERS: [&str; 6] = [
    "defaulter_margin",
    "defaulter_contribution",
    "sitg",
    "mutual_fund",
    "assessments",
    "uncovered",
];

impl Suite {
    fn deploy(chain: Chain, wasm: &Artifacts) -> Result<Suite> {
        let admin = chain.user("admin");
        let risk_engine = chain.user("risk_engine");
        let operator = chain.user("operator");
        let loss_recipient = chain.user("loss_recipient");
        let keeper = chain.user("keeper");
        let asset = json!({"native": {"denom": DENOM}});
        let vault_code = chain.store_code(&wasm.vault)?;
        let fund_code = chain.store_code(&wasm.fund)?;
        let gov_code = chain.store_code(&wasm.governance)?;

        let vault = chain.instantiate(
            vault_code,
            &admin,
            &json!({
                "governance": admin, "risk_engine": risk_engine,
                "asset": asset, "default_fund": null,
            }),
            "margin vault",
            Some(&admin),
        )?;
        chain.tag(&vault, "vault")?;
        let fund = chain.instantiate(
            fund_code,
            &admin,
            &json!({
                "governance": admin, "risk_engine": risk_engine, "operator": operator,
                "loss_recipient": loss_recipient, "vault": vault, "asset": asset,
                "params": fund_params(),
            }),
            "default fund",
            Some(&admin),
        )?;
        chain.tag(&fund, "fund")?;
        chain.execute(
            &admin,
            &vault,
            &json!({"update_config": {"governance": null, "risk_engine": null, "default_fund": fund}}),
            &[],
        )?;
        chain.mint(&operator, &Coin::new(SITG, DENOM))?;
        chain.execute(&operator, &fund, &json!({"fund_sitg": {}}), &native(SITG))?;
        chain.mint(&loss_recipient, &Coin::new(1_000_000_000_000, DENOM))?;
        Ok(Suite {
            chain,
            vault,
            fund,
            gov_code,
            admin,
            risk_engine,
            loss_recipient,
            keeper,
        })
    }

    fn exec(&self, sender: &str, contract: &str, msg: Value, funds: &[Coin]) -> Result<TxResult> {
        self.chain.execute(sender, contract, &msg, funds)
    }

    /// Admits `name` (required margin 4,000) through the contracts; it
    /// deposits `margin` and contributes `contribution`. Its exposure is
    /// posted separately.
    fn admit(&self, name: &str, margin: u128, contribution: u128) -> Result<String> {
        let c = &self.chain;
        let member = c.user(name);
        c.mint(
            &member,
            &Coin::new(margin + contribution + 1_000_000_000, DENOM),
        )?;
        self.exec(
            &self.admin,
            &self.vault,
            json!({"add_member": {"member": member, "required_margin": REQUIRED_MARGIN.to_string()}}),
            &[],
        )?;
        self.exec(
            &member,
            &self.vault,
            json!({"deposit": {}}),
            &native(margin),
        )?;
        self.exec(
            &member,
            &self.fund,
            json!({"contribute": {}}),
            &native(contribution),
        )?;
        Ok(member)
    }

    fn post_exposures(&self, posts: &[(&str, u128)]) -> Result<TxResult> {
        let list: Vec<Value> = posts
            .iter()
            .map(|(m, a)| json!({"member": m, "amount": a.to_string()}))
            .collect();
        self.exec(
            &self.risk_engine,
            &self.fund,
            json!({"post_exposures": {"exposures": list}}),
            &[],
        )
    }

    fn fund_query(&self, msg: Value) -> Result<Value> {
        self.chain.query(&self.fund, &msg)
    }

    fn fund_member(&self, member: &str) -> Result<Value> {
        self.fund_query(json!({"member": {"address": member}}))
    }

    /// Every wasm-store entry of the vault and the fund.
    fn contract_entries(&self) -> Result<BTreeMap<Vec<u8>, Vec<u8>>> {
        let mut out = BTreeMap::new();
        for contract in [&self.vault, &self.fund] {
            let mut prefix = vec![CONTRACT_STORE_PREFIX];
            prefix.extend(self.chain.contract_canonical(contract)?);
            let entries = self
                .chain
                .with_ledger(|l| l.kv.entries(Module::Wasm, &prefix));
            out.extend(entries);
        }
        Ok(out)
    }

    /// Brings the membership to `count` more members: admits a template
    /// member through the contracts (margin 5,000, contribution 500,
    /// exposure 4,000) and writes `count − 1` copies of it into storage
    /// (see the module documentation).
    fn populate(&self, count: usize) -> Result<()> {
        ensure!(count >= 1, "populate needs at least the template member");
        let balances = |s: &Suite| -> Result<(u128, u128)> {
            Ok((
                s.chain.balance(&s.fund, DENOM)?,
                s.chain.balance(&s.vault, DENOM)?,
            ))
        };
        let before = self.contract_entries()?;
        let bank_before = balances(self)?;
        let template = self.admit("member000000", MARGIN, CONTRIBUTION)?;
        self.post_exposures(&[(&template, EXPOSURE)])?;
        let after = self.contract_entries()?;
        let bank_after = balances(self)?;

        let needle = template.as_bytes();
        let mut records = vec![];
        let mut changes = vec![];
        for (key, value) in &after {
            if contains(key, needle) {
                records.push((key.clone(), value.clone()));
                continue;
            }
            match before.get(key) {
                None => bail!(
                    "admitting a member created the shared record {:?}, which the bench cannot replicate",
                    String::from_utf8_lossy(key)
                ),
                Some(old) if old != value => {
                    let (old_json, new_json): (Value, Value) = (
                        serde_json::from_slice(old).with_context(|| record_label(key))?,
                        serde_json::from_slice(value).with_context(|| record_label(key))?,
                    );
                    let delta = json_delta(&old_json, &new_json, &record_label(key))?;
                    changes.push((key.clone(), new_json, delta));
                }
                Some(_) => {}
            }
        }
        if let Some(gone) = before.keys().find(|k| !after.contains_key(*k)) {
            bail!(
                "admitting a member removed the record {}",
                record_label(gone)
            );
        }
        ensure!(!records.is_empty(), "the template member wrote no record");

        let copies = count - 1;
        if copies == 0 {
            return Ok(());
        }
        self.chain.with_ledger(|l| -> Result<()> {
            for i in 1..=copies {
                let address = self.chain.address(&format!("member{i:06}"));
                ensure!(
                    address.len() == template.len(),
                    "member addresses differ in length"
                );
                for (key, value) in &records {
                    l.kv.set(
                        Module::Wasm,
                        &replace_all(key, needle, address.as_bytes()),
                        replace_all(value, needle, address.as_bytes()),
                    );
                }
            }
            for (key, new_json, delta) in &changes {
                let value = apply_delta(new_json, delta, copies as i128)?;
                l.kv.set(Module::Wasm, key, serde_json::to_vec(&value)?);
            }
            let (fund_raw, vault_raw) = (canonical(&self.fund)?, canonical(&self.vault)?);
            for (raw, before, after) in [
                (&fund_raw, bank_before.0, bank_after.0),
                (&vault_raw, bank_before.1, bank_after.1),
            ] {
                let gained = after
                    .checked_sub(before)
                    .ok_or_else(|| anyhow!("a contract's balance fell"))?;
                sdk::mint(l, raw, &Coin::new(gained * copies as u128, DENOM));
            }
            Ok(())
        })
    }

    /// Checks that the populated state is consistent: the fund's pool total
    /// is the sum of the members' balances, members and voters add up, and
    /// both contracts' books equal their bank balances.
    fn check_population(&self, members: usize, balances: u128, voters: u64) -> Result<()> {
        let state = self.fund_query(json!({"state": {}}))?;
        ensure!(
            state["members"].as_u64() == Some(members as u64),
            "fund members: {state}"
        );
        ensure!(state["voters"].as_u64() == Some(voters), "voters: {state}");
        ensure!(
            amount(&state, "total_contributions")? == balances,
            "pool total {} ≠ the members' balances {balances}",
            state["total_contributions"]
        );
        let books = self.fund_query(json!({"books": {}}))?;
        ensure!(
            amount(&books, "claims")? == amount(&books, "holdings")?
                && amount(&books, "bank_balance")? == amount(&books, "holdings")?,
            "fund books: {books}"
        );
        let vault_books: Value = self.chain.query(&self.vault, &json!({"books": {}}))?;
        ensure!(
            amount(&vault_books, "total_margin")? == amount(&vault_books, "bank_balance")?,
            "vault books: {vault_books}"
        );
        let totals: Value = self.chain.query(&self.vault, &json!({"totals": {}}))?;
        ensure!(
            totals["members"].as_u64() == Some(members as u64),
            "vault members: {totals}"
        );
        Ok(())
    }

    /// The close-out loss that takes a default of `member` `extra(room)`
    /// units into `target` (`room`: what that layer could take), from a
    /// preview; the defaulter's unpaid assessments join it.
    fn loss_into(&self, member: &str, target: &str, extra: impl Fn(u128) -> u128) -> Result<u128> {
        let receipt = self.fund_query(json!({"preview_default": {
            "member": member, "loss": (u128::MAX / 4).to_string(),
        }}))?;
        let unpaid = amount(&receipt, "unpaid_assessments")?;
        let mut loss = 0;
        for name in LAYERS {
            let room = layer(&receipt, name)?;
            if name == target {
                ensure!(room > 0, "layer {target} is empty for {member}: {receipt}");
                let into = extra(room).clamp(1, room);
                return Ok(loss + into - unpaid);
            }
            loss += room;
        }
        bail!("unknown layer {target}")
    }

    /// Declares `member`'s default and checks its receipt: the layers add
    /// up to the loss, the deepest non-empty one is `target`, and the loss
    /// recipient received layers 1–4 through the bank.
    fn declare(&self, member: &str, close_out: u128, target: &str) -> Result<TxResult> {
        let before = self.chain.balance(&self.loss_recipient, DENOM)?;
        let r = self.exec(
            &self.risk_engine,
            &self.fund,
            json!({"declare_default": {"member": member, "loss": close_out.to_string()}}),
            &[],
        )?;
        let paid = self.chain.balance(&self.loss_recipient, DENOM)? - before;
        let get = |k: &str| -> Result<u128> {
            r.event_attribute("wasm-default", k)
                .ok_or_else(|| anyhow!("no {k} in the default's receipt"))?
                .parse::<u128>()
                .map_err(Into::into)
        };
        let layers: Vec<u128> = LAYERS.iter().map(|l| get(l)).collect::<Result<_>>()?;
        ensure!(
            layers.iter().sum::<u128>() == get("loss")?
                && get("loss")? == close_out + get("unpaid_assessments")?,
            "the layers do not add up to the loss"
        );
        let deepest = LAYERS
            .iter()
            .zip(&layers)
            .rev()
            .find(|(_, a)| **a > 0)
            .map(|(l, _)| *l);
        ensure!(
            deepest == Some(target),
            "default of {member} stopped in {deepest:?}, not {target}"
        );
        let expected: u128 = layers[..4].iter().sum();
        ensure!(
            paid == expected,
            "loss recipient got {paid}, expected layers 1-4 = {expected}"
        );
        Ok(r)
    }

    fn instantiate_governance(
        &self,
        threshold: Value,
        weighting: &str,
        label: &str,
    ) -> Result<String> {
        let c = &self.chain;
        let gov = c.instantiate(
            self.gov_code,
            &self.admin,
            &json!({
                "vault": self.vault, "fund": self.fund, "guardian": c.user("guardian"),
                "threshold": threshold,
                "voting_period": {"time": VOTING_PERIOD}, "min_timelock": TIMELOCK,
                "execution_window": EXECUTION_WINDOW, "weighting": weighting,
            }),
            label,
            Some(&self.admin),
        )?;
        c.tag(&gov, "gov")?;
        Ok(gov)
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

fn record_label(key: &[u8]) -> String {
    if key.len() > 33 {
        crate::storage::record_name(&key[33..])
    } else {
        format!("{key:?}")
    }
}

/// How a stored JSON record changed: numeric leaves (numbers and decimal
/// strings) by how much; anything else must not have changed.
#[derive(Debug)]
enum Delta {
    Same,
    Num(i128),
    Fields(Vec<(String, Delta)>),
    Items(Vec<Delta>),
}

fn as_int(v: &Value) -> Option<i128> {
    match v {
        Value::Number(n) => n.as_i64().map(i128::from).or(n.as_u64().map(i128::from)),
        Value::String(s) => s.parse::<u128>().ok().and_then(|n| i128::try_from(n).ok()),
        _ => None,
    }
}

fn json_delta(old: &Value, new: &Value, path: &str) -> Result<Delta> {
    if old == new {
        return Ok(Delta::Same);
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            ensure!(
                a.keys().eq(b.keys()),
                "{path}: fields changed when admitting a member"
            );
            let mut fields = vec![];
            for (k, v) in b {
                fields.push((k.clone(), json_delta(&a[k], v, &format!("{path}.{k}"))?));
            }
            Ok(Delta::Fields(fields))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => Ok(Delta::Items(
            a.iter()
                .zip(b)
                .enumerate()
                .map(|(i, (x, y))| json_delta(x, y, &format!("{path}[{i}]")))
                .collect::<Result<_>>()?,
        )),
        _ => match (as_int(old), as_int(new)) {
            (Some(a), Some(b)) => Ok(Delta::Num(b - a)),
            _ => bail!(
                "{path} changed from {old} to {new} when admitting a member: not a count or an amount, \
                 the bench cannot scale it to N members"
            ),
        },
    }
}

fn apply_delta(value: &Value, delta: &Delta, times: i128) -> Result<Value> {
    Ok(match delta {
        Delta::Same => value.clone(),
        Delta::Num(d) => {
            let now = as_int(value).ok_or_else(|| anyhow!("{value} is not a number"))?;
            let scaled = now + d * times;
            ensure!(scaled >= 0, "a scaled figure went negative");
            match value {
                Value::String(_) => Value::String(scaled.to_string()),
                _ => json!(u64::try_from(scaled)?),
            }
        }
        Delta::Fields(fields) => {
            let mut obj = value.clone();
            for (k, d) in fields {
                obj[k] = apply_delta(&value[k], d, times)?;
            }
            obj
        }
        Delta::Items(items) => Value::Array(
            value
                .as_array()
                .ok_or_else(|| anyhow!("not an array"))?
                .iter()
                .zip(items)
                .map(|(v, d)| apply_delta(v, d, times))
                .collect::<Result<_>>()?,
        ),
    })
}

/// Runs and records measured messages, each in a block of its own (so
/// that each writes the snapshot changelogs a message alone in its block
/// writes), with the message named in any error.
struct Recorder<'a> {
    chain: &'a Chain,
    members: usize,
    out: Vec<Measurement>,
}

impl Recorder<'_> {
    fn measure(
        &mut self,
        message: &'static str,
        f: impl FnOnce() -> Result<TxResult>,
    ) -> Result<TxResult> {
        self.chain.advance(BLOCK);
        let r = f().with_context(|| format!("{message} (N = {})", self.members))?;
        self.out.push(Measurement {
            message,
            gas: r.gas,
            counts: r.counts,
            trace: r.trace.clone(),
        });
        Ok(r)
    }
}

/// The main scenario: every message once, at N = `members`.
pub fn run(
    chain: Chain,
    wasm: &Artifacts,
    members: usize,
    progress: bool,
) -> Result<(Vec<Measurement>, Timing)> {
    ensure!(members > ACTORS, "at least {} members", ACTORS + 1);
    let started = Instant::now();
    let s = Suite::deploy(chain, wasm)?;
    let big = |name: &str| s.admit(name, 20_000, 1_000);
    let small = |name: &str| s.admit(name, MARGIN, CONTRIBUTION);
    let alice = big("alice")?;
    let bob = big("bob")?;
    let carol = small("carol")?;
    let dave = small("dave")?;
    let erin = s.admit("erin", 20_000, CONTRIBUTION)?;
    let d: Vec<String> = (1..=4)
        .map(|i| small(&format!("defaulter{i}")))
        .collect::<Result<_>>()?;
    let actors: Vec<&str> = [&alice, &bob, &carol, &dave, &erin]
        .into_iter()
        .chain(d.iter())
        .map(String::as_str)
        .collect();
    let posts: Vec<(&str, u128)> = actors.iter().map(|a| (*a, EXPOSURE)).collect();
    s.post_exposures(&posts)?;
    s.populate(members - ACTORS)?;
    // Balances: alice and bob 1,000, the others 500.
    let balances = 2 * 1_000 + (members as u128 - 2) * CONTRIBUTION;
    s.check_population(members, balances, members as u64)?;
    if progress {
        eprintln!(
            "  N={members}: members in place ({:.1?})",
            started.elapsed()
        );
    }
    let populate = started.elapsed();

    let started = Instant::now();
    let c = &s.chain;
    c.advance(BLOCK);
    let mut rec = Recorder {
        chain: c,
        members,
        out: vec![],
    };
    let fee_payer = c.user("fee_payer");
    c.mint(&fee_payer, &Coin::new(1_000_000_000_000, DENOM))?;
    let (vault, fund) = (&s.vault, &s.fund);

    // Margin and contributions, before any default: nothing to settle.
    rec.measure("deposit margin", || {
        s.exec(&alice, vault, json!({"deposit": {}}), &native(1_000))
    })?;
    rec.measure("withdraw margin", || {
        s.exec(&alice, vault, json!({"withdraw": {"amount": "500"}}), &[])
    })?;
    rec.measure("contribute", || {
        s.exec(&alice, fund, json!({"contribute": {}}), &native(100))
    })?;
    rec.measure("request withdrawal", || {
        s.exec(
            &alice,
            fund,
            json!({"request_withdrawal": {"amount": "100"}}),
            &[],
        )
    })?;
    // Enough that every member's share is at least one unit at any N.
    rec.measure("distribute fees", || {
        s.exec(
            &fee_payer,
            fund,
            json!({"distribute_fees": {}}),
            &native(1_000_000_000),
        )
    })?;
    rec.measure("claim fees", || {
        s.exec(&alice, fund, json!({"claim_fees": {}}), &[])
    })?;

    // Risk data: one exposure raised, a batch lowered (no one falls short).
    rec.measure("post exposure", || s.post_exposures(&[(&alice, 5_000)]))?;
    // The nine actors and the template: ten members at every N.
    let template = c.address("member000000");
    let batch: Vec<&str> = actors.iter().copied().chain([template.as_str()]).collect();
    ensure!(batch.len() == BATCH, "batch of {BATCH} exposures");
    let lowered: Vec<(&str, u128)> = batch.iter().map(|m| (*m, EXPOSURE - 100)).collect();
    rec.measure("post exposures, batch of 10", || s.post_exposures(&lowered))?;
    let mut coverage = Value::Null;
    rec.measure("coverage query", || {
        let (answer, r) = c.measure_query(fund, &json!({"coverage": {}}))?;
        coverage = answer;
        Ok(r)
    })?;
    ensure!(
        coverage["top_exposures"].as_array().map(Vec::len) == Some(2),
        "coverage: {coverage}"
    );

    // The risk engine's brake, lifted by governance (the fund's governance
    // is still the deployer: the fund message alone is measured).
    rec.measure("suspend", || {
        s.exec(
            &s.risk_engine,
            fund,
            json!({"suspend": {"member": dave}}),
            &[],
        )
    })?;
    rec.measure("unsuspend", || {
        s.exec(&s.admin, fund, json!({"unsuspend": {"member": dave}}), &[])
    })?;
    rec.measure("request exit", || {
        s.exec(&carol, fund, json!({"request_exit": {}}), &[])
    })?;

    // Governance: admit a newcomer by proposal. Two instances: one member
    // one vote with an absolute count of 2 (the same two votes pass it at
    // every N), and votes weighed by fund balance with 51 % (the proposal
    // stays open at every N).
    let gov = s.instantiate_governance(
        json!({"absolute_count": {"weight": "2"}}),
        "one_member_one_vote",
        "governance",
    )?;
    let by_balance = s.instantiate_governance(
        json!({"absolute_percentage": {"percentage": "0.51"}}),
        "fund_balance",
        "governance by balance",
    )?;
    // Proposals weigh votes as the fund stood at the start of their block.
    c.advance(BLOCK);
    let newcomer = c.user("newcomer");
    let add = wasm_execute(
        vault,
        &json!({"add_member": {"member": newcomer, "required_margin": "4000"}}),
    )?;
    let propose = |title: &str| {
        json!({"propose": {
            "title": title, "description": "Clearing member application",
            "msgs": [add.clone()], "latest": null, "timelock": null,
        }})
    };
    let proposal_id = |r: &TxResult| -> Result<u64> {
        Ok(r.attribute("proposal_id")
            .ok_or_else(|| anyhow!("no proposal_id"))?
            .parse()?)
    };
    let vote = |id: u64| json!({"vote": {"proposal_id": id, "vote": "yes"}});
    let r = rec.measure("propose", || {
        s.exec(&alice, &gov, propose("Admit a newcomer"), &[])
    })?;
    let first = proposal_id(&r)?;
    let r = rec.measure("vote", || s.exec(&bob, &gov, vote(first), &[]))?;
    ensure!(
        r.attribute("status") == Some("passed"),
        "the proposal did not pass with two votes"
    );
    let r = rec.measure("propose (votes weighed by balance)", || {
        s.exec(&alice, &by_balance, propose("Admit a newcomer"), &[])
    })?;
    let id = proposal_id(&r)?;
    rec.measure("vote (votes weighed by balance)", || {
        s.exec(&bob, &by_balance, vote(id), &[])
    })?;
    for i in 0..OPEN_PROPOSALS {
        s.exec(&dave, &gov, propose(&format!("Open proposal {i}")), &[])?;
    }
    let r = rec.measure("propose, 50 proposals open", || {
        s.exec(&alice, &gov, propose("Admit a newcomer"), &[])
    })?;
    let id = proposal_id(&r)?;
    rec.measure("vote, 50 proposals open", || {
        s.exec(&bob, &gov, vote(id), &[])
    })?;
    // Governance takes over the vault (the fund's governance stays the
    // deployer, so that the fund's governance messages are measured alone).
    s.exec(
        &s.admin,
        vault,
        json!({"update_config": {"governance": gov, "risk_engine": null, "default_fund": null}}),
        &[],
    )?;

    // After the notice (and the timelock), before any default.
    c.advance(NOTICE + BLOCK);
    rec.measure("claim withdrawal", || {
        s.exec(&alice, fund, json!({"claim_withdrawal": {}}), &[])
    })?;
    rec.measure("complete exit", || {
        s.exec(
            &s.keeper,
            fund,
            json!({"complete_exit": {"member": carol}}),
            &[],
        )
    })?;
    rec.measure("execute proposal", || {
        s.exec(
            &s.keeper,
            &gov,
            json!({"execute": {"proposal_id": first}}),
            &[],
        )
    })?;

    // Defaults, one per depth of the waterfall. Each actor is brought up
    // to date (contributes 1 unit, unmeasured) before the default its
    // measured message is about, so that every figure below settles only
    // what that message needs (how settling more defaults adds up is the
    // k scenario's table).
    let settle = |who: &[&String]| -> Result<()> {
        for m in who {
            s.exec(m, fund, json!({"contribute": {}}), &native(1))?;
        }
        Ok(())
    };
    c.advance(BLOCK);
    let loss = s.loss_into(&d[0], "defaulter_margin", |_| 1_000)?;
    rec.measure("declare default: margin only", || {
        s.declare(&d[0], loss, "defaulter_margin")
    })?;
    settle(&[&d[1]])?;
    let loss = s.loss_into(&d[1], "mutual_fund", |_| 1_000)?;
    rec.measure("declare default: into mutual fund", || {
        s.declare(&d[1], loss, "mutual_fund")
    })?;
    settle(&[&alice, &bob, &erin, &d[2], &d[3]])?;
    let loss = s.loss_into(&d[2], "assessments", |room| (room / 2).min(2_000_000))?;
    rec.measure("declare default: into assessments", || {
        s.declare(&d[2], loss, "assessments")
    })?;
    let third = 3u64;
    // alice's record in the fund has the third default to settle: the
    // vault settles it from raw reads (one per default not yet settled).
    rec.measure("withdraw margin, owing a share not yet due", || {
        s.exec(&alice, vault, json!({"withdraw": {"amount": "100"}}), &[])
    })?;
    // The fourth defaulter's record now holds its unpaid share of the third;
    // alice's is settled too, so that her payment below spans one default
    // (the growth in defaults spanned is measured on its own, further down).
    settle(&[&d[3], &alice])?;
    let loss = s.loss_into(&d[3], "assessments", |room| (room / 2).min(1_000_000))?;
    let r = rec.measure("declare default: unpaid assessments joining", || {
        s.declare(&d[3], loss, "assessments")
    })?;
    ensure!(
        r.event_attribute("wasm-default", "unpaid_assessments")
            .is_some_and(|u| u != "0"),
        "the fourth defaulter owed nothing"
    );

    // Assessments: alice pays, bob is enforced after the deadline.
    let owed = amount(&s.fund_member(&alice)?, "assessment_owed")?;
    ensure!(owed > 0, "alice owes no assessment at N = {members}");
    rec.measure("pay assessment", || {
        s.exec(&alice, fund, json!({"pay_assessment": {}}), &native(owed))
    })?;
    c.advance(ASSESSMENT_DEADLINE + BLOCK);
    let r = rec.measure("enforce assessment", || {
        s.exec(
            &s.keeper,
            fund,
            json!({"enforce_assessment": {"member": bob}}),
            &[],
        )
    })?;
    ensure!(
        r.attribute("unpaid") == Some("0"),
        "bob's shares were not drawn in full"
    );
    // Replenishment: erin's shortfall opened at the third default.
    c.advance(REPLENISHMENT_PERIOD - ASSESSMENT_DEADLINE);
    let r = rec.measure("enforce replenishment", || {
        s.exec(
            &s.keeper,
            fund,
            json!({"enforce_replenishment": {"member": erin}}),
            &[],
        )
    })?;
    ensure!(
        r.attribute("unpaid") == Some("0")
            && r.attribute("action") == Some("enforce_replenishment"),
        "erin's shortfall was not drawn in full"
    );
    ensure!(
        amount(&s.fund_member(&erin)?, "shortfall")? == 0,
        "the fund's callback did not credit erin"
    );

    // Recoveries. First on the fourth default (closed, unmeasured): a
    // recovery credited to its layers. Then on the third, whose assessment
    // layer includes the share the fourth defaulter never paid: that part
    // is passed on to the fourth default's layers (one more default
    // credited, like a settlement spanning one more default).
    let fourth = 4u64;
    s.exec(
        &s.admin,
        fund,
        json!({"close_default": {"member": d[3]}}),
        &[],
    )?;
    let receipt = s.fund_query(json!({"default": {"id": fourth}}))?;
    let recovered = layer(&receipt, "assessments")? + layer(&receipt, "mutual_fund")?.min(1_000);
    rec.measure("record recovery", || {
        s.exec(
            &s.loss_recipient,
            fund,
            json!({"record_recovery": {"default_id": fourth}}),
            &native(recovered),
        )
    })?;
    rec.measure("close default", || {
        s.exec(
            &s.admin,
            fund,
            json!({"close_default": {"member": d[2]}}),
            &[],
        )
    })?;
    let receipt = s.fund_query(json!({"default": {"id": third}}))?;
    let recovered = layer(&receipt, "assessments")? + layer(&receipt, "mutual_fund")?.min(1_000);
    rec.measure("record recovery, passing on a defaulter's joined share", || {
        s.exec(
            &s.loss_recipient,
            fund,
            json!({"record_recovery": {"default_id": third}}),
            &native(recovered),
        )
    })?;
    // Claims wait while anything is overdue: alice covers the shortfall
    // the third default opened (past its date by now) first.
    let short = amount(&s.fund_member(&alice)?, "shortfall")?;
    if short > 0 {
        s.exec(&alice, fund, json!({"contribute": {}}), &native(short))?;
    }
    rec.measure("claim recoveries", || {
        s.exec(&alice, fund, json!({"claim_recoveries": {}}), &[])
    })?;
    // Last: the new rate reaches every later settlement.
    let r = rec.measure("recalibrate", || {
        s.exec(&s.keeper, fund, json!({"recalibrate": {}}), &[])
    })?;
    ensure!(
        r.attribute("contribution_rate") != r.attribute("previous_rate"),
        "recalibration left the rate where it was"
    );

    // The harness undoes a refused message: nothing of it stays.
    let alice_margin =
        || -> Result<Value> { c.query(vault, &json!({"member": {"address": alice}})) };
    let before = (alice_margin()?, c.balance(&alice, DENOM)?);
    let refused = s.exec(
        &alice,
        vault,
        json!({"withdraw": {"amount": "1000000000000"}}),
        &[],
    );
    ensure!(refused.is_err(), "an oversized withdrawal was accepted");
    ensure!(
        before == (alice_margin()?, c.balance(&alice, DENOM)?),
        "a refused withdrawal changed state"
    );

    let timing = Timing {
        populate,
        measure: started.elapsed(),
    };
    Ok((rec.out, timing))
}

/// Messages of the k scenario, by k.
pub const K_CONTRIBUTE: [&str; 3] = [
    "contribute, settling 1 default",
    "contribute, settling 5 defaults",
    "contribute, settling 20 defaults",
];
pub const K_WITHDRAW: [&str; 3] = [
    "withdraw margin, settling 1 default",
    "withdraw margin, settling 5 defaults",
    "withdraw margin, settling 20 defaults",
];

/// A member settling across k defaults: 20 defaults, each into the
/// assessment layer (an assessment share and a participation for every
/// survivor: the most a default leaves to settle), within one day so that
/// no share is due yet. Members that last settled (and paid) before the
/// last k of them contribute (the fund settles and saves them) or withdraw
/// margin (the vault settles them from raw reads); at the end each holds
/// the k shares it settled.
pub fn run_k(chain: Chain, wasm: &Artifacts, members: usize) -> Result<Vec<Measurement>> {
    ensure!(members > K_ACTORS, "at least {} members", K_ACTORS + 1);
    let s = Suite::deploy(chain, wasm)?;
    let mut settlers = vec![];
    for k in KS {
        settlers.push((
            k,
            s.admit(&format!("contributor{k}"), 20_000, 1_000)?,
            s.admit(&format!("withdrawer{k}"), 20_000, 1_000)?,
        ));
    }
    let defaulters: Vec<String> = (1..=20)
        .map(|i| s.admit(&format!("defaulter{i:02}"), MARGIN, CONTRIBUTION))
        .collect::<Result<_>>()?;
    let mut posts: Vec<(&str, u128)> = defaulters.iter().map(|d| (d.as_str(), EXPOSURE)).collect();
    for (_, a, b) in &settlers {
        posts.push((a, EXPOSURE));
        posts.push((b, EXPOSURE));
    }
    s.post_exposures(&posts)?;
    s.populate(members - K_ACTORS)?;
    let balances = 6 * 1_000 + (members as u128 - 6) * CONTRIBUTION;
    s.check_population(members, balances, members as u64)?;

    let c = &s.chain;
    c.advance(BLOCK);
    let total = defaulters.len();
    for (i, defaulter) in defaulters.iter().enumerate() {
        // Before the last k defaults, the k settlers settle everything so
        // far and pay what they owe: their records then hold the last k
        // defaults' shares only.
        for (k, a, b) in &settlers {
            if total - i == *k && *k < total {
                for m in [a, b] {
                    let owed = amount(&s.fund_member(m)?, "assessment_owed")?;
                    s.exec(m, &s.fund, json!({"pay_assessment": {}}), &native(owed))?;
                }
            }
        }
        c.advance(BLOCK);
        let loss = s.loss_into(defaulter, "assessments", |room| (room / 50).max(1))?;
        s.declare(defaulter, loss, "assessments")
            .with_context(|| format!("default {} of the k scenario", i + 1))?;
    }
    let mut rec = Recorder {
        chain: c,
        members,
        out: vec![],
    };
    for (j, (k, a, b)) in settlers.iter().enumerate() {
        let r = rec.measure(K_CONTRIBUTE[j], || {
            s.exec(a, &s.fund, json!({"contribute": {}}), &native(100))
        })?;
        ensure!(
            r.trace.reads("fund", "events") as usize == *k,
            "{}: read {} events",
            K_CONTRIBUTE[j],
            r.trace.reads("fund", "events")
        );
        let r = rec.measure(K_WITHDRAW[j], || {
            s.exec(b, &s.vault, json!({"withdraw": {"amount": "100"}}), &[])
        })?;
        ensure!(
            r.trace.reads("fund", "events") as usize == *k,
            "{}: read {} events",
            K_WITHDRAW[j],
            r.trace.reads("fund", "events")
        );
    }
    Ok(rec.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_replaced_wherever_it_occurs() {
        assert_eq!(
            replace_all(b"\x00\x07membersabcXabc", b"abc", b"xyz"),
            b"\x00\x07membersxyzXxyz"
        );
        assert!(contains(b"..abc..", b"abc"));
        assert!(!contains(b"..ab..", b"abc"));
    }

    #[test]
    fn aggregates_scale_by_the_template_change() {
        let before = json!({"total": "1000", "voters": 9, "ineligible": {"num": "0", "den": "1"},
                            "sums": {"members": 9, "required_margin": "36000"}, "head": 0});
        let after = json!({"total": "1500", "voters": 10, "ineligible": {"num": "0", "den": "1"},
                           "sums": {"members": 10, "required_margin": "40000"}, "head": 0});
        let delta = json_delta(&before, &after, "pool").unwrap();
        let scaled = apply_delta(&after, &delta, 3).unwrap();
        assert_eq!(
            scaled,
            json!({"total": "3000", "voters": 13, "ineligible": {"num": "0", "den": "1"},
                   "sums": {"members": 13, "required_margin": "52000"}, "head": 0})
        );
    }

    #[test]
    fn a_change_that_is_not_an_amount_cannot_be_scaled() {
        let err = json_delta(&json!({"a": "x"}), &json!({"a": "y"}), "r").unwrap_err();
        assert!(err.to_string().contains("r.a changed"), "{err}");
        assert!(json_delta(&json!({"a": null}), &json!({"a": {"b": 1}}), "r").is_err());
        assert!(json_delta(&json!({"a": 1}), &json!({"a": 1, "b": 2}), "r").is_err());
    }
}
