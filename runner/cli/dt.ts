// `papr-emu dt`: print a device-tree blob as DTS, re-encode it, or print the emulated partition's own tree.
import { writeFile } from "node:fs/promises";
import { decodeFdt, encodeFdt, printDts, FdtFormatError } from "../../devicetree/index.js";
import { MachineTreeError } from "../../emulator/base-tree.js";
import { machineFor } from "../harness/partition.js";
import { readDtbFile } from "../scenario/dtb-file.js";
import { loadScenarioFile, parseScenario } from "../scenario/parse.js";
import { applyDtbOverride, loadDtbOverride } from "./dtb-override.js";
import { UsageError } from "./usage.js";

interface DtOptions {
  dts?: boolean;
  dtb?: boolean | string;
  output?: string;
  machine?: boolean;
}

export async function dtCommand(blob: string | undefined, opts: DtOptions): Promise<number> {
  // --dtb <file> with --machine: the blob to boot from; --dtb alone: write a DTB instead of DTS.
  const baseFile = typeof opts.dtb === "string" ? opts.dtb : undefined;
  if (opts.machine) {
    const config = blob ? (await loadScenarioFile(blob)).machine : parseScenario("name: default\nsteps: []\n", "<default>").machine;
    if (baseFile !== undefined) {
      const problem = applyDtbOverride(config, await loadDtbOverride(baseFile));
      if (problem) throw new UsageError(`${blob}: ${problem}`);
    }
    // The blob was checked by loadDtbOverride; a refusal here (e.g. cpus) is still the input's.
    let machine;
    try {
      machine = machineFor(config);
    } catch (e) {
      if (e instanceof MachineTreeError) throw new UsageError(`${blob ?? baseFile ?? "<default>"}: cannot serve as the partition's tree: ${e.message}`);
      throw e;
    }
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
    // The same reader as --dtb and machine.dtb: a regular file of at most 16 MiB.
    bytes = readDtbFile(blob);
  } catch (e) {
    throw new UsageError(`${blob}: cannot read: ${(e as Error).message}`);
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
