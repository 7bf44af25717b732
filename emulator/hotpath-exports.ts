// The hot path's exports as both loaders see them: each name with its parameter and result kinds
// in the order emulator/assembly/index.ts exports them. The wasm loader and the JS loader check a
// build against this list when they load it, HotPathExports is derived from it, and the JS loader
// derives its adapters (wasm's calling convention) from the kinds.

type Kind = "u32" | "i32" | "bool";
interface Signature {
  readonly params: readonly Kind[];
  readonly result: Kind | "void";
}

export const HOT_PATH_EXPORTS = {
  init: { params: ["u32", "u32", "u32"], result: "u32" },
  fifoReserve: { params: [], result: "u32" },
  fifoCommit: { params: ["u32", "u32"], result: "bool" },
  fifoCount: { params: [], result: "u32" },
  fifoSource: { params: ["u32"], result: "u32" },
  fifoLength: { params: ["u32"], result: "u32" },
  fifoPayloadAddr: { params: ["u32"], result: "u32" },
  fifoSetSource: { params: ["u32", "u32"], result: "void" },
  fifoDropHead: { params: [], result: "void" },
  /** (buf, size, retsAddr) → RTAS status. */
  receiveCall: { params: ["u32", "u32", "u32"], result: "i32" },
  /** (listAddr, maxEntries, entryLimit) → payload length or a negative RTAS status. */
  sendGather: { params: ["u32", "u32", "u32"], result: "i32" },
  outboundAddr: { params: [], result: "u32" },
  /** (buf, bufLen, source, eventType, withMainSections, plid, bcdDate, bcdTime) → log length or -3. */
  writeEventLog: { params: ["u32", "u32", "u32", "u32", "bool", "u32", "u32", "u32"], result: "i32" },
} as const satisfies Record<string, Signature>;

export type HotPathExportName = keyof typeof HOT_PATH_EXPORTS;

type Numbers<P extends readonly unknown[]> = { [I in keyof P]: number };
type Exported<S extends Signature> = (...args: Numbers<S["params"]>) => S["result"] extends "void" ? void : number;

/** The exports with wasm's calling convention (in both builds): numbers in, u32/i32 results signed, bool as 0/1. */
export type HotPathExports = { readonly [K in HotPathExportName]: Exported<(typeof HOT_PATH_EXPORTS)[K]> };

/** Throws unless `found` holds exactly the functions of HOT_PATH_EXPORTS (a build out of step with the list). */
export function checkExportNames(build: string, found: readonly string[]): void {
  const want = Object.keys(HOT_PATH_EXPORTS);
  const missing = want.filter((n) => !found.includes(n));
  const extra = found.filter((n) => !want.includes(n));
  if (missing.length || extra.length) {
    throw new Error(`the ${build} build of the hot path does not match emulator/hotpath-exports.ts` +
      `${missing.length ? `; missing: ${missing.join(", ")}` : ""}${extra.length ? `; not listed: ${extra.join(", ")}` : ""}` +
      ': run "npm run build:wasm"');
  }
}
