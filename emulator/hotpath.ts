// Loads the AssemblyScript hot path (assembly/index.ts) over a memory the host owns, one
// instance per emulated machine. Guest RAM is the start of that memory. The same source also
// has a JavaScript build (hotpath-js/load.ts, loadHotPathJs) with this same interface; a
// Machine picks one with its `hotPath` option.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkExportNames, type HotPathExports } from "./hotpath-exports.js";

/** Which build of the one hot-path source runs: the wasm module, or the same source as plain JavaScript. */
export type HotPathBuild = "wasm" | "js";
export const HOT_PATH_BUILDS: readonly HotPathBuild[] = ["wasm", "js"];

export interface HotPath {
  readonly build: HotPathBuild;
  /** The exports, with wasm's calling convention in both builds (u32 results signed, bool as 0/1). */
  readonly exports: HotPathExports;
  /** The wasm module's memory; null for the JS build (whose bytes no wasm code touches). */
  readonly memory: WebAssembly.Memory | null;
  /** The whole linear memory; guest RAM is [0, ramSize). Never grown, so views stay valid. */
  readonly bytes: Uint8Array;
}

const WASM_URL = new URL("./assembly/build/hotpath.wasm", import.meta.url);
let compiled: WebAssembly.Module | undefined;

function module(): WebAssembly.Module {
  if (!compiled) {
    let code: Buffer;
    try {
      code = readFileSync(fileURLToPath(WASM_URL));
    } catch {
      throw new Error(`hot-path module missing at ${fileURLToPath(WASM_URL)}: run "npm run build:wasm"`);
    }
    compiled = new WebAssembly.Module(new Uint8Array(code));
  }
  return compiled;
}

export const PAGE = 65536;
/**
 * The whole memory both builds use: whole wasm pages up to the end of the hypervisor area, which
 * init() (assembly/layout.ts, the one place that lays it out) returns.
 */
export function pagesUpTo(end: number): number {
  return Math.ceil(end / PAGE);
}

function instantiate(memory: WebAssembly.Memory): HotPathExports {
  const instance = new WebAssembly.Instance(module(), {
    env: {
      memory,
      abort: () => {
        throw new Error("hot-path module aborted");
      },
    },
  });
  checkExportNames("wasm", Object.entries(instance.exports).filter(([, v]) => typeof v === "function").map(([k]) => k));
  return instance.exports as unknown as HotPathExports;
}

/** An instance over one page that only answers init(): where a layout ends, without touching memory. */
let layoutProbe: HotPathExports | undefined;

export function loadHotPath(ramSize: number, payloadLimit: number, fifoSlots: number): HotPath {
  layoutProbe ??= instantiate(new WebAssembly.Memory({ initial: 1, maximum: 1 }));
  const pages = pagesUpTo(layoutProbe.init(ramSize, payloadLimit, fifoSlots) >>> 0);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const exports = instantiate(memory);
  exports.init(ramSize, payloadLimit, fifoSlots);
  return { build: "wasm", exports, memory, bytes: new Uint8Array(memory.buffer) };
}
