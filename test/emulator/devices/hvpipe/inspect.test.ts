// The hypervisor's own pipe state, as the runner and the debugger see it: what is queued, announced,
// delivered, dropped and why, per-source counters, the HMC outboxes and the policies in force.
import { describe, expect, it } from "vitest";
import { HVPIPE_POLICIES } from "../../../../emulator/devices/hvpipe/policies.js";
import { resolvePolicy } from "../../../../emulator/policy.js";
import {
  DATA_BUF, HMC1, HMC2, LIST_BUF, checkException, enableHvpipe, machine, pattern, receive, send, sendPayload,
  writeBufferList,
} from "../../helpers.js";

/** The hvpipe's share of the resolved machine policy: its inspection shows its own policies in force. */
function hvpipePolicy(given: Record<string, unknown> = {}): Record<string, unknown> {
  const all: Record<string, unknown> = resolvePolicy(given);
  return Object.fromEntries(Object.keys(HVPIPE_POLICIES).map((k) => [k, all[k]]));
}

describe("HvpipePipe.inspect()", () => {
  it("a fresh machine", () => {
    const m = machine();
    expect(m.inspect().hvpipe).toEqual({
      enabled: false,
      announcement: null,
      queued: [],
      lostConnections: [],
      sources: [{
        id: HMC1, connected: true, sent: 0, deliveredToPartition: 0, receivedFromPartition: 0,
        refused: { closed: 0, "bad-buffer-list": 0 }, lostConnections: 0, outbox: [],
      }],
      unknownSources: [],
      dropped: [],
      migrations: [],
      policy: hvpipePolicy(),
    });
  });

  it("after traffic both ways, a refused send, a loss and a migration, every field has its exact value", () => {
    const policy = { "fifo-depth": 2, "lost-connection-blocks": true, "migration-pending": "keep" };
    const m = machine({ sources: [HMC1, HMC2], policy });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(10));
    m.outside.hmc.send(HMC2, pattern(20));
    m.outside.hmc.send(HMC1, pattern(11)); // waits in HMC1's outbox
    expect(checkException(m)).toBe(0);
    expect(receive(m)).toEqual([0, HMC1, 10]); // HMC1's 11 bytes enter the pipe
    m.outside.hmc.close(HMC2); // queued behind the two payloads
    expect(sendPayload(m, HMC1, pattern(3))).toBe(0);
    expect(sendPayload(m, HMC2, pattern(3))).toBe(-4);
    expect(sendPayload(m, 0x02000077, pattern(3))).toBe(-4);
    writeBufferList(m, LIST_BUF, [[DATA_BUF, 0]]);
    expect(send(m, 0x02000077)).toBe(-3);
    expect(send(m, HMC1)).toBe(-3);
    expect(m.inspect().hvpipe).toEqual({
      enabled: true,
      announcement: { kind: "payload", source: HMC2, taken: false },
      queued: [{ source: HMC2, length: 20, announced: true }, { source: HMC1, length: 11, announced: false }],
      lostConnections: [{ source: HMC2, afterPayloads: 2, announced: false }],
      sources: [
        {
          id: HMC1, connected: true, sent: 2, deliveredToPartition: 1, receivedFromPartition: 1,
          refused: { closed: 0, "bad-buffer-list": 1 }, lostConnections: 0, outbox: [],
        },
        {
          id: HMC2, connected: false, sent: 1, deliveredToPartition: 0, receivedFromPartition: 0,
          refused: { closed: 1, "bad-buffer-list": 0 }, lostConnections: 1, outbox: [],
        },
      ],
      unknownSources: [{ id: 0x02000077, refused: { "unknown-source": 1, "bad-buffer-list": 1 } }],
      dropped: [],
      migrations: [],
      policy: hvpipePolicy(policy),
    });
    expect(checkException(m)).toBe(0);
    expect(m.inspect().hvpipe.announcement).toEqual({ kind: "payload", source: HMC2, taken: true });
    m.outside.migration.migrate();
    const s = m.inspect().hvpipe;
    expect(s.announcement).toEqual({ kind: "payload", source: HMC2, taken: false });
    expect(s.lostConnections).toEqual([]);
    expect(s.migrations).toEqual([{
      number: 1, sourceIds: [],
      dropped: [{ source: HMC2, length: 0, reason: "lost-connection notice of the old pipe, discarded by migration" }],
    }]);
    expect(s.dropped).toEqual(s.migrations[0]!.dropped);
  });

  it("is plain data: it survives JSON and structuredClone, and changing it changes nothing", () => {
    const m = machine({ policy: { "fifo-depth": 1 } });
    m.outside.hmc.send(HMC1, pattern(10));
    m.outside.hmc.send(HMC1, pattern(11));
    m.outside.migration.migrate();
    const s = m.inspect().hvpipe;
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(structuredClone(s)).toEqual(s);
    s.sources[0]!.outbox.length = 0;
    s.sources[0]!.refused.closed = 99;
    s.dropped.length = 0;
    s.migrations[0]!.dropped.length = 0;
    (s.policy as Record<string, unknown>)["fifo-depth"] = 5;
    const again = m.inspect().hvpipe;
    expect(again.sources[0]!.refused.closed).toBe(0);
    expect(again.dropped).toHaveLength(1);
    expect(again.migrations[0]!.dropped).toHaveLength(1);
    expect(again.policy["fifo-depth"]).toBe(1);
    expect(m.policy["fifo-depth"]).toBe(1);
  });
});
