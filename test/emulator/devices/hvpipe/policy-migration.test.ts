// What live migration does to pending payloads (migration-pending) and to source ids
// (migration-source-ids), and what migrate() records (spec/hvpipe-driver.md §1 "the hypervisor
// assigns a new pipe, and the partition ID ... may change", §3 "0xCCRRQQQQ", §4.10, §10).
import { describe, expect, it } from "vitest";
import type { Machine } from "../../../../emulator/machine.js";
import { Errno } from "../../../../kernel-shim/uapi.js";
import { HVPIPE_RESUME, HVPIPE_SUSPEND } from "../../../../kernel-shim/drivers/papr-hvpipe/driver.js";
import { withHeader } from "../../../../runner/harness/guest-syscalls.js";
import {
  HMC1, HMC2, LOG_BUF, checkException, enableHvpipe, machine, pattern, receive, sendPayload, walkSections,
} from "../../helpers.js";
import { boot, handle, text, type TestPartition, hvpipeOf } from "../../../support/partition-harness.js";

const RENUMBER = { "migration-source-ids": "renumber" };
const HMC1_AFTER = 0x02000101;
const HMC2_AFTER = 0x02000102;

function takeEvent(m: Machine): [number, number] {
  expect(checkException(m)).toBe(0);
  const pe = walkSections(m.memory.read(LOG_BUF, 2048)).find((s) => s.id === "PE")!;
  return [new DataView(pe.data.buffer).getUint32(0), pe.data[4]!];
}

describe("migration-source-ids: keep (default)", () => {
  it("ids survive; migrate() records an empty mapping and numbers the migrations", () => {
    const m = machine({ sources: [HMC1, HMC2] });
    expect(m.outside.migration.migrate()).toEqual({ number: 1, sourceIds: [], dropped: [] });
    expect(m.outside.migration.migrate()).toEqual({ number: 2, sourceIds: [], dropped: [] });
    expect(m.inspect().hvpipe.sources.map((s) => s.id)).toEqual([HMC1, HMC2]);
    expect(sendPayload(m, HMC1, pattern(1))).toBe(0);
  });
});

