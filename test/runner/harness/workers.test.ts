// Worker threads give the same results, in the same order, as one thread (issue 8: "--workers <n>
// ... the same results as one worker"), and --bail stops at the same scenario either way.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../../runner/harness/events.js";
import { expandMatrix } from "../../../runner/harness/matrix.js";
import type { ScenarioResult } from "../../../runner/harness/results.js";
import { Run } from "../../../runner/harness/run.js";
import { loadScenarioFile } from "../../../runner/scenario/parse.js";
import type { Scenario } from "../../../runner/scenario/scenario.js";

const ROOT = new URL("../../../", import.meta.url).pathname;

async function suite(): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const d of ["test/runner/fixtures/profile-differences", "examples"]) {
    for (const f of readdirSync(join(ROOT, d)).filter((n) => n.endsWith(".yaml")).sort()) out.push(await loadScenarioFile(join(ROOT, d, f)));
  }
  return out;
}

/** Every event, with the wall-clock times (the one thing that differs between runs) taken out. */
async function events(units: Scenario[], workers: number, bail = false): Promise<{ events: unknown[]; code: number }> {
  const seen: RunEvent[] = [];
  const run = new Run([(e) => seen.push(e)]);
  run.start(units.length);
  await run.all(units, { workers, bail });
  const code = run.end();
  const plain = (r: ScenarioResult) => ({ ...r, wallMs: 0 });
  return {
    code,
    events: seen.map((e) => (e.type === "scenario-end" ? { ...e, result: plain(e.result) } : e.type === "run-end" ? { ...e, results: e.results.map(plain) } : e)),
  };
}

describe("a run on worker threads", () => {
  it("emits exactly the events of a run on one thread: 25 scenarios × both profiles", async () => {
    const units = expandMatrix(await suite(), { drivers: ["mainline", "v6.18"] });
    expect(units).toHaveLength(50);
    const one = await events(units, 1);
    const three = await events(units, 3);
    expect(three.code).toBe(1);
    expect(three.events).toEqual(one.events);
    // Both profiles' results are there, the v6.18 conformance cells failing.
    const ends = one.events.filter((e): e is { type: "scenario-end"; result: ScenarioResult } => (e as RunEvent).type === "scenario-end");
    expect(ends.filter((e) => !e.result.passed).map((e) => e.result.driver)).toEqual(Array(9).fill("v6.18"));
  });

  it("--bail stops after the first failing scenario in the suite's order, for any number of workers", async () => {
    const units = expandMatrix(await suite(), { drivers: ["v6.18"] });
    const one = await events(units, 1, true);
    const two = await events(units, 2, true);
    expect(two.events).toEqual(one.events);
    const end = one.events.at(-1) as { type: string; results: ScenarioResult[]; bailed?: boolean };
    // The first conformance file fails on 6.18: nothing after it ran.
    expect(end.bailed).toBe(true);
    expect(end.results.map((r) => [r.file.replace(ROOT, ""), r.passed])).toEqual([["test/runner/fixtures/profile-differences/create-handle-duplicate-race.yaml", false]]);
  });
});

describe("the matrix", () => {
  it("is scenario by scenario, then profile, then seed; each cell its own machine, the file's own values where no axis is given", async () => {
    const [a, b] = (await suite()).slice(0, 2) as [Scenario, Scenario];
    const cells = expandMatrix([a, b], { drivers: ["v6.18", "mainline"], seeds: [1, 2] });
    expect(cells.map((c) => [c.file, c.machine.driver, c.machine.seed])).toEqual([
      [a.file, "v6.18", 1], [a.file, "v6.18", 2], [a.file, "mainline", 1], [a.file, "mainline", 2],
      [b.file, "v6.18", 1], [b.file, "v6.18", 2], [b.file, "mainline", 1], [b.file, "mainline", 2],
    ]);
    expect(a.machine.seed).toBe(2);
    expect(expandMatrix([a], {}).map((c) => [c.machine.driver, c.machine.seed])).toEqual([["mainline", 2]]);
  });
});
