// The hot path's two builds (DESIGN.md, Hot path): emulator/assembly/index.ts compiled to wasm, and
// the same source built as JavaScript (scripts/build-hotpath-js.mjs). Run side by side, they must
// leave every byte of memory (guest RAM and the hypervisor area: FIFO, outbound buffer, log scratch)
// and every ret and result identical.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { captureConsole } from "../support/capture-console.js";
import { KVMPPC_H_RTAS } from "../../emulator/hcall-numbers.js";
import type { Machine, MachineOptions } from "../../emulator/machine.js";
import { main } from "../../runner/cli/main.js";
import {
  ARGS, DATA_BUF, HMC1, HMC2, LIST_BUF, LOG_BUF, RAM, RECV_BUF, checkException, enableEventIrq, enableHvpipe,
  machine, pattern, receive, send, sendPayload, walkSections, writeBufferList, writeBytes,
} from "./helpers.js";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;

function pair(options: MachineOptions = {}): [Machine, Machine] {
  return [machine({ ...options, hotPath: "wasm" }), machine({ ...options, hotPath: "js" })];
}

/** The whole memory of both builds, byte for byte (reporting the first difference, not 16 MiB of diff). */
function expectSameMemory(w: Machine, j: Machine): void {
  const a = Buffer.from(w.memory.bytes.buffer, w.memory.bytes.byteOffset, w.memory.bytes.byteLength);
  const b = Buffer.from(j.memory.bytes.buffer, j.memory.bytes.byteOffset, j.memory.bytes.byteLength);
  expect(b.length).toBe(a.length);
  if (!a.equals(b)) {
    let i = 0;
    while (a[i] === b[i]) i++;
    expect.fail(`memory differs first at 0x${i.toString(16)}: wasm 0x${a[i]!.toString(16)}, js 0x${b[i]!.toString(16)}`);
  }
}

/** The hvpipe life of a partition: events and their logs, receives, sends of 1 and 3 entries, refusals, loss, migration. */
function hvpipeScenario(m: Machine, limit: number): unknown[] {
  const log: unknown[] = [];
  enableHvpipe(m);
  enableEventIrq(m);
  m.outside.hmc.send(HMC1, pattern(4048, 1));
  m.outside.hmc.send(HMC2, pattern(limit, 2));
  m.outside.hmc.send(HMC1, pattern(1, 3));
  for (let i = 0; i < 3; i++) {
    log.push(["check-exception", checkException(m)]);
    log.push(["log", walkSections(m.memory.read(LOG_BUF, 256)).map((s) => [s.id, s.length, [...s.data]])]);
    log.push(["receive too small", receive(m, RECV_BUF, 3)]);
    log.push(["receive", receive(m, RECV_BUF, 16384)]);
  }
  log.push(["receive when empty", receive(m)]);
  log.push(["check-exception when empty", checkException(m)]);
  // Sends: one 4048-byte entry, then three entries as far as the policy allows.
  log.push(["send 1", sendPayload(m, HMC1, pattern(4048, 4))]);
  writeBytes(m, DATA_BUF, pattern(3 * 4048, 5));
  writeBufferList(m, LIST_BUF, [[DATA_BUF, 4048], [DATA_BUF + 4048, 4048], [DATA_BUF + 8096, 4048]]);
  log.push(["send 3", send(m, HMC2)]);
  writeBufferList(m, LIST_BUF, [[DATA_BUF, 4049]]);
  log.push(["send oversized entry", send(m, HMC1)]);
  writeBufferList(m, LIST_BUF, [[RAM - 10, 100]]);
  log.push(["send entry past RAM", send(m, HMC1)]);
  writeBufferList(m, LIST_BUF, [[DATA_BUF, 10]], 30);
  log.push(["send odd list length", send(m, HMC1)]);
  writeBufferList(m, LIST_BUF, [[(1n << 32n) + BigInt(DATA_BUF), 10]]);
  log.push(["send high address word", send(m, HMC1)]);
  log.push(["send to unknown source", sendPayload(m, 0x02000099, pattern(20, 6))]);
  // The log written into a buffer shorter than the log, and into one that ends RAM.
  m.outside.hmc.send(HMC1, pattern(100, 7));
  log.push(["check-exception short buffer", checkException(m, { len: 20 })]);
  log.push(["log head", [...m.memory.read(LOG_BUF, 64)]]);
  log.push(["receive", receive(m, RAM - 100, 100)]);
  // A lost connection, a migration with payloads pending.
  m.outside.hmc.send(HMC2, pattern(300, 8));
  m.outside.hmc.close(HMC1);
  log.push(["check-exception", checkException(m, { buf: RAM - 200, len: 200 })]);
  m.outside.migration.migrate();
  log.push(["check-exception after migration", checkException(m)]);
  log.push(["receive after migration", receive(m)]);
  log.push(["hmc received", m.devices.hvpipe.model.sources.all().map((s) => s.received.map((r) => [...r]))]);
  log.push(["state", m.inspect()]);
  return log;
}

