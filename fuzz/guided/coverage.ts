// Block coverage of our own source through V8's precise coverage (node:inspector), the signal of
// the coverage-guided loop: Jazzer.js does not run on this machine (docs/reliability.md), V8
// measures the same thing without a native part. Each take returns what ran since the last one.
import { Session } from "node:inspector";

interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface ScriptCoverage {
  url: string;
  functions: Array<{ functionName: string; ranges: Range[] }>;
}

export class BlockCoverage {
  readonly #session = new Session();
  readonly #seen = new Set<string>();

  /** Counts blocks of scripts whose URL contains one of `folders` (e.g. "/devicetree/"). */
  constructor(private readonly folders: readonly string[]) {
    this.#session.connect();
    this.#post("Profiler.enable");
    this.#post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
  }

  /** The blocks that ran since the last call and never ran before. */
  newBlocks(): number {
    const { result } = this.#post("Profiler.takePreciseCoverage") as { result: ScriptCoverage[] };
    let fresh = 0;
    for (const script of result) {
      if (!this.folders.some((f) => script.url.includes(f))) continue;
      for (const fn of script.functions) {
        for (const r of fn.ranges) {
          if (r.count === 0) continue;
          const key = `${script.url}:${r.startOffset}:${r.endOffset}`;
          if (this.#seen.has(key)) continue;
          this.#seen.add(key);
          fresh++;
        }
      }
    }
    return fresh;
  }

  get blocks(): number {
    return this.#seen.size;
  }

  /** In-process sessions answer synchronously: the callback has run when post returns. */
  #post(method: string, params?: object): unknown {
    let out: unknown;
    let failure: Error | null = null;
    this.#session.post(method, params ?? {}, (err, res) => {
      failure = err;
      out = res;
    });
    if (failure) throw failure;
    return out;
  }
}
