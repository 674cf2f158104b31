// Many transactions from many signers at once, for populating a deployment
// with hundreds of members: each signed offline with its account's number
// and sequence and a fixed gas limit, broadcast without waiting, then
// awaited together.
import type { EncodeObject } from "@cosmjs/proto-signing";
import { calculateFee, GasPrice } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Chain } from "./chain";
import { sleep } from "./chain";
import { DEFAULT_GAS_PRICE } from "./config";

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of results. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}

export interface BatchItem {
  signer: string;
  msgs: EncodeObject[];
}

/**
 * Signs and broadcasts one transaction per item (one per signer: each
 * signer at most once per call), then waits until every one is in a block.
 * Throws if any failed. Returns the gas each used.
 */
export async function broadcastMany(chain: Chain, items: BatchItem[], gasPerTx: number, concurrency = 32): Promise<number[]> {
  const signers = new Set(items.map((i) => i.signer));
  if (signers.size !== items.length) throw new Error("broadcastMany: one transaction per signer");
  const fee = calculateFee(gasPerTx, GasPrice.fromString(DEFAULT_GAS_PRICE));
  const hashes = await pool(items, concurrency, async (item) => {
    const account = await chain.client.getAccount(item.signer);
    if (!account) throw new Error(`${item.signer} has no account on chain: fund it first`);
    const raw = await chain.client.sign(item.signer, item.msgs, fee, "", {
      accountNumber: account.accountNumber,
      sequence: account.sequence,
      chainId: chain.chainId,
    });
    return chain.client.broadcastTxSync(TxRaw.encode(raw).finish());
  });
  const start = Date.now();
  return pool(hashes, concurrency, async (hash) => {
    for (;;) {
      const tx = await chain.client.getTx(hash);
      if (tx) {
        if (tx.code !== 0) throw new Error(`tx ${hash} failed (code ${tx.code}): ${tx.rawLog}`);
        return Number(tx.gasUsed);
      }
      if (Date.now() - start > 300_000) throw new Error(`tx ${hash} not in a block after 300 s`);
      await sleep(300);
    }
  });
}
