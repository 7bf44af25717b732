// Policy source-in-flight (docs/policies.md): with 1, a source's next payload waits in its HMC's
// outbox (counted against hmc-queue-depth) until the partition has received — ACKed — the previous
// one (§1: a receive's success acknowledges the payload to the source), then enters in send order.
import { describe, expect, it } from "vitest";
import type { Machine } from "../../../../emulator/machine.js";
import { HMC1, HMC2, LOG_BUF, checkException, enableHvpipe, machine, pattern, receive, walkSections } from "../../helpers.js";

/** Takes the announcement and receives it; returns [source, length]. */
function next(m: Machine): [number, number] {
  expect(checkException(m)).toBe(0);
  const pe = walkSections(m.memory.read(LOG_BUF, 2048)).find((s) => s.id === "PE")!;
  const [status, source, length] = receive(m);
  expect(status).toBe(0);
  expect(source).toBe(new DataView(pe.data.buffer).getUint32(0));
  return [source!, length!];
}

const queued = (m: Machine): [number, number][] => m.inspect().hvpipe.queued.map((q) => [q.source, q.length]);
const outboxes = (m: Machine) => m.inspect().hvpipe.sources.map((s) => [s.id, s.outbox]);

describe("source-in-flight", () => {
  it('"unlimited" (default): both payloads of one source are in the pipe at once', () => {
    const m = machine();
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(5));
    m.outside.hmc.send(HMC1, pattern(6));
    expect(queued(m)).toEqual([[HMC1, 5], [HMC1, 6]]);
    expect(outboxes(m)).toEqual([[HMC1, []]]);
  });

  it("1: the second payload waits in the outbox until the first is received, then enters and is announced", () => {
    const m = machine({ policy: { "source-in-flight": 1 } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(5));
    m.outside.hmc.send(HMC1, pattern(6));
    m.outside.hmc.send(HMC1, pattern(7));
    expect(queued(m)).toEqual([[HMC1, 5]]);
    expect(outboxes(m)).toEqual([[HMC1, [{ order: 0, length: 6 }, { order: 1, length: 7 }]]]);
    // Taking the announcement is not the ACK; the receive is.
    expect(checkException(m)).toBe(0);
    expect(queued(m)).toEqual([[HMC1, 5]]);
    expect(receive(m).slice(0, 3)).toEqual([0, HMC1, 5]);
    expect(queued(m)).toEqual([[HMC1, 6]]);
    expect(m.inspect().hvpipe.announcement).toEqual({ kind: "payload", source: HMC1, taken: false });
    expect(next(m)).toEqual([HMC1, 6]);
    expect(next(m)).toEqual([HMC1, 7]);
    expect(checkException(m)).toBe(1);
    expect(m.inspect().hvpipe.sources[0]).toMatchObject({ sent: 3, deliveredToPartition: 3, outbox: [] });
  });

  it("1: another source is not held back by one whose payload is in flight", () => {
    const m = machine({ sources: [HMC1, HMC2], policy: { "source-in-flight": 1 } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(11));
    m.outside.hmc.send(HMC1, pattern(12)); // waits for the ACK of 11
    m.outside.hmc.send(HMC2, pattern(21)); // enters at once
    m.outside.hmc.send(HMC2, pattern(22)); // waits for the ACK of 21
    expect(queued(m)).toEqual([[HMC1, 11], [HMC2, 21]]);
    const got: [number, number][] = [];
    for (let i = 0; i < 4; i++) got.push(next(m));
    // 12 enters at 11's ACK, behind 21; 22 at 21's ACK, behind 12.
    expect(got).toEqual([[HMC1, 11], [HMC2, 21], [HMC1, 12], [HMC2, 22]]);
  });

  it("1: held payloads count against hmc-queue-depth", () => {
    const m = machine({ policy: { "source-in-flight": 1, "hmc-queue-depth": 1 } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(5));
    m.outside.hmc.send(HMC1, pattern(6));
    expect(() => m.outside.hmc.send(HMC1, pattern(7))).toThrow("already holds 1 payloads waiting for it (policy hmc-queue-depth)");
    expect(m.inspect().hvpipe.sources[0]).toMatchObject({ sent: 2, outbox: [{ order: 0, length: 6 }] });
  });

  it("1: while the pipe is disabled the first payload still enters and the next waits", () => {
    const m = machine({ policy: { "source-in-flight": 1 } });
    m.outside.hmc.send(HMC1, pattern(5));
    m.outside.hmc.send(HMC1, pattern(6));
    expect(queued(m)).toEqual([[HMC1, 5]]);
    enableHvpipe(m);
    expect(next(m)).toEqual([HMC1, 5]);
    expect(next(m)).toEqual([HMC1, 6]);
  });

  it("1: a discarding migration frees the source, and its waiting payload enters the new pipe", () => {
    const m = machine({ policy: { "source-in-flight": 1 } });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(5));
    m.outside.hmc.send(HMC1, pattern(6));
    m.outside.migration.migrate();
    expect(queued(m)).toEqual([[HMC1, 6]]);
    expect(next(m)).toEqual([HMC1, 6]);
  });
});
