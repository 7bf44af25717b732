// The conformance suite: every scenario under conformance/ (its subfolders included) passes on
// both profiles, declaring what each does where they differ (per-profile expect, expect-fault);
// each has a `description` naming its spec section or docs page, `tags`, and a row in
// docs/conformance.md. The seed sweeps of the profile differences are conformance.test.ts's.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../runner/harness/run-scenario.js";
import type { ScenarioResult } from "../../runner/harness/results.js";
import { loadScenarioFile } from "../../runner/scenario/parse.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const DIR = join(ROOT, "conformance");

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return scenarioFiles(path);
    return /\.ya?ml$/.test(e.name) ? [relative(ROOT, path)] : [];
  }).sort();
}

function failures(r: ScenarioResult): string {
  return [r.fault ?? "", ...r.steps.flatMap((s) => s.problems)].filter((p) => p !== "").join("\n");
}

const files = scenarioFiles(DIR);

describe("conformance suite", () => {
  it("has the scenarios of every folder (driver, platform, policy and the older top-level files)", () => {
    // 9 older files, 43 driver, 13 platform, 21 policy scenarios and the 4 findings.
    expect(files.length).toBe(90);
    expect(new Set(files.map((f) => f.split("/").length === 2 ? "." : f.split("/")[1]))).toEqual(new Set([".", "driver", "platform", "policy", "findings"]));
  });

  it.each(files)("%s has a description naming its source and tags", async (file) => {
    const scenario = await loadScenarioFile(join(ROOT, file));
    // A description names where its fact comes from: a section of the spec or a docs page.
    expect(scenario.description).toMatch(/§\d|docs\/policies\.md/);
    expect(scenario.tags?.length).toBeGreaterThan(0);
    expect(scenario.tags!.every((t) => /^[a-z0-9.-]+$/.test(t))).toBe(true);
  });

  // Each file states both profiles' results (per-profile expect, expect-fault), so it passes on both.
  it.each(files.flatMap((f) => [[f, "mainline"], [f, "v6.18"]] as const))("%s passes on %s", async (file, driver) => {
    const scenario = await loadScenarioFile(join(ROOT, file));
    scenario.machine.driver = driver;
    const result = await runScenario(scenario);
    expect(result.passed, failures(result)).toBe(true);
  });

  it("has a row in docs/conformance.md for every scenario, and no row for a file that does not exist", () => {
    const doc = readFileSync(join(ROOT, "docs/conformance.md"), "utf8");
    const named = new Set([...doc.matchAll(/`(conformance\/[\w./-]+\.yaml)`/g)].map((m) => m[1]!));
    expect([...named].sort()).toEqual(files);
  });
});
