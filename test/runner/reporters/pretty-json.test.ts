// The pretty report (colours by NO_COLOR/FORCE_COLOR, the trace before a failure, the progress
// line), json-lines, and --no-timing making two reports of one run byte-identical (issue 8).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { main } from "../../../runner/cli/main.js";
import { colorFor } from "../../../runner/cli/outputs.js";
import { pretty } from "../../../runner/reporters/pretty.js";
import type { ScenarioResult } from "../../../runner/harness/results.js";
import { captureConsole } from "../../support/capture-console.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const HEADER = join(ROOT, "test/runner/fixtures/profile-differences/header-copy-fault.yaml");
const PAYLOAD = join(ROOT, "test/runner/fixtures/profile-differences/payload-copy-fault.yaml");
const EXAMPLE = join(ROOT, "examples/01-message-roundtrip.yaml");
const ESC = "\x1b[";

describe("colours", () => {
  it("FORCE_COLOR wins (off only for 0 or false), else a non-empty NO_COLOR turns them off, else the terminal decides", () => {
    expect(colorFor(true, {})).toBe(true);
    expect(colorFor(false, {})).toBe(false);
    expect(colorFor(true, { NO_COLOR: "1" })).toBe(false);
    expect(colorFor(true, { NO_COLOR: "" })).toBe(true);
    expect(colorFor(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorFor(false, { FORCE_COLOR: "" })).toBe(true);
    expect(colorFor(true, { FORCE_COLOR: "0" })).toBe(false);
    expect(colorFor(true, { FORCE_COLOR: "false" })).toBe(false);
    expect(colorFor(false, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
  });

  describe("in the CLI's report", () => {
    const { out } = captureConsole();
    it("FORCE_COLOR paints PASS green even off a terminal; NO_COLOR alone prints none", async () => {
      vi.stubEnv("FORCE_COLOR", "1");
      expect(await main(["run", EXAMPLE, "--no-timing"])).toBe(0);
      expect(out[0]).toMatch(/^\x1b\[32mPASS\x1b\[0m {2}/);
      out.length = 0;
      vi.stubEnv("FORCE_COLOR", undefined);
      vi.stubEnv("NO_COLOR", "1");
      expect(await main(["run", HEADER, "--driver", "v6.18", "--no-timing"])).toBe(1);
      expect(out.join("\n")).not.toContain(ESC);
      vi.unstubAllEnvs();
    });
  });
});

describe("the pretty report of a failure", () => {
  const { out } = captureConsole();

  it("names the step's file:line:col, expected vs actual, and the trace up to the step's system call", async () => {
    expect(await main(["run", HEADER, "--driver", "v6.18", "--no-timing"])).toBe(1);
    const lines = out[0]!.split("\n");
    const at = lines.indexOf(`  ✗ ${HEADER}:8:5  read  read(h1, 4096) [user-fault: buffer] = 48`);
    expect(at).toBe(1);
    expect(lines[2]).toBe("      errno: got 48, expected EFAULT");
    expect(lines[3]).toBe("      last trace events of the step:");
    // Six records, ending at the read's exit: the header copy that faulted, then the wrong return.
    expect(lines.slice(4, 10)).toHaveLength(6);
    expect(lines[8]).toMatch(/p1:read\[\d+\] +copy to-user 0x1000 \+48 FAULT$/);
    expect(lines[9]).toMatch(/p1:read\[\d+\] +← read = 48$/);
  });

  it("a fault shows the last trace events before it", async () => {
    expect(await main(["run", PAYLOAD, "--driver", "v6.18", "--no-timing"])).toBe(1);
    const text = out[0]!;
    expect(text).toMatch(/\n {2}fault: lost message: lost: payload of 12 bytes/);
    expect(text).toContain("      last trace events before the fault:\n");
  });
});

describe("the progress line", () => {
  it("appears once a run of several scenarios has gone on for a second, and is cleared before each report", () => {
    const calls: string[] = [];
    const now = vi.spyOn(performance, "now").mockReturnValue(0);
    const r = pretty({ verbose: false, color: false, trace: false, timing: false, print: (t) => calls.push(`print ${t.split("\n")[0]}`),
      progress: { show: (t) => calls.push(`show ${t}`), clear: () => calls.push("clear") } });
    r.onRunStart!({ type: "run-start", total: 3 });
    const scenario = { file: "a.yaml", name: "a" } as Parameters<NonNullable<typeof r.onScenarioStart>>[0]["scenario"];
    r.onScenarioStart!({ type: "scenario-start", scenario });
    const result = { file: "a.yaml", name: "a", passed: false, steps: [], decisions: 0, emulatedTimeNs: 0, kernelLog: [], trace: [], wallMs: 0 } as ScenarioResult;
    r.onScenarioEnd!({ type: "scenario-end", result });
    now.mockReturnValue(1500);
    r.onScenarioStart!({ type: "scenario-start", scenario });
    r.onScenarioEnd!({ type: "scenario-end", result: { ...result, passed: true } });
    now.mockRestore();
    expect(calls).toEqual([
      "print FAIL  a.yaml — a  (0 steps, 0.000 s emulated)",
      "show [1/3] 1 failed · running a.yaml — a",
      "clear",
      "print PASS  a.yaml — a  (0 steps, 0.000 s emulated)",
    ]);
  });
});

describe("json-lines and --no-timing", () => {
  const { out } = captureConsole();
  const dir = mkdtempSync(join(tmpdir(), "papr-emu-timing-"));
  const reporters = ["pretty", "json", "json-lines", "junit", "tap"];
  const runTo = async (tag: string, extra: string[]): Promise<string[]> => {
    const args = reporters.flatMap((r) => ["--reporter", `${r}:${join(dir, `${tag}.${r}`)}`]);
    expect(await main(["run", EXAMPLE, HEADER, "--driver", "v6.18", "--workers", "1", ...args, ...extra])).toBe(1);
    return reporters.map((r) => readFileSync(join(dir, `${tag}.${r}`), "utf8"));
  };

  it("json-lines: one line per scenario run as it ends, then a summary line", async () => {
    const [, , lines] = await runTo("a", ["--no-timing"]);
    const objs = lines!.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.map((o) => (o.type === "scenario" ? [o.type, o.file, o.passed] : [o.type]))).toEqual([
      ["scenario", EXAMPLE, true], ["scenario", HEADER, false], ["summary"]]);
    expect(objs[2]).toEqual({ type: "summary", scenarios: 2, passed: 1, failed: 1, invalid: 0 });
    expect(objs[0]).not.toHaveProperty("wallMs");
    expect(out).toEqual([]);
  });

  it("two runs with --no-timing give byte-identical reports from every reporter; with timing they carry times", async () => {
    const a = await runTo("a", ["--no-timing"]);
    const b = await runTo("b", ["--no-timing"]);
    expect(b).toEqual(a);
    const timed = await runTo("c", []);
    expect(timed[0]).toMatch(/s emulated, v6\.18, \d+ ms\)/);
    expect(JSON.parse(timed[1]!).results[0]).toHaveProperty("wallMs");
    expect(timed[3]).toMatch(/<testcase [^>]* time="\d+\.\d{3}"/);
  });
});

describe("the pretty report of a declared fault", () => {
  const { out } = captureConsole();
  it("a run that ends in its expect-fault passes and shows the fault as expected, not as a failure", async () => {
    // conformance/race-ioctl-irq-deadlock.yaml declares the 6.18 deadlock (expect-fault, at its seed 7).
    const race = join(ROOT, "conformance/race-ioctl-irq-deadlock.yaml");
    expect(await main(["run", race, "--driver", "v6.18", "--no-timing", "--workers", "1"])).toBe(0);
    const lines = out[0]!.split("\n");
    expect(lines[0]).toMatch(/^PASS {2}/);
    expect(lines[1]).toBe(`  ⚑ ${race}:15:5  parallel  `);
    expect(lines.find((l) => l.startsWith("  expected fault: kernel deadlock: irq@cpu0 spins on hvpipe_src_list_lock"))).toBeDefined();
    expect(lines.some((l) => l.includes("✗") || l.startsWith("  fault:"))).toBe(false);
  });
});
