// The outside world's side of the pipe: HMC sends that the hypervisor refuses, and live migration
// with the policy migration-pending (spec/hvpipe-driver.md §1, §4.10, §10, §16).
import { describe, expect, it } from "vitest";
import type { Machine } from "../../../../emulator/machine.js";
import {
  HMC1, HMC2, LOG_BUF, RECV_BUF, SENTINEL_WORD, checkException, enableHvpipe, machine, pattern, receive, walkSections,
} from "../../helpers.js";

const eventSource = (m: Machine): number => {
  expect(checkException(m)).toBe(0);
  const pe = walkSections(m.memory.read(LOG_BUF, 2048)).find((s) => s.id === "PE")!;
  return new DataView(pe.data.buffer).getUint32(0);
};

describe("hmcSend errors throw and change nothing", () => {
  function refused(m: Machine, source: number, payload: Uint8Array, message: string | RegExp): void {
    const before = JSON.stringify(m.inspect());
    expect(() => m.outside.hmc.send(source, payload)).toThrow(message);
    expect(JSON.stringify(m.inspect())).toBe(before);
  }

  it("from a source that is not attached", () => {
    const m = machine();
    enableHvpipe(m);
    refused(m, 0x02000077, pattern(10), "no HMC source 0x02000077 is attached to the partition (attached: 0x02000001)");
  });

  it("from a closed source", () => {
    const m = machine();
    m.outside.hmc.close(HMC1);
    enableHvpipe(m);
    refused(m, HMC1, pattern(10), "HMC source 0x02000001 is not connected (hmc-open it first)");
  });

  it("an empty payload or one over payload-limit", () => {
    const m = machine();
    enableHvpipe(m);
    // §1: payload limit 4048 today.
    refused(m, HMC1, new Uint8Array(0), "payload of 0 bytes: the pipe carries 1 to 4048 bytes (policy payload-limit)");
    refused(m, HMC1, pattern(4049), "payload of 4049 bytes: the pipe carries 1 to 4048 bytes (policy payload-limit)");
    const small = machine({ policy: { "payload-limit": 16 } });
    refused(small, HMC1, pattern(17), /1 to 16 bytes/);
  });

  it("a full pipe and a full outbox (policies fifo-depth and hmc-queue-depth)", () => {
    const m = machine({ policy: { "fifo-depth": 2, "hmc-queue-depth": 1 } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(10, 1));
    m.outside.hmc.send(HMC1, pattern(20, 2));
    m.outside.hmc.send(HMC1, pattern(30, 3)); // the pipe is full: it waits in HMC1's outbox
    expect(m.inspect().hvpipe.sources[0]!.outbox).toEqual([{ order: 0, length: 30 }]);
    refused(m, HMC1, pattern(40, 4),
      "the pipe is full (policy fifo-depth 2) and HMC source 0x02000001 already holds 1 payloads waiting for it (policy hmc-queue-depth): the HMC's send is refused");
    // Receiving the head frees a slot the waiting payload takes; the FIFO keeps order across its wrap-around.
    expect(checkException(m)).toBe(0);
    expect(receive(m)).toEqual([0, HMC1, 10]);
    expect(m.inspect().hvpipe.queued.map((q) => q.length)).toEqual([20, 30]);
    expect(m.inspect().hvpipe.sources[0]!.outbox).toEqual([]);
    expect([...m.devices.hvpipe.model.queuedPayload(1)]).toEqual([...pattern(30, 3)]);
  });
});

describe("migration", () => {
  function withTwoQueued(policy: Record<string, unknown> = {}): Machine {
    const m = machine({ sources: [HMC1, HMC2], policy });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(10, 1));
    m.outside.hmc.send(HMC2, pattern(20, 2));
    m.outside.hmc.close(HMC2); // a lost-connection event queued as well
    expect(m.inspect().events).toHaveLength(2);
    return m;
  }

  it("migration-pending: discard (default) drops queued payloads with a reason and withdraws hvpipe events", () => {
    const m = withTwoQueued();
    m.outside.migration.migrate();
    // §1/§10: after migration the partition has a new pipe; undelivered payloads are gone.
    const state = m.inspect();
    expect(state.hvpipe.queued).toEqual([]);
    expect(state.hvpipe.dropped).toEqual([
      { source: HMC1, length: 10, reason: "discarded by migration (new pipe)" },
      { source: HMC2, length: 20, reason: "discarded by migration (new pipe)" },
    ]);
    expect(state.events).toEqual([]);
    expect(checkException(m)).toBe(1);
    expect(receive(m)).toEqual([-1, SENTINEL_WORD, SENTINEL_WORD]);
    // The new pipe works: a later send is announced.
    m.outside.hmc.send(HMC1, pattern(5));
    expect(eventSource(m)).toBe(HMC1);
  });

  it("discard also drops a head that was announced and taken but not yet received", () => {
    const m = withTwoQueued();
    expect(eventSource(m)).toBe(HMC1);
    m.outside.migration.migrate();
    expect(m.inspect().hvpipe.queued).toEqual([]);
    expect(receive(m)).toEqual([-1, SENTINEL_WORD, SENTINEL_WORD]);
  });

  it("migration-pending: keep re-announces the head", () => {
    const m = withTwoQueued({ "migration-pending": "keep" });
    expect(eventSource(m)).toBe(HMC1); // the first announcement was taken before the migration
    m.outside.migration.migrate();
    const state = m.inspect();
    expect(state.hvpipe.dropped).toEqual([]);
    expect(state.hvpipe.queued).toEqual([
      { source: HMC1, length: 10, announced: true },
      { source: HMC2, length: 20, announced: false },
    ]);
    // Only the re-announcement is queued (the lost-connection event of the old pipe is withdrawn).
    expect(state.events).toEqual(["hvpipe message available from 0x02000001"]);
    expect(eventSource(m)).toBe(HMC1);
    expect(receive(m, RECV_BUF)).toEqual([0, HMC1, 10]);
    expect(eventSource(m)).toBe(HMC2);
  });

  it("a migration while the OS has the pipe disabled announces nothing until it is enabled", () => {
    const m = machine({ policy: { "migration-pending": "keep" } });
    m.outside.hmc.send(HMC1, pattern(10));
    m.outside.migration.migrate();
    expect(m.inspect().events).toEqual([]);
    enableHvpipe(m);
    expect(eventSource(m)).toBe(HMC1);
  });
});
