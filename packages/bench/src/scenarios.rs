//! The deployment, its N members, and the messages whose gas is measured.
//!
//! Every member is admitted, deposits margin and contributes through the
//! real contracts (`AddMember` → the fund's `MemberAdded` hook, `Deposit`,
//! `Contribute`), exactly as on chain; then each measured message runs once,
//! in an order that lets each one do its full work (a withdrawal claim
//! before any default, an enforcement after the assessment deadline, ...).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, ensure, Context, Result};
use cosmwasm_std::Binary;
use serde_json::{json, Value};

use crate::gas::{Counts, GasUsed};
use crate::harness::{Chain, TxResult};
use crate::sdk::Coin;

pub const DENOM: &str = "uclear";
const DAY: u64 = 86_400;
const NOTICE: u64 = 14 * DAY;
const ASSESSMENT_DEADLINE: u64 = DAY;
const TIMELOCK: u64 = 2 * DAY;
const SITG: u128 = 1_000;

/// Members that act in the measured messages; the other N − 5 members are
/// there to be many.
const ACTORS: usize = 5;

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
}

/// The deployed suite on a chain.
struct Suite {
    chain: Chain,
    vault: String,
    fund: String,
    gov_code: u64,
    /// Empty until governance takes over.
    governance: String,
    admin: String,
    risk_engine: String,
    loss_recipient: String,
    keeper: String,
}

fn native(amount: u128) -> Vec<Coin> {
    vec![Coin::new(amount, DENOM)]
}

/// A `CosmosMsg` executing `msg` on `contract`, as a proposal carries it.
fn wasm_execute(contract: &str, msg: &Value) -> Result<Value> {
    let body = Binary::new(serde_json::to_vec(msg)?);
    Ok(json!({"wasm": {"execute": {"contract_addr": contract, "msg": body, "funds": []}}}))
}

/// Timing of a deployment, for the report.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timing {
    pub populate: Duration,
    pub measure: Duration,
}

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
        let fund = chain.instantiate(
            fund_code,
            &admin,
            &json!({
                "governance": admin, "risk_engine": risk_engine, "operator": operator,
                "loss_recipient": loss_recipient, "vault": vault, "asset": asset,
                "params": {
                    "min_contribution": "100", "contribution_rate": "0.1",
                    "assessment_multiple": "2", "cooling_off_period": 28 * DAY,
                    "assessment_deadline": ASSESSMENT_DEADLINE,
                    "replenishment_period": 7 * DAY, "withdrawal_notice_period": NOTICE,
                },
            }),
            "default fund",
            Some(&admin),
        )?;
        chain.execute(
            &admin,
            &vault,
            &json!({"update_config": {"governance": null, "risk_engine": null, "default_fund": fund}}),
            &[],
        )?;
        chain.mint(&operator, &Coin::new(SITG, DENOM))?;
        chain.execute(&operator, &fund, &json!({"fund_sitg": {}}), &native(SITG))?;
        // Governance comes later (members are admitted by the admin first);
        // its code is stored now so that all three are checked up front.
        Ok(Suite {
            chain,
            vault,
            fund,
            gov_code,
            governance: String::new(),
            admin,
            risk_engine,
            loss_recipient,
            keeper,
        })
    }

    /// Admits `name` with `required_margin`, then it deposits `margin` and
    /// contributes `contribution`, each through the contracts.
    fn admit(
        &self,
        name: &str,
        margin: u128,
        required_margin: u128,
        contribution: u128,
    ) -> Result<String> {
        let c = &self.chain;
        let member = c.user(name);
        c.mint(
            &member,
            &Coin::new(margin + contribution + 1_000_000, DENOM),
        )?;
        c.execute(
            &self.admin,
            &self.vault,
            &json!({"add_member": {"member": member, "required_margin": required_margin.to_string()}}),
            &[],
        )?;
        c.execute(
            &member,
            &self.vault,
            &json!({"deposit": {}}),
            &native(margin),
        )?;
        c.execute(
            &member,
            &self.fund,
            &json!({"contribute": {}}),
            &native(contribution),
        )?;
        Ok(member)
    }

    /// Deploys governance and hands it the admin role of vault and fund.
    fn hand_over_to_governance(&mut self) -> Result<()> {
        let c = &self.chain;
        let guardian = c.user("guardian");
        let gov = c.instantiate(
            self.gov_code,
            &self.admin,
            &json!({
                "vault": self.vault, "fund": self.fund, "guardian": guardian,
                // Two yes votes pass a proposal whatever N is, so that
                // "propose", "vote" and "execute" do the same work at every N.
                "threshold": {"absolute_count": {"weight": 2}},
                "voting_period": {"time": 7 * DAY}, "timelock": TIMELOCK,
                "weighting": "one_member_one_vote",
            }),
            "governance",
            Some(&self.admin),
        )?;
        c.execute(
            &self.admin,
            &self.vault,
            &json!({"update_config": {"governance": gov, "risk_engine": null, "default_fund": null}}),
            &[],
        )?;
        c.execute(
            &self.admin,
            &self.fund,
            &json!({"update_config": {
                "governance": gov, "risk_engine": null, "operator": null, "loss_recipient": null,
            }}),
            &[],
        )?;
        self.governance = gov;
        Ok(())
    }

    fn fund_member(&self, member: &str) -> Result<Value> {
        self.chain
            .query(&self.fund, &json!({"member": {"address": member}}))
    }

    /// The loss that takes a default of `member` exactly `extra` units into
    /// `layer` (or as far as it goes), from a preview of an unbounded loss.
    fn loss_into(&self, member: &str, layer: &str, extra: u128) -> Result<u128> {
        let receipt: Value = self.chain.query(
            &self.fund,
            &json!({"preview_default": {"member": member, "loss": u128::MAX.to_string()}}),
        )?;
        let layers = &receipt["layers"];
        let amount = |name: &str| -> Result<u128> {
            layers[name]
                .as_str()
                .ok_or_else(|| anyhow!("preview has no layer {name}: {receipt}"))?
                .parse::<u128>()
                .map_err(Into::into)
        };
        let order = [
            "defaulter_margin",
            "defaulter_contribution",
            "sitg",
            "mutual_fund",
            "assessments",
        ];
        let mut loss = 0;
        for name in order {
            if name == layer {
                let available = amount(name)?;
                ensure!(available > 0, "layer {layer} is empty for {member}");
                return Ok(loss + extra.min(available));
            }
            loss += amount(name)?;
        }
        Err(anyhow!("unknown layer {layer}"))
    }
}

