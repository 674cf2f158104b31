// Deploys the suite as SPEC §2/§9 and README "Deploying" describe, the
// same order as packages/suite/src/lib.rs: the vault, the fund with the
// vault's address, the vault's UpdateConfig, the founding members (while the
// deployer still governs), governance; then one transaction hands the
// governance role of vault and fund and the wasm admin of all three
// contracts (governance included: it becomes its own admin) to governance.
import { toHex } from "@cosmjs/encoding";
import { sha256 } from "@cosmjs/crypto";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { MsgUpdateAdmin } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Chain } from "./chain";
import { GAS_MULTIPLIER } from "./config";
import type { AssetInfo, FundParams, InstantiateMsg as FundInstantiateMsg } from "./generated/DefaultFund.types";
import type { InstantiateMsg as GovInstantiateMsg, Threshold, VoteWeighting } from "./generated/Governance.types";
import type { InstantiateMsg as VaultInstantiateMsg } from "./generated/MarginVault.types";
import { MarginVaultMsgComposer } from "./generated/MarginVault.message-composer";

export const ARTIFACTS = {
  margin_vault: "margin_vault.wasm",
  default_fund: "default_fund.wasm",
  governance: "governance.wasm",
  cw20_base: "cw20_base.wasm",
} as const;
export type CodeName = keyof typeof ARTIFACTS;

/** What a deployment file holds (deployments/<name>.json). */
export interface Deployment {
  chain_id: string;
  deployed_at: string;
  deployer: string;
  settlement: { native: string } | { cw20: string };
  code_ids: Partial<Record<CodeName, number>>;
  checksums: Partial<Record<CodeName, string>>;
  contracts: { margin_vault: string; default_fund: string; governance: string; cw20_token?: string };
  roles: { risk_engine: string; operator: string; loss_recipient: string; guardian: string | null };
  params: FundParams;
  governance: {
    threshold: Threshold;
    voting_period_seconds: number;
    min_timelock_seconds: number;
    execution_window_seconds: number;
    weighting: VoteWeighting;
  };
  founders: { address: string; required_margin: string }[];
}

export interface DeployOptions {
  artifactsDir: string;
  deployer: string;
  riskEngine: string;
  operator: string;
  lossRecipient: string;
  guardian: string | null;
  /** Native denom, or a cw20 deployment: an existing token, or a new cw20-base with these balances. */
  settlement:
    | { native: string }
    | { cw20: string }
    | { newCw20: { name: string; symbol: string; decimals: number; initialBalances: { address: string; amount: string }[] } };
  params: FundParams;
  threshold: Threshold;
  votingPeriodSeconds: number;
  /** Governance's minimum timelock (a proposal may ask for more). */
  minTimelockSeconds: number;
  /** How long a passed proposal stays executable after its timelock. */
  executionWindowSeconds: number;
  weighting: VoteWeighting;
  /** Admitted by the deployer before governance takes over, so that someone can propose. */
  founders: { address: string; required_margin: string }[];
  label?: string;
  log?: (line: string) => void;
}

/** Parameters for a chain deployment whose story runs in minutes: short periods. */
export const SHORT_PARAMS: FundParams = {
  min_contribution: "100000",
  contribution_rate: "0.1",
  assessment_multiple: "2",
  cooling_off_period: 20,
  assessment_deadline: 12,
  replenishment_period: 20,
  withdrawal_notice_period: 8,
  withdrawal_claim_window: 120,
  risk_engine_mutualised_limit: null,
  sizing: {
    mode: "required_margin",
    cover: 2,
    buffer: "0",
    min_rate: "0",
    max_rate: "1",
    max_rate_step: "0.05",
    recalibration_interval: 60,
  },
};

