// The `json` reporter (also `--json`): every result once the run ended, as one JSON document with
// one object per scenario run.
import type { ScenarioResult } from "../harness/results.js";
import type { ReporterFactory, ReporterOptions } from "./reporter.js";

/**
 * A result as the JSON reporters write it: trace records only when asked for (--trace), otherwise
 * their count; no wall-clock time with --no-timing.
 */
export function plainResult(r: ScenarioResult, o: Pick<ReporterOptions, "trace" | "timing">): Record<string, unknown> {
  const { trace, wallMs, ...rest } = r;
  return { ...rest, traceRecords: o.trace ? trace : trace.length, ...(o.timing === false ? {} : { wallMs }) };
}

export const json: ReporterFactory = (o) => ({
  onRunEnd(e) {
    const results = e.results.map((r) => plainResult(r, o));
    o.print(JSON.stringify({ results, invalid: e.invalid, ...(e.bailed ? { bailed: true } : {}) }, null, 2));
  },
});
