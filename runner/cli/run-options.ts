// The scale options of `papr-emu run`, read from their text: each bad value is a UsageError that
// says what the option takes.
import { DRIVER_PROFILES, type DriverProfile } from "../../kernel-shim/profile.js";
import { UsageError } from "./usage.js";

/** One seed sweep is at most this many seeds (every seed runs every scenario once). */
const MAX_SEEDS = 100_000;
const MAX_WORKERS = 256;
const U32_MAX = 0xffffffff;

export function parseSeed(text: string, option = "--seed"): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > U32_MAX) throw new UsageError(`${option} takes an integer 0..4294967295, not "${text}"`);
  return n;
}

/** `a..b`, inclusive. */
export function parseSeedRange(text: string): number[] {
  const m = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--seeds takes a range <a>..<b> (e.g. 0..99), not "${text}"`);
  const [a, b] = [parseSeed(m[1]!, "--seeds"), parseSeed(m[2]!, "--seeds")];
  if (b < a) throw new UsageError(`--seeds ${text}: the range ends before it starts`);
  if (b - a + 1 > MAX_SEEDS) throw new UsageError(`--seeds ${text}: at most ${MAX_SEEDS} seeds in one run (split the range)`);
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** `mainline,v6.18`: each profile once. */
export function parseDrivers(text: string): DriverProfile[] {
  const names = text.split(",").map((s) => s.trim());
  const out: DriverProfile[] = [];
  for (const n of names) {
    if (!(DRIVER_PROFILES as readonly string[]).includes(n)) {
      throw new UsageError(`--driver takes ${DRIVER_PROFILES.join(" or ")} (or several, comma-separated), not "${n}"`);
    }
    if (out.includes(n as DriverProfile)) throw new UsageError(`--driver names ${n} twice`);
    out.push(n as DriverProfile);
  }
  return out;
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `i/n` with 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard takes <i>/<n> with 1 <= i <= n (e.g. 2/4), not "${text}"`);
  return { index, count };
}

/** Shard i of n takes every n-th entry from the (i-1)-th: the n shards are the whole list, each entry once. */
export function inShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  return shard === undefined ? [...items] : items.filter((_, k) => k % shard.count === shard.index - 1);
}

export function parseWorkers(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw new UsageError(`--workers takes an integer 1..${MAX_WORKERS}, not "${text}"`);
  return n;
}

export function parseGrep(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (e) {
    throw new UsageError(`--grep takes a regular expression: ${(e as Error).message}`);
  }
}

/** `name` or `name:path` (the reporter's output goes to that file instead of stdout). */
export function parseReporterSpec(text: string): { name: string; path?: string } {
  const at = text.indexOf(":");
  if (at < 0) return { name: text };
  const path = text.slice(at + 1);
  if (path === "") throw new UsageError(`--reporter ${text}: the file after ":" is empty`);
  return { name: text.slice(0, at), path };
}
