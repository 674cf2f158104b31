// The end-to-end story of issue 14 on a real wasmd chain: every step is a
// real transaction, balances come from the bank module (or the cw20's
// ledger), receipts from the fund's `wasm-default` event, and conservation
// is checked from the contracts' books and the chain's ledger after every
// step. Needs a running chain (scripts/localnet.sh start, or
// scripts/chain-e2e.sh which starts its own).
//
// Deployments: CHF_DEPLOYMENT_NATIVE / CHF_DEPLOYMENT_CW20 (files written by
// scripts/deploy.sh), or the test deploys them itself. The transactions and
// the gas of each measured message go to CHF_E2E_REPORT (default
// docs/chain-e2e.md).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fund as fundAccounts, localnetKeys, memberAddresses, type Roles } from "../src/actors";
import { Chain, type KeyRing } from "../src/chain";
import { artifactsDir, GAS_MULTIPLIER, localnet, REPO_DIR } from "../src/config";
import { deploySuite, readDeployment, SHORT_PARAMS, verifyHandover, type Deployment } from "../src/deploy";
import { defaultReceiptFromEvents, LAYERS, layersOf, sum } from "../src/events";
import { migrateContract, passGovProposal, storeCode, sudoContract } from "../src/gov";
import { GasLog, txTable, fmtGas, writeText } from "../src/report";
import {
  attr,
  CONTRIBUTE,
  DEPOSIT,
  DISTRIBUTE_FEES,
  FUND_SITG,
  PAY_ASSESSMENT,
  recordRecovery,
  Suite,
  wasmExecute,
} from "../src/suite";

const net = localnet();
const U = (n: number | bigint | string) => BigInt(n);
const REQUIRED_MARGIN = 5_000_000n;
/** min_contribution + contribution_rate × required margin (SHORT_PARAMS). */
const REQUIRED_CONTRIBUTION = 100_000n + REQUIRED_MARGIN / 10n;

let keys: KeyRing;
let roles: Roles;
let chain: Chain;
const gas = new GasLog();
const steps: { deployment: string; step: string; seconds: number; failed?: string }[] = [];
const deployments: Record<string, Deployment> = {};
const started = Date.now();

before(async () => {
  ({ keys, roles } = await localnetKeys(net));
  chain = await Chain.connect({ rpc: net.rpc, chainId: net.chainId, keys });
});

after(async () => {
  if (!chain) return;
  writeReport();
  chain.disconnect();
});

/** A story step: runs `fn` with its transactions labelled, then checks conservation. */
function step(deployment: string, name: string, get: () => Suite, fn: () => Promise<void>) {
  it(name, async () => {
    chain.step = `${deployment}: ${name}`;
    const t0 = Date.now();
    try {
      await fn();
      await get().conservation();
      steps.push({ deployment, step: name, seconds: (Date.now() - t0) / 1000 });
    } catch (e) {
      const first = (e instanceof Error ? e.message : String(e)).split("\n").slice(0, 4).join(" ");
      steps.push({ deployment, step: name, seconds: (Date.now() - t0) / 1000, failed: first });
      throw e;
    }
  });
}

const nsToSeconds = (ns: string | null | undefined): number => {
  if (!ns) throw new Error("no timestamp");
  return Number(BigInt(ns) / 1_000_000_000n);
};

/** The next transaction lands strictly after `ns` (a contract Timestamp). */
async function waitPast(ns: string | null | undefined): Promise<void> {
  await chain.waitForChainTime(nsToSeconds(ns));
}

async function deployment(envVar: string, settlement: "native" | "cw20", founders: string[]): Promise<Deployment> {
  const file = process.env[envVar];
  if (file) {
    const d = readDeployment(file);
    assert.equal(d.chain_id, net.chainId, `${file} is for another chain`);
    return d;
  }
  return deploySuite(chain, {
    artifactsDir: artifactsDir(),
    deployer: roles.deployer,
    riskEngine: roles.riskEngine,
    operator: roles.operator,
    lossRecipient: roles.lossRecipient,
    guardian: roles.guardian,
    settlement:
      settlement === "native"
        ? { native: net.settlementDenom }
        : { newCw20: { name: "Clearing settlement", symbol: "CLEAR", decimals: 6, initialBalances: [] } },
    params: SHORT_PARAMS,
    threshold: { absolute_percentage: { percentage: "0.51" } },
    votingPeriodSeconds: 60,
    minTimelockSeconds: 2,
    executionWindowSeconds: 600,
    weighting: "one_member_one_vote",
    founders: founders.map((address) => ({ address, required_margin: REQUIRED_MARGIN.toString() })),
  });
}

/** Changes of each address's settlement-asset balance across `fn`. */
async function deltas(s: Suite, addresses: string[], fn: () => Promise<void>): Promise<bigint[]> {
  const before = await Promise.all(addresses.map((a) => s.balanceOf(a)));
  await fn();
  const after = await Promise.all(addresses.map((a) => s.balanceOf(a)));
  return after.map((v, i) => v - before[i]!);
}

