//! Builds the fixture from the default fund's own sources, so that it is
//! always "the fund at this version" plus one change:
//!
//! - `state.rs`: the stored `Config` gains `migrated_from: Option<String>`
//!   (`#[serde(default)]`, so the v2 record still reads);
//! - `contract.rs`: its version is the fund's with the minor bumped, the
//!   instantiation fills the new field, and the fund's `migrate` becomes
//!   `base_migrate` (the fixture's `migrate` in `next.rs` calls it, then
//!   rewrites the record).
//!
//! Every other module is the fund's file, unchanged (`#[path]`). A pattern
//! that is no longer found fails the build, naming it.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn patch(text: &str, from: &str, to: &str, file: &str) -> String {
    assert!(
        text.contains(from),
        "fund-next: `{from}` not found in default-fund's {file}: update packages/fund-next/build.rs"
    );
    text.replacen(from, to, 1)
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let fund = manifest.join("../../contracts/default-fund/src");
    let fund = fund.canonicalize().expect("contracts/default-fund/src");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed={}", fund.display());
    println!("cargo:rerun-if-changed=build.rs");

    // The fund's version with the minor bumped: a real upgrade.
    let version = env::var("CARGO_PKG_VERSION").unwrap();
    let mut parts: Vec<u64> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|p| p.parse().unwrap())
        .collect();
    parts[1] += 1;
    parts[2] = 0;
    let next = format!("{}.{}.{}", parts[0], parts[1], parts[2]);
    println!("cargo:rustc-env=FUND_NEXT_VERSION={next}");

    let read = |name: &str| fs::read_to_string(fund.join(name)).expect(name);

    let state = patch(
        &read("state.rs"),
        "pub struct Config {\n",
        "pub struct Config {\n    /// fund-next: the version this deployment was migrated from.\n    \
         #[serde(default)]\n    pub migrated_from: Option<String>,\n",
        "state.rs",
    );
    fs::write(out.join("state.rs"), state).unwrap();

    let mut contract = read("contract.rs");
    contract = patch(
        &contract,
        "env!(\"CARGO_PKG_VERSION\")",
        "env!(\"FUND_NEXT_VERSION\")",
        "contract.rs",
    );
    contract = patch(
        &contract,
        "let config = Config {\n",
        "let config = Config {\n        migrated_from: None,\n",
        "contract.rs",
    );
    contract = patch(
        &contract,
        "#[cfg_attr(not(feature = \"library\"), entry_point)]\npub fn migrate(",
        "pub fn base_migrate(",
        "contract.rs",
    );
    fs::write(out.join("contract.rs"), contract).unwrap();

    // The crate root: the fund's lib.rs with every module pointed at its
    // file (the two patched ones in OUT_DIR), and the fixture's own module.
    let lib = read("lib.rs");
    let mut root = String::new();
    for line in lib.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("//!") || trimmed.starts_with("#![") {
            continue;
        }
        if let Some(name) = trimmed
            .strip_prefix("pub mod ")
            .and_then(|r| r.strip_suffix(';'))
        {
            let dir: &Path = if name == "state" || name == "contract" {
                &out
            } else {
                &fund
            };
            let path = dir.join(format!("{name}.rs"));
            root.push_str(&format!(
                "#[path = {:?}]\npub mod {name};\n",
                path.display().to_string()
            ));
        } else {
            root.push_str(line);
            root.push('\n');
        }
    }
    fs::write(out.join("root.rs"), root).unwrap();
}
