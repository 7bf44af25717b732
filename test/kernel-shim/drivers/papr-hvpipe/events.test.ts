// The event interrupt (spec/hvpipe-driver.md §4.8), the drain work for unclaimed sources and
// migration (§4.10), on the emulated partition.
import { describe, expect, it } from "vitest";
import { Layout } from "../../../../kernel-shim/memory.js";
import { Errno, HVPIPE_LOST_CONNECTION, HVPIPE_MSG_AVAILABLE, Poll } from "../../../../kernel-shim/uapi.js";
import { HVPIPE_RESUME, HVPIPE_SUSPEND } from "../../../../kernel-shim/drivers/papr-hvpipe/driver.js";
import { withHeader } from "../../../../runner/harness/guest-syscalls.js";
import { boot, handle, HMC1, HMC2, text, type TestPartition, hvpipeOf } from "../../../support/partition-harness.js";

function migrate(t: TestPartition, action: 0 | 1): void {
  const th = t.kernel.sched.spawn("migration", "kthread", hvpipeOf(t.kernel).migrationHandler(action));
  t.kernel.settle();
  expect(th.state).toBe("done");
}

describe("the HPIPE_EVENT interrupt", () => {
  it("calls check-exception with the six arguments of §4.8 and marks the source", () => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.hmc.send(HMC1, text("ping"));
    t.kernel.settle();
    const ce = t.rtasCalls.filter((c) => c.name === "check-exception");
    // vector 0x500, the hwirq from the DT, the hvpipe mask, critical 1, the static buffer, error-log max.
    expect(ce.map((c) => c.args)).toEqual([[0x500, 0x1002, 0x04000000, 1, Layout.hvpipeRasBuf, 2048]]);
    expect(ce[0]!.rets).toEqual([0]);
    expect(hvpipeOf(t.kernel).find(HMC1)!.hvpipeStatus).toBe(HVPIPE_MSG_AVAILABLE);
    // The whole entry: H_XIRR accepted 0x1002 at CPPR 0xff, the handler ran, H_EOI restored 0xff.
    const irq = t.kernel.sched.trace.filter((r) => r.event.kind === "irq-entry").map((r) => r.event);
    expect(irq).toEqual([{ kind: "irq-entry", hwirq: 0x1002, xirr: 0xff001002 }]);
    expect(t.machine.interrupts.inspect().icps[0]).toMatchObject({ cppr: 0xff, xisr: 0 });
    expect(t.sys.poll(1, fd, 0)).toBe(Poll.POLLIN | Poll.POLLRDNORM);
  });

  it("wakes a sleeping poller", () => {
    const t = boot();
    const fd = handle(t);
    // Start a poll that waits forever, then let the HMC send: the poller wakes with POLLIN.
    const plan = t.sys.pollPlan(1, fd, -1);
    const th = t.kernel.syscalls.enter(1, plan.name, plan.args);
    expect(th.state).toBe("blocked");
    t.machine.outside.hmc.send(HMC1, text("wake up"));
    t.kernel.settle();
    expect(th.state).toBe("done");
    expect(plan.result(th.result as number)).toBe(Poll.POLLIN | Poll.POLLRDNORM);
  });

  it("a failing check-exception is logged and changes nothing", () => {
    const t = boot();
    handle(t);
    t.machine.outside.faults.inject("check-exception", -1, 1);
    t.machine.outside.hmc.send(HMC1, text("x"));
    t.kernel.settle();
    expect(t.dmesg()).toContain("unexpected hvpipe-event-notification failed -1");
    expect(hvpipeOf(t.kernel).find(HMC1)!.hvpipeStatus).toBe(0);
  });

  it("a message for a source nobody holds is drained by the workqueue", () => {
    const t = boot();
    handle(t, HMC1);
    t.machine.outside.hmc.send(HMC2, text("unclaimed"));
    t.kernel.settle();
    const recv = t.kernel.sched.trace.filter((r) => r.event.kind === "rtas" && r.event.name === "ibm,receive-hvpipe-msg");
    expect(recv.map((r) => r.context)).toEqual([expect.stringMatching(/^kworker\/papr hvpipe workqueue/)]);
    expect(hvpipeOf(t.kernel).ledger.entries.map((e) => e.verdict)).toEqual([
      "ok: payload of 9 bytes from 0x2000002 dropped by the driver (drain-unclaimed)",
    ]);
    expect(t.machine.inspect().hvpipe.queued).toEqual([]);
  });

  it("a lost connection for a source nobody holds is ignored", () => {
    const t = boot();
    t.machine.outside.hmc.close(HMC2);
    t.kernel.settle();
    expect(t.rtasCalls.filter((c) => c.name === "check-exception")).toHaveLength(1);
    expect(t.rtasCalls.some((c) => c.name === "ibm,receive-hvpipe-msg")).toBe(false);
  });

  it("events for two held sources are handled one per interrupt, in order", () => {
    const t = boot({ cpus: 2 });
    handle(t, HMC1);
    handle(t, HMC2);
    t.machine.outside.hmc.close(HMC2);
    t.machine.outside.hmc.send(HMC1, text("a"));
    t.kernel.settle();
    expect(hvpipeOf(t.kernel).find(HMC2)!.hvpipeStatus).toBe(HVPIPE_LOST_CONNECTION);
    expect(hvpipeOf(t.kernel).find(HMC1)!.hvpipeStatus).toBe(HVPIPE_MSG_AVAILABLE);
    expect(t.rtasCalls.filter((c) => c.name === "check-exception")).toHaveLength(2);
  });
});

