// resolvePolicy: defaults, accepted values, bounds and the FIFO-memory combination check
// (DESIGN.md: every choice the spec leaves open is a named policy; spec/hvpipe-driver.md §16).
import { describe, expect, it } from "vitest";
import { ARCHITECTURAL_PAYLOAD_LIMIT, FIFO_MEMORY_LIMIT } from "../../emulator/devices/hvpipe/policies.js";
import { PolicyError } from "../../emulator/policy-definition.js";
import { POLICIES, resolvePolicy } from "../../emulator/policy.js";
import { RAM, machine } from "./helpers.js";

describe("resolvePolicy", () => {
  it("fills in every default", () => {
    // The defaults documented in docs/policies.md, one per §16 unknown.
    expect(resolvePolicy()).toEqual({
      "receive-when-empty": "hardware-error",
      "send-to-unknown-source": "closed",
      "event-log": "minimal",
      "migration-pending": "discard",
      "migration-source-ids": "keep",
      "lost-connection-blocks": false,
      "payload-limit": 4048,
      "buffer-list-entries": 1,
      "fifo-depth": 64,
      "hmc-queue-depth": 16,
      "source-in-flight": "unlimited",
      "reraise-after-failed-check-exception": false,
    });
  });

  it("the architectural limits: 1 MiB payloads, 256 buffer-list entries of 4 KiB, 64 MiB of FIFO", () => {
    // §1: "the architecture allows up to ~1 MB via several 4K buffers".
    expect(ARCHITECTURAL_PAYLOAD_LIMIT).toBe(1048576);
    expect(FIFO_MEMORY_LIMIT).toBe(67108864);
    expect(POLICIES["payload-limit"].max).toBe(1048576);
    expect(POLICIES["buffer-list-entries"].max).toBe(256);
  });

  it("accepts every listed value of every enumerated policy", () => {
    for (const [name, def] of Object.entries(POLICIES)) {
      if (def.values === "positive-integer") continue;
      for (const value of def.values) expect(resolvePolicy({ [name]: value })[name as keyof typeof POLICIES]).toBe(value);
    }
  });

  const rejected: [string, unknown, string][] = [
    ["nope", 1, 'unknown policy "nope" (known: reraise-after-failed-check-exception, receive-when-empty, send-to-unknown-source, event-log, migration-pending, migration-source-ids, lost-connection-blocks, payload-limit, buffer-list-entries, fifo-depth, hmc-queue-depth, source-in-flight)'],
    ["receive-when-empty", "zero", 'policy "receive-when-empty" takes one of hardware-error, empty-success, not "zero"'],
    ["lost-connection-blocks", "true", 'policy "lost-connection-blocks" takes one of false, true, not "true"'],
    ["lost-connection-blocks", 1, 'policy "lost-connection-blocks" takes one of false, true, not 1'],
    ["migration-source-ids", "shift", 'policy "migration-source-ids" takes one of keep, renumber, not "shift"'],
    ["payload-limit", 0, 'policy "payload-limit" takes an integer from 1 to 1048576, not 0'],
    ["payload-limit", 1048577, 'policy "payload-limit" takes an integer from 1 to 1048576, not 1048577'],
    ["buffer-list-entries", 257, 'policy "buffer-list-entries" takes an integer from 1 to 256, not 257'],
    ["buffer-list-entries", 1.5, 'policy "buffer-list-entries" takes an integer from 1 to 256, not 1.5'],
    ["fifo-depth", -1, 'policy "fifo-depth" takes a positive integer, not -1'],
    ["hmc-queue-depth", "16", 'policy "hmc-queue-depth" takes a positive integer, not "16"'],
    ["source-in-flight", 2, 'policy "source-in-flight" takes one of unlimited, 1, not 2'],
    ["source-in-flight", "1", 'policy "source-in-flight" takes one of unlimited, 1, not "1"'],
    ["reraise-after-failed-check-exception", "yes", 'policy "reraise-after-failed-check-exception" takes one of false, true, not "yes"'],
  ];
  for (const [name, value, message] of rejected) {
    it(`rejects ${name}: ${JSON.stringify(value)} with a PolicyError naming it`, () => {
      let error: unknown;
      try {
        resolvePolicy({ [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as PolicyError).policy).toBe(name);
      expect((error as PolicyError).message).toBe(message);
    });
  }

  it("fifo-depth × payload-limit may reach 64 MiB but not pass it", () => {
    // The FIFO lives in the hot-path module's memory: 64 slots of the architectural 1 MiB is the most.
    expect(resolvePolicy({ "payload-limit": 1048576 })["fifo-depth"]).toBe(64);
    expect(resolvePolicy({ "fifo-depth": 16384, "payload-limit": 4096 })["fifo-depth"]).toBe(16384);
    expect(() => resolvePolicy({ "fifo-depth": 65, "payload-limit": 1048576 })).toThrow(new PolicyError("fifo-depth",
      "policies fifo-depth (65) × payload-limit (1048576) = 68157440 bytes of pipe FIFO, above the 67108864 (64 MiB) the emulator allows: lower one of them"));
    expect(() => resolvePolicy({ "fifo-depth": 16385, "payload-limit": 4096 })).toThrow(/= 67112960 bytes of pipe FIFO/);
    expect(() => machine({ policy: { "fifo-depth": 100000 } })).toThrow(PolicyError);
  });

  it("a machine at the limit keeps its memory to guest RAM + FIFO + one outbound payload + a page", () => {
    const m = machine({ policy: { "payload-limit": 1048576, "buffer-list-entries": 256 } });
    // 16 MiB RAM + 64 slots × (1 MiB + 8-byte header) + 1 MiB outbound + log scratch, in 64 KiB pages.
    const total = m.memory.bytes.byteLength;
    expect(total).toBeGreaterThanOrEqual(RAM + 64 * (1048576 + 8) + 1048576);
    expect(total).toBeLessThanOrEqual(RAM + 64 * (1048576 + 16) + 1048576 + 1024 + 65536);
  });
});
