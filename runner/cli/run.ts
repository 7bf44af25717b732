// `papr-emu run`: select scenarios, expand them into the profile × seed matrix, run them (on worker
// threads), and print the run through the chosen reporters, each to stdout or its own file.
import { availableParallelism } from "node:os";
import { HOT_PATH_BUILDS, type HotPathBuild } from "../../emulator/hotpath.js";
import type { RunListener } from "../harness/events.js";
import { expandMatrix } from "../harness/matrix.js";
import { Run } from "../harness/run.js";
import { REPORTERS } from "../reporters/index.js";
import { listenerOf } from "../reporters/reporter.js";
import { cellText } from "../reporters/describe.js";
import { replayPolicy } from "../../kernel-shim/sched/replay.js";
import { readScheduleFile } from "../explore/schedule-file.js";
import { applyDtbOverride, loadDtbOverride } from "./dtb-override.js";
import { fileOutput, stdoutOutput, type Output } from "./outputs.js";
import { parseDrivers, parseGrep, parseReporterSpec, parseSeed, parseSeedRange, parseShard, parseWorkers } from "./run-options.js";
import { selectScenarios } from "./select.js";
import { checkSetup } from "./setup-check.js";
import { scenarioSources } from "./sources.js";
import { UsageError } from "./usage.js";

interface RunCommandOptions {
  verbose?: boolean;
  trace?: boolean;
  json?: boolean;
  reporter?: string[];
  seed?: string;
  seeds?: string;
  driver?: string;
  dtb?: string;
  hotPath?: string;
  grep?: string;
  tag?: string[];
  list?: boolean;
  bail?: boolean;
  workers?: string;
  shard?: string;
  /** commander's `--no-timing`. */
  timing?: boolean;
  /** Tests hand stdin's text in. */
  readStdin?: () => Promise<string>;
  /** A schedule file (papr-emu explore --schedule-out) to replay exactly. */
  schedule?: string;
}

/** Exit codes: 0 all passed, 1 a scenario failed, 2 usage error, invalid input, a setup problem or nothing selected. */
export async function runCommand(paths: string[], opts: RunCommandOptions): Promise<number> {
  if (opts.hotPath !== undefined && !(HOT_PATH_BUILDS as readonly string[]).includes(opts.hotPath)) {
    throw new UsageError(`--hot-path takes ${HOT_PATH_BUILDS.join(" or ")}, not "${opts.hotPath}"`);
  }
  if (opts.seed !== undefined && opts.seeds !== undefined) throw new UsageError("--seed and --seeds exclude each other (--seeds 7..7 is one seed)");
  const drivers = opts.driver === undefined ? undefined : parseDrivers(opts.driver);
  const seed = opts.seed === undefined ? undefined : parseSeed(opts.seed);
  const seeds = opts.seeds === undefined ? undefined : parseSeedRange(opts.seeds);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const workers = opts.workers === undefined ? availableParallelism() : parseWorkers(opts.workers);
  const grep = opts.grep === undefined ? undefined : parseGrep(opts.grep);
  const specs = reporterSpecs(opts);
  const schedule = opts.schedule === undefined ? undefined : await readScheduleFile(opts.schedule);
  if (schedule && (seed !== undefined || seeds !== undefined)) throw new UsageError("--schedule replays its own decisions: it cannot be combined with --seed or --seeds");

  const sources = await scenarioSources(paths);
  const override = opts.dtb === undefined ? undefined : await loadDtbOverride(opts.dtb);
  const selection = await selectScenarios(sources, { shard, grep, tags: opts.tag, readStdin: opts.readStdin });
  const invalid = [...selection.invalid];
  const runnable = selection.scenarios.filter((s) => {
    const problem = override && applyDtbOverride(s.machine, override);
    if (problem) invalid.push({ file: s.file, message: `${s.file}: ${problem}` });
    if (seed !== undefined) s.machine.seed = seed;
    if (opts.hotPath !== undefined) s.machine.hotPath = opts.hotPath as HotPathBuild;
    return !problem;
  });
  const units = expandMatrix(runnable, { drivers, seeds });
  if (units.length === 0 && invalid.length === 0) throw new UsageError(nothingSelected(sources.length, selection.parsed, shard !== undefined));
  for (const i of invalid) console.error(`INVALID  ${i.message}`);

  if (opts.list) {
    for (const u of units) console.log(`${u.file} — ${u.name} (${cellText({ driver: u.machine.driver, seed: u.machine.seed })})`);
    return invalid.length ? 2 : 0;
  }
  checkSetup(opts.hotPath as HotPathBuild | undefined);

  const outputs = new Map<string | undefined, Output>();
  const listeners: RunListener[] = specs.map(({ name, path }) => {
    let out = outputs.get(path);
    if (!out) outputs.set(path, (out = path === undefined ? stdoutOutput() : fileOutput(path)));
    const reporter = REPORTERS[name]!({ verbose: opts.verbose ?? false, color: out.color, trace: opts.trace ?? false, timing: opts.timing !== false, print: out.print, progress: out.progress });
    return listenerOf(reporter);
  });
  try {
    const run = new Run(listeners);
    run.start(units.length);
    for (const i of invalid) run.refuse(i.message, i.file);
    if (schedule) {
      // A schedule replays exactly: its profile (unless --driver says otherwise), no seed, and a
      // divergence is the run's fault. Its policy is a function of this process: no workers.
      for (const u of units) {
        if (drivers === undefined) u.machine.driver = schedule.driver;
        delete u.machine.seed;
        if (!run.scenario(u, replayPolicy(schedule.decisions)).passed && opts.bail) break;
      }
    } else {
      await run.all(units, { workers, bail: opts.bail ?? false });
    }
    return run.end();
  } finally {
    for (const o of outputs.values()) o.close();
  }
}

/**
 * The reporters, in order: each --reporter; --json is `--reporter json`; none named: pretty.
 * --trace puts the trace text after pretty's report (the json reporter carries the records instead).
 */
function reporterSpecs(opts: RunCommandOptions): { name: string; path?: string }[] {
  const specs = (opts.reporter ?? []).map(parseReporterSpec);
  const files = new Set<string>();
  for (const s of specs) {
    if (!Object.hasOwn(REPORTERS, s.name)) throw new UsageError(`--reporter takes ${Object.keys(REPORTERS).join(", ")}, not "${s.name}"`);
    if (s.path !== undefined && files.has(s.path)) throw new UsageError(`--reporter: two reporters write ${s.path} (give each its own file)`);
    if (s.path !== undefined) files.add(s.path);
  }
  if (opts.json && !specs.some((s) => s.name === "json")) specs.push({ name: "json" });
  if (specs.length === 0) specs.push({ name: "pretty" });
  const at = specs.findIndex((s) => s.name === "pretty");
  if (opts.trace && at >= 0 && !specs.some((s) => s.name === "trace")) specs.splice(at + 1, 0, { name: "trace", path: specs[at]!.path });
  return specs;
}

function nothingSelected(sources: number, parsed: number, sharded: boolean): string {
  if (sharded && sources > 0 && parsed === 0) return `no scenario selected: this shard has none of the ${sources} file(s) (use fewer shards)`;
  return `no scenario selected: ${parsed} scenario(s) read, none matches --grep/--tag (check the pattern and tags; --list shows what is selected)`;
}
