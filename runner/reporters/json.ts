// The `json` reporter (also `--json`): every result once the run ended, as one JSON document.
import type { ReporterFactory } from "./reporter.js";

export const json: ReporterFactory = (o) => ({
  onRunEnd(e) {
    // Trace records only when asked for (--trace); otherwise their count.
    const plain = e.results.map(({ trace, ...r }) => ({ ...r, traceRecords: o.trace ? trace : trace.length }));
    o.print(JSON.stringify({ results: plain, invalid: e.invalid }, null, 2));
  },
});
