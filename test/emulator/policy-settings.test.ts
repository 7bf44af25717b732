// Every hypervisor policy in each of its settings (DESIGN.md: "pick a defined behaviour, make it a named
// hypervisor policy, document it, and test every choice"; spec/hvpipe-driver.md §10, §16). One case per
// setting, with exact values; the deeper behaviour is in the other emulator-policy-* files.
import { describe, expect, it } from "vitest";
import type { Machine } from "../../emulator/machine.js";
import { POLICIES, type PolicyName } from "../../emulator/policy.js";
import { H_EOI, H_XIRR } from "../../emulator/hcall-numbers.js";
import {
  HMC1, HMC2, LOG_BUF, SENTINEL_WORD, checkException, enableEventIrq, enableHvpipe, machine, pattern, receive,
  send, sendPayload, walkSections, writeBufferList, writeBytes,
} from "./helpers.js";

type Value = string | number | boolean;
interface Setting {
  value: Value;
  /** One line: why this setting answers as it does. */
  reason: string;
  check(m: Machine): void;
}

const UNKNOWN = 0x02000099;

function takeEvent(m: Machine): [number, number] {
  expect(checkException(m)).toBe(0);
  const pe = walkSections(m.memory.read(LOG_BUF, 2048)).find((s) => s.id === "PE")!;
  return [new DataView(pe.data.buffer).getUint32(0), pe.data[4]!];
}

/** n buffers of 4096 bytes at 0x100000 + i·4096 holding `payload`, listed at 0x80000; returns the status. */
function sendPages(m: Machine, source: number, payload: Uint8Array): number {
  const entries: [number, number][] = [];
  for (let off = 0, i = 0; off < payload.length; off += 4096, i++) {
    const chunk = payload.subarray(off, off + 4096);
    writeBytes(m, 0x100000 + i * 4096, chunk);
    entries.push([0x100000 + i * 4096, chunk.length]);
  }
  writeBufferList(m, 0x80000, entries);
  return send(m, source, 0x80000);
}

const hmcReceived = (m: Machine, id = HMC1): number[] => m.devices.hvpipe.model.sources.get(id)!.received.map((p) => p.length);

/** An hvpipe event taken by the CPU, then check-exception injected to fail (-2): is the interrupt raised again? */
function afterFailedCheckException(m: Machine): boolean {
  enableHvpipe(m);
  enableEventIrq(m);
  m.outside.hmc.send(HMC1, pattern(5));
  m.hcall(0, H_EOI, [m.hcall(0, H_XIRR, []).outs[0]!]);
  m.outside.faults.inject("check-exception", -2, 1);
  expect(checkException(m)).toBe(-2);
  // The event stays queued either way; only whether its interrupt is signalled again differs.
  expect(m.inspect().events).toHaveLength(1);
  return m.externalInterruptPending(0);
}

