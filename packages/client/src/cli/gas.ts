// npm run gas [-- --members 20,1000] [--out docs/chain-gas.md] [--bench FILE] [--from FILE]
//
// --from FILE: no chain; rewrites the report from the JSON an earlier run
// wrote beside its Markdown (e.g. to add --bench to CI's run).
// --bench FILE: the JSON of `scripts/bench-gas.sh --json --members ...` on the
// same artifacts, to set each chain figure beside the bench's (the bench
// counts from the wasm keeper on; the chain adds the transaction around it);
// --bench-source TEXT says where those figures come from.
//
// Real gas on the local chain at several member counts: for each count a
// fresh deployment, members admitted by one suite proposal and populated
// (margin and contribution each) with many transactions at once, then each
// measured message sent alone in its own transaction by the same probe
// members. Writes a Markdown table and the raw figures as JSON.
import { fromHex } from "@cosmjs/encoding";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { fund as fundAccounts, localnetKeys, memberAddresses } from "../actors";
import { broadcastMany } from "../batch";
import { Chain } from "../chain";
import { artifactsDir, GAS_MULTIPLIER, localnet, REPO_DIR } from "../config";
import { deploySuite, SHORT_PARAMS } from "../deploy";
import { layersOf } from "../events";
import { fmtGas, GasLog, writeText, type GasSample } from "../report";
import { CONTRIBUTE, DEPOSIT, DISTRIBUTE_FEES, FUND_SITG, PAY_ASSESSMENT, Suite, wasmExecute } from "../suite";

const REQUIRED_MARGIN = 5_000_000n;
const RC = 100_000n + REQUIRED_MARGIN / 10n;
const MARGIN = 6_000_000n;

async function main() {
  const { values: a } = parseArgs({
    options: {
      members: { type: "string", default: "20,1000" },
      out: { type: "string", default: join(REPO_DIR, "docs", "chain-gas.md") },
      bench: { type: "string" },
      "bench-source": { type: "string" },
      from: { type: "string" },
    },
  });
  const bench = a.bench ? (JSON.parse(readFileSync(a.bench, "utf8")) as BenchJson) : undefined;
  if (a.from) {
    const run = JSON.parse(readFileSync(a.from, "utf8")) as RunJson;
    const log = new GasLog();
    log.samples.push(...run.samples);
    write(a.out!, run.counts, log, run.timing ?? {}, run.chain_id, bench, a["bench-source"]);
    return;
  }
  const counts = a.members!.split(",").map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n < 10)) throw new Error("--members: counts of at least 10");
  const net = localnet();
  const { keys, roles } = await localnetKeys(net);
  const chain = await Chain.connect({ rpc: net.rpc, chainId: net.chainId, keys });
  const gas = new GasLog();
  const timing: Record<number, number> = {};
  try {
    for (const n of counts) {
      const t0 = Date.now();
      await measure(chain, net, keys, roles, n, gas);
      timing[n] = (Date.now() - t0) / 1000;
      console.log(`gas: ${n} members measured in ${timing[n]!.toFixed(0)} s`);
    }
  } finally {
    chain.disconnect();
  }
  write(a.out!, counts, gas, timing, net.chainId, bench, a["bench-source"]);
}

/** What a run writes beside its Markdown (and `--from` reads). */
interface RunJson {
  chain_id: string;
  counts: number[];
  samples: GasSample[];
  timing?: Record<number, number>;
}

type Net = ReturnType<typeof localnet>;
type Keys = Awaited<ReturnType<typeof localnetKeys>>;

