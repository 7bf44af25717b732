// papr-emu: run scenarios, and read or print device trees.
import { Command } from "commander";
import { REPORTERS } from "../reporters/index.js";
import { dtCommand } from "./dt.js";
import { reportError } from "./errors.js";
import { runCommand } from "./run.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

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
    .option("--json", "print results as JSON (the same as --reporter json)")
    .option("--reporter <name>", `how to print the run, repeatable: ${Object.keys(REPORTERS).join(", ")} (default pretty)`, collect, [])
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