const SETTINGS: { [K in PolicyName]: Setting[] } = {
  "receive-when-empty": [
    {
      value: "hardware-error", reason: "§16: no payload announced is an error; rets 1-2 untouched",
      check: (m) => expect(receive(m)).toEqual([-1, SENTINEL_WORD, SENTINEL_WORD]),
    },
    {
      value: "empty-success", reason: "status 0, source 0, 0 bytes: the driver's read then copies nothing",
      check: (m) => expect(receive(m)).toEqual([0, 0, 0]),
    },
  ],
  "send-to-unknown-source": [
    {
      value: "closed", reason: "-4: there is no pipe to that source (write → -EPIPE)",
      check: (m) => {
        expect(sendPayload(m, UNKNOWN, pattern(10))).toBe(-4);
        expect(m.inspect().hvpipe.unknownSources).toEqual([{ id: UNKNOWN, refused: { "unknown-source": 1, "bad-buffer-list": 0 } }]);
      },
    },
    {
      value: "param-error", reason: "-3: the source id argument is invalid (write → -EINVAL)",
      check: (m) => expect(sendPayload(m, UNKNOWN, pattern(10))).toBe(-3),
    },
  ],
  "event-log": [
    {
      value: "minimal", reason: "§6.4: header, v6 extension and the 'PE' section only (40 bytes)",
      check: (m) => {
        enableHvpipe(m);
        m.outside.hmc.send(HMC1, pattern(4));
        expect(checkException(m)).toBe(0);
        expect(walkSections(m.memory.read(LOG_BUF, 2048)).map((s) => [s.id, s.length])).toEqual([["PE", 16]]);
      },
    },
    {
      value: "with-main-sections", reason: "§6.3: Main-A 'PH' and Main-B 'UH' precede 'PE' (112 bytes)",
      check: (m) => {
        enableHvpipe(m);
        m.outside.hmc.send(HMC1, pattern(4));
        expect(checkException(m)).toBe(0);
        expect(walkSections(m.memory.read(LOG_BUF, 2048)).map((s) => [s.id, s.length])).toEqual([["PH", 48], ["UH", 24], ["PE", 16]]);
      },
    },
  ],
  "migration-pending": [
    {
      value: "discard", reason: "§1/§10: the new pipe starts empty; the payload is recorded as dropped",
      check: (m) => {
        m.outside.hmc.send(HMC1, pattern(10));
        m.outside.migration.migrate();
        expect(m.inspect().hvpipe.queued).toEqual([]);
        expect(m.inspect().hvpipe.dropped).toEqual([{ source: HMC1, length: 10, reason: "discarded by migration (new pipe)" }]);
      },
    },
    {
      value: "keep", reason: "the payload survives and is announced on the new pipe",
      check: (m) => {
        m.outside.hmc.send(HMC1, pattern(10));
        m.outside.migration.migrate();
        enableHvpipe(m);
        expect(m.inspect().hvpipe.queued).toEqual([{ source: HMC1, length: 10, announced: true }]);
        expect(m.inspect().hvpipe.dropped).toEqual([]);
      },
    },
  ],
  "migration-source-ids": [
    {
      value: "keep", reason: "ids survive migration; the old handle keeps working",
      check: (m) => {
        expect(m.outside.migration.migrate().sourceIds).toEqual([]);
        expect(sendPayload(m, HMC1, pattern(3))).toBe(0);
      },
    },
    {
      value: "renumber", reason: "§3 QQQQ + 0x100: 0x02000001 becomes 0x02000101 and the old id is unknown (-4)",
      check: (m) => {
        expect(m.outside.migration.migrate().sourceIds).toEqual([{ from: 0x02000001, to: 0x02000101 }]);
        expect(sendPayload(m, HMC1, pattern(3))).toBe(-4);
        expect(sendPayload(m, 0x02000101, pattern(3))).toBe(0);
      },
    },
  ],
  "lost-connection-blocks": [
    {
      value: false, reason: "the lost-connection event is posted at once, beside the announced payload",
      check: (m) => {
        enableHvpipe(m);
        m.outside.hmc.send(HMC2, pattern(10));
        m.outside.hmc.close(HMC1);
        expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000002", "hvpipe lost connection from 0x02000001"]);
      },
    },
    {
      value: true, reason: "the lost connection waits behind the announced payload, then blocks the pipe until taken",
      check: (m) => {
        enableHvpipe(m);
        m.outside.hmc.send(HMC2, pattern(10));
        m.outside.hmc.close(HMC1);
        m.outside.hmc.send(HMC2, pattern(20));
        expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000002"]);
        expect(takeEvent(m)).toEqual([HMC2, 1]);
        expect(receive(m)).toEqual([0, HMC2, 10]);
        expect(m.inspect().events).toEqual(["hvpipe lost connection from 0x02000001"]);
        expect(receive(m)).toEqual([-1, SENTINEL_WORD, SENTINEL_WORD]);
        expect(takeEvent(m)).toEqual([HMC1, 2]);
        expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000002"]);
      },
    },
  ],
  "payload-limit": [
    {
      value: 4048, reason: "§1/§3: 4048 bytes today, both directions",
      check: (m) => {
        expect(sendPayload(m, HMC1, pattern(4049))).toBe(-3);
        expect(sendPayload(m, HMC1, pattern(4048))).toBe(0);
        expect(() => m.outside.hmc.send(HMC1, pattern(4049))).toThrow("1 to 4048 bytes");
        m.outside.hmc.send(HMC1, pattern(4048));
      },
    },
    {
      value: 12288, reason: "three 4 KiB buffers' worth, sent and received whole",
      check: (m) => {
        expect(sendPages(m, HMC1, pattern(12289))).toBe(-3);
        expect(sendPages(m, HMC1, pattern(12288))).toBe(0);
        expect(hmcReceived(m)).toEqual([12288]);
      },
    },
    {
      value: 1048576, reason: "§1: the architectural ~1 MB = 256 buffers of 4 KiB",
      check: (m) => {
        expect(sendPages(m, HMC1, pattern(1048576))).toBe(0);
        expect(hmcReceived(m)).toEqual([1048576]);
      },
    },
  ],
  "buffer-list-entries": [
    {
      value: 1, reason: "§4.4: the driver builds one entry; two are a parameter error",
      check: (m) => {
        writeBufferList(m, 0x80000, [[0x100000, 10], [0x101000, 10]]);
        expect(send(m, HMC1, 0x80000)).toBe(-3);
        expect(m.inspect().hvpipe.sources[0]!.refused).toEqual({ closed: 0, "bad-buffer-list": 1 });
      },
    },
    {
      value: 3, reason: "three entries are gathered in list order; a fourth is refused",
      check: (m) => {
        writeBytes(m, 0x100000, [1, 2]);
        writeBytes(m, 0x102000, [3]);
        writeBytes(m, 0x101000, [4, 5, 6]);
        writeBufferList(m, 0x80000, [[0x100000, 2], [0x102000, 1], [0x101000, 3]]);
        expect(send(m, HMC1, 0x80000)).toBe(0);
        expect([...m.devices.hvpipe.model.sources.get(HMC1)!.received[0]!]).toEqual([1, 2, 3, 4, 5, 6]);
        writeBufferList(m, 0x80000, [[0x100000, 1], [0x100000, 1], [0x100000, 1], [0x100000, 1]]);
        expect(send(m, HMC1, 0x80000)).toBe(-3);
      },
    },
    {
      value: 256, reason: "the most the list may hold; each entry is still at most 4096 bytes",
      check: (m) => {
        const entries: [number, number][] = Array.from({ length: 256 }, (_, i) => [0x100000 + 16 * i, 16]);
        writeBufferList(m, 0x80000, entries);
        expect(send(m, HMC1, 0x80000)).toBe(0);
        writeBufferList(m, 0x80000, [...entries, [0x100000, 16]]);
        expect(send(m, HMC1, 0x80000)).toBe(-3);
        writeBufferList(m, 0x80000, [[0x100000, 4097]]);
        expect(send(m, HMC1, 0x80000)).toBe(-3);
        expect(hmcReceived(m)).toEqual([4096]);
      },
    },
  ],
  "fifo-depth": [
    {
      value: 64, reason: "§10: 64 payloads fit in the pipe; the 65th waits in its HMC's outbox",
      check: (m) => {
        for (let i = 0; i < 65; i++) m.outside.hmc.send(HMC1, pattern(8, i));
        expect(m.inspect().hvpipe.queued).toHaveLength(64);
        expect(m.inspect().hvpipe.sources[0]!.outbox).toEqual([{ order: 0, length: 8 }]);
      },
    },
    {
      value: 1, reason: "one slot: the second send waits until the first is received",
      check: (m) => {
        enableHvpipe(m);
        m.outside.hmc.send(HMC1, pattern(8, 1));
        m.outside.hmc.send(HMC1, pattern(9, 2));
        expect(m.inspect().hvpipe.queued.map((q) => q.length)).toEqual([8]);
        takeEvent(m);
        expect(receive(m)).toEqual([0, HMC1, 8]);
        expect(m.inspect().hvpipe.queued.map((q) => q.length)).toEqual([9]);
      },
    },
  ],
  "hmc-queue-depth": [
    {
      value: 16, reason: "with a full pipe an HMC holds 16 payloads back; the 17th is refused",
      check: (m) => {
        for (let i = 0; i < 64 + 16; i++) m.outside.hmc.send(HMC1, pattern(8, i));
        expect(m.inspect().hvpipe.sources[0]!.outbox).toHaveLength(16);
        expect(() => m.outside.hmc.send(HMC1, pattern(8))).toThrow("already holds 16 payloads waiting for it (policy hmc-queue-depth)");
        // Outboxes are per HMC: another HMC may still hold 16 of its own.
        m.outside.hmc.connect(HMC2);
        m.outside.hmc.send(HMC2, pattern(8));
        expect(m.inspect().hvpipe.sources[1]!.outbox).toEqual([{ order: 16, length: 8 }]);
      },
    },
    {
      value: 1, reason: "an HMC with one payload waiting is refused the next",
      check: (m) => {
        for (let i = 0; i < 65; i++) m.outside.hmc.send(HMC1, pattern(8, i));
        expect(() => m.outside.hmc.send(HMC1, pattern(8))).toThrow("already holds 1 payloads waiting for it");
        expect(m.inspect().hvpipe.sources[0]!.sent).toBe(65);
      },
    },
  ],
  "source-in-flight": [
    {
      value: "unlimited", reason: "a source's second payload enters the pipe before the first is received",
      check: (m) => {
        m.outside.hmc.send(HMC1, pattern(5));
        m.outside.hmc.send(HMC1, pattern(6));
        expect(m.inspect().hvpipe.queued.map((q) => q.length)).toEqual([5, 6]);
      },
    },
    {
      value: 1, reason: "the second waits in the HMC's outbox until the first is received (the ACK)",
      check: (m) => {
        enableHvpipe(m);
        m.outside.hmc.send(HMC1, pattern(5));
        m.outside.hmc.send(HMC1, pattern(6));
        expect(m.inspect().hvpipe.queued.map((q) => q.length)).toEqual([5]);
        expect(m.inspect().hvpipe.sources[0]!.outbox).toEqual([{ order: 0, length: 6 }]);
        takeEvent(m);
        expect(receive(m)).toEqual([0, HMC1, 5]);
        expect(m.inspect().hvpipe.queued.map((q) => q.length)).toEqual([6]);
      },
    },
  ],
  "reraise-after-failed-check-exception": [
    {
      value: false, reason: "a failed check-exception leaves the event queued and its interrupt unsignalled",
      check: (m) => {
        expect(afterFailedCheckException(m)).toBe(false);
      },
    },
    {
      value: true, reason: "a failed check-exception pulses the queued class's interrupt again",
      check: (m) => {
        expect(afterFailedCheckException(m)).toBe(true);
      },
    },
  ],
};

