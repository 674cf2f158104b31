// A deployed suite driven through the generated clients: typed handles per
// sender, payments in the settlement asset (native funds or a cw20 Send),
// suite governance proposals end to end, and the conservation check.
import { toBase64, toUtf8 } from "@cosmjs/encoding";
import type { ExecuteResult } from "@cosmjs/cosmwasm-stargate";
import type { Chain } from "./chain";
import { GAS_MULTIPLIER } from "./config";
import type { Deployment } from "./deploy";
import { DefaultFundClient, DefaultFundQueryClient } from "./generated/DefaultFund.client";
import type { BooksResponse } from "./generated/DefaultFund.types";
import { GovernanceClient, GovernanceQueryClient } from "./generated/Governance.client";
import type { CosmosMsgForEmpty } from "./generated/Governance.types";
import { MarginVaultClient, MarginVaultQueryClient } from "./generated/MarginVault.client";

/** A CosmosMsg that executes `msg` on `contract`, for a proposal's `msgs`. */
export function wasmExecute(contract: string, msg: object): CosmosMsgForEmpty {
  return { wasm: { execute: { contract_addr: contract, msg: toBase64(toUtf8(JSON.stringify(msg))), funds: [] } } };
}

/**
 * A payment in the settlement asset: the message (`{ deposit: {} }`,
 * `{ contribute: {} }`, `{ record_recovery: { default_id } }`, ...) and the
 * contract it goes to. Native: the message with the coins attached; cw20:
 * the token's `Send` carrying the message as its hook.
 */
export interface Payment {
  to: "vault" | "fund";
  msg: object;
}
export const DEPOSIT: Payment = { to: "vault", msg: { deposit: {} } };
export const CONTRIBUTE: Payment = { to: "fund", msg: { contribute: {} } };
export const FUND_SITG: Payment = { to: "fund", msg: { fund_sitg: {} } };
export const PAY_ASSESSMENT: Payment = { to: "fund", msg: { pay_assessment: {} } };
export const DISTRIBUTE_FEES: Payment = { to: "fund", msg: { distribute_fees: {} } };
export const recordRecovery = (defaultId: number): Payment => ({ to: "fund", msg: { record_recovery: { default_id: defaultId } } });

export interface Conservation {
  /** What the vault holds of the asset (bank module or cw20 ledger). */
  vaultHolds: bigint;
  /** The vault's books: total margin. */
  totalMargin: bigint;
  /** The members' margins, listed one by one. */
  sumOfMargins: bigint;
  fundHolds: bigint;
  /** The fund's books: balances + SITG + unclaimed fees + held + recoveries held. */
  fundClaims: bigint;
  fundBooks: BooksResponse;
}

export class Suite {
  readonly vaultQ: MarginVaultQueryClient;
  readonly fundQ: DefaultFundQueryClient;
  readonly govQ: GovernanceQueryClient;

  constructor(
    readonly chain: Chain,
    readonly d: Deployment,
  ) {
    this.vaultQ = new MarginVaultQueryClient(chain.client, d.contracts.margin_vault);
    this.fundQ = new DefaultFundQueryClient(chain.client, d.contracts.default_fund);
    this.govQ = new GovernanceQueryClient(chain.client, d.contracts.governance);
  }

  get vaultAddr(): string {
    return this.d.contracts.margin_vault;
  }
  get fundAddr(): string {
    return this.d.contracts.default_fund;
  }
  get govAddr(): string {
    return this.d.contracts.governance;
  }
  get token(): string | undefined {
    return "cw20" in this.d.settlement ? this.d.settlement.cw20 : undefined;
  }
  get denom(): string | undefined {
    return "native" in this.d.settlement ? this.d.settlement.native : undefined;
  }
  /** The settlement asset's name: the denom or the token address. */
  get assetLabel(): string {
    return this.denom ?? this.token!;
  }

  vault(sender: string): MarginVaultClient {
    return new MarginVaultClient(this.chain.client, sender, this.vaultAddr);
  }
  fund(sender: string): DefaultFundClient {
    return new DefaultFundClient(this.chain.client, sender, this.fundAddr);
  }
  gov(sender: string): GovernanceClient {
    return new GovernanceClient(this.chain.client, sender, this.govAddr);
  }

