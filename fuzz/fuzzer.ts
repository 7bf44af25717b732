// What every fuzzer is: a named category whose cases are numbered; a case either holds or
// returns what went wrong. The driver (run.ts) and the seeded tests (test/fuzz/) share this.
import { Rng, caseSeed } from "./rng.js";

export interface Fuzzer {
  readonly name: string;
  /** One case; `undefined` when every property held, else the finding in one line. */
  runCase(rng: Rng): string | undefined;
}

export interface Finding {
  case: number;
  seed: number;
  message: string;
}

export interface FuzzStats {
  name: string;
  cases: number;
  failures: Finding[];
  slowestMs: number;
  slowestCase: number;
}

/**
 * Runs cases first, first + 1, … of `fuzzer` until `stop(cases run)` says so; a thrown error is a
 * finding too. (A long run splits the case numbers over processes with `first`.)
 */
export function fuzzRun(fuzzer: Fuzzer, seed: number, stop: (cases: number, stats: FuzzStats) => boolean, first = 0): FuzzStats {
  const stats: FuzzStats = { name: fuzzer.name, cases: 0, failures: [], slowestMs: 0, slowestCase: -1 };
  for (let n = 0; !stop(n, stats); n++) {
    const i = first + n;
    const s = caseSeed(seed, i);
    const started = performance.now();
    let message: string | undefined;
    try {
      message = fuzzer.runCase(new Rng(s));
    } catch (e) {
      message = `uncaught ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    }
    const ms = performance.now() - started;
    if (ms > stats.slowestMs) {
      stats.slowestMs = ms;
      stats.slowestCase = i;
    }
    if (message !== undefined) stats.failures.push({ case: i, seed: s, message });
    stats.cases++;
  }
  return stats;
}
