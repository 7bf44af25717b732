// check-exception and event-scan (spec/spapr-platform.md §3.3-§3.5) with the hvpipe event log
// (spec/hvpipe-driver.md §6, §4.8).
import { describe, expect, it } from "vitest";
import { H_EOI, H_XIRR } from "../../../../emulator/hcall-numbers.js";
import type { Machine } from "../../../../emulator/machine.js";
import {
  HMC1, HMC2, HVPIPE_IRQ, LOG_BUF, RAM, SENTINEL, bytesAt, checkException, enableEventIrq, enableHvpipe, fill,
  machine, pattern, rtas, walkSections,
} from "../../helpers.js";

/** spec/hvpipe-driver.md §6.4, byte for byte: source 0x02000001, event type 1. */
const MINIMAL_LOG = [
  0x06, 0x24, 0x00, 0xe6, 0x00, 0x00, 0x00, 0x20,
  0x86, 0x00, 0x8e, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x49, 0x42, 0x4d, 0x00,
  0x50, 0x45, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00,
  0x02, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00,
];

/** A machine with the pipe enabled and one message from HMC1 announced. */
function announced(options: Parameters<typeof machine>[0] = {}): Machine {
  const m = machine(options);
  enableHvpipe(m);
  m.outside.hmc.send(HMC1, pattern(64));
  return m;
}

describe("check-exception: call shape", () => {
  it("nargs other than 6 or 7, or nret other than 1, answers -3 and keeps the event", () => {
    const m = announced();
    // §3.3: nargs must be 6 or 7 and nret 1, otherwise -3.
    expect(checkException(m, { nargs: 5 })).toBe(-3);
    expect(checkException(m, { nargs: 8 })).toBe(-3);
    expect(checkException(m, { nret: 2 })).toBe(-3);
    expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000001"]);
  });

  it("6 and 7 arguments are both accepted", () => {
    const m = announced();
    // §3.3: arg 6 is the optional extended info.
    expect(checkException(m, { nargs: 7 })).toBe(0);
    expect(checkException(m, { nargs: 7 })).toBe(1);
    expect(checkException(m, { nargs: 6 })).toBe(1);
  });
});

describe("check-exception: delivery", () => {
  it("nothing pending answers 1 (NO_ERRORS_FOUND) and writes nothing", () => {
    const m = machine();
    fill(m, LOG_BUF, 64);
    // §3.3 step 2.
    expect(checkException(m)).toBe(1);
    expect(bytesAt(m, LOG_BUF, 64)).toEqual(new Array(64).fill(SENTINEL));
  });

  it("a mask that matches no pending class answers 1 and the event stays queued", () => {
    const m = announced();
    fill(m, LOG_BUF, 64);
    // §3.1: EPOW 0x40000000, hot plug 0x10000000 and I/O 0x08000000 do not select the hvpipe class (0x04000000).
    for (const mask of [0x40000000, 0x10000000, 0x08000000, 0x80000000]) expect(checkException(m, { mask })).toBe(1);
    expect(m.inspect().events).toHaveLength(1);
    expect(bytesAt(m, LOG_BUF, 64)).toEqual(new Array(64).fill(SENTINEL));
    // RTAS_EVENT_SCAN_ALL_EVENTS includes the hvpipe bit.
    expect(checkException(m, { mask: 0xffffffff })).toBe(0);
  });

  it("the hvpipe log is exactly the 40 bytes of hvpipe-driver.md §6.4 (policy event-log: minimal)", () => {
    const m = announced();
    fill(m, LOG_BUF, 2048);
    expect(checkException(m)).toBe(0);
    // §6.4: summary 0x062400E6, ext length 32, v6 header, 'PE' {0x02000001, 0x01}; nothing past byte 40.
    expect(bytesAt(m, LOG_BUF, 41)).toEqual([...MINIMAL_LOG, SENTINEL]);
    expect(m.inspect().events).toEqual([]);
    const pe = walkSections(m.memory.read(LOG_BUF, 40));
    expect(pe.map((s) => [s.id, s.offset, s.length])).toEqual([["PE", 24, 16]]);
  });

  it("policy with-main-sections puts 'PH' (48) and 'UH' (24) before 'PE'; Linux's walk finds 'PE'", () => {
    // 01:02:03 after the emulated epoch (2026-01-01 UTC).
    const m = announced({ policy: { "event-log": "with-main-sections" }, now: () => 3723e9 });
    fill(m, LOG_BUF, 2048);
    expect(checkException(m)).toBe(0);
    const log = m.memory.read(LOG_BUF, 112);
    const dv = new DataView(log.buffer);
    // §6.1: same summary; ext length = v6 header 16 + Main-A 48 + Main-B 24 + 'PE' 16 = 104.
    expect(dv.getUint32(0)).toBe(0x062400e6);
    expect(dv.getUint32(4)).toBe(16 + 48 + 24 + 16);
    expect(m.memory.bytes[LOG_BUF + 112]).toBe(SENTINEL);
    // §6.3: every section length non-zero and correct, so the walk (from 24, by length) ends at 8 + 104.
    const sections = walkSections(log);
    expect(sections.map((s) => [s.id, s.offset, s.length])).toEqual([["PH", 24, 48], ["UH", 72, 24], ["PE", 96, 16]]);
    const pe = sections.find((s) => s.id === "PE")!;
    // §3 (struct hvpipe_event_buf): be32 srcID, u8 event_type.
    expect(new DataView(pe.data.buffer).getUint32(0)).toBe(HMC1);
    expect(pe.data[4]).toBe(0x01);
    // §3.5 Main-A: BCD creation date/time, creator 'H', section count 3, plid.
    const ph = new DataView(sections[0]!.data.buffer);
    expect(ph.getUint32(0)).toBe(0x20260101);
    expect(ph.getUint32(4)).toBe(0x01020300);
    expect(sections[0]!.data[16]).toBe(0x48);
    expect(sections[0]!.data[19]).toBe(3);
    expect(ph.getUint32(32)).toBe(1);
  });

  it("a buffer shorter than the log gets only that many bytes; the event is taken", () => {
    const m = announced();
    fill(m, LOG_BUF, 64);
    expect(checkException(m, { len: 20 })).toBe(0);
    // §3.3 [quirk]: QEMU ignores the length; an emulator should clamp (the byte after stays untouched).
    expect(bytesAt(m, LOG_BUF, 21)).toEqual([...MINIMAL_LOG.slice(0, 20), SENTINEL]);
    expect(m.inspect().events).toEqual([]);
  });

  it("a log that fits only at the very end of RAM is written there", () => {
    const m = announced();
    expect(checkException(m, { buf: RAM - 40, len: 2048 })).toBe(0);
    expect(bytesAt(m, RAM - 40, 40)).toEqual(MINIMAL_LOG);
  });

  it("a buffer outside RAM answers -3 and the event stays queued", () => {
    const m = announced();
    for (const buf of [RAM, RAM - 4, RAM - 39, 0xfffffff8]) expect(checkException(m, { buf })).toBe(-3);
    expect(m.inspect().events).toHaveLength(1);
    expect(checkException(m)).toBe(0);
    expect(bytesAt(m, LOG_BUF, 40)).toEqual(MINIMAL_LOG);
  });
});

