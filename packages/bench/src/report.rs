//! The results: a Markdown table (what docs/gas.md shows), JSON, and the
//! checks `--check` enforces.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::scenarios::{Measurement, Timing};

/// Largest allowed growth of a message's gas from the smallest N to the
/// largest.
pub const MAX_GROWTH: f64 = 0.05;
/// Largest allowed optimized wasm: 400 KiB (the chain allows 800 KiB).
pub const MAX_WASM_BYTES: u64 = 400 * 1024;

const DEFAULT_BUDGET: u64 = 350_000;
const MEMBER_BUDGET: u64 = 150_000;

/// Every measured message in report order, with its gas budget (`None`:
/// the issue sets none: keeper calls that enter three contracts, and the
/// withdrawal in an assessment's deadline window, which makes one smart
/// query of the fund).
pub const MESSAGES: [(&str, Option<u64>); 18] = [
    ("deposit margin", Some(MEMBER_BUDGET)),
    ("withdraw margin", Some(MEMBER_BUDGET)),
    ("withdraw margin, owing an assessment not yet due", None),
    ("contribute", Some(MEMBER_BUDGET)),
    ("request withdrawal", Some(MEMBER_BUDGET)),
    ("claim withdrawal", Some(MEMBER_BUDGET)),
    ("declare default: margin only", Some(DEFAULT_BUDGET)),
    ("declare default: into mutual fund", Some(DEFAULT_BUDGET)),
    ("declare default: into assessments", Some(DEFAULT_BUDGET)),
    ("pay assessment", Some(MEMBER_BUDGET)),
    ("enforce assessment", None),
    ("distribute fees", Some(MEMBER_BUDGET)),
    ("claim fees", Some(MEMBER_BUDGET)),
    ("propose", Some(MEMBER_BUDGET)),
    ("vote", Some(MEMBER_BUDGET)),
    ("propose (votes weighed by balance)", Some(MEMBER_BUDGET)),
    ("vote (votes weighed by balance)", Some(MEMBER_BUDGET)),
    ("execute proposal", None),
];

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

impl Results {
    fn measurement(&self, run: &Run, message: &str) -> Option<Measurement> {
        let _ = self;
        run.measurements
            .iter()
            .find(|m| m.message == message)
            .cloned()
    }

    /// SDK gas of `message` by member count.
    fn gas_by_n(&self, message: &str) -> BTreeMap<usize, u64> {
        self.runs
            .iter()
            .filter_map(|r| Some((r.members, self.measurement(r, message)?.gas.total())))
            .collect()
    }

    /// Gas at the largest N relative to the smallest, minus one.
    fn growth(&self, message: &str) -> Option<f64> {
        let by_n = self.gas_by_n(message);
        let (_, first) = by_n.first_key_value()?;
        let (_, last) = by_n.last_key_value()?;
        Some(*last as f64 / *first as f64 - 1.0)
    }

