// `--dtb <file>`: a blob read and checked once, then applied to every scenario's machine.
import { FdtFormatError } from "../../devicetree/index.js";
import { MachineTreeError, readBaseDtb } from "../../emulator/base-tree.js";
import { readDtbFile } from "../scenario/dtb-file.js";
import type { MachineConfig } from "../scenario/model.js";
import { UsageError } from "./usage.js";

interface DtbOverride {
  file: string;
  blob: Uint8Array;
  threads: number;
}

export async function loadDtbOverride(file: string): Promise<DtbOverride> {
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
export function applyDtbOverride(config: MachineConfig, o: DtbOverride): string | undefined {
  if (config.cpusExplicit && config.cpus !== o.threads) {
    return `machine.cpus is ${config.cpus}, but --dtb ${o.file} has ${o.threads} CPU thread${o.threads === 1 ? "" : "s"}`;
  }
  config.dtb = { path: o.file, blob: o.blob };
  config.cpus = o.threads;
  return undefined;
}
