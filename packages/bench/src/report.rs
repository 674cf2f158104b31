//! The results: Markdown tables (what docs/gas.md shows), JSON, and the
//! checks `--check` enforces.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::scenarios::{Measurement, Timing, KS, K_CONTRIBUTE, K_WITHDRAW};

/// Largest allowed growth of a message's gas from the smallest N to the
/// largest.
pub const MAX_GROWTH: f64 = 0.05;
/// Largest allowed optimized wasm: 600 KiB (the chain allows 800 KiB).
pub const MAX_WASM_BYTES: u64 = 600 * 1024;

pub const DEFAULT_BUDGET: u64 = 350_000;
pub const MEMBER_BUDGET: u64 = 150_000;

/// Every measured message of the main scenario in report order, with its
/// gas target (`None`: none is set — keeper calls and governance's own
/// fund messages, which enter two or three contracts).
pub const MESSAGES: &[(&str, Option<u64>)] = &[
    ("deposit margin", Some(MEMBER_BUDGET)),
    ("withdraw margin", Some(MEMBER_BUDGET)),
    (
        "withdraw margin, owing a share not yet due",
        Some(MEMBER_BUDGET),
    ),
    ("contribute", Some(MEMBER_BUDGET)),
    ("request withdrawal", Some(MEMBER_BUDGET)),
    ("claim withdrawal", Some(MEMBER_BUDGET)),
    ("distribute fees", Some(MEMBER_BUDGET)),
    ("claim fees", Some(MEMBER_BUDGET)),
    ("pay assessment", Some(MEMBER_BUDGET)),
    ("enforce assessment", None),
    ("enforce replenishment", None),
    ("declare default: margin only", Some(DEFAULT_BUDGET)),
    ("declare default: into mutual fund", Some(DEFAULT_BUDGET)),
    ("declare default: into assessments", Some(DEFAULT_BUDGET)),
    (
        "declare default: unpaid assessments joining",
        Some(DEFAULT_BUDGET),
    ),
    ("suspend", Some(MEMBER_BUDGET)),
    ("unsuspend", None),
    ("request exit", Some(MEMBER_BUDGET)),
    ("complete exit", Some(MEMBER_BUDGET)),
    ("post exposure", Some(MEMBER_BUDGET)),
    ("post exposures, batch of 10", None),
    ("recalibrate", Some(MEMBER_BUDGET)),
    ("coverage query", Some(MEMBER_BUDGET)),
    ("close default", None),
    ("record recovery", Some(MEMBER_BUDGET)),
    // A recovery whose assessment layer holds a later defaulter's unpaid
    // share credits that defaulter's default too: one more default (SPEC
    // §4 lets history cost grow with the defaults spanned).
    ("record recovery, passing on a defaulter's joined share", None),
    ("claim recoveries", Some(MEMBER_BUDGET)),
    ("propose", Some(MEMBER_BUDGET)),
    ("vote", Some(MEMBER_BUDGET)),
    ("propose (votes weighed by balance)", Some(MEMBER_BUDGET)),
    ("vote (votes weighed by balance)", Some(MEMBER_BUDGET)),
    ("propose, 50 proposals open", Some(MEMBER_BUDGET)),
    ("vote, 50 proposals open", Some(MEMBER_BUDGET)),
    ("execute proposal", None),
];

/// The main scenario's messages.
fn main_messages() -> impl Iterator<Item = (&'static str, Option<u64>)> {
    MESSAGES.iter().copied()
}

/// The k scenario's messages, in report order.
fn k_messages() -> impl Iterator<Item = &'static str> {
    K_CONTRIBUTE.into_iter().chain(K_WITHDRAW)
}

/// One run per member count.
pub struct Run {
    pub members: usize,
    pub measurements: Vec<Measurement>,
    pub timing: Timing,
}

