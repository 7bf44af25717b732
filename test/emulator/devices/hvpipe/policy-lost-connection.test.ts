// Lost connection and reconnection per source, and the policy lost-connection-blocks
// (spec/hvpipe-driver.md §1, §4.8, §10: "Whether such an event also blocks the pipe is unknown").
import { describe, expect, it } from "vitest";
import type { Machine } from "../../../../emulator/machine.js";
import { HVPIPE_LOST_CONNECTION, HVPIPE_MSG_AVAILABLE } from "../../../../kernel-shim/uapi.js";
import {
  HMC1, HMC2, LOG_BUF, SENTINEL_WORD, checkException, enableHvpipe, machine, pattern, receive, sendPayload, setSysparm,
  walkSections,
} from "../../helpers.js";
import { boot, handle, text, hvpipeOf } from "../../../support/partition-harness.js";

const BLOCKS = { "lost-connection-blocks": true };

function takeEvent(m: Machine): [number, number] {
  expect(checkException(m)).toBe(0);
  const pe = walkSections(m.memory.read(LOG_BUF, 2048)).find((s) => s.id === "PE")!;
  return [new DataView(pe.data.buffer).getUint32(0), pe.data[4]!];
}

function two(policy: Record<string, unknown> = {}): Machine {
  const m = machine({ sources: [HMC1, HMC2], policy });
  enableHvpipe(m);
  return m;
}

describe("lost connection and reconnection (either setting)", () => {
  for (const blocks of [false, true]) {
    it(`lost-connection-blocks: ${blocks} — sends to a closed source answer -4 until it reconnects`, () => {
      const m = two({ "lost-connection-blocks": blocks });
      m.outside.hmc.close(HMC1);
      // §3/§10: subsequent sends to it return -4 (RTAS_HVPIPE_CLOSED).
      expect(sendPayload(m, HMC1, pattern(5))).toBe(-4);
      expect(sendPayload(m, HMC2, pattern(5))).toBe(0);
      expect(() => m.outside.hmc.send(HMC1, pattern(5))).toThrow("HMC source 0x02000001 is not connected (hmc-open it first)");
      expect(takeEvent(m)).toEqual([HMC1, 0x02]);
      m.outside.hmc.connect(HMC1);
      expect(sendPayload(m, HMC1, pattern(5))).toBe(0);
      expect(m.inspect().hvpipe.sources[0]).toMatchObject({
        id: HMC1, connected: true, lostConnections: 1, receivedFromPartition: 1, refused: { closed: 1, "bad-buffer-list": 0 },
      });
      // Reconnection posts nothing (there is no "connected" event type, §3); a second loss is a second event.
      expect(m.inspect().events).toEqual([]);
      m.outside.hmc.close(HMC1);
      expect(takeEvent(m)).toEqual([HMC1, 0x02]);
      expect(m.inspect().hvpipe.sources[0]!.lostConnections).toBe(2);
    });

    it(`lost-connection-blocks: ${blocks} — closing a source that is already closed does nothing`, () => {
      const m = two({ "lost-connection-blocks": blocks });
      m.outside.hmc.close(HMC1);
      const before = JSON.stringify(m.inspect());
      m.outside.hmc.close(HMC1);
      expect(JSON.stringify(m.inspect())).toBe(before);
    });
  }
});

describe("lost-connection-blocks: false (default)", () => {
  it("the event is posted at once and blocks nothing: the next payload is announced after a receive", () => {
    const m = two();
    m.outside.hmc.send(HMC1, pattern(10));
    m.outside.hmc.send(HMC1, pattern(11));
    m.outside.hmc.close(HMC2);
    expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000001", "hvpipe lost connection from 0x02000002"]);
    expect(m.inspect().hvpipe.lostConnections).toEqual([]);
    expect(takeEvent(m)).toEqual([HMC1, 1]);
    expect(receive(m)).toEqual([0, HMC1, 10]);
    // The lost-connection event was never taken, yet the next payload is announced.
    expect(m.inspect().events).toEqual(["hvpipe lost connection from 0x02000002", "hvpipe message available from 0x02000001"]);
  });

  it("a loss while the OS has the pipe disabled posts nothing, now or after it is enabled", () => {
    const m = machine({ sources: [HMC1, HMC2] });
    m.outside.hmc.close(HMC2);
    enableHvpipe(m);
    expect(m.inspect().events).toEqual([]);
    expect(checkException(m)).toBe(1);
  });
});