/// Deploys the suite with `members` members and measures every message.
pub fn run(
    chain: Chain,
    wasm: &Artifacts,
    members: usize,
    progress: bool,
) -> Result<(Vec<Measurement>, Timing)> {
    ensure!(members >= ACTORS, "at least {ACTORS} members");
    let started = Instant::now();
    let mut s = Suite::deploy(chain, wasm)?;
    let alice = s.admit("alice", 20_000, 4_000, 1_000)?;
    let bob = s.admit("bob", 20_000, 4_000, 1_000)?;
    let defaulters = [
        s.admit("defaulter1", 5_000, 4_000, 500)?,
        s.admit("defaulter2", 5_000, 4_000, 500)?,
        s.admit("defaulter3", 5_000, 4_000, 500)?,
    ];
    let background = members - ACTORS;
    for i in 0..background {
        s.admit(&format!("member{i:06}"), 5_000, 4_000, 500)?;
        if progress && (i + 1) % 10_000 == 0 {
            eprintln!(
                "  N={members}: {} members admitted ({:.0?})",
                i + 1 + ACTORS,
                started.elapsed()
            );
        }
    }
    s.hand_over_to_governance()?;
    let populate = started.elapsed();

    let started = Instant::now();
    let mut out = vec![];
    let mut record = |message: &'static str, r: Result<TxResult>| -> Result<()> {
        let r = r.with_context(|| format!("{message} (N = {members})"))?;
        out.push(Measurement {
            message,
            gas: r.gas,
            counts: r.counts,
        });
        Ok(())
    };
    let c = &s.chain;
    let fee_payer = c.user("fee_payer");
    c.mint(&fee_payer, &Coin::new(1_000_000_000, DENOM))?;
    let newcomer = c.user("newcomer");

    // Margin and contributions.
    record(
        "deposit margin",
        c.execute(&alice, &s.vault, &json!({"deposit": {}}), &native(1_000)),
    )?;
    record(
        "withdraw margin",
        c.execute(
            &alice,
            &s.vault,
            &json!({"withdraw": {"amount": "500"}}),
            &[],
        ),
    )?;
    record(
        "contribute",
        c.execute(&alice, &s.fund, &json!({"contribute": {}}), &native(100)),
    )?;
    record(
        "request withdrawal",
        c.execute(
            &alice,
            &s.fund,
            &json!({"request_withdrawal": {"amount": "100"}}),
            &[],
        ),
    )?;

    // Fees: enough that every member's share is at least one unit.
    record(
        "distribute fees",
        c.execute(
            &fee_payer,
            &s.fund,
            &json!({"distribute_fees": {}}),
            &native(1_000_000_000),
        ),
    )?;
    record(
        "claim fees",
        c.execute(&alice, &s.fund, &json!({"claim_fees": {}}), &[]),
    )?;

    // Governance: admit a newcomer by proposal.
    let add = wasm_execute(
        &s.vault,
        &json!({"add_member": {"member": newcomer, "required_margin": "4000"}}),
    )?;
    // The same on a second governance instance that weighs votes by fund
    // balance (not an admin: its proposal is only voted on). A 51 % threshold
    // keeps that proposal open after both votes at every N.
    let by_balance = c.instantiate(
        s.gov_code,
        &s.admin,
        &json!({
            "vault": s.vault, "fund": s.fund, "guardian": c.user("guardian"),
            "threshold": {"absolute_percentage": {"percentage": "0.51"}},
            "voting_period": {"time": 7 * DAY}, "timelock": TIMELOCK,
            "weighting": "fund_balance",
        }),
        "governance by balance",
        Some(&s.admin),
    )?;
    let mut proposal_id = 0;
    for (governance, propose, vote) in [
        (&s.governance, "propose", "vote"),
        (
            &by_balance,
            "propose (votes weighed by balance)",
            "vote (votes weighed by balance)",
        ),
    ] {
        let proposed = c.execute(
            &alice,
            governance,
            &json!({"propose": {
                "title": "Admit a newcomer", "description": "Clearing member application",
                "msgs": [add], "latest": null,
            }}),
            &[],
        );
        let id: u64 = match &proposed {
            Ok(r) => r
                .attribute("proposal_id")
                .ok_or_else(|| anyhow!("no proposal_id"))?
                .parse()?,
            Err(_) => 0,
        };
        record(propose, proposed)?;
        record(
            vote,
            c.execute(
                &bob,
                governance,
                &json!({"vote": {"proposal_id": id, "vote": "yes"}}),
                &[],
            ),
        )?;
        if *governance == s.governance {
            proposal_id = id;
        }
    }

    // After the notice period (and the timelock), before any default.
    c.advance(NOTICE + 1);
    record(
        "claim withdrawal",
        c.execute(&alice, &s.fund, &json!({"claim_withdrawal": {}}), &[]),
    )?;
    record(
        "execute proposal",
        c.execute(
            &s.keeper,
            &s.governance,
            &json!({"execute": {"proposal_id": proposal_id}}),
            &[],
        ),
    )?;

    // Defaults, one per depth of the waterfall.
    let declare = |member: &str, loss: u128| {
        c.execute(
            &s.risk_engine,
            &s.fund,
            &json!({"declare_default": {"member": member, "loss": loss.to_string()}}),
            &[],
        )
    };
    let depths = [
        ("declare default: margin only", "defaulter_margin"),
        ("declare default: into mutual fund", "mutual_fund"),
        ("declare default: into assessments", "assessments"),
    ];
    for ((message, layer), defaulter) in depths.into_iter().zip(&defaulters) {
        let loss = s.loss_into(defaulter, layer, 1_000)?;
        let covered = loss - s.loss_into(defaulter, layer, 0)?;
        let before = c.balance(&s.loss_recipient, DENOM)?;
        record(message, declare(defaulter, loss))?;
        // What layers 1-4 cover reached the loss recipient through the bank.
        let paid = c.balance(&s.loss_recipient, DENOM)? - before;
        let upto = if layer == "assessments" {
            loss - covered
        } else {
            loss
        };
        ensure!(
            paid == upto,
            "{message}: loss recipient got {paid}, expected {upto}"
        );
    }

    // Assessments: one member pays, the other is enforced after the deadline.
    let owed: u128 = s.fund_member(&alice)?["assessment_owed"]
        .as_str()
        .ok_or_else(|| anyhow!("no assessment_owed"))?
        .parse()?;
    ensure!(owed > 0, "alice owes no assessment at N = {members}");
    // Owing an assessment not yet due, the vault cannot tell from the fund's
    // record alone that nothing is overdue: it asks the fund.
    record(
        "withdraw margin, owing an assessment not yet due",
        c.execute(
            &alice,
            &s.vault,
            &json!({"withdraw": {"amount": "100"}}),
            &[],
        ),
    )?;
    record(
        "pay assessment",
        c.execute(
            &alice,
            &s.fund,
            &json!({"pay_assessment": {}}),
            &native(owed),
        ),
    )?;
    c.advance(ASSESSMENT_DEADLINE + 1);
    record(
        "enforce assessment",
        c.execute(
            &s.keeper,
            &s.fund,
            &json!({"enforce_assessment": {"member": bob}}),
            &[],
        ),
    )?;

    // The harness undoes a refused message: nothing of it stays.
    let alice_margin = |s: &Suite| -> Result<Value> {
        s.chain
            .query(&s.vault, &json!({"member": {"address": alice}}))
    };
    let before = (alice_margin(&s)?, c.balance(&alice, DENOM)?);
    let refused = c.execute(
        &alice,
        &s.vault,
        &json!({"withdraw": {"amount": "1000000000000"}}),
        &[],
    );
    ensure!(refused.is_err(), "an oversized withdrawal was accepted");
    ensure!(
        before == (alice_margin(&s)?, c.balance(&alice, DENOM)?),
        "a refused withdrawal changed state"
    );

    let timing = Timing {
        populate,
        measure: started.elapsed(),
    };
    Ok((out, timing))
}
