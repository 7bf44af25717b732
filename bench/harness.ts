// Timing for the benchmarks: a workload is warmed up, then timed over several runs; the figure is
// the median rate. Figures, never assertions (DESIGN.md: speed is measured here, not in tests).
import type { HotPathBuild } from "../emulator/hotpath.js";

export interface Workload {
  /** Performs n operations (throws if one of them did not do what it should). */
  run(n: number): void;
  /** Untimed, before every timed run and warm-up round (e.g. a freshly booted partition). */
  reset?(): void;
  /** Per-operation figures over the last run, e.g. scheduler steps per message. */
  figures?(n: number): Record<string, number>;
}

export interface Bench {
  id: string;
  title: string;
  /** What one operation is, for the unit column: "calls", "messages", "scenarios". */
  op: string;
  /** Operations per timed run; absent: as many as fit in the run time at the warmed-up rate. */
  opsPerRun?: number;
  /** Timed runs; absent: the harness default. */
  runs?: number;
  /** false: no warm-up rounds (a workload whose reset is itself long and warms the code up). */
  warmup?: boolean;
  make(build: HotPathBuild): Workload;
}

export interface Measurement {
  id: string;
  build: HotPathBuild;
  opsPerRun: number;
  /** Operations per second of each timed run, in run order. */
  rates: number[];
  median: number;
  figures: Record<string, number>;
}

export interface Timing {
  warmupMs: number;
  runs: number;
  runMs: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timed(w: Workload, n: number): number {
  w.reset?.();
  const t0 = performance.now();
  w.run(n);
  return performance.now() - t0;
}

/** Warms the workload up (letting the JIT settle), then times it. */
export function measure(bench: Bench, build: HotPathBuild, timing: Timing): Measurement {
  const w = bench.make(build);
  let opsPerRun = bench.opsPerRun ?? 0;
  const warmEnd = performance.now() + timing.warmupMs;
  if (bench.opsPerRun !== undefined) {
    if (bench.warmup !== false) do timed(w, bench.opsPerRun); while (performance.now() < warmEnd);
  } else {
    // Doubling chunks until the warm-up time is spent; the last chunk's rate sizes the runs.
    let n = 1;
    let ms = timed(w, n);
    while (performance.now() < warmEnd) {
      n = ms < 20 ? n * 2 : n;
      ms = timed(w, n);
    }
    opsPerRun = Math.max(1, Math.round((n / Math.max(ms, 0.001)) * timing.runMs));
  }
  const rates: number[] = [];
  let figures: Record<string, number> = {};
  for (let r = 0; r < (bench.runs ?? timing.runs); r++) {
    const ms = timed(w, opsPerRun);
    rates.push((opsPerRun * 1000) / ms);
    figures = w.figures?.(opsPerRun) ?? {};
  }
  return { id: bench.id, build, opsPerRun, rates, median: median(rates), figures };
}

/** Throws with the benchmark's own words when a step of a workload did not do what it should. */
export function check(ok: boolean, what: () => string): void {
  if (!ok) throw new Error(`benchmark workload went wrong: ${what()}`);
}