/** The contracts' own defaults (packages/types FundParams::default), for a real deployment. */
export const DEFAULT_PARAMS: FundParams = {
  min_contribution: "100",
  contribution_rate: "0.1",
  assessment_multiple: "2",
  cooling_off_period: 28 * 86_400,
  assessment_deadline: 86_400,
  replenishment_period: 7 * 86_400,
  withdrawal_notice_period: 14 * 86_400,
  withdrawal_claim_window: 7 * 86_400,
  risk_engine_mutualised_limit: null,
  sizing: {
    mode: "required_margin",
    cover: 2,
    buffer: "0",
    min_rate: "0",
    max_rate: "1",
    max_rate_step: "0.05",
    recalibration_interval: 86_400,
  },
};

/** Stores `name` unless the chain already holds a code with the same checksum. */
async function storeOnce(
  chain: Chain,
  sender: string,
  dir: string,
  name: CodeName,
  log: (l: string) => void,
): Promise<{ codeId: number; checksum: string }> {
  const wasm = readFileSync(join(dir, ARTIFACTS[name]));
  const checksum = toHex(sha256(wasm));
  const codes = await chain.client.getCodes();
  const known = codes.find((c) => c.checksum === checksum);
  if (known) {
    log(`  ${name}: code ${known.id} already stored (${checksum.slice(0, 12)})`);
    return { codeId: known.id, checksum };
  }
  const res = await chain.client.upload(sender, wasm, GAS_MULTIPLIER, `store ${name}`);
  log(`  ${name}: stored as code ${res.codeId} (${wasm.length} bytes, ${checksum.slice(0, 12)}, gas ${res.gasUsed})`);
  return { codeId: res.codeId, checksum };
}