    /// The gas table: one row per message, one column per N.
    pub fn table(&self) -> String {
        let ns: Vec<usize> = self.runs.iter().map(|r| r.members).collect();
        let mut out = String::from("| message |");
        for n in &ns {
            out += &format!(" N = {} |", thousands(*n as u64));
        }
        out += " growth | target |\n|---|";
        out += &"---:|".repeat(ns.len() + 1);
        out += "---|\n";
        for (message, budget) in MESSAGES {
            let by_n = self.gas_by_n(message);
            out += &format!("| {message} |");
            for n in &ns {
                let cell = by_n.get(n).map_or("—".to_string(), |g| thousands(*g));
                out += &format!(" {cell} |");
            }
            let growth = self
                .growth(message)
                .map_or("—".to_string(), |g| format!("{:+.2}%", g * 100.0));
            let worst = by_n.values().max().copied().unwrap_or(0);
            let target = match budget {
                Some(b) if worst <= b => format!("≤ {} ✓", thousands(b)),
                Some(b) => format!("≤ {} ✗", thousands(b)),
                None => "—".to_string(),
            };
            out += &format!(" {growth} | {target} |\n");
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
        out += "| message | total | contract entries | storage | VM | events | bank | executes | queries | transfers | storage ops | total, wasmd ≥ 0.54 | total, codes pinned |\n";
        out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        for (message, _) in MESSAGES {
            let Some(m) = self.measurement(run, message) else {
                continue;
            };
            let (g, c) = (m.gas, m.counts);
            out += &format!(
                "| {message} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
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
                thousands(c.with_tx_discount(g.total())),
                thousands(c.with_pinned_codes(g.total())),
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
                "| {name}.wasm | {} bytes ({:.1} KiB) | ≤ 400 KiB {ok} |\n",
                thousands(*bytes),
                *bytes as f64 / 1024.0
            );
        }
        out
    }

    pub fn timings(&self) -> String {
        self.runs
            .iter()
            .map(|r| {
                format!(
                    "N = {}: members admitted in {:.1} s, messages measured in {:.2} s",
                    thousands(r.members as u64),
                    r.timing.populate.as_secs_f64(),
                    r.timing.measure.as_secs_f64()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `{"rows": [{"message", "sdk_gas": {"10": n, ...}}], "sizes": {...}}`.
    pub fn json(&self) -> Value {
        let rows: Vec<Value> = MESSAGES
            .iter()
            .map(|(message, _)| {
                let gas: Map<String, Value> = self
                    .gas_by_n(message)
                    .into_iter()
                    .map(|(n, g)| (n.to_string(), json!(g)))
                    .collect();
                json!({"message": message, "sdk_gas": gas})
            })
            .collect();
        let sizes: Map<String, Value> = self
            .sizes
            .iter()
            .map(|(name, bytes)| (name.clone(), json!(bytes)))
            .collect();
        json!({"rows": rows, "sizes": sizes})
    }

    /// What `--check` refuses: gas growing with N by more than 5%, a
    /// message missing from a run, a message over its gas target, a wasm
    /// over 400 KiB. Gas is deterministic, so none of these is flaky.
    pub fn failures(&self) -> Vec<String> {
        let mut out = vec![];
        for (message, _) in MESSAGES {
            let by_n = self.gas_by_n(message);
            if by_n.len() != self.runs.len() {
                out.push(format!("{message}: not measured at every N"));
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
                    "{name}.wasm is {} bytes, over the {} byte (400 KiB) limit",
                    thousands(*bytes),
                    thousands(MAX_WASM_BYTES)
                ));
            }
        }
        out
    }

    /// Messages over their gas target at some N.
    pub fn over_budget(&self) -> Vec<String> {
        MESSAGES
            .iter()
            .filter_map(|(message, budget)| {
                let budget = (*budget)?;
                let worst = self.gas_by_n(message).values().max().copied()?;
                (worst > budget).then(|| {
                    format!(
                        "{message}: {} SDK gas, over its {} target",
                        thousands(worst),
                        thousands(budget)
                    )
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gas::{Counts, GasUsed};

    fn run(members: usize, gas: u64) -> Run {
        Run {
            members,
            measurements: MESSAGES
                .iter()
                .map(|(message, _)| Measurement {
                    message,
                    gas: GasUsed {
                        vm: gas,
                        ..GasUsed::default()
                    },
                    counts: Counts::default(),
                })
                .collect(),
            timing: Timing::default(),
        }
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
        assert!(ok.failures().is_empty());
        let bad = Results {
            runs: vec![run(10, 100_000), run(10_000, 105_001)],
            sizes: vec![("a".into(), MAX_WASM_BYTES + 1)],
        };
        let failures = bad.failures();
        assert_eq!(failures.len(), MESSAGES.len() + 1, "{failures:#?}");
        assert!(failures[0].contains("at N = 10,000"), "{}", failures[0]);
    }

    #[test]
    fn check_refuses_a_message_over_its_target() {
        let over = Results {
            runs: vec![run(10, MEMBER_BUDGET + 1), run(100, MEMBER_BUDGET + 1)],
            sizes: vec![],
        };
        let failures = over.failures();
        let member_messages = MESSAGES
            .iter()
            .filter(|(_, b)| *b == Some(MEMBER_BUDGET))
            .count();
        assert_eq!(failures.len(), member_messages, "{failures:#?}");
        assert!(failures[0].starts_with("deposit margin: 150,001 SDK gas, over its 150,000 target"));
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
        assert_eq!(j["sizes"]["margin_vault"], 5);
    }
}
