// papr-emu: run scenarios, and read or print device trees.
import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { decodeFdt, encodeFdt, printDts, FdtFormatError } from "../devicetree/index.js";
import { MachineTreeError, readBaseDtb } from "../emulator/base-tree.js";
import { HOT_PATH_BUILDS, type HotPathBuild } from "../emulator/hotpath.js";
import { loadScenarioFile } from "./scenario-parse.js";
import { ScenarioError } from "./scenario-errors.js";
import { runScenario, type ScenarioResult } from "./run-scenario.js";
import { formatScenario, formatSummary } from "./report.js";
import { machineFor } from "./partition.js";
import { readDtbFile } from "./dtb-file.js";
import type { MachineConfig } from "./scenario-types.js";
import { formatTrace } from "./trace-format.js";
import { DRIVER_PROFILES, type DriverProfile } from "./scenario-types.js";

/** Exit codes: 0 all passed, 1 a scenario failed, 2 usage error or invalid input. */
class UsageError extends Error {}

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

/** A blob given with --dtb: read and checked once, then applied to every scenario's machine. */
interface DtbOverride {
  file: string;
  blob: Uint8Array;
  threads: number;
}

async function loadDtbOverride(file: string): Promise<DtbOverride> {
  let blob: Uint8Array;
  try {
    blob = readDtbFile(file);
  } catch (e) {
    throw new UsageError(`--dtb ${file}: cannot read: ${(e as Error).message}`);
  }
  try {
    return { file, blob, threads: readBaseDtb(blob).threads };
  } catch (e) {
    if (e instanceof FdtFormatError) throw new UsageError(`--dtb ${file}: not a valid DTB: ${e.message}`);
    if (e instanceof MachineTreeError) throw new UsageError(`--dtb ${file}: cannot serve as the partition's tree: ${e.message}`);
    throw e;
  }
}

/** Boots `config` from the override blob (replacing any machine.dtb); a problem if its explicit cpus disagree. */
function applyDtbOverride(config: MachineConfig, o: DtbOverride): string | undefined {
  if (config.cpusExplicit && config.cpus !== o.threads) {
    return `machine.cpus is ${config.cpus}, but --dtb ${o.file} has ${o.threads} CPU thread${o.threads === 1 ? "" : "s"}`;
  }
  config.dtb = { path: o.file, blob: o.blob };
  config.cpus = o.threads;
  return undefined;
}

async function runCommand(paths: string[], opts: { verbose?: boolean; trace?: boolean; json?: boolean; seed?: string; driver?: string; dtb?: string; hotPath?: string }): Promise<number> {
  if (opts.driver !== undefined && !(DRIVER_PROFILES as readonly string[]).includes(opts.driver)) {
    throw new UsageError(`--driver takes ${DRIVER_PROFILES.join(" or ")}, not "${opts.driver}"`);
  }
  if (opts.hotPath !== undefined && !(HOT_PATH_BUILDS as readonly string[]).includes(opts.hotPath)) {
    throw new UsageError(`--hot-path takes ${HOT_PATH_BUILDS.join(" or ")}, not "${opts.hotPath}"`);
  }
  const files = await scenarioFiles(paths);
  const override = opts.dtb === undefined ? undefined : await loadDtbOverride(opts.dtb);
  const results: ScenarioResult[] = [];
  let invalid = 0;
  const color = !opts.json && process.stdout.isTTY === true;
  for (const file of files) {
    let scenario;
    try {
      scenario = await loadScenarioFile(file);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      invalid++;
      console.error(`INVALID  ${e.message}`);
      continue;
    }
    if (opts.seed !== undefined) scenario.machine.seed = parseSeed(opts.seed);
    const problem = override && applyDtbOverride(scenario.machine, override);
    if (problem) {
      invalid++;
      console.error(`INVALID  ${file}: ${problem}`);
      continue;
    }
    if (opts.driver !== undefined) scenario.machine.driver = opts.driver as DriverProfile;
    if (opts.hotPath !== undefined) scenario.machine.hotPath = opts.hotPath as HotPathBuild;
    const r = runScenario(scenario);
    results.push(r);
    if (!opts.json) {
      console.log(formatScenario(r, { verbose: opts.verbose, color }));
      if (opts.trace) console.log(formatTrace(r.trace));
    }
  }
  if (opts.json) {
    const plain = results.map(({ trace, ...r }) => ({ ...r, traceRecords: opts.trace ? trace : trace.length }));
    console.log(JSON.stringify({ results: plain, invalid }, null, 2));
  } else {
    console.log(`\n${formatSummary(results, invalid)}`);
  }
  if (invalid) return 2;
  return results.every((r) => r.passed) ? 0 : 1;
}

