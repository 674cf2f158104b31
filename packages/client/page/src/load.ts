// Everything the page shows, read from the chain through the generated
// clients, every smart query at one block (SnapshotClient). No figure is
// computed here: the page shows what the contracts answer.
//
// Besides the queries, the chain's transaction index gives the history the
// contracts keep only as events: the block of each default (its receipt
// event), payments and enforcements of assessments and replenishment, and
// recoveries. With that block, the fund's Members query read at the
// default's block gives each member's share of that default as assessed.
import type { Contract, IndexedTx } from "@cosmjs/cosmwasm-stargate";
import { wasmEvents, type Attrs } from "../../src/events";
import { DefaultFundQueryClient } from "../../src/generated/DefaultFund.client";
import type {
  BooksResponse,
  ConfigResponse,
  CoverageResponse,
  DefaultReceipt,
  FundParams,
  FundStateResponse,
  MemberResponse,
  ObligationsResponse,
} from "../../src/generated/DefaultFund.types";
import { MarginVaultQueryClient } from "../../src/generated/MarginVault.client";
import type {
  ConfigResponse as VaultConfig,
  MemberResponse as VaultMember,
  TotalsResponse,
  VaultBooksResponse,
} from "../../src/generated/MarginVault.types";
import { SnapshotClient } from "../../src/snapshot";
import { PageError, queryFailed, rpcUnreachable } from "./errors";

/** What the URL asks for. */
export interface Request {
  rpc: string;
  fund?: string;
  vault?: string;
  /** URL of a deployment file written by scripts/deploy.sh. */
  deployment?: string;
  member?: string;
  /** Read this block instead of the latest one. */
  height?: number;
}

export const DEFAULT_RPC = "http://127.0.0.1:36657";

/** Members read at most (pages of 100): the page is a report, not an explorer. */
const MAX_MEMBERS = 5000;
/** Block headers fetched for the times of history entries. */
const MAX_BLOCK_TIMES = 300;

/** One fund transaction from the chain's index: who, what, the fund's own figures. */
export interface Activity {
  height: number;
  hash: string;
  action: string;
  member?: string;
  attrs: Attrs;
}

/** Each member's share of one default, as the fund's Members query answered at the default's block. */
export type Assessed =
  | { status: "none" }
  | { status: "read"; height: number; shares: { member: string; amount: string; due: string }[]; truncated: boolean }
  | { status: "unavailable"; reason: string };

export interface DefaultView {
  receipt: DefaultReceipt;
  /** The block of its receipt event, when the node indexes transactions. */
  height?: number;
  assessed: Assessed;
}

export interface MemberDetail {
  address: string;
  fund?: MemberResponse;
  obligations?: ObligationsResponse;
  vault?: VaultMember;
  /** The default declared for this member, if any. */
  defaultOf?: DefaultReceipt | null;
  error?: string;
}

export interface Report {
  rpc: string;
  chainId: string;
  height: number;
  /** The time of the block read (ISO). */
  time: string;
  latest: boolean;
  fundAddr: string;
  vaultAddr: string;
  fundContract: Contract;
  config: ConfigResponse;
  vaultConfig: VaultConfig;
  params: FundParams;
  state: FundStateResponse;
  books: BooksResponse;
  coverage: CoverageResponse;
  vaultTotals: TotalsResponse;
  vaultBooks: VaultBooksResponse;
  members: MemberResponse[];
  membersTruncated: boolean;
  vaultMembers: Map<string, VaultMember>;
  defaults: DefaultView[];
  /** Payments, enforcements and recoveries from the chain's transaction index. */
  activity: Activity[];
  /** Why there is no history, when the node gave none. */
  activityError?: string;
  blockTimes: Map<number, string>;
  member?: MemberDetail;
  /** Other default funds found on the chain (when none was named). */
  discovered?: { address: string; label: string }[];
}

export type Progress = (what: string) => void;

async function pages<T>(read: (startAfter?: string) => Promise<T[]>, key: (t: T) => string, max: number): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await read(after);
    items.push(...page);
    if (page.length < 100) return { items, truncated: false };
    if (items.length >= max) return { items, truncated: true };
    after = key(page[page.length - 1]!);
  }
}

/** Every fund member (up to MAX_MEMBERS) at the client's block. */
export function allMembers(fund: DefaultFundQueryClient, max = MAX_MEMBERS) {
  return pages(async (startAfter) => (await fund.members({ limit: 100, startAfter })).members, (m) => m.address, max);
}

async function allDefaults(fund: DefaultFundQueryClient): Promise<DefaultReceipt[]> {
  const out: DefaultReceipt[] = [];
  let after: number | undefined;
  for (;;) {
    const page = (await fund.defaults({ limit: 100, startAfter: after })).defaults;
    out.push(...page);
    if (page.length < 100) return out;
    after = page[page.length - 1]!.id;
  }
}

