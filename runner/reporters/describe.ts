// What the machine-readable reporters (junit, tap) say about one scenario run: its label and its
// failure text, both from the ScenarioResult alone.
import type { ScenarioResult, StepResult } from "../harness/results.js";

/** The profile and seed of a run, e.g. `mainline, seed 7`: what tells a matrix's cells apart. */
export function cellText(r: Pick<ScenarioResult, "driver" | "seed">): string {
  return [r.driver ?? "mainline", ...(r.seed === undefined ? [] : [`seed ${r.seed}`])].join(", ");
}

/** `name (mainline, seed 7)`. */
export function runLabel(r: ScenarioResult): string {
  return `${r.name} (${cellText(r)})`;
}

export const failingSteps = (r: ScenarioResult): StepResult[] => r.steps.filter((s) => s.status === "fail" || s.status === "error");

/** `file:line:col action summary`, then each problem of the step. */
function stepFailureLines(r: ScenarioResult, s: StepResult): string[] {
  const summary = s.summary === "" ? "" : `  ${s.summary}`;
  return [`${r.file}:${s.line}:${s.column}  ${s.action}${summary}`, ...s.problems.map((p) => `  ${p}`)];
}

/** The whole failure: each failing step with its problems, then the fault that ended the run. */
export function failureText(r: ScenarioResult): string {
  const lines = failingSteps(r).flatMap((s) => stepFailureLines(r, s));
  if (r.fault) lines.push(`fault: ${r.fault}`);
  return lines.join("\n");
}

/** One line for a failure's summary: the fault, else the first problem of the first failing step. */
export function failureMessage(r: ScenarioResult): string {
  if (r.fault) return r.fault;
  const s = failingSteps(r)[0];
  return s ? `${r.file}:${s.line}:${s.column}: ${s.problems[0] ?? `${s.action} ${s.status}`}` : "failed";
}
