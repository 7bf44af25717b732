// The `junit` reporter: JUnit XML as CI systems render it — a <testsuite> per scenario file, a
// <testcase> per scenario × profile × seed (profile and seed also as properties), a <failure>
// with the failing steps and the fault, and an <error> testcase for a file that cannot run.
import type { InvalidEvent } from "../harness/events.js";
import type { ScenarioResult } from "../harness/results.js";
import { failureMessage, failureText, runLabel } from "./describe.js";
import type { ReporterFactory } from "./reporter.js";

/** XML text and attribute values; characters XML 1.0 cannot hold at all become U+FFFD. */
function esc(s: string): string {
  return s
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

interface Suite {
  file: string;
  results: ScenarioResult[];
  invalid: string[];
}

export const junit: ReporterFactory = (o) => {
  const suites = new Map<string, Suite>();
  const suite = (file: string): Suite => {
    let s = suites.get(file);
    if (!s) suites.set(file, (s = { file, results: [], invalid: [] }));
    return s;
  };
  const time = (ms: number): string => (o.timing === false ? "" : ` time="${seconds(ms)}"`);

  const testcase = (r: ScenarioResult): string[] => {
    const props = [`<property name="driver" value="${esc(r.driver ?? "mainline")}"/>`];
    if (r.seed !== undefined) props.push(`<property name="seed" value="${r.seed}"/>`);
    const head = `    <testcase name="${esc(runLabel(r))}" classname="${esc(r.file)}"${time(r.wallMs)}>`;
    const lines = [head, `      <properties>${props.join("")}</properties>`];
    if (!r.passed) {
      lines.push(`      <failure message="${esc(failureMessage(r))}" type="${r.fault ? "fault" : "expectation"}">${esc(failureText(r))}</failure>`);
      const log = r.kernelLog.map((l) => `[${(l.timeNs / 1e9).toFixed(6)}] ${l.text}`).join("\n");
      if (log) lines.push(`      <system-out>${esc(log)}</system-out>`);
    }
    lines.push("    </testcase>");
    return lines;
  };

  const invalidCase = (file: string, message: string): string[] => [
    `    <testcase name="(invalid scenario file)" classname="${esc(file)}">`,
    `      <error message="${esc(message)}" type="invalid">${esc(message)}</error>`,
    "    </testcase>",
  ];

  return {
    onScenarioEnd: (e) => void suite(e.result.file).results.push(e.result),
    onInvalid: (e: InvalidEvent) => void suite(e.file ?? e.message.split(":")[0]!).invalid.push(e.message),
    onRunEnd(e) {
      const failed = e.results.filter((r) => !r.passed).length;
      const wall = e.results.reduce((t, r) => t + r.wallMs, 0);
      const total = e.results.length + e.invalid;
      const out = ['<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="papr-emu" tests="${total}" failures="${failed}" errors="${e.invalid}"${time(wall)}>`];
      for (const s of suites.values()) {
        const f = s.results.filter((r) => !r.passed).length;
        const t = s.results.reduce((a, r) => a + r.wallMs, 0);
        out.push(`  <testsuite name="${esc(s.file)}" tests="${s.results.length + s.invalid.length}" failures="${f}" errors="${s.invalid.length}" skipped="0"${time(t)}>`);
        for (const r of s.results) out.push(...testcase(r));
        for (const m of s.invalid) out.push(...invalidCase(s.file, m));
        out.push("  </testsuite>");
      }
      out.push("</testsuites>");
      o.print(out.join("\n"));
    },
  };
};