async function readDeployment(url: string): Promise<{ fund: string; vault?: string; chainId?: string }> {
  let body: unknown;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    body = await res.json();
  } catch (e) {
    throw new PageError("bad-deployment", `The deployment file ${url} could not be read.`, e instanceof Error ? e.message : String(e));
  }
  const d = body as { chain_id?: string; contracts?: { default_fund?: string; margin_vault?: string } };
  if (!d.contracts?.default_fund) {
    throw new PageError("bad-deployment", `The deployment file ${url} names no default_fund contract.`);
  }
  return { fund: d.contracts.default_fund, vault: d.contracts.margin_vault, chainId: d.chain_id };
}

/** Default funds on the chain, newest first, by their instantiation label. */
async function discover(client: SnapshotClient): Promise<{ address: string; label: string }[]> {
  const codes = (await client.getCodes()).slice(-30).reverse();
  const found: { address: string; label: string }[] = [];
  for (const code of codes) {
    const addresses = [...(await client.getContracts(code.id))].reverse();
    for (const address of addresses.slice(0, 20)) {
      const c = await client.getContract(address);
      if (/default[ -_]?fund/i.test(c.label)) found.push({ address, label: c.label });
    }
  }
  return found;
}

async function search(client: SnapshotClient, query: string): Promise<readonly IndexedTx[]> {
  return client.searchTx(`${query} AND tx.height<=${client.height}`);
}

/** The fund's history from the chain's transaction index. */
async function history(client: SnapshotClient, fund: string): Promise<{ activity: Activity[]; defaultHeights: Map<number, number> }> {
  const activity: Activity[] = [];
  const defaultHeights = new Map<number, number>();
  const add = (txs: readonly IndexedTx[], filter: { type?: string; action?: string }) => {
    for (const tx of txs) {
      if (tx.code !== 0) continue;
      for (const attrs of wasmEvents(tx.events, { contract: fund, ...filter })) {
        const action = filter.type === "wasm-recovery" ? "recovery" : filter.type === "wasm-default" ? "default" : (attrs.action ?? "?");
        activity.push({ height: tx.height, hash: tx.hash, action, member: attrs.member, attrs });
        if (filter.type === "wasm-default" && attrs.default_id) defaultHeights.set(Number(attrs.default_id), tx.height);
      }
    }
  };
  const [defaults, recoveries, ...actions] = await Promise.all([
    search(client, `wasm-default._contract_address='${fund}'`),
    search(client, `wasm-recovery._contract_address='${fund}'`),
    ...["pay_assessment", "enforce_assessment", "enforce_replenishment", "claim_recoveries"].map((a) =>
      search(client, `wasm._contract_address='${fund}' AND wasm.action='${a}'`),
    ),
  ]);
  add(defaults!, { type: "wasm-default" });
  add(recoveries!, { type: "wasm-recovery" });
  ["pay_assessment", "enforce_assessment", "enforce_replenishment", "claim_recoveries"].forEach((action, i) =>
    add(actions[i]!, { type: "wasm", action }),
  );
  activity.sort((a, b) => a.height - b.height);
  return { activity, defaultHeights };
}

/** Each member's share of default `id`: the fund's Members query at the default's block. */
async function assessedAt(client: SnapshotClient, fund: string, receipt: DefaultReceipt, height: number | undefined): Promise<Assessed> {
  if (receipt.layers.assessments === "0") return { status: "none" };
  if (height === undefined) return { status: "unavailable", reason: "the node gave no block for this default (its transaction index is off or pruned)" };
  try {
    const then = new DefaultFundQueryClient(client.at(height), fund);
    const { items, truncated } = await allMembers(then, 1000);
    const shares = items.flatMap((m) =>
      m.obligations.filter((o) => o.default_id === receipt.id).map((o) => ({ member: m.address, amount: o.amount, due: o.due })),
    );
    return { status: "read", height, shares, truncated };
  } catch (e) {
    return { status: "unavailable", reason: `the node no longer answers queries at block ${height} (${e instanceof Error ? e.message : String(e)})` };
  }
}

export async function memberDetail(
  fund: DefaultFundQueryClient,
  vault: MarginVaultQueryClient,
  address: string,
): Promise<MemberDetail> {
  const d: MemberDetail = { address };
  try {
    [d.fund, d.obligations, d.defaultOf] = await Promise.all([
      fund.member({ address }),
      fund.obligations({ address }),
      fund.defaultOf({ member: address }),
    ]);
  } catch (e) {
    d.error = `The fund has no member ${address} (${e instanceof Error ? e.message : String(e)}).`;
    return d;
  }
  try {
    d.vault = await vault.member({ address });
  } catch {
    // Not (or no longer) in the vault: the fund's figures stand alone.
  }
  return d;
}

