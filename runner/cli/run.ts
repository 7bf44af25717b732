// `papr-emu run`: load scenario files, run them, and print the run through the chosen reporters.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { HOT_PATH_BUILDS, type HotPathBuild } from "../../emulator/hotpath.js";
import type { RunListener } from "../harness/events.js";
import { Run } from "../harness/run.js";
import { REPORTERS } from "../reporters/index.js";
import { listenerOf } from "../reporters/reporter.js";
import { ScenarioError } from "../scenario/errors.js";
import { DRIVER_PROFILES, type DriverProfile } from "../../kernel-shim/profile.js";
import { loadScenarioFile } from "../scenario/parse.js";
import { replayPolicy } from "../../kernel-shim/sched/replay.js";
import { readScheduleFile } from "../explore/schedule-file.js";
import { applyDtbOverride, loadDtbOverride } from "./dtb-override.js";
import { UsageError } from "./usage.js";

interface RunCommandOptions {
  verbose?: boolean;
  trace?: boolean;
  json?: boolean;
  reporter?: string[];
  seed?: string;
  driver?: string;
  dtb?: string;
  hotPath?: string;
  schedule?: string;
}

/** Exit codes: 0 all passed, 1 a scenario failed, 2 usage error or invalid input. */
export async function runCommand(paths: string[], opts: RunCommandOptions): Promise<number> {
  if (opts.driver !== undefined && !(DRIVER_PROFILES as readonly string[]).includes(opts.driver)) {
    throw new UsageError(`--driver takes ${DRIVER_PROFILES.join(" or ")}, not "${opts.driver}"`);
  }
  if (opts.hotPath !== undefined && !(HOT_PATH_BUILDS as readonly string[]).includes(opts.hotPath)) {
    throw new UsageError(`--hot-path takes ${HOT_PATH_BUILDS.join(" or ")}, not "${opts.hotPath}"`);
  }
  const names = reporterNames(opts);
  const schedule = opts.schedule === undefined ? undefined : await readScheduleFile(opts.schedule);
  const files = await scenarioFiles(paths);
  const override = opts.dtb === undefined ? undefined : await loadDtbOverride(opts.dtb);
  const options = { verbose: opts.verbose ?? false, color: process.stdout.isTTY === true, trace: opts.trace ?? false, print: (s: string) => console.log(s) };
  const invalidLines: RunListener = (e) => {
    if (e.type === "invalid") console.error(`INVALID  ${e.message}`);
  };
  const run = new Run([invalidLines, ...names.map((n) => listenerOf(REPORTERS[n]!(options)))]);
  run.start();
  for (const file of files) {
    let scenario;
    try {
      scenario = await loadScenarioFile(file);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      run.refuse(e.message);
      continue;
    }
    if (opts.seed !== undefined) scenario.machine.seed = parseSeed(opts.seed);
    const problem = override && applyDtbOverride(scenario.machine, override);
    if (problem) {
      run.refuse(`${file}: ${problem}`);
      continue;
    }
    if (opts.driver !== undefined) scenario.machine.driver = opts.driver as DriverProfile;
    if (opts.hotPath !== undefined) scenario.machine.hotPath = opts.hotPath as HotPathBuild;
    if (schedule) {
      // A schedule replays exactly: its profile, no seed, and a divergence is the run's fault.
      if (opts.driver === undefined) scenario.machine.driver = schedule.driver;
      delete scenario.machine.seed;
      run.scenario(scenario, replayPolicy(schedule.decisions));
      continue;
    }
    run.scenario(scenario);
  }
  return run.end();
}

/**
 * The reporters, in order: each --reporter; --json is `--reporter json`; none named: pretty.
 * --trace puts the trace text after pretty's report (the json reporter carries the records instead).
 */
function reporterNames(opts: RunCommandOptions): string[] {
  const names = [...(opts.reporter ?? [])];
  for (const n of names) {
    if (!Object.hasOwn(REPORTERS, n)) throw new UsageError(`--reporter takes ${Object.keys(REPORTERS).join(", ")}, not "${n}"`);
  }
  if (opts.json && !names.includes("json")) names.push("json");
  if (names.length === 0) names.push("pretty");
  const at = names.indexOf("pretty");
  if (opts.trace && at >= 0 && !names.includes("trace")) names.splice(at + 1, 0, "trace");
  return names;
}

async function scenarioFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const names = (await readdir(p)).filter((n) => /\.ya?ml$/.test(n)).sort();
      if (names.length === 0) throw new UsageError(`${p}: no .yaml or .yml scenario files`);
      out.push(...names.map((n) => join(p, n)));
    } else {
      out.push(p);
    }
  }
  return out;
}

function parseSeed(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new UsageError(`--seed takes an integer 0..4294967295, not "${text}"`);
  return n;
}