describe("the JS build of the hot path", () => {
  it("is the same source: its source map points at emulator/assembly/index.ts", () => {
    const mapUrl = new URL("../../emulator/hotpath-js/build/hotpath.cjs.map", import.meta.url);
    const map = JSON.parse(readFileSync(mapUrl, "utf8")) as { sources: string[]; sourcesContent: string[] };
    const sources = map.sources.map((s) => new URL(s, mapUrl).pathname);
    const index = new URL("../../emulator/assembly/index.ts", import.meta.url);
    const i = sources.indexOf(index.pathname);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(map.sourcesContent[i]).toBe(readFileSync(index, "utf8"));
    expect(sources).toContain(new URL("../../emulator/hotpath-js/memory-ops.ts", import.meta.url).pathname);
    expect(sources).not.toContain(new URL("../../emulator/assembly/memory-ops.ts", import.meta.url).pathname);
  });

  it("a Machine runs the build it is asked for; wasm by default; anything else is refused", () => {
    expect(machine().hotPath).toBe("wasm");
    expect(machine({ hotPath: "js" }).hotPath).toBe("js");
    expect(() => machine({ hotPath: "asm" as never })).toThrow('hotPath must be wasm or js, not "asm"');
  });

  it.each([
    ["default policies", {}, 4048],
    ["main sections, 3-entry lists, 12144-byte payloads", {
      "event-log": "with-main-sections", "buffer-list-entries": 3, "payload-limit": 12144, "receive-when-empty": "empty-success",
    }, 12144],
  ])("hvpipe send/receive/event log, %s: identical rets and memory bytes on both builds", (_name, policy, limit) => {
    const [w, j] = pair({ cpus: 2, sources: [HMC1, HMC2], policy });
    const logW = hvpipeScenario(w, limit);
    const logJ = hvpipeScenario(j, limit);
    expect(logJ).toEqual(logW);
    expectSameMemory(w, j);
    // The scenario did the work it claims (not two builds agreeing on nothing).
    expect(logW).toContainEqual(["receive", [0, HMC1, 4048]]);
    expect(logW).toContainEqual(["receive", [0, HMC2, limit]]);
    expect(logW).toContainEqual(["send 1", 0]);
  });

  it("random argument blocks (hvpipe, check-exception, anything) give identical results on both builds", () => {
    const policy = { "event-log": "with-main-sections", "buffer-list-entries": 3, "fifo-depth": 3 };
    const [w, j] = pair({ cpus: 2, policy });
    for (const m of [w, j]) enableHvpipe(m);
    const U32_MAX = 0xffffffff;
    const names = ["ibm,receive-hvpipe-msg", "ibm,send-hvpipe-msg", "check-exception", "event-scan"];
    const address = fc.oneof(
      fc.constantFrom(0, ARGS, LIST_BUF, DATA_BUF, RECV_BUF, RAM - 4096, RAM - 40, RAM - 24, RAM - 8, RAM - 1, RAM,
        RAM + 8, 0x7fffffff, 0x80000000, U32_MAX - 3, U32_MAX),
      fc.integer({ min: RAM - 256, max: RAM + 256 }),
      fc.integer({ min: 0, max: U32_MAX }),
    );
    const cell = fc.oneof(address, fc.integer({ min: 0, max: 70 }),
      fc.constantFrom(HMC1, 0x02000099, 0x500, 0x1002, 0x04000000, 3, 20, 2048, 4048, 4096, 4097, 12144),
      fc.integer({ min: 0, max: U32_MAX }));
    const listWord = fc.oneof(
      fc.constantFrom(0n, 8n, 24n, 40n, 56n, 30n, 1n, 4048n, 4049n, BigInt(DATA_BUF), BigInt(RAM - 10), BigInt(RAM),
        (1n << 32n) + 24n, (1n << 64n) - 1n),
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    );
    const op = fc.record({
      send: fc.option(fc.integer({ min: 1, max: 4048 }), { nil: undefined }),
      name: fc.constantFrom(...names),
      at: fc.oneof({ weight: 4, arbitrary: fc.constant(ARGS) }, { weight: 1, arbitrary: address }),
      nargs: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 }) }),
      nret: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 }) }),
      cells: fc.array(cell, { minLength: 10, maxLength: 10 }),
      list: fc.array(listWord, { minLength: 7, maxLength: 7 }),
    });
    const shape: Record<string, [number, number]> = {
      "ibm,receive-hvpipe-msg": [2, 3], "ibm,send-hvpipe-msg": [2, 1], "check-exception": [6, 1], "event-scan": [4, 1],
    };
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), (ops) => {
      for (const o of ops) {
        const results = [w, j].map((m) => {
          if (o.send !== undefined && m.inspect().hvpipe.queued.length < 3) m.outside.hmc.send(HMC1, pattern(o.send, o.cells[0]!));
          const [nargs, nret] = shape[o.name]!;
          const words = [m.tokens.tokenOf(o.name)!, o.nargs < 0 ? nargs : o.nargs, o.nret < 0 ? nret : o.nret, ...o.cells];
          o.list.forEach((v, i) => m.memory.view.setBigUint64(LIST_BUF + 8 * i, v, false));
          words.forEach((v, i) => m.memory.contains(o.at + 4 * i, 4) && m.memory.setU32(o.at + 4 * i, v));
          const r3 = m.hcall(o.cells[1]! % 2, KVMPPC_H_RTAS, [o.at]).ret;
          const block = words.map((_, i) => (m.memory.contains(o.at + 4 * i, 4) ? m.memory.u32(o.at + 4 * i) : null));
          return { r3, block, pipe: m.inspect().hvpipe };
        });
        expect(results[1]).toEqual(results[0]);
      }
      expectSameMemory(w, j);
    }), { numRuns: 300, seed: 0x4a5 });
  });
});

describe("papr-emu run --hot-path", () => {
  const { out, err } = captureConsole();

  it("every example passes on the JS build", async () => {
    expect(await main(["run", EXAMPLES, "--hot-path", "js"])).toBe(0);
    expect(out.at(-1)).toMatch(/^\n\d+ scenario\(s\), \d+ passed, 0 failed$/);
  });

  it("an unknown build is a usage error", async () => {
    expect(await main(["run", EXAMPLES, "--hot-path", "asm"])).toBe(2);
    expect(err.join("\n")).toContain('--hot-path takes wasm or js, not "asm"');
  });
});