export async function load(req: Request, progress: Progress): Promise<Report> {
  progress(`Connecting to the chain's RPC at ${req.rpc}…`);
  let client: SnapshotClient;
  let chainId: string;
  try {
    client = await SnapshotClient.open(req.rpc, req.height);
    chainId = await client.getChainId();
  } catch (e) {
    throw rpcUnreachable(req.rpc, e);
  }

  let fundAddr = req.fund;
  let vaultAddr = req.vault;
  let discovered: Report["discovered"];
  if (!fundAddr && req.deployment) {
    progress(`Reading the deployment file ${req.deployment}…`);
    const d = await readDeployment(req.deployment);
    if (d.chainId && d.chainId !== chainId) {
      throw new PageError("wrong-chain", `The deployment file is for chain ${d.chainId}, but the RPC at ${req.rpc} serves chain ${chainId}.`);
    }
    fundAddr = d.fund;
    vaultAddr ??= d.vault;
  }
  if (!fundAddr) {
    progress(`Looking for default funds on chain ${chainId}…`);
    try {
      discovered = await discover(client);
    } catch (e) {
      throw queryFailed("chain's contract registry", req.rpc, e);
    }
    if (discovered.length === 0) {
      throw new PageError(
        "no-fund-found",
        `No default fund was named (fund= or deployment= in the address) and none was found on chain ${chainId}.`,
      );
    }
    fundAddr = discovered[0]!.address;
  }

  progress(`Reading the default fund ${fundAddr} at block ${client.height}…`);
  const fund = new DefaultFundQueryClient(client, fundAddr);
  let config: ConfigResponse;
  let fundContract: Contract;
  try {
    config = await fund.config();
    await fund.state();
    fundContract = await client.getContract(fundAddr);
  } catch (e) {
    let label: string | undefined;
    try {
      label = (await client.getContract(fundAddr)).label;
    } catch {
      // No contract there: the query's own error says so.
    }
    throw queryFailed("default fund", fundAddr, e, label);
  }
  if (typeof config.vault !== "string" || typeof config.loss_recipient !== "string") {
    throw new PageError("not-a-fund", `The contract at ${fundAddr} answers a "config" query, but not with a default fund's configuration.`);
  }
  vaultAddr ??= config.vault;
  const vault = new MarginVaultQueryClient(client, vaultAddr);

  let vaultConfig: VaultConfig;
  try {
    vaultConfig = await vault.config();
  } catch (e) {
    throw queryFailed("margin vault", vaultAddr, e);
  }

  try {
    const [params, state, books, coverage, vaultTotals, vaultBooks, defaults, block] = await Promise.all([
      fund.params(),
      fund.state(),
      fund.books(),
      fund.coverage(),
      vault.totals(),
      vault.books(),
      allDefaults(fund),
      client.getBlock(client.height),
    ]);
    progress(`Reading the members at block ${client.height}…`);
    const [members, vaultMembers] = await Promise.all([
      allMembers(fund),
      pages(async (startAfter) => (await vault.members({ limit: 100, startAfter })).members, (m) => m.address, MAX_MEMBERS),
    ]);

    progress("Reading the fund's history from the chain's transaction index…");
    let activity: Activity[] = [];
    let activityError: string | undefined;
    let defaultHeights = new Map<number, number>();
    try {
      ({ activity, defaultHeights } = await history(client, fundAddr));
    } catch (e) {
      activityError = `The node did not give the fund's transaction history (${e instanceof Error ? e.message : String(e)}).`;
    }

    progress("Reading each default's assessment per member at its own block…");
    const views: DefaultView[] = await Promise.all(
      defaults.map(async (receipt) => {
        const height = defaultHeights.get(receipt.id);
        return { receipt, height, assessed: await assessedAt(client, fundAddr, receipt, height) };
      }),
    );

    const blockTimes = new Map<number, string>();
    const heights = [...new Set(activity.map((a) => a.height))].slice(-MAX_BLOCK_TIMES);
    for (let i = 0; i < heights.length; i += 8) {
      await Promise.all(
        heights.slice(i, i + 8).map(async (h) => {
          try {
            blockTimes.set(h, (await client.getBlock(h)).header.time);
          } catch {
            // A pruned block: the entry shows its height only.
          }
        }),
      );
    }

    const chosen = req.member ?? pickMember(members.items);
    const member = chosen ? await memberDetail(fund, vault, chosen) : undefined;

    return {
      rpc: req.rpc,
      chainId,
      height: client.height,
      time: block.header.time,
      latest: req.height === undefined,
      fundAddr,
      vaultAddr,
      fundContract,
      config,
      vaultConfig,
      params,
      state,
      books,
      coverage,
      vaultTotals,
      vaultBooks,
      members: members.items,
      membersTruncated: members.truncated,
      vaultMembers: new Map(vaultMembers.items.map((m) => [m.address, m])),
      defaults: views,
      activity,
      activityError,
      blockTimes,
      member,
      discovered,
    };
  } catch (e) {
    if (e instanceof PageError) throw e;
    throw queryFailed("default fund", fundAddr, e);
  }
}

/** The member shown when none is named: the first that owes something, else the first. */
export function pickMember(members: MemberResponse[]): string | undefined {
  const owing = members.find((m) => m.assessment_owed !== "0" || m.shortfall !== "0");
  return (owing ?? members[0])?.address;
}
