// The `json-lines` reporter: NDJSON, one line as each scenario run ends (`type: "scenario"`, the
// json reporter's object), one per invalid file, and a closing `type: "summary"` line.
import { plainResult } from "./json.js";
import type { ReporterFactory } from "./reporter.js";

export const jsonLines: ReporterFactory = (o) => ({
  onScenarioEnd: (e) => o.print(JSON.stringify({ type: "scenario", ...plainResult(e.result, o) })),
  onInvalid: (e) => o.print(JSON.stringify({ type: "invalid", message: e.message, ...(e.file === undefined ? {} : { file: e.file }) })),
  onRunEnd(e) {
    const passed = e.results.filter((r) => r.passed).length;
    const summary = { type: "summary", scenarios: e.results.length, passed, failed: e.results.length - passed, invalid: e.invalid };
    o.print(JSON.stringify(e.bailed ? { ...summary, bailed: true } : summary));
  },
});