describe("migration-source-ids: renumber", () => {
  it("adds 0x100 to every id's QQQQ index (mod 0x10000), keeping CC and RR", () => {
    const ids = [0x02000001, 0x0200ff80, 0x03000000, 0x7f00fffe];
    const m = machine({ sources: ids, policy: RENUMBER });
    const record = m.outside.migration.migrate();
    // §3: 0xCCRRQQQQ; only QQQQ (the source index) changes, wrapping within 16 bits.
    expect(record.sourceIds).toEqual([
      { from: 0x02000001, to: 0x02000101 },
      { from: 0x0200ff80, to: 0x02000080 },
      { from: 0x03000000, to: 0x03000100 },
      { from: 0x7f00fffe, to: 0x7f0000fe },
    ]);
    expect(m.inspect().hvpipe.sources.map((s) => s.id)).toEqual([0x02000101, 0x02000080, 0x03000100, 0x7f0000fe]);
    expect(m.inspect().hvpipe.migrations).toEqual([record]);
  });

  it("old ids are unknown: sends answer per send-to-unknown-source (closed: -4) and are counted", () => {
    const m = machine({ sources: [HMC1, HMC2], policy: RENUMBER });
    m.outside.migration.migrate();
    expect(sendPayload(m, HMC1, pattern(1))).toBe(-4);
    expect(sendPayload(m, HMC1_AFTER, pattern(1))).toBe(0);
    expect(m.inspect().hvpipe.unknownSources).toEqual([{ id: HMC1, refused: { "unknown-source": 1, "bad-buffer-list": 0 } }]);
    expect(m.devices.hvpipe.model.sources.get(HMC1_AFTER)!.received.map((p) => p.length)).toEqual([1]);
  });

  it("old ids are unknown: sends answer -3 under send-to-unknown-source: param-error", () => {
    const m = machine({ policy: { ...RENUMBER, "send-to-unknown-source": "param-error" } });
    m.outside.migration.migrate();
    expect(sendPayload(m, HMC1, pattern(1))).toBe(-3);
    expect(sendPayload(m, HMC1_AFTER, pattern(1))).toBe(0);
  });

  it("the outside world must use the new id; the error says what the old one became", () => {
    const m = machine({ policy: RENUMBER });
    m.outside.migration.migrate();
    m.outside.migration.migrate();
    // Two migrations: +0x200; the first id points at the newest one.
    expect(() => m.outside.hmc.send(HMC1, pattern(1))).toThrow(
      "no HMC source 0x02000001 is attached to the partition (attached: 0x02000201; migration renumbered 0x02000001 to 0x02000201)");
    expect(() => m.outside.hmc.close(HMC1_AFTER)).toThrow("migration renumbered 0x02000101 to 0x02000201");
    m.outside.hmc.send(0x02000201, pattern(1));
  });

  it("kept payloads (migration-pending: keep) and waiting outboxes carry the new ids", () => {
    const m = machine({ sources: [HMC1, HMC2], policy: { ...RENUMBER, "migration-pending": "keep", "fifo-depth": 1 } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(10));
    m.outside.hmc.send(HMC2, pattern(20)); // waits in HMC2's outbox
    expect(takeEvent(m)).toEqual([HMC1, 1]);
    m.outside.migration.migrate();
    expect(m.inspect().hvpipe.queued).toEqual([{ source: HMC1_AFTER, length: 10, announced: true }]);
    // The re-announcement and the receive name the new id.
    expect(takeEvent(m)).toEqual([HMC1_AFTER, 1]);
    expect(receive(m)).toEqual([0, HMC1_AFTER, 10]);
    expect(takeEvent(m)).toEqual([HMC2_AFTER, 1]);
    expect(receive(m)).toEqual([0, HMC2_AFTER, 20]);
    // Counters stay with the HMC across the change of id.
    expect(m.inspect().hvpipe.sources.map((s) => [s.id, s.sent, s.deliveredToPartition])).toEqual([[HMC1_AFTER, 1, 1], [HMC2_AFTER, 1, 1]]);
  });

  it("dropped payloads keep the id they had; a closed source stays closed under its new id", () => {
    const m = machine({ sources: [HMC1, HMC2], policy: RENUMBER });
    m.outside.hmc.send(HMC1, pattern(10));
    m.outside.hmc.close(HMC2);
    expect(m.outside.migration.migrate()).toEqual({
      number: 1,
      sourceIds: [{ from: HMC1, to: HMC1_AFTER }, { from: HMC2, to: HMC2_AFTER }],
      dropped: [{ source: HMC1, length: 10, reason: "discarded by migration (new pipe)" }],
    });
    expect(sendPayload(m, HMC2_AFTER, pattern(1))).toBe(-4);
    m.outside.hmc.connect(HMC2_AFTER);
    expect(sendPayload(m, HMC2_AFTER, pattern(1))).toBe(0);
  });

  it("hmcOpen of a retired id attaches a new HMC under it", () => {
    const m = machine({ policy: RENUMBER });
    m.outside.migration.migrate();
    m.outside.hmc.connect(HMC1);
    expect(m.inspect().hvpipe.sources.map((s) => s.id)).toEqual([HMC1_AFTER, HMC1]);
    expect(sendPayload(m, HMC1, pattern(1))).toBe(0);
  });
});

describe("migrate() returns a copy", () => {
  it("changing the returned record does not change the pipe's", () => {
    const m = machine({ policy: RENUMBER });
    const r = m.outside.migration.migrate();
    r.sourceIds.length = 0;
    expect(m.inspect().hvpipe.migrations[0]!.sourceIds).toEqual([{ from: HMC1, to: HMC1_AFTER }]);
  });
});

describe("the driver across a renumbering migration", () => {
  function migrate(t: TestPartition): void {
    for (const action of [HVPIPE_SUSPEND, HVPIPE_RESUME] as const) {
      if (action === HVPIPE_RESUME) t.machine.outside.migration.migrate();
      const th = t.kernel.sched.spawn("migration", "kthread", hvpipeOf(t.kernel).migrationHandler(action));
      t.kernel.settle();
      expect(th.state).toBe("done");
    }
  }

  it("the old handle's write fails with -EPIPE; a handle for the new id works (§4.10: user space recreates handles)", () => {
    const t = boot({ policy: RENUMBER });
    const old = handle(t, HMC1);
    migrate(t);
    expect(t.sys.write(1, old, withHeader(text("to the old id")))).toBe(-Errno.EPIPE);
    const renewed = handle(t, HMC1_AFTER);
    expect(t.sys.write(1, renewed, withHeader(text("hi")))).toBe(48 + 2);
    expect([...t.machine.devices.hvpipe.model.sources.get(HMC1_AFTER)!.received[0]!]).toEqual([...text("hi")]);
  });
});
