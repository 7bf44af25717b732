// Back-pressure (policies fifo-depth and hmc-queue-depth): a send that finds the pipe full waits in
// its HMC's outbox and enters the pipe, in global send order across HMCs, as soon as a receive frees
// a slot (spec/hvpipe-driver.md §1 "pipe is blocked ... until then", §10 "global FIFO").
import { describe, expect, it } from "vitest";
import type { Machine } from "../../../../emulator/machine.js";
import {
  HMC1, HMC2, LOG_BUF, RECV_BUF, bytesAt, checkException, enableHvpipe, machine, pattern, receive, walkSections,
} from "../../helpers.js";

const HMC3 = 0x02000003;

function takeEvent(m: Machine): number {
  expect(checkException(m)).toBe(0);
  const pe = walkSections(m.memory.read(LOG_BUF, 2048)).find((s) => s.id === "PE")!;
  return new DataView(pe.data.buffer).getUint32(0);
}

/** Takes the next announcement and receives it; returns [source, length, first byte]. */
function next(m: Machine): [number, number, number] {
  const announced = takeEvent(m);
  const [status, source, length] = receive(m);
  expect(status).toBe(0);
  expect(source).toBe(announced);
  return [source!, length!, m.memory.bytes[RECV_BUF]!];
}

describe("HMC outboxes", () => {
  it("payloads enter the pipe in global send order across HMCs, one per freed slot", () => {
    const m = machine({ sources: [HMC1, HMC2, HMC3], policy: { "fifo-depth": 2 } });
    enableHvpipe(m);
    // Lengths say who sent what and when: 1x = HMC1, 2x = HMC2, 3x = HMC3.
    m.outside.hmc.send(HMC1, pattern(11));
    m.outside.hmc.send(HMC2, pattern(21));
    m.outside.hmc.send(HMC2, pattern(22)); // waits (order 0)
    m.outside.hmc.send(HMC3, pattern(31)); // waits (order 1)
    m.outside.hmc.send(HMC1, pattern(12)); // waits (order 2)
    m.outside.hmc.send(HMC2, pattern(23)); // waits (order 3)
    const s = m.inspect().hvpipe;
    expect(s.queued.map((q) => [q.source, q.length])).toEqual([[HMC1, 11], [HMC2, 21]]);
    expect(s.sources.map((x) => [x.id, x.outbox])).toEqual([
      [HMC1, [{ order: 2, length: 12 }]],
      [HMC2, [{ order: 0, length: 22 }, { order: 3, length: 23 }]],
      [HMC3, [{ order: 1, length: 31 }]],
    ]);
    const got: [number, number][] = [];
    for (let i = 0; i < 6; i++) {
      const [source, length] = next(m);
      got.push([source, length]);
      // After each receive the pipe is full again as long as anything waits.
      expect(m.inspect().hvpipe.queued).toHaveLength(Math.min(2, 5 - i));
    }
    expect(got).toEqual([[HMC1, 11], [HMC2, 21], [HMC2, 22], [HMC3, 31], [HMC1, 12], [HMC2, 23]]);
    expect(m.inspect().hvpipe.sources.map((x) => [x.sent, x.deliveredToPartition])).toEqual([[2, 2], [3, 3], [1, 1]]);
    expect(checkException(m)).toBe(1);
  });

  it("the bytes that waited are the bytes the partition receives", () => {
    const m = machine({ policy: { "fifo-depth": 1 } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(100, 1));
    const later = pattern(4048, 2);
    m.outside.hmc.send(HMC1, later);
    later.fill(0); // the outbox holds its own copy: the HMC may reuse its buffer
    next(m);
    expect(next(m)).toEqual([HMC1, 4048, pattern(1, 2)[0]!]);
    expect(bytesAt(m, RECV_BUF, 4048)).toEqual([...pattern(4048, 2)]);
  });

  it("while the OS has the pipe disabled, payloads still fill the pipe and then the outboxes", () => {
    const m = machine({ policy: { "fifo-depth": 1, "hmc-queue-depth": 2 } });
    for (const n of [1, 2, 3]) m.outside.hmc.send(HMC1, pattern(n));
    expect(() => m.outside.hmc.send(HMC1, pattern(4))).toThrow(/policy hmc-queue-depth/);
    expect(m.inspect().events).toEqual([]);
    enableHvpipe(m);
    expect([next(m)[1], next(m)[1], next(m)[1]]).toEqual([1, 2, 3]);
  });

  it("a refused send changes nothing, and the HMC may send again once its outbox drains", () => {
    const m = machine({ policy: { "fifo-depth": 1, "hmc-queue-depth": 1 } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(1));
    m.outside.hmc.send(HMC1, pattern(2));
    const before = JSON.stringify(m.inspect());
    expect(() => m.outside.hmc.send(HMC1, pattern(3))).toThrow(
      "the pipe is full (policy fifo-depth 1) and HMC source 0x02000001 already holds 1 payloads waiting for it (policy hmc-queue-depth): the HMC's send is refused");
    expect(JSON.stringify(m.inspect())).toBe(before);
    next(m);
    m.outside.hmc.send(HMC1, pattern(3));
    expect([next(m)[1], next(m)[1]]).toEqual([2, 3]);
  });

  it("a lost connection discards that HMC's waiting payloads (recorded), not the ones already in the pipe", () => {
    const m = machine({ sources: [HMC1, HMC2], policy: { "fifo-depth": 1 } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(10));
    m.outside.hmc.send(HMC1, pattern(11));
    m.outside.hmc.send(HMC2, pattern(20));
    m.outside.hmc.send(HMC1, pattern(12));
    m.outside.hmc.close(HMC1);
    const s = m.inspect().hvpipe;
    expect(s.dropped).toEqual([
      { source: HMC1, length: 11, reason: "lost connection: the HMC's waiting payloads are discarded" },
      { source: HMC1, length: 12, reason: "lost connection: the HMC's waiting payloads are discarded" },
    ]);
    expect(s.sources.map((x) => [x.id, x.connected, x.sent, x.lostConnections, x.outbox.length])).toEqual([
      [HMC1, false, 3, 1, 0], [HMC2, true, 1, 0, 1],
    ]);
    // The payload the hypervisor already held is still delivered; then HMC2's.
    expect(next(m)).toEqual([HMC1, 10, pattern(10)[0]!]);
    expect(takeEvent(m)).toBe(HMC1); // the lost-connection event (lost-connection-blocks: false)
    expect(next(m)[0]).toBe(HMC2);
  });

  it("a migration that discards the pipe's payloads lets the outboxes (the HMCs' own memory) into the new pipe", () => {
    const m = machine({ sources: [HMC1, HMC2], policy: { "fifo-depth": 1 } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(10));
    m.outside.hmc.send(HMC2, pattern(20));
    m.outside.hmc.send(HMC1, pattern(11));
    const record = m.outside.migration.migrate();
    expect(record.dropped).toEqual([{ source: HMC1, length: 10, reason: "discarded by migration (new pipe)" }]);
    expect(m.inspect().hvpipe.queued).toEqual([{ source: HMC2, length: 20, announced: true }]);
    expect(next(m)[1]).toBe(20);
    expect(next(m)[1]).toBe(11);
  });

  it("under migration-pending: keep the pipe stays full and the outboxes keep waiting", () => {
    const m = machine({ policy: { "fifo-depth": 1, "migration-pending": "keep" } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(10));
    m.outside.hmc.send(HMC1, pattern(11));
    m.outside.migration.migrate();
    expect(m.inspect().hvpipe.queued).toEqual([{ source: HMC1, length: 10, announced: true }]);
    expect(m.inspect().hvpipe.sources[0]!.outbox).toEqual([{ order: 0, length: 11 }]);
    expect([next(m)[1], next(m)[1]]).toEqual([10, 11]);
  });
});