describe("migration", () => {
  it("SUSPEND turns the feature off and sysparm 64 to 0; handles and pending bits survive", () => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.hmc.send(HMC1, text("before"));
    t.kernel.settle();
    migrate(t, HVPIPE_SUSPEND);
    expect(t.machine.devices.hvpipe.model.isEnabled()).toBe(false);
    expect(hvpipeOf(t.kernel).feature).toBe(false);
    expect(t.dmesg()).toContain("hvpipe migration event 0");
    expect(t.sys.read(1, fd, 4096).ret).toBe(-Errno.ENXIO);
    expect(t.sys.write(1, fd, withHeader(text("x")))).toBe(-Errno.ENXIO);
    expect(t.sys.poll(1, fd, 0)).toBe(Poll.POLLRDHUP);
    expect(t.sys.ioctl(1, 3, 0x8004b209, HMC2)).toBe(-Errno.ENXIO);
    expect(hvpipeOf(t.kernel).find(HMC1)!.hvpipeStatus).toBe(HVPIPE_MSG_AVAILABLE);
    migrate(t, HVPIPE_RESUME);
    expect(hvpipeOf(t.kernel).feature).toBe(true);
    // The hypervisor kept its pipe (no move happened): the message is still there to read.
    expect(t.sys.read(1, fd, 4096).ret).toBe(54);
  });

  it("close during the migration window still drains", () => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.hmc.send(HMC1, text("x"));
    t.kernel.settle();
    migrate(t, HVPIPE_SUSPEND);
    expect(t.sys.close(1, fd)).toBe(0);
    expect(t.rtasCalls.filter((c) => c.name === "ibm,receive-hvpipe-msg").map((c) => c.rets[0])).toEqual([0]);
  });

  it("a failing RESUME leaves the feature off until a later RESUME succeeds", () => {
    const t = boot();
    const fd = handle(t);
    migrate(t, HVPIPE_SUSPEND);
    t.machine.outside.faults.inject("ibm,set-system-parameter", -1, 1);
    migrate(t, HVPIPE_RESUME);
    expect(t.dmesg()).toContain("hvpipe is not enabled after migration");
    expect(t.sys.poll(1, fd, 0)).toBe(Poll.POLLRDHUP);
    migrate(t, HVPIPE_RESUME);
    expect(t.sys.poll(1, fd, 0)).toBe(0);
  });

  it("does nothing when init had failed", () => {
    const t = boot({ omitRtas: ["check-exception"] });
    migrate(t, HVPIPE_SUSPEND);
    migrate(t, HVPIPE_RESUME);
    expect(t.rtasCalls.some((c) => c.name === "ibm,set-system-parameter")).toBe(false);
  });
});
