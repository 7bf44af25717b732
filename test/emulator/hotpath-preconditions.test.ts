// The hot path's exports trust their host on three points (emulator/assembly/index.ts): the
// memory holds what init() returns, receiveCall's rets lie in guest RAM, and at most a slot's
// payload is written before fifoCommit. Random RTAS blocks through the dispatcher never break
// these, on either build; calling an export directly against them traps or throws.
import { describe, expect, it } from "vitest";
import { KVMPPC_H_RTAS } from "../../emulator/hcall-numbers.js";
import type { HotPath } from "../../emulator/hotpath.js";
import type { HotPathExports } from "../../emulator/hotpath-exports.js";
import { Machine } from "../../emulator/machine.js";
import { OutsideWorldRefusal } from "../../emulator/outside/refusal.js";
import { HMC1, HMC2, placeBlock, randomBlock } from "../../fuzz/rtas/blocks.js";
import { Rng } from "../../fuzz/rng.js";
import { RAM, enableHvpipe } from "./helpers.js";

const hotOf = (m: Machine): HotPath => (m as unknown as { hot: HotPath }).hot;

/** Replaces the machine's exports with ones that record every broken precondition. */
function watch(m: Machine): { broken: string[]; receives: number } {
  const hot = hotOf(m) as { exports: HotPathExports };
  const inner = hot.exports;
  const seen = { broken: [] as string[], receives: 0 };
  hot.exports = {
    ...inner,
    receiveCall: (buf: number, size: number, retsAddr: number) => {
      seen.receives++;
      if (!m.memory.contains(retsAddr, 12)) seen.broken.push(`receiveCall rets at 0x${retsAddr.toString(16)}`);
      return inner.receiveCall(buf, size, retsAddr);
    },
  };
  return seen;
}

describe("hot-path preconditions", () => {
  it.each(["wasm", "js"] as const)("%s: 3000 random blocks through H_RTAS never break them", (hotPath) => {
    const m = new Machine({ cpus: 2, sources: [HMC1, HMC2], hotPath });
    enableHvpipe(m);
    // The memory holds what init() returns: guest RAM plus the hypervisor area after it.
    expect(hotOf(m).bytes.length).toBeGreaterThan(RAM);
    const seen = watch(m);
    const rng = new Rng(0x14);
    for (let i = 0; i < 3000; i++) {
      const b = randomBlock(rng, m, RAM);
      if (b.send !== undefined) {
        try {
          m.outside.hmc.send(HMC1, new Uint8Array(b.send));
        } catch (e) {
          if (!(e instanceof OutsideWorldRefusal)) throw e;
        }
      }
      placeBlock(m, b);
      m.hcall(b.cpu, KVMPPC_H_RTAS, [b.at]);
    }
    expect(seen.broken).toEqual([]);
    // The run reached the export it watches (rets near the end of RAM included).
    expect(seen.receives).toBeGreaterThan(50);
  });

  it("a direct receiveCall with its rets past guest RAM traps in wasm and throws RangeError in JS", () => {
    for (const hotPath of ["wasm", "js"] as const) {
      const hot = hotOf(new Machine({ hotPath }));
      const past = hot.bytes.length;
      const call = (): number => hot.exports.receiveCall(0, 0, past);
      expect(call).toThrow(hotPath === "wasm" ? WebAssembly.RuntimeError : RangeError);
    }
  });
});
