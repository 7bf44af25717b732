// `papr-emu explore <scenario>`: systematic enumeration of the scheduler's decisions (runner/explore/)
// instead of random seeds, with shards for a CI matrix, worker processes, and the minimal failing
// schedule of each fault kind written as a schedule file.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Command } from "commander";
import { DRIVER_PROFILES, type DriverProfile } from "../../kernel-shim/profile.js";
import { Explorer } from "../explore/engine.js";
import { minimise } from "../explore/minimise.js";
import { formatReport } from "../explore/report.js";
import { mergeResults, type ExploreResult } from "../explore/result.js";
import { SCHEDULE_FORMAT, writeScheduleFile } from "../explore/schedule-file.js";
import { scenarioTarget } from "../explore/scenario-target.js";
import { loadScenarioFile } from "../scenario/parse.js";
import { UsageError } from "./usage.js";

interface ExploreCommandOptions {
  driver?: string;
  preemptions: string;
  maxSchedules?: string;
  time?: string;
  workers?: string;
  shard?: string;
  reduction: boolean;
  stateHashing: boolean;
  scheduleOut?: string;
  json?: boolean;
  merge?: boolean;
}

function count(text: string, option: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${option} takes an integer >= ${min}, not "${text}"`);
  return n;
}

function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || index >= n) throw new UsageError(`--shard takes i/n with 0 <= i < n, not "${text}"`);
  return { index, count: n };
}

/**
 * The command the worker processes run: the package's own bin (not process.argv[1], which is
 * whatever program called the API — vitest, say). From dist/runner/cli/ it is one folder further up.
 */
const CLI = new URL(import.meta.url.endsWith(".ts") ? "../../bin/papr-emu.js" : "../../../bin/papr-emu.js", import.meta.url);

/** Runs the exploration in `workers` child processes, one shard each, and merges their results. */
async function inWorkers(scenario: string, opts: ExploreCommandOptions, workers: number): Promise<ExploreResult> {
  const pass = ["explore", scenario, "--json", "--preemptions", opts.preemptions];
  if (opts.driver) pass.push("--driver", opts.driver);
  if (opts.maxSchedules) pass.push("--max-schedules", opts.maxSchedules);
  if (opts.time) pass.push("--time", opts.time);
  if (!opts.reduction) pass.push("--no-reduction");
  if (!opts.stateHashing) pass.push("--no-state-hashing");
  const results = await Promise.all(Array.from({ length: workers }, (_, i) => new Promise<ExploreResult>((resolve, reject) => {
    const child = fork(fileURLToPath(CLI), [...pass, "--shard", `${i}/${workers}`], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
    let out = "";
    child.stdout!.on("data", (b: Buffer) => { out += b.toString(); });
    child.on("error", reject);
    child.on("exit", () => {
      try {
        resolve(JSON.parse(out) as ExploreResult);
      } catch {
        reject(new Error(`explore worker ${i} gave no result`));
      }
    });
  })));
  return mergeResults(results);
}

async function exploreCommand(paths: string[], opts: ExploreCommandOptions): Promise<number> {
  if (opts.driver !== undefined && !(DRIVER_PROFILES as readonly string[]).includes(opts.driver)) {
    throw new UsageError(`--driver takes ${DRIVER_PROFILES.join(" or ")}, not "${opts.driver}"`);
  }
  if (opts.merge) {
    const results = await Promise.all(paths.map(async (p) => JSON.parse(await readFile(p, "utf8")) as ExploreResult));
    const merged = mergeResults(results);
    console.log(opts.json ? JSON.stringify(merged) : formatReport(paths.join(" "), "(as sharded)", merged));
    return Object.keys(merged.faults).length ? 1 : 0;
  }
  if (paths.length !== 1) throw new UsageError("explore takes one scenario file (or, with --merge, result files)");
  const file = paths[0]!;
  const scenario = await loadScenarioFile(file);
  // Exploration takes every decision itself: the scenario's seed does not apply.
  delete scenario.machine.seed;
  if (opts.driver !== undefined) scenario.machine.driver = opts.driver as DriverProfile;
  const options = {
    preemptions: count(opts.preemptions, "--preemptions", 0),
    maxSchedules: opts.maxSchedules === undefined ? undefined : count(opts.maxSchedules, "--max-schedules", 1),
    timeMs: opts.time === undefined ? undefined : count(opts.time, "--time", 1) * 1000,
    reduction: opts.reduction,
    stateHashing: opts.stateHashing,
    shard: opts.shard === undefined ? undefined : parseShard(opts.shard),
  };
  const workers = opts.workers === undefined ? 1 : count(opts.workers, "--workers", 1);
  if (workers > 1 && options.shard) throw new UsageError("--workers and --shard cannot be combined (each worker is a shard)");
  const target = scenarioTarget(scenario);
  const result = workers > 1 ? await inWorkers(file, opts, workers) : new Explorer(target, options).run();
  if (opts.json) console.log(JSON.stringify(result));
  else console.log(formatReport(file, scenario.machine.driver, result));
  const kinds = Object.keys(result.faults).sort();
  if (opts.scheduleOut) {
    for (const kind of kinds) {
      const m = minimise(target, result.faults[kind]!.first.decisions, kind);
      const out = kinds.length === 1 ? opts.scheduleOut : opts.scheduleOut.replace(/(\.[^./]*)?$/, `.${kind}${extname(opts.scheduleOut) || ".json"}`);
      await writeScheduleFile(out, {
        format: SCHEDULE_FORMAT, scenario: file, driver: scenario.machine.driver,
        fault: { kind, message: m.faultMessage ?? "" }, preemptions: m.preemptions, decisions: m.decisions,
      });
      if (!opts.json) console.log(`  ${kind}: minimal schedule (${m.preemptions} preemption(s), ${m.decisions.length} decisions, ${m.departures.length} departure(s) from the non-preemptive schedule, ${m.runs} replays) written to ${out}`);
    }
  }
  return kinds.length ? 1 : 0;
}

export function registerExplore(program: Command, setCode: (code: number) => void): void {
  program
    .command("explore")
    .description("explore a scenario's schedules systematically (preemption-bounded DFS with partial-order reduction and state hashing)")
    .argument("<paths...>", "a scenario file (with --merge: JSON results of shards)")
    .option("--driver <profile>", "the kernel-shim profile (mainline or v6.18)")
    .option("--preemptions <k>", "explore every schedule with up to k preemptions", "2")
    .option("--max-schedules <n>", "stop after n runs")
    .option("--time <seconds>", "stop after this much wall time")
    .option("--workers <n>", "run n shards in parallel processes and merge them")
    .option("--shard <i/n>", "explore only shard i of n (a deterministic split for a CI matrix; merge with --merge)")
    .option("--no-reduction", "turn off partial-order reduction (sleep sets)")
    .option("--no-state-hashing", "turn off state hashing")
    .option("--schedule-out <file>", "write the minimal failing schedule (one file per fault kind) for `run --schedule`")
    .option("--json", "print the result as JSON (what --merge reads)")
    .option("--merge", "merge the JSON results of shards given as paths")
    .action(async (paths: string[], opts: ExploreCommandOptions) => {
      setCode(await exploreCommand(paths, opts));
    });
}
