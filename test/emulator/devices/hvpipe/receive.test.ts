// The pipe's inbound side: announcing one payload at a time and ibm,receive-hvpipe-msg
// (spec/hvpipe-driver.md §1, §4.5, §5.1, §10).
import { describe, expect, it } from "vitest";
import type { Machine } from "../../../../emulator/machine.js";
import {
  HMC1, HMC2, LOG_BUF, RAM, RECV_BUF, SENTINEL, SENTINEL_WORD, bytesAt, checkException, enableHvpipe, fill, machine,
  pattern, receive, rtas, setSysparm, walkSections,
} from "../../helpers.js";

/** Takes the next hvpipe event and returns its 'PE' data: [srcID, event type]. */
function takeEvent(m: Machine): [number, number] {
  expect(checkException(m)).toBe(0);
  const log = m.memory.read(LOG_BUF, 2048);
  const pe = walkSections(log).find((s) => s.id === "PE")!;
  return [new DataView(pe.data.buffer).getUint32(0), pe.data[4]!];
}

describe("announcing", () => {
  it("a payload sent before the OS enables the pipe is announced only once it is enabled", () => {
    const m = machine();
    m.outside.hmc.send(HMC1, pattern(10));
    // §1: "Once hvpipe is enabled, the hypervisor notifies OS if the payload is pending".
    expect(m.inspect().events).toEqual([]);
    expect(m.inspect().hvpipe.queued).toEqual([{ source: HMC1, length: 10, announced: false }]);
    expect(checkException(m)).toBe(1);
    enableHvpipe(m);
    expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000001"]);
    expect(takeEvent(m)).toEqual([HMC1, 0x01]);
  });

  it("disabling the pipe stops new announcements until it is enabled again", () => {
    const m = machine();
    enableHvpipe(m);
    // hvpipe-driver.md §4.10: the OS sets 64 := 0 on migration SUSPEND.
    expect(setSysparm(m, 64, [0, 1, 0])).toBe(0);
    m.outside.hmc.send(HMC1, pattern(10));
    expect(m.inspect().events).toEqual([]);
    enableHvpipe(m);
    expect(m.inspect().events).toHaveLength(1);
  });

  it("one payload is announced at a time: two sources sending give one event", () => {
    const m = machine({ sources: [HMC1, HMC2] });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(100, 1));
    m.outside.hmc.send(HMC2, pattern(200, 2));
    // §1: the hypervisor does not deliver another hvpipe event until the previous payload is received.
    expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000001"]);
    expect(takeEvent(m)).toEqual([HMC1, 1]);
    expect(checkException(m)).toBe(1);
    expect(m.inspect().hvpipe.queued).toEqual([
      { source: HMC1, length: 100, announced: true },
      { source: HMC2, length: 200, announced: false },
    ]);
  });

  it("receive copies the head exactly and returns srcID and length; only then is the next announced", () => {
    const m = machine({ sources: [HMC1, HMC2] });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(100, 1));
    m.outside.hmc.send(HMC2, pattern(4048, 2));
    expect(takeEvent(m)).toEqual([HMC1, 1]);
    fill(m, RECV_BUF, 4097);
    // §5.1: rets = status, source ID, bytes written.
    expect(receive(m)).toEqual([0, HMC1, 100]);
    expect(bytesAt(m, RECV_BUF, 101)).toEqual([...pattern(100, 1), SENTINEL]);
    // §10: the next payload is announced as a new event once the head is consumed.
    expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000002"]);
    expect(takeEvent(m)).toEqual([HMC2, 1]);
    fill(m, RECV_BUF, 4097);
    expect(receive(m)).toEqual([0, HMC2, 4048]);
    expect(bytesAt(m, RECV_BUF, 4049)).toEqual([...pattern(4048, 2), SENTINEL]);
    expect(m.inspect().events).toEqual([]);
    expect(m.inspect().hvpipe.queued).toEqual([]);
    expect(m.inspect().hvpipe.sources.map((s) => [s.id, s.sent, s.deliveredToPartition])).toEqual([[HMC1, 1, 1], [HMC2, 1, 1]]);
  });

  it("a receive before check-exception took the announcement withdraws it: no stale event names the next payload", () => {
    const m = machine({ sources: [HMC1, HMC2] });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(10, 1));
    m.outside.hmc.send(HMC2, pattern(20, 2));
    expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000001"]);
    expect(receive(m)).toEqual([0, HMC1, 10]);
    // Only the second payload's announcement remains; the first one's would have named HMC1 for HMC2's data.
    expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000002"]);
    expect(takeEvent(m)).toEqual([HMC2, 1]);
    expect(checkException(m)).toBe(1);
  });

  it("a buffer larger than needed is accepted; the buffer size only bounds the copy", () => {
    const m = machine();
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(5));
    takeEvent(m);
    expect(receive(m, RECV_BUF, 5)).toEqual([0, HMC1, 5]);
  });
});

