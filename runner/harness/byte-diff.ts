// A payload mismatch a reader can act on: when the bytes are too long to print whole, the first
// differing offset and a hex window around it (two 4048-byte payloads differing at byte 4000
// print the same cut text otherwise).
import { describeBytes } from "../format.js";

/** Bytes shown on each side of the first difference. */
const WINDOW = 8;

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The first offset at which the two differ (the shorter length when one is a prefix of the other). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/** `…41 42 [43] 44…` around `at`: the byte at `at` bracketed, `(end)` where the bytes stop. */
function windowAt(b: Uint8Array, at: number): string {
  const from = Math.max(0, at - WINDOW);
  const to = Math.min(b.length, at + WINDOW + 1);
  const cells: string[] = [];
  for (let i = from; i < to; i++) {
    const hex = b[i]!.toString(16).padStart(2, "0");
    cells.push(i === at ? `[${hex}]` : hex);
  }
  if (at >= b.length) cells.push("[(end)]");
  return `${from > 0 ? "…" : ""}${cells.join(" ")}${to < b.length ? "…" : ""}`;
}

/**
 * `<what>: got X, expected Y`, or undefined when the bytes are equal. When either side is cut in
 * the message, the first differing offset and a hex window of both sides follow.
 */
export function bytesProblem(what: string, got: Uint8Array, want: Uint8Array, max = 48): string | undefined {
  if (equalBytes(got, want)) return undefined;
  const g = describeBytes(got, max);
  const w = describeBytes(want, max);
  const base = `${what}: got ${g}, expected ${w}`;
  if (!g.includes("…") && !w.includes("…") && g !== w) return base;
  const at = firstDifference(got, want);
  return `${base}; first difference at byte ${at} (0x${at.toString(16)}) of ${got.length} got / ${want.length} expected: ` +
    `got ${windowAt(got, at)}, expected ${windowAt(want, at)}`;
}