  /** What `address` holds of the settlement asset (bank module, or the cw20's Balance query). */
  async balanceOf(address: string): Promise<bigint> {
    if (this.denom) return this.chain.balance(address, this.denom);
    const res = (await this.chain.client.queryContractSmart(this.token!, { balance: { address } })) as { balance: string };
    return BigInt(res.balance);
  }

  /** The message that pays `amount` in: native funds attached, or the token's Send with the hook message. */
  payMsg(sender: string, p: Payment, amount: bigint) {
    const target = p.to === "vault" ? this.vaultAddr : this.fundAddr;
    const body = p.msg;
    if (this.denom) {
      return {
        typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
        value: { sender, contract: target, msg: toUtf8(JSON.stringify(body)), funds: [{ denom: this.denom, amount: amount.toString() }] },
      };
    }
    const send = { send: { contract: target, amount: amount.toString(), msg: toBase64(toUtf8(JSON.stringify(body))) } };
    return {
      typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
      value: { sender, contract: this.token!, msg: toUtf8(JSON.stringify(send)), funds: [] },
    };
  }

  async pay(sender: string, p: Payment, amount: bigint) {
    return this.chain.tx(sender, [this.payMsg(sender, p, amount)]);
  }

  /**
   * A suite governance proposal from proposal to execution: `proposer`
   * proposes (its vote counts yes), then as many of `candidates` as the
   * threshold needs vote yes (in parallel: each its own transaction),
   * then, once the timelock is over, `proposer` executes it. Returns the
   * execution's result (its events are the executed messages').
   */
  async passProposal(
    proposer: string,
    candidates: string[],
    title: string,
    msgs: CosmosMsgForEmpty[],
  ): Promise<{ id: number; execute: ExecuteResult; voters: string[] }> {
    const [one] = await this.passProposals(proposer, candidates, title, [msgs]);
    return one!;
  }

  /**
   * Several proposals opened one after the other before any is executed,
   * so that all are weighed against the same voters (weights are fixed at
   * the opening): e.g. admissions split into batches, since a proposal is
   * stored as one value and wasmvm limits a value to 128 KiB.
   */
  async passProposals(
    proposer: string,
    candidates: string[],
    title: string,
    batches: CosmosMsgForEmpty[][],
  ): Promise<{ id: number; execute: ExecuteResult; voters: string[] }[]> {
    const ids: number[] = [];
    for (const [i, msgs] of batches.entries()) {
      const t = batches.length > 1 ? `${title} (${i + 1}/${batches.length})` : title;
      const res = await this.gov(proposer).propose({ title: t, description: t, msgs }, GAS_MULTIPLIER);
      ids.push(Number(attr(res, "proposal_id")));
    }
    const out = [];
    for (const id of ids) {
      const voters = await this.voteToPass(id, candidates);
      const prop = await this.govQ.proposal({ proposalId: id });
      if (prop.executable_at) await this.chain.waitForChainTime(Math.ceil(Number(BigInt(prop.executable_at) / 1_000_000_000n)));
      const execute = await this.gov(proposer).execute({ proposalId: id }, GAS_MULTIPLIER);
      out.push({ id, execute, voters });
    }
    return out;
  }

  /** Yes votes from `candidates` until proposal `id` passes; returns who voted. */
  async voteToPass(id: number, candidates: string[]): Promise<string[]> {
    let prop = await this.govQ.proposal({ proposalId: id });
    const voters: string[] = [];
    const t = prop.threshold;
    if (prop.weighting === "one_member_one_vote" && "absolute_percentage" in t) {
      // One vote each: exactly as many as the threshold still needs, in parallel.
      const need = ceilTimes(BigInt(prop.total_weight), t.absolute_percentage.percentage) - BigInt(prop.votes.yes);
      if (need > BigInt(candidates.length)) throw new Error(`proposal ${id} needs ${need} more yes votes, ${candidates.length} candidates given`);
      voters.push(...candidates.slice(0, Number(need > 0n ? need : 0n)));
      await Promise.all(voters.map((v) => this.gov(v).vote({ proposalId: id, vote: "yes" }, GAS_MULTIPLIER)));
    } else {
      for (const v of candidates) {
        if ((await this.govQ.proposal({ proposalId: id })).status !== "open") break;
        await this.gov(v).vote({ proposalId: id, vote: "yes" }, GAS_MULTIPLIER);
        voters.push(v);
      }
    }
    prop = await this.govQ.proposal({ proposalId: id });
    if (prop.status !== "passed") throw new Error(`proposal ${id} is ${prop.status} after ${voters.length + 1} yes votes`);
    return voters;
  }

