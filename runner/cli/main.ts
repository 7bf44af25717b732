// papr-emu: run scenarios, and read or print device trees.
import { Command } from "commander";
import { REPORTERS } from "../reporters/index.js";
import { dtCommand } from "./dt.js";
import { reportError } from "./errors.js";
import { registerExplore } from "./explore.js";
import { runCommand } from "./run.js";
import { packageVersion } from "./version.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command()
    .name("papr-emu")
    .description("Emulated IBM Power partition (PAPR hypervisor side) and the Linux papr-hvpipe driver")
    .version(packageVersion(), "--version", "print the version of papr-emu")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program
    .command("run")
    .description("run scenario files (every .yaml/.yml below a directory, a glob's matches, - for stdin)")
    .argument("<paths...>", "scenario files, directories, globs, or - (one scenario on stdin)")
    .option("-v, --verbose", "print every step and the kernel log")
    .option("--trace", "print every scheduler step of each scenario")
    .option("--json", "print results as JSON (the same as --reporter json)")
    .option("--reporter <name[:file]>", `how to print the run, repeatable, each to stdout or its own file: ${Object.keys(REPORTERS).join(", ")} (default pretty)`, collect, [])
    .option("--no-timing", "leave wall-clock times out, so two reports of the same run are byte-identical")
    .option("--seed <n>", "schedule with this seed instead of the deterministic default")
    .option("--seeds <a..b>", "run every scenario under each seed of the range (inclusive), reporting each failing seed")
    .option("--grep <pattern>", "only scenarios whose name or file matches this regular expression")
    .option("--tag <tag>", "only scenarios carrying this tag (repeatable: any of them)", collect, [])
    .option("--list", "print the selected scenario runs (scenario, profile, seed) without running them")
    .option("--bail", "stop after the first failing scenario")
    .option("--workers <n>", "worker threads running scenarios (default: the number of cores); the report is the same for any number")
    .option("--shard <i/n>", "run the i-th of n deterministic shares of the files (the n shards together are the suite, each file once)")
    .option("--dtb <file>", "boot every scenario from this device-tree blob (e.g. QEMU's dumpdtb), overriding machine.dtb")
    .option("--driver <profiles>", "run every scenario on each of these kernel-shim profiles (mainline, v6.18, or mainline,v6.18 for both)")
    .option("--schedule <file>", "replay a schedule file (papr-emu explore --schedule-out) exactly")
    .option("--hot-path <build>", "run the emulator's hot path as wasm (the default) or as the same source built as JavaScript (js), e.g. to step it in a debugger")
    .action(async (paths: string[], opts) => {
      code = await runCommand(paths, opts);
    });
  registerExplore(program, (c) => { code = c; });
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
    return reportError(e);
  }
  return code;
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

const isMain = process.argv[1] !== undefined && /runner[\\/]cli[\\/]main\.ts$/.test(process.argv[1]);
if (isMain) {
  main(process.argv.slice(2)).then((c) => { process.exitCode = c; }, (e: unknown) => {
    process.exitCode = reportError(e);
  });
}
