// The `tap` reporter: TAP version 14 — a test point per scenario × profile × seed as it ends, YAML
// diagnostics under each failing one, the plan line at the end, and `Bail out!` after --bail stops.
import { stringify } from "yaml";
import type { ScenarioResult } from "../harness/results.js";
import { failingSteps, failureMessage, runLabel } from "./describe.js";
import type { ReporterFactory } from "./reporter.js";

/** A test point's description: `#` would start a directive, so it is escaped. */
const description = (s: string): string => s.replace(/\\/g, "\\\\").replace(/#/g, "\\#").replace(/\n/g, " ");

/** A YAML diagnostic block, indented under its test point. */
function diagnostics(fields: Record<string, unknown>): string[] {
  const body = stringify(fields, { lineWidth: 0 }).trimEnd().split("\n");
  return ["  ---", ...body.map((l) => `  ${l}`), "  ..."];
}

export const tap: ReporterFactory = (o) => {
  let n = 0;
  const failure = (r: ScenarioResult): Record<string, unknown> => {
    const steps = failingSteps(r);
    const first = steps[0];
    return {
      message: failureMessage(r),
      severity: "fail",
      ...(first ? { at: { file: r.file, line: first.line, column: first.column } } : { at: { file: r.file } }),
      ...(r.fault ? { fault: r.fault } : {}),
      ...(steps.length
        ? { failures: steps.map((s) => ({ at: `${r.file}:${s.line}:${s.column}`, action: s.action, summary: s.summary, problems: s.problems })) }
        : {}),
      driver: r.driver ?? "mainline",
      ...(r.seed === undefined ? {} : { seed: r.seed }),
      ...(o.timing === false ? {} : { duration_ms: Math.round(r.wallMs) }),
    };
  };
  return {
    onRunStart: () => o.print("TAP version 14"),
    onScenarioEnd(e) {
      const r = e.result;
      n++;
      const line = `${r.passed ? "ok" : "not ok"} ${n} - ${description(`${r.file} — ${runLabel(r)}`)}`;
      o.print(r.passed ? line : [line, ...diagnostics(failure(r))].join("\n"));
    },
    onInvalid(e) {
      n++;
      o.print([`not ok ${n} - ${description(`${e.file ?? "scenario file"} (invalid)`)}`, ...diagnostics({ message: e.message, severity: "fail" })].join("\n"));
    },
    onRunEnd(e) {
      if (e.bailed) o.print("Bail out! --bail: stopped after the first failure");
      else o.print(`1..${n}`);
    },
  };
};