describe("lost-connection-blocks: true", () => {
  it("the loss queues behind the payloads already in the pipe and ahead of later ones", () => {
    const m = two(BLOCKS);
    m.outside.hmc.send(HMC1, pattern(10));
    m.outside.hmc.send(HMC1, pattern(11));
    m.outside.hmc.close(HMC1);
    m.outside.hmc.send(HMC2, pattern(20));
    const s = m.inspect().hvpipe;
    expect(s.lostConnections).toEqual([{ source: HMC1, afterPayloads: 2, announced: false }]);
    expect(s.announcement).toEqual({ kind: "payload", source: HMC1, taken: false });
    const order: [number, number][] = [];
    for (;;) {
      if (checkException(m) !== 0) break;
      const pe = walkSections(m.memory.read(LOG_BUF, 2048)).find((x) => x.id === "PE")!;
      const ev: [number, number] = [new DataView(pe.data.buffer).getUint32(0), pe.data[4]!];
      order.push(ev);
      if (ev[1] === 1) expect(receive(m)[0]).toBe(0);
    }
    expect(order).toEqual([[HMC1, 1], [HMC1, 1], [HMC1, 2], [HMC2, 1]]);
  });

  it("while the loss is announced nothing else is, and a receive finds nothing (receive-when-empty: hardware-error)", () => {
    const m = two(BLOCKS);
    m.outside.hmc.close(HMC1);
    m.outside.hmc.send(HMC2, pattern(20));
    expect(m.inspect().events).toEqual(["hvpipe lost connection from 0x02000001"]);
    expect(m.inspect().hvpipe.announcement).toEqual({ kind: "lost-connection", source: HMC1, taken: false });
    expect(m.inspect().hvpipe.lostConnections).toEqual([{ source: HMC1, afterPayloads: 0, announced: true }]);
    expect(m.inspect().hvpipe.queued).toEqual([{ source: HMC2, length: 20, announced: false }]);
    expect(receive(m)).toEqual([-1, SENTINEL_WORD, SENTINEL_WORD]);
    // A check-exception for other event classes does not take it.
    expect(checkException(m, { mask: 0x40000000 })).toBe(1);
    expect(m.inspect().events).toEqual(["hvpipe lost connection from 0x02000001"]);
    // Taken by check-exception: the loss is consumed and the payload announced.
    expect(takeEvent(m)).toEqual([HMC1, 2]);
    expect(m.inspect().hvpipe.lostConnections).toEqual([]);
    expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000002"]);
    expect(takeEvent(m)).toEqual([HMC2, 1]);
    expect(receive(m)).toEqual([0, HMC2, 20]);
  });

  it("with receive-when-empty: empty-success a receive during the announced loss answers 0/0/0 and leaves it", () => {
    const m = two({ ...BLOCKS, "receive-when-empty": "empty-success" });
    m.outside.hmc.close(HMC1);
    m.outside.hmc.send(HMC2, pattern(20));
    expect(receive(m)).toEqual([0, 0, 0]);
    expect(m.inspect().hvpipe.queued).toEqual([{ source: HMC2, length: 20, announced: false }]);
    expect(takeEvent(m)).toEqual([HMC1, 2]);
  });

  it("a loss while the pipe is disabled waits, like a payload, until the OS enables the pipe", () => {
    const m = machine({ sources: [HMC1, HMC2], policy: BLOCKS });
    m.outside.hmc.send(HMC2, pattern(20));
    m.outside.hmc.close(HMC1);
    expect(m.inspect().events).toEqual([]);
    enableHvpipe(m);
    expect(takeEvent(m)).toEqual([HMC2, 1]);
    expect(receive(m)).toEqual([0, HMC2, 20]);
    expect(takeEvent(m)).toEqual([HMC1, 2]);
  });

  it("two losses are announced one after the other, each once taken", () => {
    const m = two(BLOCKS);
    m.outside.hmc.close(HMC2);
    m.outside.hmc.close(HMC1);
    expect(m.inspect().events).toEqual(["hvpipe lost connection from 0x02000002"]);
    expect(takeEvent(m)).toEqual([HMC2, 2]);
    expect(takeEvent(m)).toEqual([HMC1, 2]);
    expect(checkException(m)).toBe(1);
  });

  it("a reconnection before the loss is taken keeps the loss queued (it happened)", () => {
    const m = two(BLOCKS);
    m.outside.hmc.send(HMC2, pattern(20));
    m.outside.hmc.close(HMC1);
    m.outside.hmc.connect(HMC1);
    m.outside.hmc.send(HMC1, pattern(10));
    takeEvent(m);
    expect(receive(m)).toEqual([0, HMC2, 20]);
    expect(takeEvent(m)).toEqual([HMC1, 2]);
    expect(takeEvent(m)).toEqual([HMC1, 1]);
  });

  it("disabling the pipe does not withdraw an announced loss; nothing new is announced until it is enabled", () => {
    const m = two(BLOCKS);
    m.outside.hmc.close(HMC1);
    expect(setSysparm(m, 64, [0, 1, 0])).toBe(0);
    m.outside.hmc.send(HMC2, pattern(20));
    expect(takeEvent(m)).toEqual([HMC1, 2]);
    expect(m.inspect().events).toEqual([]);
    enableHvpipe(m);
    expect(takeEvent(m)).toEqual([HMC2, 1]);
  });

  for (const pending of ["discard", "keep"] as const) {
    it(`migration (migration-pending: ${pending}) drops queued losses of the old pipe, with the reason`, () => {
      const m = two({ ...BLOCKS, "migration-pending": pending });
      m.outside.hmc.send(HMC2, pattern(20));
      m.outside.hmc.close(HMC1);
      const record = m.outside.migration.migrate();
      const notice = { source: HMC1, length: 0, reason: "lost-connection notice of the old pipe, discarded by migration" };
      const payload = { source: HMC2, length: 20, reason: "discarded by migration (new pipe)" };
      expect(record.dropped).toEqual(pending === "discard" ? [notice, payload] : [notice]);
      expect(m.inspect().hvpipe.lostConnections).toEqual([]);
      // The source stays closed on the new pipe.
      expect(sendPayload(m, HMC1, pattern(1))).toBe(-4);
      expect(m.inspect().events).toEqual(pending === "discard" ? [] : ["hvpipe message available from 0x02000002"]);
    });
  }
});

describe("the driver on a partition with lost-connection-blocks: true", () => {
  it("the IRQ handler takes the loss by check-exception, which unblocks the pipe for the next message", () => {
    const t = boot({ policy: BLOCKS });
    handle(t, 0x02000001);
    handle(t, 0x02000002);
    t.machine.outside.hmc.close(0x02000002);
    t.machine.outside.hmc.send(0x02000001, text("after the loss"));
    t.kernel.settle();
    // §4.8: one event per interrupt; the handler never receives for a loss, yet the message follows.
    expect(t.rtasCalls.filter((c) => c.name === "check-exception").map((c) => c.rets[0])).toEqual([0, 0]);
    expect(hvpipeOf(t.kernel).find(0x02000002)!.hvpipeStatus).toBe(HVPIPE_LOST_CONNECTION);
    expect(hvpipeOf(t.kernel).find(0x02000001)!.hvpipeStatus).toBe(HVPIPE_MSG_AVAILABLE);
    expect(t.machine.inspect().hvpipe.announcement).toEqual({ kind: "payload", source: 0x02000001, taken: true });
  });
});