function parseSeed(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new UsageError(`--seed takes an integer 0..4294967295, not "${text}"`);
  return n;
}

async function dtCommand(blob: string | undefined, opts: { dts?: boolean; dtb?: boolean | string; output?: string; machine?: boolean }): Promise<number> {
  // --dtb <file> with --machine: the blob to boot from; --dtb alone: write a DTB instead of DTS.
  const baseFile = typeof opts.dtb === "string" ? opts.dtb : undefined;
  if (opts.machine) {
    const config = blob ? (await loadScenarioFile(blob)).machine : (await import("./scenario-parse.js")).parseScenario("name: default\nsteps: []\n", "<default>").machine;
    if (baseFile !== undefined) {
      const problem = applyDtbOverride(config, await loadDtbOverride(baseFile));
      if (problem) throw new UsageError(`${blob}: ${problem}`);
    }
    const machine = machineFor(config);
    return emitTree(machine.dtb, { output: opts.output, dtb: opts.dtb === true });
  }
  if (baseFile !== undefined) {
    // `dt --dtb x.dtb -o y.dtb`: the option took the blob's name as its value.
    if (blob) throw new UsageError("dt: --dtb <file> names the base blob of --machine; to re-encode a blob write: dt <blob> --dtb -o out.dtb");
    blob = baseFile;
  }
  if (!blob) throw new UsageError("dt: give a .dtb file, or --machine [scenario.yaml]");
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(blob));
  } catch {
    throw new UsageError(`${blob}: cannot read`);
  }
  try {
    return await emitTree(bytes, { output: opts.output, dtb: opts.dtb !== undefined && opts.dtb !== false });
  } catch (e) {
    if (e instanceof FdtFormatError) throw new UsageError(`${blob}: ${e.message}`);
    throw e;
  }
}

async function emitTree(blob: Uint8Array, opts: { dtb?: boolean; output?: string }): Promise<number> {
  const tree = decodeFdt(blob);
  if (opts.dtb) {
    if (!opts.output) throw new UsageError("dt --dtb needs -o <out.dtb>");
    await writeFile(opts.output, encodeFdt(tree));
    return 0;
  }
  const text = printDts(tree);
  if (opts.output) await writeFile(opts.output, text);
  else process.stdout.write(text);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command()
    .name("papr-emu")
    .description("Emulated IBM Power partition (PAPR hypervisor side) and the Linux papr-hvpipe driver")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program
    .command("run")
    .description("run scenario files (or every .yaml in a directory)")
    .argument("<paths...>", "scenario files or directories")
    .option("-v, --verbose", "print every step and the kernel log")
    .option("--trace", "print every scheduler step of each scenario")
    .option("--json", "print results as JSON")
    .option("--seed <n>", "schedule with this seed instead of the deterministic default")
    .option("--dtb <file>", "boot every scenario from this device-tree blob (e.g. QEMU's dumpdtb), overriding machine.dtb")
    .option("--driver <profile>", "run every scenario with this kernel-shim profile (mainline or v6.18)")
    .option("--hot-path <build>", "run the emulator's hot path as wasm (the default) or as the same source built as JavaScript (js), e.g. to step it in a debugger")
    .action(async (paths: string[], opts) => {
      code = await runCommand(paths, opts);
    });
  program
    .command("dt")
    .description("print a device-tree blob as DTS, re-encode it, or print the emulated partition's own tree")
    .argument("[file]", "a .dtb blob, or with --machine a scenario whose machine to build")
    .option("--dts", "print DTS (the default)")
    .option("--dtb [file]", "re-encode the blob (needs -o); with --machine and a file: boot the partition from that blob and print the merged tree")
    .option("-o, --output <file>", "write to a file")
    .option("--machine", "the emulated partition's device tree, as the kernel is booted with it")
    .action(async (file: string | undefined, opts) => {
      code = await dtCommand(file, opts);
    });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError || e instanceof ScenarioError) {
      console.error(`papr-emu: ${e.message}`);
      return 2;
    }
    throw e;
  }
  return code;
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

const isMain = process.argv[1] !== undefined && /runner[\\/]cli\.ts$/.test(process.argv[1]);
if (isMain) {
  main(process.argv.slice(2)).then((c) => { process.exitCode = c; }, (e: unknown) => {
    console.error(e);
    process.exitCode = 2;
  });
}