describe("check-exception: the event IRQ", () => {
  /** A kernel's 0x500 entry: H_XIRR, check-exception, H_EOI. Returns the accepted XIRR. */
  function takeInterrupt(m: Machine): number {
    const xirr = m.hcall(0, H_XIRR, []).outs[0]!;
    expect(checkException(m)).toBe(0);
    m.hcall(0, H_EOI, [xirr]);
    return xirr;
  }

  it("with another event still queued, the source is pulsed again and the CPU sees a new interrupt", () => {
    const m = machine({ sources: [HMC1, HMC2] });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(8));
    m.outside.hmc.close(HMC2); // a second hvpipe event: lost connection
    expect(m.inspect().events).toHaveLength(2);
    expect(m.externalInterruptPending(0)).toBe(false); // source still masked (priority 0xff)
    enableEventIrq(m);
    expect(m.externalInterruptPending(0)).toBe(true);
    // XIRR = CPPR 0xff | source 0x1002 (§4.3 accept).
    expect(takeInterrupt(m)).toBe((0xff000000 | HVPIPE_IRQ) >>> 0);
    // §3.3 step 4: check-exception re-edges a class that still has events; the edge that arrived while
    // CPPR was 5 was rejected and is re-presented at EOI.
    expect(m.externalInterruptPending(0)).toBe(true);
    expect(takeInterrupt(m)).toBe((0xff000000 | HVPIPE_IRQ) >>> 0);
    expect(m.externalInterruptPending(0)).toBe(false);
    expect(m.inspect().events).toEqual([]);
  });

  it("with nothing left queued there is no new interrupt", () => {
    const m = announced();
    enableEventIrq(m);
    expect(m.externalInterruptPending(0)).toBe(true);
    takeInterrupt(m);
    expect(m.externalInterruptPending(0)).toBe(false);
    expect(m.inspect().xics.icps[0]).toMatchObject({ cppr: 0xff, xisr: 0, output: false });
  });
});

describe("event-scan", () => {
  it("takes 4 args and 1 ret, answers 1 and writes nothing", () => {
    const m = announced();
    fill(m, LOG_BUF, 2048);
    // §3.4: QEMU writes nothing and always answers NO_ERRORS_FOUND; events come only via check-exception.
    expect(rtas(m, "event-scan", [0xffffffff, 0, LOG_BUF, 2048], 1).rets).toEqual([1]);
    expect(bytesAt(m, LOG_BUF, 2048)).toEqual(new Array(2048).fill(SENTINEL));
    expect(m.inspect().events).toHaveLength(1);
  });

  it("any other shape answers -3", () => {
    const m = machine();
    // §3.4: nargs must be 4, nret 1.
    expect(rtas(m, "event-scan", [0xffffffff, 0, LOG_BUF], 1).rets).toEqual([-3]);
    expect(rtas(m, "event-scan", [0xffffffff, 0, LOG_BUF, 2048, 0], 1).rets).toEqual([-3]);
    expect(rtas(m, "event-scan", [0xffffffff, 0, LOG_BUF, 2048], 2).rets).toEqual([-3, 0]);
  });

  it("re-pulses a class with queued events", () => {
    const m = announced();
    enableEventIrq(m);
    const xirr = m.hcall(0, H_XIRR, []).outs[0]!;
    m.hcall(0, H_EOI, [xirr]); // interrupt acknowledged without taking the event
    expect(m.externalInterruptPending(0)).toBe(false);
    // §3.4: event-scan re-pulses every class with pending events.
    expect(rtas(m, "event-scan", [0xffffffff, 0, LOG_BUF, 2048], 1).rets).toEqual([1]);
    expect(m.externalInterruptPending(0)).toBe(true);
  });
});
