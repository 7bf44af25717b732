// The `pretty` reporter, the human report of a run: one line per scenario, the failing steps with
// their lines (every step with -v), a summary.
import type { ScenarioResult } from "../harness/results.js";
import type { ReporterFactory } from "./reporter.js";

interface ReportOptions {
  /** Every step, not only the failing ones, and the kernel log (dmesg) of every scenario, not only of failing ones. */
  verbose?: boolean;
  /** ANSI colours. */
  color?: boolean;
}

export function formatScenario(r: ScenarioResult, opts: ReportOptions = {}): string {
  const paint = painter(opts.color ?? false);
  const lines: string[] = [];
  const tag = r.passed ? paint.green("PASS") : paint.red("FAIL");
  const emulated = `${(r.emulatedTimeNs / 1e9).toFixed(3)} s emulated`;
  const seed = r.seed === undefined ? "" : `, seed ${r.seed}`;
  lines.push(`${tag}  ${r.file} — ${r.name}  (${r.steps.length} steps, ${emulated}${seed}, ${r.wallMs.toFixed(0)} ms)`);
  for (const s of r.steps) {
    if (!opts.verbose && s.status === "pass") continue;
    if (!opts.verbose && s.status === "skipped") continue;
    const mark = s.status === "pass" ? paint.green("✓") : s.status === "skipped" ? paint.dim("-") : paint.red("✗");
    lines.push(`  ${mark} ${r.file}:${s.line}:${s.column}  ${s.action}${s.proc !== "p1" ? ` [${s.proc}]` : ""}  ${s.summary}`);
    for (const p of s.problems) lines.push(`      ${paint.red(p)}`);
  }
  const skipped = r.steps.filter((s) => s.status === "skipped").length;
  if (skipped) lines.push(`  ${paint.dim(`${skipped} later step(s) not run`)}`);
  if (r.fault) lines.push(`  ${paint.red(`fault: ${r.fault}`)}`);
  if (!r.passed || opts.verbose) {
    for (const l of r.kernelLog) lines.push(`  ${paint.dim(`[${(l.timeNs / 1e9).toFixed(6)}] ${l.text}`)}`);
  }
  return lines.join("\n");
}

function formatSummary(results: readonly ScenarioResult[], invalid: number): string {
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  const parts = [`${results.length} scenario(s)`, `${passed} passed`, `${failed} failed`];
  if (invalid) parts.push(`${invalid} invalid`);
  return parts.join(", ");
}

function painter(on: boolean) {
  const wrap = (code: number) => (s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { green: wrap(32), red: wrap(31), dim: wrap(2) };
}

export const pretty: ReporterFactory = (o) => ({
  onScenarioEnd: (e) => o.print(formatScenario(e.result, { verbose: o.verbose, color: o.color })),
  onRunEnd: (e) => o.print(`\n${formatSummary(e.results, e.invalid)}`),
});
