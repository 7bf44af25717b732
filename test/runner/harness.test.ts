// The harness's events and the reporters the CLI chooses by name.
import { describe, expect, it } from "vitest";
import { captureConsole } from "../support/capture-console.js";
import { main } from "../../runner/cli/main.js";
import type { RunEvent } from "../../runner/harness/events.js";
import { Run } from "../../runner/harness/run.js";
import { runScenario } from "../../runner/harness/run-scenario.js";
import { parseScenario } from "../../runner/scenario/parse.js";

const EXAMPLE = new URL("../../examples/01-message-roundtrip.yaml", import.meta.url).pathname;
const SCENARIO = "name: e\nsteps:\n  - open: /dev/papr-hvpipe\n    as: dev\n  - close: dev\n";

describe("the harness emits typed events", () => {
  it("run-start, scenario-start, one step event per result, scenario-end, run-end", () => {
    const events: RunEvent[] = [];
    const run = new Run([(e) => events.push(e)]);
    run.start();
    const r = run.scenario(parseScenario(SCENARIO, "e.yaml"));
    expect(run.end()).toBe(0);
    expect(events.map((e) => e.type)).toEqual(["run-start", "scenario-start", "step", "step", "scenario-end", "run-end"]);
    const steps = events.flatMap((e) => (e.type === "step" ? [e.result] : []));
    expect(steps).toEqual(r.steps);
    expect(events.at(-1)).toEqual({ type: "run-end", results: [r], invalid: 0 });
  });

  it("trace records only when asked, before scenario-end", () => {
    const types: string[] = [];
    const r = runScenario(parseScenario(SCENARIO, "e.yaml"), { listener: (e) => types.push(e.type), trace: true });
    expect(r.trace.length).toBeGreaterThan(0);
    expect(types.filter((t) => t === "trace")).toHaveLength(r.trace.length);
    expect(types.at(-1)).toBe("scenario-end");
    const quiet: string[] = [];
    runScenario(parseScenario(SCENARIO, "e.yaml"), { listener: (e) => quiet.push(e.type) });
    expect(quiet).not.toContain("trace");
  });

  it("an invalid file counts, and makes the exit status 2", () => {
    const events: RunEvent[] = [];
    const run = new Run([(e) => events.push(e)]);
    run.refuse("x.yaml:1:1: nope");
    expect(run.end()).toBe(2);
    expect(events).toEqual([{ type: "invalid", message: "x.yaml:1:1: nope" }, { type: "run-end", results: [], invalid: 1 }]);
  });
});

describe("papr-emu run --reporter", () => {
  const { out, err } = captureConsole();

  it("an unknown name is a usage error listing the names", async () => {
    // (tap was the unknown name here until issue 8 made it a reporter.)
    expect(await main(["run", EXAMPLE, "--reporter", "xunit"])).toBe(2);
    expect(err.join("\n")).toBe('papr-emu: --reporter takes pretty, json, json-lines, junit, tap, trace, not "xunit"');
  });

  it("--json is --reporter json", async () => {
    const strip = (s: string) => s.replace(/"wallMs": [0-9.e-]+/g, "");
    expect(await main(["run", EXAMPLE, "--json"])).toBe(0);
    const viaFlag = out.map(strip);
    out.length = 0;
    expect(await main(["run", EXAMPLE, "--reporter", "json"])).toBe(0);
    expect(out.map(strip)).toEqual(viaFlag);
    expect(JSON.parse(out[0]!)).toMatchObject({ invalid: 0, results: [{ passed: true }] });
  });

  it("reporters are repeatable and print in the order named", async () => {
    expect(await main(["run", EXAMPLE, "--reporter", "json", "--reporter", "pretty"])).toBe(0);
    // Each reporter's hooks run in that order: json's document, then pretty's summary, at run end.
    expect(out[0]).toMatch(/^PASS  /);
    expect(JSON.parse(out.at(-2)!)).toMatchObject({ invalid: 0 });
    expect(out.at(-1)).toMatch(/^\n1 scenario\(s\), 1 passed, 0 failed$/);
  });

  it("--trace adds the trace text after pretty's report of each scenario", async () => {
    expect(await main(["run", EXAMPLE, "--trace"])).toBe(0);
    expect(out[0]).toMatch(/^PASS  /);
    expect(out[1]).toMatch(/^\s+\d+\.\d{6}  /);
    expect(out).toHaveLength(3);
  });
});
