// The liveness oracle (runner/harness/liveness.ts): each fault kind, from the three cases
// (test/runner/fixtures/findings/, docs/findings.md) and, for a poller asleep with data ready —
// which the driver model never produces — from the rule applied to a stated driver state.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkIdle } from "../../../runner/harness/liveness.js";
import type { Partition } from "../../../runner/harness/partition.js";
import { runScenario } from "../../../runner/harness/run-scenario.js";
import { loadScenarioFile } from "../../../runner/scenario/parse.js";
import type { DriverProfile } from "../../../kernel-shim/profile.js";

const DIR = new URL("../fixtures/findings/", import.meta.url).pathname;

async function run(file: string, driver: DriverProfile = "mainline") {
  const sc = await loadScenarioFile(join(DIR, file));
  sc.machine.driver = driver;
  return runScenario(sc);
}

describe("liveness faults", () => {
  it.each(["mainline", "v6.18"] as const)("two payloads from one source: lost-wakeup on %s, with the chain of events", async (driver) => {
    const r = await run("two-payloads-one-source.yaml", driver);
    expect(r.faultKind).toBe("lost-wakeup");
    // Found at quiescence after the first read (line 14), still stuck at the end.
    expect(r.fault).toContain("source 0x02000001 is held (handle of p1:1) with status bits 0x0 while the hypervisor has announced the payload of 6 bytes from 0x02000001: read and poll return 0 for ever and the pipe is blocked for every source (at line 14)");
    // The chain: the second announcement's interrupt lands inside the first read, before it returns.
    expect(r.fault).toMatch(/p1:read\[\d+\]: ibm,receive-hvpipe-msg = 0 \[0x02000001, 0x00000005\]\n\s+.*irq@cpu0: irq entry hwirq 0x1002\n\s+.*check-exception = 0\n\s+.*wake_up hvpipe recv_wqh 0x2000001 \(0 woken\)\n\s+.*delivered\n\s+.*read returned 53/);
    // Every expectation states what the driver does: only the fault fails the run.
    expect(r.steps.every((s) => s.status === "pass")).toBe(true);
  });

  it("a failed check-exception without rtasd: unsignalled-event", async () => {
    const r = await run("failed-check-exception.yaml");
    expect(r.faultKind).toBe("unsignalled-event");
    expect(r.fault).toContain("the hypervisor holds the event announcing the payload of 5 bytes from 0x02000001 (check-exception has not taken it) and no interrupt will announce it again");
    expect(r.fault).toContain("irq@cpu0: check-exception = -2");
    expect(r.steps.every((s) => s.status === "pass")).toBe(true);
  });

  it("with rtasd the first event-scan (60 s, rtas-event-scan-rate 1) re-signals the event and the read gets it", async () => {
    const r = await run("failed-check-exception-rtasd.yaml");
    expect(r.fault).toBeUndefined();
    expect(r.passed).toBe(true);
    expect(r.emulatedTimeNs).toBe(60e9);
    expect(r.trace.some((t) => t.context.startsWith("rtasd") && t.event.kind === "rtas" && t.event.name === "event-scan" && t.event.status === 1)).toBe(true);
  });

  it("a failed drain receive for an unclaimed source: stranded-payload", async () => {
    const r = await run("failed-drain-receive.yaml");
    expect(r.faultKind).toBe("stranded-payload");
    expect(r.fault).toContain("the payload of 10 bytes from 0x02000002 was announced and handed to the OS, no handle holds 0x02000002 and no drain work is queued");
    expect(r.fault).toContain("ibm,receive-hvpipe-msg = -1");
  });

  it("a poller asleep on a source whose status bits are set: sleeping-poller", () => {
    const poller = { state: "blocked", label: "p1:poll[7]" };
    const part = {
      kernel: {
        inspection: new Map([["papr-hvpipe", { feature: true, work: null, srcList: [{ srcID: 0x02000001, owner: "p1:1", hvpipeStatus: 1, recvWqh: { waiters: new Set([poller]) } }] }]]),
        sched: { trace: [] },
      },
    } as unknown as Partition;
    const f = checkIdle(part);
    expect(f?.kind).toBe("sleeping-poller");
    expect(f?.message).toBe("p1:poll[7] sleeps on source 0x02000001 whose status bits are 0x1: data is ready and no wakeup will come");
    poller.state = "runnable";
    expect(checkIdle(part)).toBeNull();
  });
});