pub struct Results {
    pub runs: Vec<Run>,
    /// Optimized wasm sizes in bytes, by contract.
    pub sizes: Vec<(String, u64)>,
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

impl Results {
    fn measurement<'a>(run: &'a Run, message: &str) -> Option<&'a Measurement> {
        run.measurements.iter().find(|m| m.message == message)
    }

    /// SDK gas of `message` by member count.
    fn gas_by_n(&self, message: &str) -> BTreeMap<usize, u64> {
        self.runs
            .iter()
            .filter_map(|r| Some((r.members, Self::measurement(r, message)?.gas.total())))
            .collect()
    }

    /// Gas at the largest N relative to the smallest, minus one.
    fn growth(&self, message: &str) -> Option<f64> {
        let by_n = self.gas_by_n(message);
        if by_n.len() < 2 {
            return None;
        }
        let (_, first) = by_n.first_key_value()?;
        let (_, last) = by_n.last_key_value()?;
        Some(*last as f64 / *first as f64 - 1.0)
    }

    fn row(&self, ns: &[usize], message: &str, budget: Option<u64>, with_target: bool) -> String {
        let by_n = self.gas_by_n(message);
        let mut out = format!("| {message} |");
        for n in ns {
            let cell = by_n.get(n).map_or("—".to_string(), |g| thousands(*g));
            out += &format!(" {cell} |");
        }
        let growth = self
            .growth(message)
            .map_or("—".to_string(), |g| format!("{:+.2}%", g * 100.0));
        out += &format!(" {growth} |");
        if with_target {
            let worst = by_n.values().max().copied().unwrap_or(0);
            let target = match budget {
                Some(b) if worst <= b => format!("≤ {} ✓", thousands(b)),
                Some(b) => format!("≤ {} ✗", thousands(b)),
                None => "—".to_string(),
            };
            out += &format!(" {target} |");
        }
        out + "\n"
    }

    fn header(ns: &[usize], with_target: bool) -> String {
        let mut out = String::from("| message |");
        for n in ns {
            out += &format!(" N = {} |", thousands(*n as u64));
        }
        out += " growth |";
        if with_target {
            out += " target |";
        }
        out += "\n|---|";
        out += &"---:|".repeat(ns.len() + 1);
        if with_target {
            out += "---|";
        }
        out + "\n"
    }

    /// The gas table: one row per message, one column per N.
    pub fn table(&self) -> String {
        let ns: Vec<usize> = self.runs.iter().map(|r| r.members).collect();
        let mut out = Self::header(&ns, true);
        for (message, budget) in main_messages() {
            out += &self.row(&ns, message, budget, true);
        }
        out
    }

    /// Gas of a member settling across k defaults, by N, and what each
    /// further default adds.
    pub fn k_table(&self) -> String {
        let ns: Vec<usize> = self
            .runs
            .iter()
            .filter(|r| r.measurements.iter().any(|m| m.message == K_CONTRIBUTE[0]))
            .map(|r| r.members)
            .collect();
        if ns.is_empty() {
            return String::from("(no run with enough members for the k scenario)\n");
        }
        let mut out = Self::header(&ns, false);
        for message in k_messages() {
            out += &self.row(&ns, message, None, false);
        }
        let last = self
            .runs
            .iter()
            .rev()
            .find(|r| ns.contains(&r.members))
            .expect("a run");
        out += &format!(
            "\nAt N = {}, each default beyond the first adds (from k = {} to k = {}):\n\n",
            thousands(last.members as u64),
            KS[0],
            KS[2]
        );
        for rows in [K_CONTRIBUTE, K_WITHDRAW] {
            let (Some(a), Some(b)) = (
                Self::measurement(last, rows[0]),
                Self::measurement(last, rows[2]),
            ) else {
                continue;
            };
            let per = (b.gas.total() as f64 - a.gas.total() as f64) / (KS[2] - KS[0]) as f64;
            let name = rows[0].split(',').next().unwrap_or(rows[0]);
            out += &format!(
                "- {name}: {} SDK gas per default\n",
                thousands(per.round() as u64)
            );
        }
        out
    }

    /// Where the gas of each message goes, at the largest N.
    pub fn breakdown(&self) -> String {
        let Some(run) = self.runs.last() else {
            return String::new();
        };
        let mut out = format!(
            "At N = {}: SDK gas by kind, and what each message does.\n\n",
            thousands(run.members as u64)
        );
        out += "| message | total | contract entries | storage | VM | events | bank | executes | queries | transfers | storage ops | fund events read | total, wasmd ≥ 0.54 | total, codes pinned |\n";
        out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        let names: Vec<&str> = main_messages()
            .map(|(m, _)| m)
            .chain(k_messages())
            .collect();
        for message in names {
            let Some(m) = Self::measurement(run, message) else {
                continue;
            };
            let (g, c) = (m.gas, m.counts);
            out += &format!(
                "| {message} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                thousands(g.total()),
                thousands(g.setup),
                thousands(g.storage),
                thousands(g.vm),
                thousands(g.events),
                thousands(g.bank),
                c.executions,
                c.queries,
                c.transfers,
                c.storage_ops,
                m.events_read(),
                thousands(c.with_tx_discount(g.total())),
                thousands(c.with_pinned_codes(g.total())),
            );
        }
        out
    }

    /// Contract storage of each message by record, at the largest N: the
    /// records that cost most, with their reads and writes.
    pub fn storage_table(&self, top: usize) -> String {
        let Some(run) = self.runs.last() else {
            return String::new();
        };
        let which = if top == usize::MAX {
            "every record".to_string()
        } else {
            format!("the {top} costliest")
        };
        let mut out = format!(
            "At N = {}: contract storage by record (`contract/record` (operations; bytes of key and value charged) SDK gas), {which} per message.\n\n",
            thousands(run.members as u64)
        );
        out += "| message | storage | costliest records |\n|---|---:|---|\n";
        let names: Vec<&str> = main_messages()
            .map(|(m, _)| m)
            .chain(k_messages())
            .collect();
        for message in names {
            let Some(m) = Self::measurement(run, message) else {
                continue;
            };
            let cells: Vec<String> = m
                .trace
                .by_record()
                .into_iter()
                .take(top)
                .map(|((who, what), ops, gas)| {
                    let bytes: u64 = ops.iter().map(|(_, s)| s.bytes).sum();
                    let ops: Vec<String> = ops
                        .iter()
                        .map(|(op, s)| format!("{} {op}", s.count))
                        .collect();
                    format!(
                        "{who}/{what} ({}; {} B) {}",
                        ops.join(", "),
                        thousands(bytes),
                        thousands(gas)
                    )
                })
                .collect();
            out += &format!(
                "| {message} | {} | {} |\n",
                thousands(m.gas.storage),
                cells.join(" · ")
            );
        }
        out
    }

    pub fn sizes_table(&self) -> String {
        let mut out = String::from("| contract | optimized wasm | target |\n|---|---:|---|\n");
        for (name, bytes) in &self.sizes {
            let ok = if *bytes <= MAX_WASM_BYTES {
                "✓"
            } else {
                "✗"
            };
            out += &format!(
                "| {name}.wasm | {} bytes ({}) | ≤ 600 KiB {ok} |\n",
                thousands(*bytes),
                kib(*bytes)
            );
        }
        out
    }

    pub fn timings(&self) -> String {
        self.runs
            .iter()
            .map(|r| {
                format!(
                    "N = {}: members in place in {:.1} s, messages measured in {:.2} s",
                    thousands(r.members as u64),
                    r.timing.populate.as_secs_f64(),
                    r.timing.measure.as_secs_f64()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `{"rows": [{"message", "target", "sdk_gas": {"10": n, ...}}], "sizes": {...}}`.
    pub fn json(&self) -> Value {
        let mut rows: Vec<Value> = main_messages()
            .map(|(message, budget)| (message, budget))
            .chain(k_messages().map(|m| (m, None)))
            .map(|(message, budget)| {
                let gas: Map<String, Value> = self
                    .gas_by_n(message)
                    .into_iter()
                    .map(|(n, g)| (n.to_string(), json!(g)))
                    .collect();
                json!({"message": message, "target": budget, "sdk_gas": gas})
            })
            .collect();
        rows.retain(|r| !r["sdk_gas"].as_object().is_some_and(Map::is_empty));
        let sizes: Map<String, Value> = self
            .sizes
            .iter()
            .map(|(name, bytes)| (name.clone(), json!(bytes)))
            .collect();
        json!({"rows": rows, "sizes": sizes})
    }

    /// What `--check` refuses: gas growing with N by more than 5%, a
    /// message missing from a run, a message over its gas target, a wasm
    /// over 600 KiB. Gas is deterministic, so none of these is flaky.
    pub fn failures(&self) -> Vec<String> {
        let mut out = vec![];
        let k_runs = self
            .runs
            .iter()
            .filter(|r| r.measurements.iter().any(|m| m.message == K_CONTRIBUTE[0]))
            .count();
        let rows = main_messages()
            .map(|(m, _)| (m, self.runs.len()))
            .chain(k_messages().map(|m| (m, k_runs)));
        for (message, expected) in rows {
            let by_n = self.gas_by_n(message);
            if by_n.len() != expected {
                out.push(format!("{message}: not measured at every N"));
                continue;
            }
            if by_n.len() < 2 {
                continue;
            }
            let (Some((n0, g0)), Some((n1, g1))) = (by_n.first_key_value(), by_n.last_key_value())
            else {
                continue;
            };
            if *g1 as f64 > *g0 as f64 * (1.0 + MAX_GROWTH) {
                out.push(format!(
                    "{message}: {} SDK gas at N = {} is {:.1}% above its {} at N = {} (limit {:.0}%): \
                     something iterates over members",
                    thousands(*g1),
                    thousands(*n1 as u64),
                    (*g1 as f64 / *g0 as f64 - 1.0) * 100.0,
                    thousands(*g0),
                    thousands(*n0 as u64),
                    MAX_GROWTH * 100.0
                ));
            }
        }
        out.extend(self.over_budget());
        for (name, bytes) in &self.sizes {
            if *bytes > MAX_WASM_BYTES {
                out.push(format!(
                    "{name}.wasm is {} bytes, over the {} byte (600 KiB) limit",
                    thousands(*bytes),
                    thousands(MAX_WASM_BYTES)
                ));
            }
        }
        out
    }

    /// Messages over their gas target at some N, with the records whose
    /// storage cost most at the largest N.
    pub fn over_budget(&self) -> Vec<String> {
        main_messages()
            .filter_map(|(message, budget)| {
                let budget = budget?;
                let worst = self.gas_by_n(message).values().max().copied()?;
                if worst <= budget {
                    return None;
                }
                let top = self
                    .runs
                    .last()
                    .and_then(|r| Self::measurement(r, message))
                    .map(|m| {
                        m.trace
                            .by_record()
                            .into_iter()
                            .take(3)
                            .map(|((who, what), _, gas)| format!("{who}/{what} {}", thousands(gas)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                Some(format!(
                    "{message}: {} SDK gas, over its {} target (storage led by {top})",
                    thousands(worst),
                    thousands(budget)
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gas::{Counts, GasUsed, Trace};

    fn run(members: usize, gas: u64) -> Run {
        Run {
            members,
            measurements: main_messages()
                .map(|(m, _)| m)
                .chain(k_messages())
                .map(|message| Measurement {
                    message,
                    gas: GasUsed {
                        vm: gas,
                        ..GasUsed::default()
                    },
                    counts: Counts::default(),
                    trace: Trace::default(),
                })
                .collect(),
            timing: Timing::default(),
        }
    }

    fn all_rows() -> usize {
        main_messages().count() + k_messages().count()
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(123_456_789), "123,456,789");
    }

    #[test]
    fn check_refuses_growth_over_five_percent_and_big_wasm() {
        let ok = Results {
            runs: vec![run(10, 100_000), run(10_000, 105_000)],
            sizes: vec![("a".into(), MAX_WASM_BYTES)],
        };
        assert!(ok.failures().is_empty(), "{:#?}", ok.failures());
        let bad = Results {
            runs: vec![run(10, 100_000), run(10_000, 105_001)],
            sizes: vec![("a".into(), MAX_WASM_BYTES + 1)],
        };
        let failures = bad.failures();
        assert_eq!(failures.len(), all_rows() + 1, "{failures:#?}");
        assert!(failures[0].contains("at N = 10,000"), "{}", failures[0]);
        assert!(failures.last().unwrap().contains("600 KiB"));
    }

    #[test]
    fn check_refuses_a_message_over_its_target() {
        let over = Results {
            runs: vec![run(10, MEMBER_BUDGET + 1), run(100, MEMBER_BUDGET + 1)],
            sizes: vec![],
        };
        let failures = over.failures();
        let member_messages = main_messages()
            .filter(|(_, b)| *b == Some(MEMBER_BUDGET))
            .count();
        assert_eq!(failures.len(), member_messages, "{failures:#?}");
        assert!(failures[0].starts_with("deposit margin: 150,001 SDK gas, over its 150,000 target"));
    }

    #[test]
    fn a_missing_message_fails_the_check() {
        let mut r = run(10, 1);
        r.measurements.retain(|m| m.message != "vote");
        let res = Results {
            runs: vec![r, run(100, 1)],
            sizes: vec![],
        };
        assert_eq!(
            res.failures(),
            vec!["vote: not measured at every N".to_string()]
        );
    }

    #[test]
    fn json_has_one_row_per_message_with_gas_by_n() {
        let r = Results {
            runs: vec![run(10, 7), run(100, 8)],
            sizes: vec![("margin_vault".into(), 5)],
        };
        let j = r.json();
        assert_eq!(j["rows"][0]["message"], "deposit margin");
        assert_eq!(j["rows"][0]["sdk_gas"]["100"], 8);
        assert_eq!(j["rows"][0]["target"], 150_000);
        assert_eq!(j["rows"].as_array().unwrap().len(), all_rows());
        assert_eq!(j["sizes"]["margin_vault"], 5);
    }
}