async function measure(chain: Chain, net: Net, keys: Keys["keys"], roles: Keys["roles"], n: number, gas: GasLog) {
  const log = (s: string) => console.log(`gas[${n}]: ${s}`);
  const m = await memberAddresses(net, keys, 0, n);
  // Probes: f0..f2 founders; p measures member messages; q is enforced; d defaults; x exits; w withdraws; u is suspended.
  const [f0, f1, f2, p, q, d, x, w, u] = m as [string, string, string, string, string, string, string, string, string];
  chain.step = `gas ${n}: fund accounts`;
  await fundAccounts(chain, roles.faucet, m, [
    { denom: net.bondDenom, amount: "10000000" },
    { denom: net.settlementDenom, amount: "20000000" },
  ]);
  log("accounts funded");
  const d0 = await deploySuite(chain, {
    artifactsDir: artifactsDir(),
    deployer: roles.deployer,
    riskEngine: roles.riskEngine,
    operator: roles.operator,
    lossRecipient: roles.lossRecipient,
    guardian: roles.guardian,
    settlement: { native: net.settlementDenom },
    params: { ...SHORT_PARAMS, withdrawal_claim_window: 600 },
    threshold: { absolute_percentage: { percentage: "0.51" } },
    votingPeriodSeconds: 300,
    minTimelockSeconds: 1,
    executionWindowSeconds: 600,
    weighting: "one_member_one_vote",
    founders: [f0, f1, f2].map((address) => ({ address, required_margin: REQUIRED_MARGIN.toString() })),
    label: `gas-${n}`,
  });
  const s = new Suite(chain, d0);
  chain.step = `gas ${n}: admission`;
  const admit = m.slice(3).map((member) => wasmExecute(s.vaultAddr, { add_member: { member, required_margin: REQUIRED_MARGIN.toString() } }));
  // At most 250 admissions a proposal: a proposal is one stored value, and wasmvm caps a value at 128 KiB.
  const batches = [];
  for (let i = 0; i < admit.length; i += 250) batches.push(admit.slice(i, i + 250));
  const done = await s.passProposals(f0, [f1], `Admit ${admit.length} members`, batches);
  const admissionGas = done.reduce((t, r) => t + Number(r.execute.gasUsed), 0);
  log(`${admit.length} members admitted by ${batches.length} proposal(s) (execution: ${fmtGas(admissionGas)} gas)`);

  chain.step = `gas ${n}: population`;
  const others = m.filter((a) => a !== p);
  const t = Date.now();
  const used = await broadcastMany(
    chain,
    others.map((signer) => ({ signer, msgs: [s.payMsg(signer, DEPOSIT, signer === q ? 2n * MARGIN : MARGIN), s.payMsg(signer, CONTRIBUTE, RC)] })),
    1_000_000,
  );
  log(`${others.length} members paid margin and contribution in ${((Date.now() - t) / 1000).toFixed(1)} s (max gas ${Math.max(...used)})`);

  chain.step = `gas ${n}: measured`;
  const at = (msg: string) => (res: { gasUsed: bigint; gasWanted: bigint; transactionHash: string }) => gas.add(msg, n, res);
  const send = [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: roles.faucet, toAddress: p, amount: [{ denom: net.bondDenom, amount: "1" }] } }];
  at(SEND)(await chain.tx(roles.faucet, send));
  // The same with no fee (the local node's minimum gas price is 0): the
  // difference is the ante handler's fee deduction.
  const free = await chain.client.signAndBroadcast(roles.faucet, send, { amount: [], gas: "200000" });
  if (free.code !== 0) throw new Error(`MsgSend with no fee failed: ${free.rawLog ?? ""}`);
  at(SEND_NO_FEE)(free);
  at("vault.deposit")(await s.pay(p, DEPOSIT, MARGIN));
  at("fund.contribute")(await s.pay(p, CONTRIBUTE, RC));
  at("fund.fund_sitg")(await s.pay(roles.operator, FUND_SITG, 1_000_000n));
  at("vault.withdraw")(await s.vault(p).withdraw({ amount: "100000" }, GAS_MULTIPLIER));
  at("fund.distribute_fees")(await s.pay(roles.operator, DISTRIBUTE_FEES, 1_000_000n));
  at("fund.claim_fees")(await s.fund(p).claimFees(GAS_MULTIPLIER));
  await s.pay(w, CONTRIBUTE, 400_000n);
  const req = await s.fund(w).requestWithdrawal({ amount: "400000" }, GAS_MULTIPLIER);
  at("fund.request_withdrawal")(req);
  const prop = await s.gov(f0).propose(
    { title: "Admit one more", description: "measured", msgs: [wasmExecute(s.vaultAddr, { add_member: { member: roles.outsider, required_margin: "1" } })] },
    GAS_MULTIPLIER,
  );
  at("governance.propose")(prop);
  const id = Number(prop.events.flatMap((e) => e.attributes).find((x) => x.key === "proposal_id")!.value);
  at("governance.vote")(await s.gov(f1).vote({ proposalId: id, vote: "yes" }, GAS_MULTIPLIER));
  at("fund.suspend")(await s.fund(roles.riskEngine).suspend({ member: u }, GAS_MULTIPLIER));
  const pending = (await s.fundQ.member({ address: w })).pending_withdrawal!;
  await chain.waitForChainTime(Number(BigInt(pending.claimable_at) / 1_000_000_000n));
  at("fund.claim_withdrawal")(await s.fund(w).claimWithdrawal(GAS_MULTIPLIER));

  const cap = layersOf(await s.fundQ.previewDefault({ member: d, loss: "1000000000000000" }));
  const assessment = 10n * BigInt(n - 1);
  const loss = cap.defaulter_margin + cap.defaulter_contribution + cap.sitg + cap.mutual_fund + assessment;
  at("fund.declare_default (into assessments)")(
    await s.fund(roles.riskEngine).declareDefault({ member: d, loss: loss.toString() }, GAS_MULTIPLIER),
  );
  const owed = BigInt((await s.fundQ.obligations({ address: p })).owed);
  at("fund.pay_assessment")(await s.pay(p, PAY_ASSESSMENT, owed));
  const shortfall = BigInt((await s.fundQ.member({ address: p })).shortfall);
  at("fund.contribute (replenishment)")(await s.pay(p, CONTRIBUTE, shortfall));
  at("fund.request_exit")(await s.fund(x).requestExit(GAS_MULTIPLIER));
  const receipt = await s.fundQ.default({ id: 1 });
  await chain.waitForChainTime(Number(BigInt(receipt.assessment_due!) / 1_000_000_000n));
  at("fund.enforce_assessment (drawn from margin)")(await s.fund(p).enforceAssessment({ member: q }, GAS_MULTIPLIER));
  await s.conservation({ listMembers: n <= 100 });
  // The signed transaction's length, as the chain holds it (10 gas a byte in the ante handler).
  for (const g of gas.samples.filter((x) => x.members === n)) {
    g.txBytes = (await chain.comet.tx({ hash: fromHex(g.tx) })).tx.length;
  }
  log("measured");
}

