// The `pretty` reporter, the human report of a run: one line per scenario, the failing steps with
// their lines, what was expected and what happened, and the last scheduler steps before each
// failure (every step with -v), a summary; on a terminal, a progress line while a long run goes on.
import type { TraceRecord } from "../../kernel-shim/sched/context.js";
import type { ScenarioResult } from "../harness/results.js";
import { cellText } from "./describe.js";
import { traceBeforeFault, traceBeforeStep } from "./failure-trace.js";
import type { ProgressLine, ReporterFactory } from "./reporter.js";
import { formatTraceRecord } from "./trace.js";

interface ReportOptions {
  /** Every step, not only the failing ones, and the kernel log (dmesg) of every scenario, not only of failing ones. */
  verbose?: boolean;
  /** ANSI colours. */
  color?: boolean;
  /** The wall-clock time of the scenario; default true. */
  timing?: boolean;
}

/** Trace records shown before a failing step or a fault. */
const TRACE_CONTEXT = 6;
/** A run shows its progress line once it has taken this long. */
const PROGRESS_AFTER_MS = 1000;

export function formatScenario(r: ScenarioResult, opts: ReportOptions = {}): string {
  const paint = painter(opts.color ?? false);
  const lines: string[] = [];
  const tag = r.passed ? paint.green("PASS") : paint.red("FAIL");
  const emulated = `${(r.emulatedTimeNs / 1e9).toFixed(3)} s emulated`;
  const seed = r.seed === undefined ? "" : `, seed ${r.seed}`;
  const profile = r.driver === undefined || r.driver === "mainline" ? "" : `, ${r.driver}`;
  const wall = opts.timing === false ? "" : `, ${r.wallMs.toFixed(0)} ms`;
  lines.push(`${tag}  ${r.file} — ${r.name}  (${r.steps.length} steps, ${emulated}${profile}${seed}${wall})`);
  const traceLines = (records: TraceRecord[], heading: string): void => {
    if (records.length === 0) return;
    lines.push(`      ${paint.dim(heading)}`);
    for (const t of records) lines.push(`      ${paint.dim(formatTraceRecord(t))}`);
  };
  // A run that passed with a fault ended in the fault it declared (expect-fault): shown, not as a failure.
  const expected = r.passed && r.fault !== undefined;
  const bad = expected ? paint.yellow : paint.red;
  for (const s of r.steps) {
    if (!opts.verbose && s.status === "pass") continue;
    if (!opts.verbose && s.status === "skipped") continue;
    const mark = s.status === "pass" ? paint.green("✓") : s.status === "skipped" ? paint.dim("-") : expected ? bad("⚑") : bad("✗");
    lines.push(`  ${mark} ${r.file}:${s.line}:${s.column}  ${s.action}${s.proc !== "p1" ? ` [${s.proc}]` : ""}  ${s.summary}`);
    for (const p of s.problems) lines.push(`      ${bad(p)}`);
    if (s.status === "fail") traceLines(traceBeforeStep(r, s, TRACE_CONTEXT), "last trace events of the step:");
  }
  const skipped = r.steps.filter((s) => s.status === "skipped").length;
  if (skipped) lines.push(`  ${paint.dim(`${skipped} later step(s) not run`)}`);
  if (r.fault) {
    lines.push(`  ${bad(`${expected ? "expected fault" : "fault"}: ${r.fault}`)}`);
    if (!expected || opts.verbose) traceLines(traceBeforeFault(r, TRACE_CONTEXT), "last trace events before the fault:");
  }
  if (!r.passed || opts.verbose) {
    for (const l of r.kernelLog) lines.push(`  ${paint.dim(`[${(l.timeNs / 1e9).toFixed(6)}] ${l.text}`)}`);
  }
  return lines.join("\n");
}

function formatSummary(results: readonly ScenarioResult[], invalid: number, bailed: boolean): string {
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  const parts = [`${results.length} scenario(s)`, `${passed} passed`, `${failed} failed`];
  if (invalid) parts.push(`${invalid} invalid`);
  const failing = results.filter((r) => !r.passed).map((r) => `  ${r.file} — ${r.name} (${cellText(r)})`);
  const head = bailed ? ["stopped after the first failure (--bail)"] : [];
  // A seed sweep or a matrix lists each failing cell, so every failing seed and profile is named.
  const list = failing.length > 1 ? ["failed:", ...failing] : [];
  return [...head, ...list, parts.join(", ")].join("\n");
}

function painter(on: boolean) {
  const wrap = (code: number) => (s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { green: wrap(32), red: wrap(31), yellow: wrap(33), dim: wrap(2) };
}

/** `[12/200] 1 failed · running file — name`, once the run has gone on for a second. */
function progressOf(line: ProgressLine | undefined) {
  let total = 0;
  let done = 0;
  let failed = 0;
  let started = 0;
  let shown = false;
  return {
    start(t: number | undefined): void {
      total = t ?? 0;
      started = performance.now();
    },
    running(what: string): void {
      if (!line || total < 2 || performance.now() - started < PROGRESS_AFTER_MS) return;
      line.show(`[${done}/${total}]${failed ? ` ${failed} failed ·` : ""} running ${what}`);
      shown = true;
    },
    ended(passed: boolean): void {
      done++;
      if (!passed) failed++;
    },
    clear(): void {
      if (shown) line?.clear();
      shown = false;
    },
  };
}

export const pretty: ReporterFactory = (o) => {
  const progress = progressOf(o.progress);
  const print = (text: string): void => {
    progress.clear();
    o.print(text);
  };
  return {
    onRunStart: (e) => progress.start(e.total),
    onScenarioStart: (e) => progress.running(`${e.scenario.file} — ${e.scenario.name}`),
    onScenarioEnd: (e) => {
      progress.ended(e.result.passed);
      print(formatScenario(e.result, { verbose: o.verbose, color: o.color, timing: o.timing }));
    },
    onRunEnd: (e) => print(`\n${formatSummary(e.results, e.invalid, e.bailed === true)}`),
  };
};
