// How the page writes the contracts' figures: exactly as the contracts give
// them, as text. Integers in base units get thousands separators, decimals
// keep every digit they have, timestamps (nanoseconds) are shown in UTC.
// Nothing here rounds a figure or goes through a float.

/** "1234567" -> "1,234,567"; "-1234" -> "-1,234"; anything else unchanged. */
export function amount(value: string | number | bigint | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const s = String(value);
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(s);
  if (!m) return s;
  return m[1]! + m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (m[3] ?? "");
}

/** The inverse of `amount` (for the page's own tests): separators removed. */
export function plain(text: string): string {
  return text.replace(/,/g, "").trim();
}

/** A contract Timestamp (nanoseconds since the epoch, as a string) as a Date. */
export function dateOf(nanos: string): Date {
  return new Date(Number(BigInt(nanos) / 1_000_000n));
}

/** "2026-11-30 07:03:49 UTC" */
export function utc(d: Date): string {
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** A contract Timestamp as UTC text, or a dash. */
export function when(nanos: string | null | undefined): string {
  return nanos ? utc(dateOf(nanos)) : "—";
}

/** "in 12 s", "3 min ago": a timestamp against the time of the block read. */
export function relative(nanos: string | null | undefined, now: Date): string {
  if (!nanos) return "";
  const secs = Math.round((dateOf(nanos).getTime() - now.getTime()) / 1000);
  const abs = Math.abs(secs);
  const span =
    abs < 120 ? `${abs} s` : abs < 7200 ? `${Math.round(abs / 60)} min` : abs < 172800 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86400)} days`;
  return secs >= 0 ? `in ${span}` : `${span} ago`;
}

/** Seconds as a duration: "1,209,600 s (14 days)". */
export function seconds(s: number): string {
  const unit = s % 86400 === 0 && s >= 86400 ? ` (${s / 86400} days)` : s % 3600 === 0 && s >= 3600 ? ` (${s / 3600} h)` : "";
  return `${amount(s)} s${unit}`;
}

/** A long address shortened for tables: "wasm1abcd…wxyz" (the full one goes in a title). */
export function short(address: string): string {
  return address.length > 20 ? `${address.slice(0, 10)}…${address.slice(-6)}` : address;
}

/** snake_case words of the contracts ("in_breach") in plain words ("in breach"). */
export function words(s: string): string {
  return s.replace(/_/g, " ");
}

/** Whether a ratio the contracts give as a decimal string ("0.8", "1.25") is below 1. */
export function belowOne(ratio: string | null | undefined): boolean {
  return typeof ratio === "string" && /^0(\.\d*)?$/.test(ratio);
}