export async function deploySuite(chain: Chain, o: DeployOptions): Promise<Deployment> {
  const log = o.log ?? (() => {});
  const label = o.label ?? "clearing";
  const fee = GAS_MULTIPLIER;
  const codeIds: Deployment["code_ids"] = {};
  const checksums: Deployment["checksums"] = {};
  const names: CodeName[] = ["margin_vault", "default_fund", "governance"];
  if ("newCw20" in o.settlement) names.push("cw20_base");
  log(`storing ${names.length} codes from ${o.artifactsDir}`);
  for (const name of names) {
    const { codeId, checksum } = await storeOnce(chain, o.deployer, o.artifactsDir, name, log);
    codeIds[name] = codeId;
    checksums[name] = checksum;
  }

  let asset: AssetInfo;
  let token: string | undefined;
  if ("native" in o.settlement) {
    asset = { native: { denom: o.settlement.native } };
  } else if ("cw20" in o.settlement) {
    token = o.settlement.cw20;
    asset = { cw20: { address: token } };
  } else {
    const t = o.settlement.newCw20;
    const res = await chain.client.instantiate(
      o.deployer,
      codeIds.cw20_base!,
      {
        name: t.name,
        symbol: t.symbol,
        decimals: t.decimals,
        initial_balances: t.initialBalances,
        mint: { minter: o.deployer, cap: null },
        marketing: null,
      },
      `${label} settlement token`,
      fee,
    );
    token = res.contractAddress;
    asset = { cw20: { address: token } };
    log(`  cw20 token ${token}`);
  }

  const vaultMsg: VaultInstantiateMsg = {
    governance: o.deployer,
    risk_engine: o.riskEngine,
    asset,
    default_fund: null,
  };
  const vault = (
    await chain.client.instantiate(o.deployer, codeIds.margin_vault!, vaultMsg, `${label} margin vault`, fee, {
      admin: o.deployer,
    })
  ).contractAddress;
  const fundMsg: FundInstantiateMsg = {
    governance: o.deployer,
    risk_engine: o.riskEngine,
    operator: o.operator,
    loss_recipient: o.lossRecipient,
    vault,
    asset,
    params: o.params,
  };
  const fund = (
    await chain.client.instantiate(o.deployer, codeIds.default_fund!, fundMsg, `${label} default fund`, fee, {
      admin: o.deployer,
    })
  ).contractAddress;
  log(`  vault ${vault}\n  fund  ${fund}`);

  const vaultMsgs = new MarginVaultMsgComposer(o.deployer, vault);
  await chain.tx(o.deployer, [
    vaultMsgs.updateConfig({ defaultFund: fund }),
    ...o.founders.map((f) => vaultMsgs.addMember({ member: f.address, requiredMargin: f.required_margin })),
  ]);
  if (o.founders.length) log(`  ${o.founders.length} founding members admitted`);

  const govMsg: GovInstantiateMsg = {
    vault,
    fund,
    guardian: o.guardian,
    threshold: o.threshold,
    voting_period: { time: o.votingPeriodSeconds },
    min_timelock: o.minTimelockSeconds,
    execution_window: o.executionWindowSeconds,
    weighting: o.weighting,
  };
  const governance = (
    await chain.client.instantiate(o.deployer, codeIds.governance!, govMsg, `${label} governance`, fee, {
      admin: o.deployer,
    })
  ).contractAddress;
  log(`  governance ${governance}`);

  // One transaction: every role and every wasm admin to governance.
  const fundUpdate: EncodeObject = {
    typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
    value: {
      sender: o.deployer,
      contract: fund,
      msg: new TextEncoder().encode(
        JSON.stringify({
          update_config: { governance, risk_engine: null, operator: null, loss_recipient: null },
        }),
      ),
      funds: [],
    },
  };
  const admin = (contract: string): EncodeObject => ({
    typeUrl: "/cosmwasm.wasm.v1.MsgUpdateAdmin",
    value: MsgUpdateAdmin.fromPartial({ sender: o.deployer, newAdmin: governance, contract }),
  });
  await chain.tx(o.deployer, [
    vaultMsgs.updateConfig({ governance }),
    fundUpdate,
    admin(vault),
    admin(fund),
    admin(governance),
  ]);
  log("  governance holds every role and the wasm admin of all three contracts");

  return {
    chain_id: chain.chainId,
    deployed_at: new Date().toISOString(),
    deployer: o.deployer,
    settlement: "native" in o.settlement ? { native: o.settlement.native } : { cw20: token! },
    code_ids: codeIds,
    checksums,
    contracts: { margin_vault: vault, default_fund: fund, governance, ...(token ? { cw20_token: token } : {}) },
    roles: {
      risk_engine: o.riskEngine,
      operator: o.operator,
      loss_recipient: o.lossRecipient,
      guardian: o.guardian,
    },
    params: o.params,
    governance: {
      threshold: o.threshold,
      voting_period_seconds: o.votingPeriodSeconds,
      min_timelock_seconds: o.minTimelockSeconds,
      execution_window_seconds: o.executionWindowSeconds,
      weighting: o.weighting,
    },
    founders: o.founders,
  };
}

/**
 * Checks on chain what a deployment file claims: governance is the wasm
 * admin of all three contracts and the governing address of vault and fund.
 */
export async function verifyHandover(chain: Chain, d: Deployment): Promise<string[]> {
  const problems: string[] = [];
  const gov = d.contracts.governance;
  for (const [name, addr] of [
    ["margin_vault", d.contracts.margin_vault],
    ["default_fund", d.contracts.default_fund],
    ["governance", gov],
  ] as const) {
    const c = await chain.client.getContract(addr);
    if (c.admin !== gov) problems.push(`${name}: wasm admin is ${c.admin ?? "none"}, not governance`);
  }
  const vaultCfg = (await chain.client.queryContractSmart(d.contracts.margin_vault, { config: {} })) as { governance: string };
  const fundCfg = (await chain.client.queryContractSmart(d.contracts.default_fund, { config: {} })) as { governance: string };
  if (vaultCfg.governance !== gov) problems.push(`margin_vault: governance role is ${vaultCfg.governance}`);
  if (fundCfg.governance !== gov) problems.push(`default_fund: governance role is ${fundCfg.governance}`);
  return problems;
}

export function writeDeployment(path: string, d: Deployment): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(d, null, 2) + "\n");
}

export function readDeployment(path: string): Deployment {
  return JSON.parse(readFileSync(path, "utf8")) as Deployment;
}
