// What a run on the chain leaves behind: every transaction with its gas,
// the gas of each measured message, written as Markdown and JSON.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { TxRecord } from "./chain";

export interface GasSample {
  /** The message measured, e.g. `fund.declare_default (into assessments)`. */
  message: string;
  /** Members admitted when it ran. */
  members: number;
  gasUsed: number;
  gasWanted: number;
  tx: string;
  /** Length of the signed transaction as the chain holds it (what the ante handler charges per byte). */
  txBytes?: number;
}

export class GasLog {
  readonly samples: GasSample[] = [];

  /** Records the gas of a transaction that carried exactly the measured message. */
  add(message: string, members: number, res: { gasUsed: bigint; gasWanted: bigint; transactionHash: string }): void {
    this.samples.push({
      message,
      members,
      gasUsed: Number(res.gasUsed),
      gasWanted: Number(res.gasWanted),
      tx: res.transactionHash,
    });
  }
}

export function fmtGas(n: number | undefined): string {
  return n === undefined ? "–" : n.toLocaleString("en-US");
}

/** One row per transaction: step, messages, gas used / wanted, height, hash. */
export function txTable(txs: TxRecord[]): string {
  const lines = [
    "| # | step | signer | messages | gas used | gas wanted | height | tx |",
    "|---:|---|---|---|---:|---:|---:|---|",
  ];
  txs.forEach((t, i) => {
    const msgs = summarize(t.msgs);
    lines.push(
      `| ${i + 1} | ${t.step} | \`${t.signer.slice(0, 12)}…\` | ${msgs} | ${fmtGas(t.gasUsed)} | ${fmtGas(t.gasWanted)} | ${t.height} | \`${t.hash.slice(0, 10)}…\` |`,
    );
  });
  return lines.join("\n");
}

/** `execute:deposit ×2, execute:contribute` */
function summarize(msgs: string[]): string {
  const counts = new Map<string, number>();
  for (const m of msgs) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts.entries()]
    .map(([m, n]) => (n > 1 ? `${m.replace(/^\/[^.]+\.[^.]+\.[^.]+\./, "")} ×${n}` : m.replace(/^\/[^.]+\.[^.]+\.[^.]+\./, "")))
    .join(", ");
}

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
