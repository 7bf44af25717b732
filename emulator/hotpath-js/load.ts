// Loads the JavaScript build of the hot path (emulator/assembly/index.ts bundled by
// scripts/build-hotpath-js.mjs) over a plain ArrayBuffer, behind the same HotPath interface as the
// wasm module. Its exports are called with wasm's calling convention, so callers cannot tell the
// builds apart: arguments become u32 bit patterns (what wasm's ToInt32 gives an i32/u32 parameter),
// i32 and u32 results come back signed, bool results as 0/1.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { HOT_PATH_EXPORTS, checkExportNames, type HotPathExportName, type HotPathExports } from "../hotpath-exports.js";
import { PAGE, pagesUpTo, type HotPath } from "../hotpath.js";

/** What the bundle's instantiate() returns: index.ts's exports with JavaScript values, and the memory hook. */
type JsHotPathModule = Record<HotPathExportName, (...args: unknown[]) => unknown> & {
  attachMemory(buffer: ArrayBuffer): void;
};

const BUNDLE = fileURLToPath(new URL("./build/hotpath.cjs", import.meta.url));
let instantiate: (() => JsHotPathModule) | undefined;

function factory(): () => JsHotPathModule {
  if (!instantiate) {
    const require = createRequire(import.meta.url);
    try {
      instantiate = (require(BUNDLE) as { instantiate: () => JsHotPathModule }).instantiate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
      throw new Error(`JS build of the hot path missing at ${BUNDLE}: run "npm run build:wasm"`);
    }
  }
  return instantiate;
}

/**
 * One export with wasm's calling convention, generated from its kinds in HOT_PATH_EXPORTS so each
 * adapter is straight-line code: a u32/i32 argument becomes the u32 bit pattern wasm's ToInt32 gives
 * (x >>> 0), a bool argument a boolean; u32/i32 results come back signed (| 0), bool results as 0/1.
 */
type Adapter = (fn: (...args: unknown[]) => unknown) => (...args: number[]) => number | void;
/** Compiled once per export; each instance's function is then wrapped without compiling again. */
const adapters = new Map<HotPathExportName, Adapter>();

function adapter(name: HotPathExportName, fn: (...args: unknown[]) => unknown): (...args: number[]) => number | void {
  let make = adapters.get(name);
  if (!make) adapters.set(name, (make = compileAdapter(name)));
  return make(fn);
}

function compileAdapter(name: HotPathExportName): Adapter {
  const { params, result } = HOT_PATH_EXPORTS[name];
  const names = params.map((_, i) => `a${i}`);
  const args = params.map((kind, i) => (kind === "bool" ? `(a${i} | 0) !== 0` : `a${i} >>> 0`)).join(", ");
  const call = `fn(${args})`;
  const body = result === "void" ? `${call};` : result === "bool" ? `return ${call} ? 1 : 0;` : `return ${call} | 0;`;
  return new Function("fn", `return function ${name}(${names.join(", ")}) { ${body} };`) as Adapter;
}

function withWasmConvention(m: JsHotPathModule): HotPathExports {
  checkExportNames("JS", Object.keys(m).filter((k) => k !== "attachMemory"));
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(HOT_PATH_EXPORTS) as HotPathExportName[]) out[name] = adapter(name, m[name]);
  return out as HotPathExports;
}

/**
 * The instance's memory: where WebAssembly exists, the buffer of a WebAssembly.Memory, which the OS
 * maps and zeroes lazily — a plain ArrayBuffer of guest RAM's size is zeroed up front (about 1 ms per
 * 16 MiB machine here, most of a scenario's boot). Only the bytes are used; no code runs as wasm.
 */
function allocate(pages: number): ArrayBuffer {
  if (typeof WebAssembly === "object") return new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer;
  return new ArrayBuffer(pages * PAGE);
}

export function loadHotPathJs(ramSize: number, payloadLimit: number, fifoSlots: number): HotPath {
  const m = factory()();
  const exports = withWasmConvention(m);
  // init() only lays the area out (no memory access): the memory is sized from the end it returns.
  const end = exports.init(ramSize, payloadLimit, fifoSlots) >>> 0;
  const buffer = allocate(pagesUpTo(end));
  m.attachMemory(buffer);
  return { build: "js", exports, memory: null, bytes: new Uint8Array(buffer) };
}
