// Reading what contracts said in a transaction's events.
import type { Event } from "@cosmjs/stargate";
import type { DefaultReceipt, Layers } from "./generated/DefaultFund.types";

export type Attrs = Record<string, string>;

/** Attributes of each `wasm` / `wasm-<type>` event, optionally of one contract and event type. */
export function wasmEvents(
  events: readonly Event[],
  filter: { contract?: string; type?: string; action?: string } = {},
): Attrs[] {
  const out: Attrs[] = [];
  for (const e of events) {
    if (!(e.type === "wasm" || e.type.startsWith("wasm-"))) continue;
    if (filter.type && e.type !== filter.type) continue;
    const attrs: Attrs = {};
    for (const a of e.attributes) attrs[a.key] = a.value;
    if (filter.contract && attrs._contract_address !== filter.contract) continue;
    if (filter.action && attrs.action !== filter.action) continue;
    out.push(attrs);
  }
  return out;
}

export const LAYERS: (keyof Layers)[] = [
  "defaulter_margin",
  "defaulter_contribution",
  "sitg",
  "mutual_fund",
  "assessments",
  "uncovered",
];

/** A default's receipt as the chain emitted it: the fund's typed `wasm-default` event. */
export interface EventReceipt {
  defaultId: number;
  member: string;
  declaredBy: string;
  loss: bigint;
  closeOutLoss: bigint;
  unpaidAssessments: bigint;
  layers: Record<keyof Layers, bigint>;
  assessmentBase: string;
  assessmentRate: string;
  /** Unix seconds, or null when the default assessed nothing. */
  assessmentDue: number | null;
  openedCoolingOff: boolean;
  attributes: Attrs;
}

/** The receipt of the default declared in this transaction (SPEC §4 Transparency). */
export function defaultReceiptFromEvents(events: readonly Event[], fund: string): EventReceipt {
  const found = wasmEvents(events, { contract: fund, type: "wasm-default" });
  if (found.length !== 1) throw new Error(`expected one wasm-default event from ${fund}, found ${found.length}`);
  const attrs = found[0]!;
  const need = (k: string): string => {
    const v = attrs[k];
    if (v === undefined) throw new Error(`wasm-default without ${k}: ${JSON.stringify(attrs)}`);
    return v;
  };
  const layers = Object.fromEntries(LAYERS.map((l) => [l, BigInt(need(l))])) as Record<keyof Layers, bigint>;
  const due = need("assessment_due");
  return {
    defaultId: Number(need("default_id")),
    member: need("member"),
    declaredBy: need("declared_by"),
    loss: BigInt(need("loss")),
    closeOutLoss: BigInt(need("close_out_loss")),
    unpaidAssessments: BigInt(need("unpaid_assessments")),
    layers,
    assessmentBase: need("assessment_base"),
    assessmentRate: need("assessment_rate"),
    assessmentDue: due === "" ? null : Number(due),
    openedCoolingOff: need("opened_cooling_off") === "true",
    attributes: attrs,
  };
}

/** The layers of a queried receipt as bigints. */
export function layersOf(r: DefaultReceipt): Record<keyof Layers, bigint> {
  return Object.fromEntries(LAYERS.map((l) => [l, BigInt(r.layers[l])])) as Record<keyof Layers, bigint>;
}

export function sum(values: Iterable<bigint>): bigint {
  let s = 0n;
  for (const v of values) s += v;
  return s;
}