async function refused(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    assert.match(msg, pattern);
    return true;
  });
}

// ---------------------------------------------------------------------------
describe("native settlement, 20 members", { concurrency: false }, () => {
  const D = "native";
  let s: Suite;
  let m: string[] = []; // m[0..2] founders, m[19] the defaulter
  const get = () => s;
  const E = 3; // pays nothing: enforced from its excess margin after the deadline
  const B = 4; // pays nothing and has no excess margin: ends in breach
  const W = 5; // withdraws with notice
  const S = 6; // suspended by the risk engine, lifted by chain governance
  const X = 7; // exits with its liability tail
  const L = 8; // gives notice to exit, lets it lapse, gives notice again
  const DEF = 19;
  const margin = (i: number) => (i === E ? 8_000_000n : i === B || i === DEF ? 5_000_000n : 6_000_000n);
  const contribution = (i: number) => (i === W ? 1_000_000n : REQUIRED_CONTRIBUTION);
  const SITG = 1_000_000n;
  const FEES = 1_900_000n;
  const ASSESSMENT = 1_900_000n; // 100,000 on each of 19 equal survivors
  let defaultId = 0;

  before(async () => {
    m = await memberAddresses(net, keys, 0, 20);
    chain.step = `${D}: fund accounts`;
    await fundAccounts(chain, roles.faucet, [...m, roles.lossRecipient], [
      { denom: net.bondDenom, amount: "100000000" },
      { denom: net.settlementDenom, amount: "20000000" },
    ]);
    s = new Suite(chain, await deployment("CHF_DEPLOYMENT_NATIVE", "native", m.slice(0, 3)));
    deployments.native = s.d;
    assert.deepEqual(
      s.d.founders.map((f) => f.address),
      m.slice(0, 3),
      "the deployment's founders are members 0..2 of chain/localnet.json",
    );
  });

  step(D, "governance holds every role and wasm admin; uploads are restricted", get, async () => {
    assert.deepEqual(await verifyHandover(chain, s.d), []);
    for (const addr of [s.vaultAddr, s.fundAddr, s.govAddr]) {
      assert.equal((await chain.client.getContract(addr)).admin, s.govAddr);
    }
    // The deployer no longer governs ...
    await refused(s.vault(roles.deployer).addMember({ member: m[3]!, requiredMargin: "1" }, GAS_MULTIPLIER), /nauthori/);
    // ... and only the deployer (and x/gov) may store code.
    const wasm = readFileSync(join(artifactsDir(), "margin_vault.wasm"));
    await refused(chain.client.upload(roles.outsider, wasm, GAS_MULTIPLIER), /unauthorized|can not create code/i);
  });

  step(D, "a suite proposal admits 17 members (propose, vote, timelock, execute)", get, async () => {
    const msgs = m.slice(3).map((member) => wasmExecute(s.vaultAddr, { add_member: { member, required_margin: REQUIRED_MARGIN.toString() } }));
    const { id, execute } = await s.passProposal(m[0]!, [m[1]!], "Admit 17 clearing members", msgs);
    assert.equal((await s.govQ.proposal({ proposalId: id })).status, "executed");
    assert.equal(execute.events.filter((e) => e.type === "wasm" && e.attributes.some((a) => a.key === "action" && a.value === "add_member")).length, 17);
    assert.equal((await s.vaultQ.totals()).members, 20);
    assert.equal((await s.fundQ.state()).members, 20);
  });

  step(D, "deposits, contributions and the SITG tranche", get, async () => {
    const expectVault = sum(m.map((_, i) => margin(i)));
    const expectFund = sum(m.map((_, i) => contribution(i))) + SITG;
    const d = await deltas(s, [s.vaultAddr, s.fundAddr, ...m, roles.operator], async () => {
      // Member 0 pays in two transactions, to measure each message alone.
      gas.add("vault.deposit", 20, await s.pay(m[0]!, DEPOSIT, margin(0)));
      gas.add("fund.contribute", 20, await s.pay(m[0]!, CONTRIBUTE, contribution(0)));
      await Promise.all(
        m.slice(1).map((a, j) => chain.tx(a, [s.payMsg(a, DEPOSIT, margin(j + 1)), s.payMsg(a, CONTRIBUTE, contribution(j + 1))])),
      );
      gas.add("fund.fund_sitg", 20, await s.pay(roles.operator, FUND_SITG, SITG));
    });
    assert.equal(d[0], expectVault, "the vault received every margin");
    assert.equal(d[1], expectFund, "the fund received every contribution and the SITG");
    m.forEach((_, i) => assert.equal(d[2 + i], -(margin(i) + contribution(i)), `member ${i} paid exactly margin + contribution`));
    assert.equal(d[22], -SITG);
    const member = await s.fundQ.member({ address: m[0]! });
    assert.equal(U(member.balance), contribution(0));
    assert.equal(member.required_contribution.split(".")[0], REQUIRED_CONTRIBUTION.toString());
  });

  step(D, "the risk engine posts stress exposures; Coverage sets the Cover-2 requirement against the prefunded resources", get, async () => {
    const res = await s.fund(roles.riskEngine).postExposures(
      { exposures: [{ member: m[0]!, amount: "30000000" }, { member: m[1]!, amount: "20000000" }, { member: m[2]!, amount: "5000000" }] },
      GAS_MULTIPLIER,
    );
    gas.add("fund.post_exposures (3)", 20, res);
    const c = await s.fundQ.coverage();
    assert.equal(c.cover, 2);
    assert.deepEqual(c.top_exposures.map((t) => t.member), [m[0], m[1]], "the two largest exposures, largest first");
    assert.equal(U(c.requirement), 50_000_000n, "Cover-2 with no buffer: the two largest exposures");
    const prefunded = sum(m.map((_, i) => contribution(i))) + SITG;
    assert.equal(U(c.prefunded), prefunded);
    assert.ok(c.ratio !== null && Number(c.ratio) < 1, "the fund is below its Cover-2 requirement (a page shows the warning)");
  });

  step(D, "fees: distributed to contributors pro rata, claimed", get, async () => {
    gas.add("fund.distribute_fees", 20, await s.pay(roles.operator, DISTRIBUTE_FEES, FEES));
    const claimable = U((await s.fundQ.member({ address: m[0]! })).fees_claimable);
    // 1.9M over 12.4M of balances: member 0 holds 0.6M.
    assert.equal(claimable, (FEES * contribution(0)) / 12_400_000n);
    const [got] = await deltas(s, [m[0]!], async () => {
      gas.add("fund.claim_fees", 20, await s.fund(m[0]!).claimFees(GAS_MULTIPLIER));
    });
    assert.equal(got, claimable);
  });

  step(D, "the risk engine suspends a member: it may not withdraw", get, async () => {
    gas.add("fund.suspend", 20, await s.fund(roles.riskEngine).suspend({ member: m[S]! }, GAS_MULTIPLIER));
    assert.equal((await s.fundQ.member({ address: m[S]! })).suspended, true);
    await refused(s.fund(m[S]!).requestWithdrawal({ amount: "1" }, GAS_MULTIPLIER), /suspend/i);
  });

  step(D, "withdrawal with notice; x/gov MsgSudoContract pauses, a second unpauses and lifts the suspension", get, async () => {
    const req = await s.fund(m[W]!).requestWithdrawal({ amount: "400000" }, GAS_MULTIPLIER);
    gas.add("fund.request_withdrawal", 20, req);
    await refused(s.fund(m[W]!).claimWithdrawal(GAS_MULTIPLIER), /notice/i);

    await passGovProposal(chain, {
      proposer: roles.validator,
      voter: roles.validator,
      title: "Pause the clearing suite",
      expedited: true,
      deposit: { denom: net.bondDenom, amount: "20000000" },
      messages: [sudoContract(s.govAddr, { set_pause: { paused: true } })],
    });
    assert.equal((await s.vaultQ.config()).paused, true);
    assert.equal((await s.fundQ.config()).paused, true);
    const pending = (await s.fundQ.member({ address: m[W]! })).pending_withdrawal;
    await waitPast(pending?.claimable_at);
    await refused(s.fund(m[W]!).claimWithdrawal(GAS_MULTIPLIER), /paused/i);
    await refused(s.vault(m[0]!).withdraw({ amount: "1" }, GAS_MULTIPLIER), /paused/i);

    await passGovProposal(chain, {
      proposer: roles.validator,
      voter: roles.validator,
      title: "Unpause the clearing suite and lift a suspension",
      expedited: true,
      deposit: { denom: net.bondDenom, amount: "20000000" },
      messages: [
        sudoContract(s.govAddr, { set_pause: { paused: false } }),
        sudoContract(s.fundAddr, { unsuspend: { member: m[S]! } }),
      ],
    });
    assert.equal((await s.vaultQ.config()).paused, false);
    assert.equal((await s.fundQ.config()).paused, false);
    assert.equal((await s.fundQ.member({ address: m[S]! })).suspended, false);

    const [w, fundDelta] = await deltas(s, [m[W]!, s.fundAddr], async () => {
      gas.add("fund.claim_withdrawal", 20, await s.fund(m[W]!).claimWithdrawal(GAS_MULTIPLIER));
    });
    assert.equal(w, 400_000n);
    assert.equal(fundDelta, -400_000n);
    assert.equal(U((await s.fundQ.member({ address: m[W]! })).balance), REQUIRED_CONTRIBUTION);
    const [mw] = await deltas(s, [m[0]!], async () => {
      gas.add("vault.withdraw", 20, await s.vault(m[0]!).withdraw({ amount: "500000" }, GAS_MULTIPLIER));
    });
    assert.equal(mw, 500_000n);
  });

  step(D, "the risk engine declares a default that runs into assessments; the receipt is the wasm-default event", get, async () => {
    const defaulter = m[DEF]!;
    // Each layer's capacity, from a preview of a loss larger than everything.
    const cap = layersOf(await s.fundQ.previewDefault({ member: defaulter, loss: "1000000000000" }));
    const survivors = sum(m.slice(0, DEF).map(() => REQUIRED_CONTRIBUTION));
    assert.equal(cap.defaulter_margin, margin(DEF));
    assert.equal(cap.sitg, SITG);
    assert.equal(cap.mutual_fund, survivors, "the survivors' balances");
    const loss = cap.defaulter_margin + cap.defaulter_contribution + cap.sitg + cap.mutual_fund + ASSESSMENT;
    const preview = await s.fundQ.previewDefault({ member: defaulter, loss: loss.toString() });

    const [recipient, vault, fund] = await deltas(s, [roles.lossRecipient, s.vaultAddr, s.fundAddr], async () => {
      const res = await s.fund(roles.riskEngine).declareDefault({ member: defaulter, loss: loss.toString() }, GAS_MULTIPLIER);
      gas.add("fund.declare_default (into assessments)", 20, res);
      const r = defaultReceiptFromEvents(res.events, s.fundAddr);
      defaultId = r.defaultId;
      assert.equal(r.member, defaulter);
      assert.equal(r.declaredBy, "risk_engine");
      assert.equal(r.loss, loss);
      assert.equal(sum(Object.values(r.layers)), loss, "the layers sum exactly to the loss");
      assert.deepEqual(r.layers, layersOf(preview), "the preview equals the receipt");
      assert.equal(r.layers.assessments, ASSESSMENT);
      assert.equal(r.layers.uncovered, 0n);
      assert.equal(r.openedCoolingOff, true);
      const stored = await s.fundQ.default({ id: r.defaultId });
      assert.deepEqual(layersOf(stored), r.layers, "the queried receipt equals the event");
      assert.equal(stored.assessment_rate, r.assessmentRate);
    });
    const l = layersOf(preview);
    assert.equal(recipient, l.defaulter_margin + l.defaulter_contribution + l.sitg + l.mutual_fund, "layers 1-4 paid out at once");
    assert.equal(vault, -l.defaulter_margin);
    assert.equal(fund, -(l.defaulter_contribution + l.sitg + l.mutual_fund));
  });

  step(D, "members pay their assessment; one is enforced after the deadline, one ends in breach", get, async () => {
    const payers = m.slice(0, DEF).filter((_, i) => i !== E && i !== B);
    const owed = await Promise.all(payers.map(async (a) => U((await s.fundQ.obligations({ address: a })).owed)));
    owed.forEach((o) => assert.equal(o, ASSESSMENT / 19n));
    const [recipient] = await deltas(s, [roles.lossRecipient], async () => {
      gas.add("fund.pay_assessment", 20, await s.pay(payers[0]!, PAY_ASSESSMENT, owed[0]!));
      await Promise.all(payers.slice(1).map((a, j) => s.pay(a, PAY_ASSESSMENT, owed[j + 1]!)));
    });
    assert.equal(recipient, sum(owed), "every payment went on to the loss recipient");

    await refused(s.fund(m[0]!).enforceAssessment({ member: m[E]! }, GAS_MULTIPLIER), /due/i);
    const receipt = await s.fundQ.default({ id: defaultId });
    await waitPast(receipt.assessment_due);

    const [rec, eMargin] = await deltas(s, [roles.lossRecipient, s.vaultAddr], async () => {
      const res = await s.fund(m[0]!).enforceAssessment({ member: m[E]! }, GAS_MULTIPLIER);
      gas.add("fund.enforce_assessment (drawn from margin)", 20, res);
      assert.equal(attr(res, "drawn"), (ASSESSMENT / 19n).toString());
      assert.equal(attr(res, "status"), "active");
    });
    assert.equal(rec, ASSESSMENT / 19n);
    assert.equal(eMargin, -(ASSESSMENT / 19n));
    assert.equal(U((await s.vaultQ.member({ address: m[E]! })).balance), margin(E) - ASSESSMENT / 19n);

    const res = await s.fund(m[0]!).enforceAssessment({ member: m[B]! }, GAS_MULTIPLIER);
    gas.add("fund.enforce_assessment (breach)", 20, res);
    assert.equal(attr(res, "drawn"), "0");
    assert.equal(attr(res, "status"), "in_breach");
    assert.equal((await s.fundQ.member({ address: m[B]! })).status, "in_breach");
  });

  step(D, "replenishment: survivors top up their contribution, one is drawn from its margin after the period", get, async () => {
    const survivors = m.slice(0, DEF);
    const shortfalls = await Promise.all(survivors.map(async (a) => s.fundQ.member({ address: a })));
    shortfalls.forEach((f) => assert.equal(U(f.shortfall), REQUIRED_CONTRIBUTION, "the mutual-fund layer took every survivor's balance"));
    const toppers = survivors.filter((_, i) => i !== E);
    const [fundDelta] = await deltas(s, [s.fundAddr], async () => {
      gas.add("fund.contribute (replenishment)", 20, await s.pay(toppers[0]!, CONTRIBUTE, REQUIRED_CONTRIBUTION));
      await Promise.all(toppers.slice(1).map((a) => s.pay(a, CONTRIBUTE, REQUIRED_CONTRIBUTION)));
    });
    assert.equal(fundDelta, REQUIRED_CONTRIBUTION * BigInt(toppers.length));
    const e = await s.fundQ.member({ address: m[E]! });
    await refused(s.fund(m[0]!).enforceReplenishment({ member: m[E]! }, GAS_MULTIPLIER), /replenishment|due/i);
    await waitPast(e.shortfall_due);
    const [vault, fund] = await deltas(s, [s.vaultAddr, s.fundAddr], async () => {
      const res = await s.fund(m[0]!).enforceReplenishment({ member: m[E]! }, GAS_MULTIPLIER);
      gas.add("fund.enforce_replenishment", 20, res);
      assert.equal(attr(res, "drawn"), REQUIRED_CONTRIBUTION.toString());
    });
    assert.equal(vault, -REQUIRED_CONTRIBUTION);
    assert.equal(fund, REQUIRED_CONTRIBUTION);
    const after = await s.fundQ.member({ address: m[E]! });
    assert.equal(U(after.balance), REQUIRED_CONTRIBUTION);
    assert.equal(U(after.shortfall), 0n);
  });

  step(D, "a suite proposal closes the default; a recovery is credited in reverse order and claimed", get, async () => {
    const voters = m.slice(1, DEF);
    const { execute } = await s.passProposal(m[0]!, voters, "Close the default of member 19", [
      wasmExecute(s.fundAddr, { close_default: { member: m[DEF]! } }),
    ]);
    gas.add("governance.execute (close_default)", 20, execute);
    assert.equal((await s.fundQ.default({ id: defaultId })).closed, true);

    const RECOVERY = ASSESSMENT / 2n;
    const res = await s.pay(roles.lossRecipient, recordRecovery(defaultId), RECOVERY);
    gas.add("fund.record_recovery", 20, res);
    const receipt = await s.fundQ.default({ id: defaultId });
    assert.equal(U(receipt.recovered?.assessments ?? "0"), RECOVERY, "the assessment layer is credited first");
    assert.equal(U(receipt.recovered?.mutual_fund ?? "0"), 0n);
    const recovered = U((await s.fundQ.member({ address: m[1]! })).recovered);
    assert.equal(recovered, RECOVERY / 19n, "pro rata to each member's share of the assessment");
    const [got] = await deltas(s, [m[1]!], async () => {
      gas.add("fund.claim_recoveries", 20, await s.fund(m[1]!).claimRecoveries(GAS_MULTIPLIER));
    });
    assert.equal(got, recovered);

    // The member in breach pays what it still owes (its recovery share cancelled part of it).
    const owed = U((await s.fundQ.obligations({ address: m[B]! })).owed);
    assert.equal(owed, ASSESSMENT / 19n - RECOVERY / 19n);
    await s.pay(m[B]!, PAY_ASSESSMENT, owed);
    assert.equal((await s.fundQ.member({ address: m[B]! })).status, "active");
  });

  step(D, "x/gov stores new fund code by proposal and migrates the fund to it", get, async () => {
    const before = await s.fundQ.books();
    const stateBefore = await s.fundQ.state();
    const codesBefore = (await chain.client.getCodes()).map((c) => c.id);
    await passGovProposal(chain, {
      proposer: roles.validator,
      voter: roles.validator,
      title: "Store default-fund code",
      expedited: true,
      deposit: { denom: net.bondDenom, amount: "20000000" },
      messages: [storeCode(readFileSync(join(artifactsDir(), "default_fund.wasm")))],
    });
    const newCode = (await chain.client.getCodes()).find((c) => !codesBefore.includes(c.id));
    assert.ok(newCode, "x/gov stored a code");
    await passGovProposal(chain, {
      proposer: roles.validator,
      voter: roles.validator,
      title: "Migrate the default fund",
      expedited: true,
      deposit: { denom: net.bondDenom, amount: "20000000" },
      messages: [migrateContract(s.fundAddr, newCode.id, {})],
    });
    assert.equal((await chain.client.getContract(s.fundAddr)).codeId, newCode.id);
    const history = await chain.client.getContractCodeHistory(s.fundAddr);
    assert.equal(history.at(-1)?.operation, "Migrate");
    assert.deepEqual(await s.fundQ.books(), before, "the books survive the migration");
    // Everything but the clock-dependent flag survives the migration.
    const { cooling_off_open: _a, ...was } = stateBefore;
    const { cooling_off_open: _b, ...now } = await s.fundQ.state();
    assert.deepEqual(now, was, "and so does the state");
    // TODO(v2): migrate to a newer contract version (e.g. a fund-next build) once
    // one is published as an artifact; today the same wasm is stored under a new code id.
  });

  step(D, "a member exits with its liability tail: notice, then anyone completes it", get, async () => {
    gas.add("fund.request_exit", 20, await s.fund(m[X]!).requestExit(GAS_MULTIPLIER));
    const member = await s.fundQ.member({ address: m[X]! });
    assert.ok(member.exit_available_at);
    await refused(s.fund(m[0]!).completeExit({ member: m[X]! }, GAS_MULTIPLIER), /notice/i);
    const state = await s.fundQ.state();
    await waitPast(member.exit_available_at);
    if (state.cooling_off) await waitPast(state.cooling_off.ends);
    const [fundMember, vaultMember] = await Promise.all([s.fundQ.member({ address: m[X]! }), s.vaultQ.member({ address: m[X]! })]);
    const [got, fundDelta] = await deltas(s, [m[X]!, s.fundAddr], async () => {
      gas.add("fund.complete_exit", 20, await s.fund(m[0]!).completeExit({ member: m[X]! }, GAS_MULTIPLIER));
    });
    const fromFund = U(fundMember.balance) + U(fundMember.fees_claimable) + U(fundMember.recovered);
    assert.equal(got, fromFund, "the fund pays balance, fees and recovery credits");
    assert.equal(fundDelta, -fromFund);
    assert.equal((await s.fundQ.member({ address: m[X]! })).status, "exited");
    // Then anyone closes its vault account: the whole margin, requirement and all, goes to it.
    const margin = U(vaultMember.balance);
    assert.ok(margin > U(vaultMember.required_margin));
    const [gotMargin] = await deltas(s, [m[X]!], async () => {
      gas.add("vault.close_account", 20, await s.vault(m[0]!).closeAccount({ member: m[X]! }, GAS_MULTIPLIER));
    });
    assert.equal(gotMargin, margin);
    assert.equal((await s.vaultQ.member({ address: m[X]! })).status, "exited");
  });

  step(D, "an exit notice lapses when the exit is not completed within the claim window; notice is given again", get, async () => {
    // A member's own notice binds it like a withdrawal request: the exit must
    // be completed within `withdrawal_claim_window` after the notice ends.
    // Governance first shortens the window (120 s here) to 2 s, so that the
    // story need not wait it out; the window is fixed when notice is given.
    const WINDOW = 2;
    const params = await s.fundQ.params();
    await s.passProposal(m[0]!, m.slice(1, DEF).filter((_, j) => j + 1 !== X), "Claim window of 2 s", [
      wasmExecute(s.fundAddr, { update_params: { params: { ...params, withdrawal_claim_window: WINDOW } } }),
    ]);
    assert.equal((await s.fundQ.params()).withdrawal_claim_window, WINDOW);

    await s.fund(m[L]!).requestExit(GAS_MULTIPLIER);
    const notice = await s.fundQ.member({ address: m[L]! });
    assert.equal(notice.status, "active", "a member under notice stays fully liable");
    assert.ok(notice.exit_notice_at && notice.exit_available_at && notice.exit_lapses_at);
    const state = await s.fundQ.state();
    assert.ok(!state.cooling_off_open, "no cooling-off period moves the window");
    assert.equal(nsToSeconds(notice.exit_lapses_at) - nsToSeconds(notice.exit_available_at), WINDOW, "the window runs from the end of the notice");
    await waitPast(notice.exit_lapses_at);
    await refused(s.fund(m[0]!).completeExit({ member: m[L]! }, GAS_MULTIPLIER), /lapsed/i);
    const lapsed = await s.fundQ.member({ address: m[L]! });
    assert.equal(lapsed.status, "active", "a lapsed notice leaves the member in the fund");
    assert.equal(lapsed.exit_lapses_at, notice.exit_lapses_at, "the lapsed notice is still on record until notice is given again");

    // The member gives notice again: a new notice with new dates.
    await s.fund(m[L]!).requestExit(GAS_MULTIPLIER);
    const again = await s.fundQ.member({ address: m[L]! });
    assert.ok(nsToSeconds(again.exit_available_at) > nsToSeconds(notice.exit_lapses_at), "the new notice runs from now");
  });

  step(D, "a suite proposal shuts the suite down; every member takes out what is its own", get, async () => {
    // Members with a notice to exit (X has left, L's notice stands) do not vote.
    const voters = m.slice(1, DEF).filter((_, j) => j + 1 !== X && j + 1 !== L);
    await s.passProposal(m[0]!, voters, "Emergency shutdown", [wasmExecute(s.govAddr, { shutdown: {} })]);
    assert.equal((await s.vaultQ.config()).shutdown, true);
    assert.equal((await s.fundQ.config()).shutdown, true);

    const live = m.filter((_, i) => i !== X && i !== DEF);
    const expected = await Promise.all(
      live.map(async (a) => {
        const [f, v] = await Promise.all([s.fundQ.member({ address: a }), s.vaultQ.member({ address: a })]);
        return { a, f, v };
      }),
    );
    const got = await deltas(s, live, async () => {
      await Promise.all(
        expected.map(({ a, f, v }) => {
          const fund = s.fund(a);
          const msgs = [];
          if (U(f.balance) > 0n) msgs.push(msg(a, s.fundAddr, { claim_withdrawal: {} }));
          if (U(f.fees_claimable) > 0n) msgs.push(msg(a, s.fundAddr, { claim_fees: {} }));
          if (U(f.recovered) > 0n) msgs.push(msg(a, s.fundAddr, { claim_recoveries: {} }));
          if (U(v.balance) > 0n) msgs.push(msg(a, s.vaultAddr, { withdraw: { amount: v.balance } }));
          void fund;
          return chain.tx(a, msgs);
        }),
      );
    });
    expected.forEach(({ f, v }, i) => {
      assert.equal(got[i], U(f.balance) + U(f.fees_claimable) + U(f.recovered) + U(v.balance), `member ${live[i]} took out everything`);
    });
    const books = await s.fundQ.state();
    if (U(books.sitg) > 0n) {
      const [op] = await deltas(s, [roles.operator], async () => {
        gas.add("fund.withdraw_sitg", 20, await s.fund(roles.operator).withdrawSitg(GAS_MULTIPLIER));
      });
      assert.equal(op, U(books.sitg));
    }
    const totals = await s.vaultQ.totals();
    assert.equal(U(totals.total_margin), 0n, "the vault owes no margin any more");
    assert.equal(await s.balanceOf(s.vaultAddr), 0n);
    // TODO(v2): the closed defaulter's held remainder (ClaimReleased) once a scenario leaves one.
  });
});