describe("receive errors", () => {
  it("with nothing announced: -1 under the default policy receive-when-empty: hardware-error", () => {
    const m = machine();
    // §10/§16: unspecified by PAPR; the default policy answers RTAS_HARDWARE_ERROR, leaving rets[1..2] alone.
    expect(receive(m)).toEqual([-1, SENTINEL_WORD, SENTINEL_WORD]);
    // A queued payload that is not announced (pipe disabled) is not receivable either.
    m.outside.hmc.send(HMC1, pattern(10));
    expect(receive(m)).toEqual([-1, SENTINEL_WORD, SENTINEL_WORD]);
    expect(m.inspect().hvpipe.queued).toHaveLength(1);
  });

  it("with nothing announced: status 0, srcID 0, length 0 under receive-when-empty: empty-success", () => {
    const m = machine({ policy: { "receive-when-empty": "empty-success" } });
    fill(m, RECV_BUF, 16);
    expect(receive(m)).toEqual([0, 0, 0]);
    expect(bytesAt(m, RECV_BUF, 16)).toEqual(new Array(16).fill(SENTINEL));
  });

  it("a buffer outside RAM or smaller than the payload answers -3 and the head stays", () => {
    const m = machine();
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(100));
    takeEvent(m);
    fill(m, RAM - 4096, 4096);
    for (const [buf, size] of [[RAM, 4096], [RAM - 4095, 4096], [0xfffff000, 4096], [RAM - 50, 100], [RECV_BUF, 99], [RECV_BUF, 0]] as const) {
      expect(receive(m, buf, size)).toEqual([-3, SENTINEL_WORD, SENTINEL_WORD]);
    }
    expect(bytesAt(m, RAM - 4096, 4096)).toEqual(new Array(4096).fill(SENTINEL));
    expect(m.inspect().hvpipe.queued).toEqual([{ source: HMC1, length: 100, announced: true }]);
    expect(receive(m, RAM - 100, 100)).toEqual([0, HMC1, 100]);
    expect(bytesAt(m, RAM - 100, 100)).toEqual([...pattern(100)]);
  });

  it("wrong nargs or nret answers -3 and the head stays", () => {
    const m = machine();
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(100));
    takeEvent(m);
    // §5.1: receive is 2 args / 3 rets.
    expect(rtas(m, "ibm,receive-hvpipe-msg", [RECV_BUF], 3).rets).toEqual([-3, SENTINEL_WORD, SENTINEL_WORD]);
    expect(rtas(m, "ibm,receive-hvpipe-msg", [RECV_BUF, 4096, 0], 3).rets).toEqual([-3, SENTINEL_WORD, SENTINEL_WORD]);
    expect(rtas(m, "ibm,receive-hvpipe-msg", [RECV_BUF, 4096], 1).rets).toEqual([-3]);
    expect(rtas(m, "ibm,receive-hvpipe-msg", [RECV_BUF, 4096], 4).rets).toEqual([-3, SENTINEL_WORD, SENTINEL_WORD, SENTINEL_WORD]);
    expect(m.inspect().hvpipe.queued).toHaveLength(1);
  });
});