/** Machines for the cases that need two HMCs or bigger memory. */
function machineFor(name: PolicyName, value: Value): Machine {
  const policy: Record<string, Value> = { [name]: value };
  if (name === "payload-limit" || name === "buffer-list-entries") {
    policy["buffer-list-entries"] = name === "buffer-list-entries" ? value : 256;
    policy["payload-limit"] = name === "payload-limit" ? value : 1048576;
    policy["fifo-depth"] = 4;
  }
  const sources = name === "lost-connection-blocks" ? [HMC1, HMC2] : [HMC1];
  return machine({ sources, policy });
}

describe("every policy in each setting", () => {
  for (const [name, settings] of Object.entries(SETTINGS) as [PolicyName, Setting[]][]) {
    describe(name, () => {
      for (const s of settings) {
        const isDefault = s.value === POLICIES[name].default;
        it(`${JSON.stringify(s.value)}${isDefault ? " (default)" : ""}: ${s.reason}`, () => s.check(machineFor(name, s.value)));
      }
    });
  }

  it("covers every policy, every value of the enumerated ones, and every default", () => {
    expect(Object.keys(SETTINGS).sort()).toEqual(Object.keys(POLICIES).sort());
    for (const [name, def] of Object.entries(POLICIES) as [PolicyName, (typeof POLICIES)[PolicyName]][]) {
      const tested = SETTINGS[name].map((s) => s.value);
      if (def.values !== "positive-integer") expect(tested.sort()).toEqual([...def.values].sort());
      expect(tested).toContain(def.default);
      if (def.values === "positive-integer") expect(tested.length).toBeGreaterThanOrEqual(2);
    }
  });

  it("the default machine answers as the default settings do", () => {
    const m = machine();
    expect(receive(m)).toEqual([-1, SENTINEL_WORD, SENTINEL_WORD]);
    expect(sendPayload(m, UNKNOWN, pattern(1))).toBe(-4);
  });
});
