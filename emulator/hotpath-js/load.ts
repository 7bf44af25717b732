// Loads the JavaScript build of the hot path (emulator/assembly/index.ts bundled by
// scripts/build-hotpath-js.mjs) over a plain ArrayBuffer, behind the same HotPath interface as the
// wasm module. Its exports are called with wasm's calling convention, so callers cannot tell the
// builds apart: arguments become u32 bit patterns (what wasm's ToInt32 gives an i32/u32 parameter),
// i32 and u32 results come back signed, bool results as 0/1.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { PAGE, hotPathPages, type HotPath, type HotPathExports } from "../hotpath.js";

/**
 * What the bundle's instantiate() returns: index.ts's exports with JavaScript values (bool stays
 * boolean where wasm passes 0/1), and the memory hook.
 */
type JsHotPathModule = Omit<HotPathExports, "fifoCommit" | "writeEventLog"> & {
  attachMemory(buffer: ArrayBuffer): void;
  fifoCommit(source: number, length: number): boolean;
  writeEventLog(
    buf: number, bufLen: number, source: number, eventType: number,
    withMainSections: boolean, plid: number, bcdDate: number, bcdTime: number,
  ): number;
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

/** wasm's view of a JavaScript number passed to an i32/u32 parameter, as the u32 the source computes with. */
const arg = (x: number): number => x >>> 0;
/** What wasm hands back for an i32 or u32 result. */
const ret = (x: number): number => x | 0;

function withWasmConvention(m: JsHotPathModule): HotPathExports {
  return {
    init: (ram, limit, slots) => ret(m.init(arg(ram), arg(limit), arg(slots))),
    fifoReserve: () => ret(m.fifoReserve()),
    fifoCommit: (source, length) => (m.fifoCommit(arg(source), arg(length)) ? 1 : 0),
    fifoCount: () => ret(m.fifoCount()),
    fifoSource: (i) => ret(m.fifoSource(arg(i))),
    fifoLength: (i) => ret(m.fifoLength(arg(i))),
    fifoPayloadAddr: (i) => ret(m.fifoPayloadAddr(arg(i))),
    fifoSetSource: (i, source) => m.fifoSetSource(arg(i), arg(source)),
    fifoDropHead: () => m.fifoDropHead(),
    fifoClear: () => m.fifoClear(),
    receiveCall: (argsAddr) => ret(m.receiveCall(arg(argsAddr))),
    sendGather: (argsAddr, maxEntries, entryLimit) => ret(m.sendGather(arg(argsAddr), arg(maxEntries), arg(entryLimit))),
    sendSource: () => ret(m.sendSource()),
    outboundAddr: () => ret(m.outboundAddr()),
    writeEventLog: (buf, bufLen, source, eventType, withMain, plid, date, time) => ret(m.writeEventLog(
      arg(buf), arg(bufLen), arg(source), arg(eventType), (withMain | 0) !== 0, arg(plid), arg(date), arg(time))),
  };
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
  const pages = hotPathPages(ramSize, payloadLimit, fifoSlots);
  const buffer = allocate(pages);
  const m = factory()();
  m.attachMemory(buffer);
  const exports = withWasmConvention(m);
  const end = exports.init(ramSize, payloadLimit, fifoSlots) >>> 0;
  if (end > pages * PAGE) throw new Error(`hot-path area ends at ${end}, beyond ${pages * PAGE}`);
  return { build: "js", exports, memory: null, bytes: new Uint8Array(buffer) };
}
