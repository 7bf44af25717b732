// The package's public entry ("papr-emu"): load scenario files, run them, read the results — what
// the CLI's `run` does, for a test suite (vitest, node:test) that drives papr-emu itself.
import type { HotPathBuild } from "../emulator/hotpath.js";
import type { DriverProfile } from "../kernel-shim/profile.js";
import type { RunListener } from "./harness/events.js";
import type { ScenarioResult } from "./harness/results.js";
import { runScenario as runParsed } from "./harness/run-scenario.js";
import { ScenarioError } from "./scenario/errors.js";
import { loadScenarioFile, parseScenario } from "./scenario/parse.js";
import type { Scenario } from "./scenario/scenario.js";

export { ScenarioError, parseScenario };
export type { DriverProfile, HotPathBuild, RunListener, Scenario, ScenarioResult };
export type { RunEvent } from "./harness/events.js";
export type { StepResult, StepStatus } from "./harness/results.js";
export type { MachineConfig } from "./scenario/model.js";

/** What the command line's --seed, --driver and --hot-path override; absent: the scenario's own. */
export interface RunOptions {
  /** Schedule with this seed (0..4294967295) instead of the deterministic default. */
  seed?: number;
  /** Run on this kernel profile: "mainline" or "v6.18". */
  driver?: DriverProfile;
  /** The emulator's hot path as "wasm" (default) or the same source built as JavaScript ("js"). */
  hotPath?: HotPathBuild;
  /** Record the scheduler's trace in each result's `trace` (and as trace events). */
  trace?: boolean;
  /** Receives each scenario's events (scenario-start, step, trace, scenario-end) as they happen. */
  listener?: RunListener;
}

/** A file that could not run: its ScenarioError's `file:line:column: problem`. */
export interface InvalidScenario {
  file: string;
  message: string;
}

export interface RunSummary {
  results: ScenarioResult[];
  invalid: InvalidScenario[];
  /** Every scenario ran and passed. */
  passed: boolean;
  /** The CLI's exit status for the same run: 0 all passed, 1 a scenario failed, 2 a file was invalid. */
  exitCode: 0 | 1 | 2;
}

/** Reads and parses one scenario file; a bad file rejects with a ScenarioError naming file:line:column. */
export function loadScenario(path: string): Promise<Scenario> {
  return loadScenarioFile(path);
}

/** Boots a fresh partition for the scenario and runs its steps; never throws for a failing scenario. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioResult {
  const machine = { ...scenario.machine };
  if (options.seed !== undefined) machine.seed = checkedSeed(options.seed);
  if (options.driver !== undefined) machine.driver = options.driver;
  if (options.hotPath !== undefined) machine.hotPath = options.hotPath;
  return runParsed({ ...scenario, machine }, { listener: options.listener, trace: options.trace });
}

/** Runs scenario files (or parsed scenarios) in order; a file that does not parse is listed in `invalid`. */
export async function runScenarios(scenarios: readonly (string | Scenario)[], options: RunOptions = {}): Promise<RunSummary> {
  const results: ScenarioResult[] = [];
  const invalid: InvalidScenario[] = [];
  for (const s of scenarios) {
    let scenario: Scenario;
    try {
      scenario = typeof s === "string" ? await loadScenarioFile(s) : s;
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      invalid.push({ file: e.file, message: e.message });
      continue;
    }
    results.push(runScenario(scenario, options));
  }
  const passed = invalid.length === 0 && results.every((r) => r.passed);
  return { results, invalid, passed, exitCode: invalid.length ? 2 : passed ? 0 : 1 };
}

function checkedSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed takes an integer 0..4294967295, not ${seed}`);
  return seed;
}