const SEND = "bank MsgSend (no contract: the transaction's fixed part)";
const SEND_NO_FEE = "bank MsgSend, no fee (the same less the fee deduction)";

/** `scripts/bench-gas.sh --json`: `{"rows": [{"message", "sdk_gas": {"<N>": gas}}]}` */
interface BenchJson {
  rows: { message: string; sdk_gas: Record<string, number> }[];
}

/** The bench's name for each message measured here. */
const BENCH_NAME: Record<string, string> = {
  "vault.deposit": "deposit margin",
  "fund.contribute": "contribute",
  "vault.withdraw": "withdraw margin",
  "fund.distribute_fees": "distribute fees",
  "fund.claim_fees": "claim fees",
  "fund.request_withdrawal": "request withdrawal",
  "fund.claim_withdrawal": "claim withdrawal",
  "governance.propose": "propose",
  "governance.vote": "vote",
  "fund.suspend": "suspend",
  "fund.declare_default (into assessments)": "declare default: into assessments",
  "fund.pay_assessment": "pay assessment",
  "fund.request_exit": "request exit",
  "fund.enforce_assessment (drawn from margin)": "enforce assessment",
};

function write(
  path: string,
  counts: number[],
  gas: GasLog,
  timing: Record<number, number>,
  chainId: string,
  bench?: BenchJson,
  benchSource?: string,
) {
  const messages = [...new Set(gas.samples.map((g) => g.message))];
  const sample = (msg: string, n: number) => gas.samples.find((g) => g.message === msg && g.members === n);
  const at = (msg: string, n: number) => sample(msg, n)?.gasUsed;
  const first = counts[0]!;
  const last = counts[counts.length - 1]!;
  const benchAt = (msg: string, n: number) => {
    const name = BENCH_NAME[msg];
    return bench?.rows.find((r) => r.message === name)?.sdk_gas[String(n)];
  };
  const perByte = 10; // x/auth tx_size_cost_per_byte on the local chain (the SDK's default)
  const residuals: number[] = [];
  const rows = messages.map((msg) => {
    const vals = counts.map((n) => at(msg, n));
    const a0 = vals[0];
    const a1 = vals[vals.length - 1];
    const change = a0 && a1 ? `${a1 >= a0 ? "+" : ""}${(((a1 - a0) / a0) * 100).toFixed(2)} %` : "–";
    const bytes = sample(msg, last)?.txBytes;
    const cells = [msg, ...vals.map(fmtGas), change, fmtGas(bytes)];
    if (bench) {
      const b = benchAt(msg, last);
      const diff = a1 !== undefined && b !== undefined ? a1 - b : undefined;
      const rest = diff !== undefined && bytes !== undefined ? diff - perByte * bytes : undefined;
      if (rest !== undefined) residuals.push(rest);
      cells.push(fmtGas(b), fmtGas(diff), fmtGas(rest));
    }
    return `| ${cells.join(" | ")} |`;
  });
  const head = [`message`, ...counts.map((n) => `N = ${n.toLocaleString("en-US")}`), `change ${first} → ${last}`, "tx bytes"];
  if (bench) head.push(`bench, N = ${last.toLocaleString("en-US")}`, "chain − bench", `chain − bench − ${perByte} × tx bytes`);

  // The fee deduction: the two MsgSend rows, less the bytes the fee adds.
  const paid = sample(SEND, last);
  const free = sample(SEND_NO_FEE, last);
  const feePart =
    paid && free && paid.txBytes !== undefined && free.txBytes !== undefined
      ? paid.gasUsed - free.gasUsed - perByte * (paid.txBytes - free.txBytes)
      : undefined;
  const sorted = [...residuals].sort((x, y) => x - y);
  const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : undefined;
  const text = [
    "# Gas on a real chain",
    "",
    "Written by `npm run gas` in `packages/client` (`src/cli/gas.ts`) against a",
    `local wasmd v0.61.14 chain (\`${chainId}\`; cosmos-sdk 0.53, wasmvm 3): for each`,
    "member count a fresh deployment, the members admitted by suite proposals (250 a proposal)",
    "and each given margin and a contribution by its own transaction, then every",
    "measured message sent alone in a transaction by the same kind of member.",
    "Figures are the `gas_used` the chain reported: the whole transaction, ante",
    "handler (signature verification, fee deduction, sequence) and transaction",
    "size included. `tx bytes`: the signed transaction's length at the largest count.",
    "",
    ...(process.env.CHF_REPORT_NOTE ? [process.env.CHF_REPORT_NOTE, ""] : []),
    `| ${head.join(" | ")} |`,
    `|---|${head.slice(1).map(() => "---:").join("|")}|`,
    ...rows,
    "",
    "## Against the bench",
    "",
    "`scripts/bench-gas.sh` ([gas.md](gas.md)) runs the same wasm on cosmwasm-vm with",
    "wasmd's gas schedule and counts from the moment the `MsgExecuteContract`",
    "reaches the wasm keeper: entering each contract, its storage, the VM, events,",
    "bank transfers. The chain's figure adds what every transaction pays around",
    "its messages, in the ante handler: " + perByte + " gas per byte of the signed transaction",
    "(`tx_size_cost_per_byte`), 1,000 for its one secp256k1 signature",
    "(`sig_verify_cost_secp256k1`), the fee deduction (a bank transfer from the",
    "signer to the fee collector" + (feePart !== undefined ? `: ${fmtGas(feePart)} here, the two MsgSend rows less ${perByte} × the bytes the fee adds` : "") + "),",
    "and the store reads and writes of the other decorators (the signer's account",
    "read by several of them and written back with its sequence, x/auth's",
    "parameters, wasmd's transaction counter, the circuit breaker's check).",
    bench
      ? `The last column takes the bytes out of the difference: what is left is that fixed part${median !== undefined ? ` (${fmtGas(median)} in the median row)` : ""}, give or take what differs between the bench's situation and this one (the figures' digits in the records, how much a member has to settle); [gas.md](gas.md#bench-and-chain) explains each row.${benchSource ? ` Bench figures: ${benchSource}.` : ""}`
      : "Run with `--bench FILE` (the JSON of `scripts/bench-gas.sh --json --members 20,1000`) to set the bench's figures beside these.",
    "",
    `Wall time: ${counts.map((n) => `${n.toLocaleString("en-US")} members ${timing[n]?.toFixed(0)} s`).join(", ")} (population included).`,
    "",
  ].join("\n");
  writeText(path, text);
  writeText(path.replace(/\.md$/, ".json"), JSON.stringify({ chain_id: chainId, counts, timing, samples: gas.samples }, null, 2) + "\n");
  console.log(`gas: wrote ${path}`);
}

main().catch((e: unknown) => {
  console.error(`gas: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