  /** Every member of the vault, page by page. */
  async vaultMembers() {
    const all = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.vaultQ.members({ startAfter, limit: 30 });
      all.push(...page.members);
      if (page.members.length < 30) return all;
      startAfter = page.members[page.members.length - 1]!.address;
    }
  }

  /**
   * SPEC §4 Conservation, from the chain's ledger and the contracts' books:
   * the vault holds at least the sum of the margins (listed member by
   * member when `listMembers`), the fund at least its claims (balances,
   * SITG, unclaimed fees, held remainders, recoveries held), and each
   * contract's own figures add up. Throws if not.
   */
  async conservation(opts: { listMembers?: boolean } = {}): Promise<Conservation> {
    const [vaultHolds, vaultBooks, fundHolds, books] = await Promise.all([
      this.balanceOf(this.vaultAddr),
      this.vaultQ.books(),
      this.balanceOf(this.fundAddr),
      this.fundQ.books(),
    ]);
    const totalMargin = BigInt(vaultBooks.total_margin);
    let sumOfMargins = totalMargin;
    if (opts.listMembers ?? true) {
      sumOfMargins = (await this.vaultMembers()).reduce((s, m) => s + BigInt(m.balance), 0n);
    }
    const fundClaims = BigInt(books.claims);
    const parts = [books.balances, books.sitg, books.fees_unclaimed, books.held, books.recoveries_held].reduce(
      (s, v) => s + BigInt(v),
      0n,
    );
    const problems: string[] = [];
    if (sumOfMargins !== totalMargin) problems.push(`vault: members' margins sum to ${sumOfMargins}, its books say ${totalMargin}`);
    if (vaultHolds < totalMargin) problems.push(`vault holds ${vaultHolds} < margins ${totalMargin}`);
    if (vaultBooks.bank_balance != null && BigInt(vaultBooks.bank_balance) !== vaultHolds)
      problems.push(`vault: books see a bank balance of ${vaultBooks.bank_balance}, the bank module ${vaultHolds}`);
    if (parts !== fundClaims) problems.push(`fund: claims ${fundClaims} != the sum of their parts ${parts}`);
    if (BigInt(books.holdings) < fundClaims) problems.push(`fund: books hold ${books.holdings} < claims ${fundClaims}`);
    if (fundHolds < fundClaims) problems.push(`fund holds ${fundHolds} < claims ${fundClaims}`);
    if (books.bank_balance != null && BigInt(books.bank_balance) !== fundHolds)
      problems.push(`fund: books see a bank balance of ${books.bank_balance}, the bank module ${fundHolds}`);
    if (problems.length) throw new Error(`conservation broken: ${problems.join("; ")}`);
    return { vaultHolds, totalMargin, sumOfMargins, fundHolds, fundClaims, fundBooks: books };
  }
}

/** ceil(n × d) for a decimal string d ("0.51"). */
export function ceilTimes(n: bigint, d: string): bigint {
  const [whole = "0", frac = ""] = d.split(".");
  const scale = 10n ** BigInt(frac.length);
  const num = n * (BigInt(whole) * scale + BigInt(frac || "0"));
  return (num + scale - 1n) / scale;
}

/** An attribute of the first wasm event that has it. */
export function attr(res: { events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[] }, key: string): string {
  for (const e of res.events) {
    if (e.type !== "wasm" && !e.type.startsWith("wasm-")) continue;
    const a = e.attributes.find((x) => x.key === key);
    if (a) return a.value;
  }
  throw new Error(`no wasm attribute ${key} in the transaction's events`);
}
