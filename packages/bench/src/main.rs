//! Gas of every suite message on cosmwasm-vm 3 with wasmd's gas schedule,
//! at several member counts. Run through `scripts/bench-gas.sh`.
//!
//! ```text
//! clearing-bench [--json] [--check] [--storage] [--members 10,100,...] [--artifacts DIR] [--cache-dir DIR]
//! ```

mod gas;
mod harness;
mod report;
mod scenarios;
mod sdk;
mod storage;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::harness::{Chain, VmCache};
use crate::report::{Results, Run};
use crate::scenarios::Artifacts;

const FULL: &[usize] = &[10, 100, 1_000, 10_000, 100_000];
/// `--check` runs in CI: the smallest and a large N are enough to see growth.
const CHECK: &[usize] = &[10, 10_000];
const CONTRACTS: [&str; 3] = ["margin_vault", "default_fund", "governance"];

struct Options {
    json: bool,
    /// Every record each message touched, not just the costliest four.
    storage: bool,
    check: bool,
    members: Vec<usize>,
    artifacts: PathBuf,
    cache_dir: PathBuf,
}

fn parse_args() -> Result<Options> {
    let mut o = Options {
        json: false,
        storage: false,
        check: false,
        members: vec![],
        artifacts: PathBuf::from("artifacts"),
        cache_dir: std::env::temp_dir().join("clearing-bench-vm-cache"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--json" => o.json = true,
            "--storage" => o.storage = true,
            "--check" => o.check = true,
            "--members" => {
                o.members = value("--members")?
                    .split(',')
                    .map(|n| n.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<_, _>>()
                    .context("--members takes numbers like 10,100,1000")?;
            }
            "--artifacts" => o.artifacts = value("--artifacts")?.into(),
            "--cache-dir" => o.cache_dir = value("--cache-dir")?.into(),
            other => bail!("unknown argument {other}"),
        }
    }
    if o.members.is_empty() {
        o.members = if o.check { CHECK } else { FULL }.to_vec();
    }
    o.members.sort_unstable();
    o.members.dedup();
    Ok(o)
}

fn run(o: &Options) -> Result<Results> {
    let wasm = Artifacts::load(&o.artifacts)?;
    let mut sizes = vec![];
    for name in CONTRACTS {
        let path = o.artifacts.join(format!("{name}.wasm"));
        let meta = std::fs::metadata(&path).with_context(|| path.display().to_string())?;
        sizes.push((name.to_string(), meta.len()));
    }
    // A cache directory of this process's own (another run may be going).
    let dir = o.cache_dir.join(format!("run-{}", std::process::id()));
    let vm = VmCache::new(&dir)?;
    let mut runs = vec![];
    for &members in &o.members {
        let chain = Chain::new(vm.clone());
        let (mut measurements, timing) = scenarios::run(chain, &wasm, members, true)?;
        if members > scenarios::K_ACTORS {
            let chain = Chain::new(vm.clone());
            measurements.extend(scenarios::run_k(chain, &wasm, members)?);
        }
        eprintln!(
            "bench: N = {members}: {:.1} s to put the members in place, {:.2} s to measure",
            timing.populate.as_secs_f64(),
            timing.measure.as_secs_f64()
        );
        runs.push(Run {
            members,
            measurements,
            timing,
        });
    }
    drop(vm);
    std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    Ok(Results { runs, sizes })
}

fn main() -> ExitCode {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("bench: {e:#}");
            return ExitCode::from(2);
        }
    };
    let results = match run(&o) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bench: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    if o.json {
        println!("{}", results.json());
    } else {
        println!("SDK gas per message (wasmd gas schedule, cosmwasm-vm 3):\n");
        println!("{}", results.table());
        println!("A member settling across k defaults (SPEC §4: may grow with k, not with N):\n");
        println!("{}", results.k_table());
        println!("{}", results.breakdown());
        println!(
            "{}",
            results.storage_table(if o.storage { usize::MAX } else { 4 })
        );
        println!("{}", results.sizes_table());
        println!("{}", results.timings());
    }
    if !o.check {
        for over in results.over_budget() {
            eprintln!("bench: note: {over}");
        }
    }
    if o.check {
        let failures = results.failures();
        if !failures.is_empty() {
            for f in &failures {
                eprintln!("bench: FAIL: {f}");
            }
            return ExitCode::FAILURE;
        }
        eprintln!(
            "bench: check passed: no message grows by more than 5% from N = {} to N = {}, none is over its gas target, every wasm ≤ 600 KiB",
            report::thousands(o.members.first().copied().unwrap_or(0) as u64),
            report::thousands(o.members.last().copied().unwrap_or(0) as u64)
        );
    }
    ExitCode::SUCCESS
}