function msg(sender: string, contract: string, body: object) {
  return {
    typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
    value: { sender, contract, msg: new TextEncoder().encode(JSON.stringify(body)), funds: [] },
  };
}

// ---------------------------------------------------------------------------
describe("cw20 settlement, 5 members", { concurrency: false }, () => {
  const D = "cw20";
  let s: Suite;
  let m: string[] = [];
  const get = () => s;
  const DEF = 4;
  const ENFORCED = 3;
  let defaultId = 0;

  before(async () => {
    m = await memberAddresses(net, keys, 0, 5);
    chain.step = `${D}: fund accounts`;
    await fundAccounts(chain, roles.faucet, m, [{ denom: net.bondDenom, amount: "100000000" }]);
    s = new Suite(chain, await deployment("CHF_DEPLOYMENT_CW20", "cw20", m.slice(0, 3)));
    deployments.cw20 = s.d;
    assert.ok(s.token, "a cw20 deployment");
    chain.step = `${D}: mint the settlement token`;
    const token = s.token!;
    await chain.tx(
      roles.deployer,
      [...m, roles.operator, roles.lossRecipient].map((recipient) =>
        msg(roles.deployer, token, { mint: { recipient, amount: "20000000" } }),
      ),
    );
  });

  step(D, "governance holds every role and wasm admin", get, async () => {
    assert.deepEqual(await verifyHandover(chain, s.d), []);
  });

  step(D, "a suite proposal admits two members", get, async () => {
    const msgs = m.slice(3).map((member) => wasmExecute(s.vaultAddr, { add_member: { member, required_margin: REQUIRED_MARGIN.toString() } }));
    await s.passProposal(m[0]!, [m[1]!], "Admit two members", msgs);
    assert.equal((await s.vaultQ.totals()).members, 5);
  });

  step(D, "deposits and contributions through the token's Send", get, async () => {
    const margin = (i: number) => (i === ENFORCED ? 8_000_000n : 6_000_000n);
    const d = await deltas(s, [s.vaultAddr, s.fundAddr, ...m], async () => {
      await Promise.all(m.map((a, i) => chain.tx(a, [s.payMsg(a, DEPOSIT, margin(i)), s.payMsg(a, CONTRIBUTE, REQUIRED_CONTRIBUTION)])));
      await s.pay(roles.operator, FUND_SITG, 500_000n);
    });
    assert.equal(d[0], sum(m.map((_, i) => margin(i))));
    assert.equal(d[1], REQUIRED_CONTRIBUTION * 5n + 500_000n);
    m.forEach((_, i) => assert.equal(d[2 + i], -(margin(i) + REQUIRED_CONTRIBUTION)));
    // Native coins are refused by a cw20 deployment.
    await refused(
      chain.tx(m[0]!, [{ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: { sender: m[0]!, contract: s.fundAddr, msg: new TextEncoder().encode('{"contribute":{}}'), funds: [{ denom: net.settlementDenom, amount: "1" }] } }]),
      /cw20|Send|native/i,
    );
  });

  step(D, "fees in the token, claimed: 500,000 over five equal balances is exactly 100,000 each", get, async () => {
    await s.pay(roles.operator, DISTRIBUTE_FEES, 500_000n);
    const claimable = U((await s.fundQ.member({ address: m[0]! })).fees_claimable);
    // 500,000 over five equal balances of 600,000: exactly 100,000 each (SPEC §4 "exact to the unit").
    assert.equal(claimable, 100_000n);
    const [got] = await deltas(s, [m[0]!], async () => {
      await s.fund(m[0]!).claimFees(GAS_MULTIPLIER);
    });
    assert.equal(got, claimable);
  });

  step(D, "a default into assessments, paid through Send, one enforced after the deadline", get, async () => {
    const cap = layersOf(await s.fundQ.previewDefault({ member: m[DEF]!, loss: "1000000000000" }));
    const A = 400_000n; // 100,000 on each of 4 survivors
    const loss = cap.defaulter_margin + cap.defaulter_contribution + cap.sitg + cap.mutual_fund + A;
    const [recipient] = await deltas(s, [roles.lossRecipient], async () => {
      const res = await s.fund(roles.riskEngine).declareDefault({ member: m[DEF]!, loss: loss.toString() }, GAS_MULTIPLIER);
      const r = defaultReceiptFromEvents(res.events, s.fundAddr);
      defaultId = r.defaultId;
      assert.equal(r.layers.assessments, A);
      assert.equal(sum(LAYERS.map((l) => r.layers[l])), loss);
    });
    assert.equal(recipient, cap.defaulter_margin + cap.defaulter_contribution + cap.sitg + cap.mutual_fund);
    const payers = m.slice(0, 3);
    await Promise.all(payers.map(async (a) => s.pay(a, PAY_ASSESSMENT, U((await s.fundQ.obligations({ address: a })).owed))));
    const receipt = await s.fundQ.default({ id: defaultId });
    await waitPast(receipt.assessment_due);
    const res = await s.fund(m[0]!).enforceAssessment({ member: m[ENFORCED]! }, GAS_MULTIPLIER);
    assert.equal(attr(res, "drawn"), "100000");
    assert.equal(attr(res, "status"), "active");
  });
});

