// npm run deploy -- --chain-id ID [options]
//
// Stores, instantiates and wires the suite on any chain, hands every role
// and wasm admin to governance and writes the deployment file. Refuses to
// sign anything unless the node at --rpc reports exactly --chain-id.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { localnetKeys, memberAddresses } from "../actors";
import { Chain, KeyRing } from "../chain";
import { artifactsDir, localnet, REPO_DIR } from "../config";
import { DEFAULT_PARAMS, deploySuite, SHORT_PARAMS, verifyHandover, writeDeployment, type DeployOptions } from "../deploy";
import type { FundParams } from "../generated/DefaultFund.types";
import type { VoteWeighting } from "../generated/Governance.types";

const USAGE = `usage: npm run deploy -- --chain-id ID [options]

  --chain-id ID            required: the node must report this chain id
  --localnet               the local chain (chain/localnet.json): its RPC, key, roles,
                           uclear settlement, short periods, 3 founding members
  --rpc URL                CometBFT RPC (default: the local chain's)
  --mnemonic-file PATH     the deployer's mnemonic (or env CHF_MNEMONIC)
  --key-index N            HD account index of the deployer (default 0)
  --risk-engine ADDR  --operator ADDR  --loss-recipient ADDR  --guardian ADDR
  --denom DENOM            native settlement denom
  --cw20-token ADDR        settle in an existing cw20 token
  --new-cw20               instantiate cw20-base as the settlement token
                           (--cw20-balance ADDR=AMOUNT, repeatable)
  --params FILE            FundParams JSON (default: --localnet short periods, else the contract defaults)
  --founder ADDR=MARGIN    a founding member and its required margin (repeatable)
  --threshold-percent P    suite proposals pass at P% of the weight (default 51)
  --voting-period S        seconds (default 60)   --min-timelock S  seconds (default 2)
  --execution-window S     seconds a passed proposal stays executable (default 600)
  --weighting W            one_member_one_vote | fund_balance (default one_member_one_vote)
  --artifacts DIR          optimized wasm (default artifacts/)
  --out PATH               deployment file (default deployments/<chain-id>.json)`;

function pairs(values: string[] | undefined): { address: string; amount: string }[] {
  return (values ?? []).map((v) => {
    const [address, amount] = v.split("=");
    if (!address || !amount || !/^\d+$/.test(amount)) throw new Error(`expected ADDR=AMOUNT, got ${v}`);
    return { address, amount };
  });
}

async function main() {
  const { values: a } = parseArgs({
    options: {
      "chain-id": { type: "string" },
      localnet: { type: "boolean", default: false },
      rpc: { type: "string" },
      "mnemonic-file": { type: "string" },
      "key-index": { type: "string", default: "0" },
      "risk-engine": { type: "string" },
      operator: { type: "string" },
      "loss-recipient": { type: "string" },
      guardian: { type: "string" },
      denom: { type: "string" },
      "cw20-token": { type: "string" },
      "new-cw20": { type: "boolean", default: false },
      "cw20-balance": { type: "string", multiple: true },
      params: { type: "string" },
      founder: { type: "string", multiple: true },
      "threshold-percent": { type: "string", default: "51" },
      "voting-period": { type: "string", default: "60" },
      "min-timelock": { type: "string", default: "2" },
      "execution-window": { type: "string", default: "600" },
      weighting: { type: "string", default: "one_member_one_vote" },
      artifacts: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (a.help) {
    console.log(USAGE);
    return;
  }
  const chainId = a["chain-id"];
  if (!chainId) throw new Error(`--chain-id is required: deploy refuses to guess which chain it signs for\n\n${USAGE}`);

  const net = localnet();
  let keys: KeyRing;
  let deployer: string;
  let defaults: Partial<Record<"riskEngine" | "operator" | "lossRecipient" | "guardian", string>> = {};
  let founders = pairs(a.founder).map((p) => ({ address: p.address, required_margin: p.amount }));
  if (a.localnet) {
    const l = await localnetKeys(net);
    keys = l.keys;
    deployer = l.roles.deployer;
    defaults = { riskEngine: l.roles.riskEngine, operator: l.roles.operator, lossRecipient: l.roles.lossRecipient, guardian: l.roles.guardian };
    if (!a.founder) {
      founders = (await memberAddresses(net, keys, 0, 3)).map((address) => ({ address, required_margin: "5000000" }));
    }
  } else {
    const mnemonic = a["mnemonic-file"] ? readFileSync(a["mnemonic-file"], "utf8").trim() : process.env.CHF_MNEMONIC;
    if (!mnemonic) throw new Error("give the deployer's key: --mnemonic-file PATH or env CHF_MNEMONIC (or --localnet)");
    keys = await KeyRing.fromMnemonic(mnemonic);
    deployer = await keys.address(Number(a["key-index"]));
  }
  const role = (flag: string, fallback: string | undefined): string => {
    const v = (a as Record<string, unknown>)[flag] as string | undefined;
    if (v) return v;
    if (fallback) return fallback;
    throw new Error(`--${flag} is required`);
  };

  let settlement: DeployOptions["settlement"];
  if (a["cw20-token"]) settlement = { cw20: a["cw20-token"] };
  else if (a["new-cw20"]) {
    settlement = { newCw20: { name: "Clearing settlement", symbol: "CLEAR", decimals: 6, initialBalances: pairs(a["cw20-balance"]) } };
  } else if (a.denom) settlement = { native: a.denom };
  else if (a.localnet) settlement = { native: net.settlementDenom };
  else throw new Error("choose the settlement asset: --denom, --cw20-token or --new-cw20");

  const params: FundParams = a.params
    ? (JSON.parse(readFileSync(a.params, "utf8")) as FundParams)
    : a.localnet
      ? SHORT_PARAMS
      : DEFAULT_PARAMS;
  const rpc = a.rpc ?? net.rpc;
  const dir = a.artifacts ?? artifactsDir();
  for (const f of ["margin_vault.wasm", "default_fund.wasm", "governance.wasm"]) {
    if (!existsSync(join(dir, f))) throw new Error(`${join(dir, f)} is missing: run scripts/build.sh first`);
  }

  const chain = await Chain.connect({ rpc, chainId, keys });
  try {
    const start = Date.now();
    console.log(`deploying to ${chainId} at ${rpc} as ${deployer}`);
    const d = await deploySuite(chain, {
      artifactsDir: dir,
      deployer,
      riskEngine: role("risk-engine", defaults.riskEngine),
      operator: role("operator", defaults.operator),
      lossRecipient: role("loss-recipient", defaults.lossRecipient),
      guardian: a.guardian ?? defaults.guardian ?? null,
      settlement,
      params,
      threshold: { absolute_percentage: { percentage: (Number(a["threshold-percent"]) / 100).toString() } },
      votingPeriodSeconds: Number(a["voting-period"]),
      minTimelockSeconds: Number(a["min-timelock"]),
      executionWindowSeconds: Number(a["execution-window"]),
      weighting: a.weighting as VoteWeighting,
      founders,
      log: (l) => console.log(l),
    });
    const problems = await verifyHandover(chain, d);
    if (problems.length) throw new Error(`handover incomplete:\n${problems.join("\n")}`);
    const out = a.out ?? join(REPO_DIR, "deployments", `${chainId}.json`);
    writeDeployment(out, d);
    console.log(`deployed in ${((Date.now() - start) / 1000).toFixed(1)} s, ${chain.txs.length} transactions; wrote ${out}`);
  } finally {
    chain.disconnect();
  }
}

main().catch((e: unknown) => {
  console.error(`deploy: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
