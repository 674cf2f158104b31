// Where the chain is and who signs: the local chain's settings come from
// chain/localnet.json (shared with scripts/localnet.sh); any other chain is
// given by RPC address, chain id and a key.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = join(PACKAGE_DIR, "..", "..");

/** chain/localnet.json, as scripts/localnet.sh reads it. */
export interface LocalnetFile {
  chain_id: string;
  bond_denom: string;
  settlement_denom: string;
  ports: { rpc: number; p2p: number; api: number; grpc: number };
  mnemonic: string;
  accounts: Record<string, number>;
  member_index_start: number;
}

export interface Localnet {
  rpc: string;
  chainId: string;
  bondDenom: string;
  settlementDenom: string;
  /** A public test mnemonic: every account of the local chain derives from it. */
  mnemonic: string;
  /** HD account index of each role (validator, deployer, risk_engine, ...). */
  accounts: Record<string, number>;
  memberIndexStart: number;
}

export function localnet(): Localnet {
  const file = JSON.parse(readFileSync(join(REPO_DIR, "chain", "localnet.json"), "utf8")) as LocalnetFile;
  const port = process.env.LOCALNET_RPC_PORT ?? String(file.ports.rpc);
  return {
    rpc: process.env.CHF_RPC ?? `http://127.0.0.1:${port}`,
    chainId: file.chain_id,
    bondDenom: file.bond_denom,
    settlementDenom: file.settlement_denom,
    mnemonic: file.mnemonic,
    accounts: file.accounts,
    memberIndexStart: file.member_index_start,
  };
}

/** Gas price the clients pay (the local node accepts any, real chains set a minimum). */
export const DEFAULT_GAS_PRICE = process.env.CHF_GAS_PRICE ?? "0.01ustake";
/** Multiplier on simulated gas: 1.4 is too low for votes (REAL_CHAIN.md). */
export const GAS_MULTIPLIER = 2;

export function artifactsDir(): string {
  return process.env.CHF_ARTIFACTS ?? join(REPO_DIR, "artifacts");
}