// ---------------------------------------------------------------------------
function writeReport(): void {
  const path = process.env.CHF_E2E_REPORT ?? join(REPO_DIR, "docs", "chain-e2e.md");
  const total = (Date.now() - started) / 1000;
  const lines = [
    "# The end-to-end story on a real chain",
    "",
    "Written by `packages/client/test/e2e.test.ts` (`scripts/chain-e2e.sh`): every",
    "transaction of the story on a local wasmd v0.61.14 chain (cosmos-sdk 0.53,",
    "wasmvm 3), with the gas the chain charged. SDK gas: the whole transaction",
    "(ante handler, signature check, tx size, the contracts and the bank module).",
    "",
    `Chain \`${net.chainId}\`, ${chain.txs.length} transactions, ${total.toFixed(0)} s in all;`,
    `${steps.filter((s) => !s.failed).length} steps passed, ${steps.filter((s) => s.failed).length} failed.`,
    "",
    ...(process.env.CHF_REPORT_NOTE ? [process.env.CHF_REPORT_NOTE, ""] : []),
    "Code (sha256 of the wasm stored):",
    "",
    ...Object.entries(deployments["native"]?.checksums ?? {}).map(([k, v]) => `- ${k}: \`${v}\``),
    ...(deployments["cw20"]?.checksums.cw20_base ? [`- cw20_base: \`${deployments["cw20"].checksums.cw20_base}\``] : []),
    "",
    "## Steps",
    "",
    "| deployment | step | seconds | result |",
    "|---|---|---:|---|",
    ...steps.map((s) => `| ${s.deployment} | ${s.step} | ${s.seconds.toFixed(1)} | ${s.failed ? `**failed**: ${s.failed.replace(/\|/g, "\\|")}` : "passed"} |`),
    "",
    "## Gas of single-message transactions (20 members)",
    "",
    "| message | gas used | tx |",
    "|---|---:|---|",
    ...gas.samples.map((g) => `| ${g.message} | ${fmtGas(g.gasUsed)} | \`${g.tx.slice(0, 10)}…\` |`),
    "",
    "## Every transaction",
    "",
    txTable(chain.txs),
    "",
  ];
  writeText(path, lines.join("\n"));
  writeText(path.replace(/\.md$/, ".json"), JSON.stringify({ chain_id: net.chainId, steps, gas: gas.samples, txs: chain.txs }, null, 2) + "\n");
}
