// papr_hvpipe_init (spec/hvpipe-driver.md §4.2): what the kernel asks of the platform at boot, and
// each missing piece leaving no /dev/papr-hvpipe.
import { describe, expect, it } from "vitest";
import { decodeFdt, encodeFdt } from "../../devicetree/index.js";
import { Machine } from "../../emulator/machine.js";
import { Kernel } from "../../kernel-shim/kernel.js";
import { Layout } from "../../kernel-shim/memory.js";
import { Errno } from "../../kernel-shim/uapi.js";
import { machinePort } from "../../runner/harness/machine-port.js";
import { boot, hvpipeInitResult } from "../support/partition-harness.js";

const ENODEV = 19;

describe("init on the emulated partition", () => {
  it("routes the event IRQ, enables the pipe and registers the device, in that order", () => {
    const t = boot();
    // ics-rtas unmask: set-xive(hwirq 0x1002 from the DT, boot CPU 0, DEFAULT_PRIORITY 5), then int-on.
    // Then sysparm 64 := 1 with the work area at the kernel's sysparm buffer.
    expect(t.rtasCalls.map((c) => [c.name, c.args])).toEqual([
      ["ibm,set-xive", [0x1002, 0, 5]],
      ["ibm,int-on", [0x1002]],
      ["ibm,set-system-parameter", [64, Layout.sysparmBuf]],
    ]);
    expect(t.rtasCalls.every((c) => c.rets[0] === 0)).toBe(true);
    // The work area holds be16 length 1 and the value 1 (spec §8: bytes 00 01 01).
    expect([...t.kernel.mem.bytes(Layout.sysparmBuf, 3)]).toEqual([0, 1, 1]);
    expect(t.machine.devices.hvpipe.model.isEnabled()).toBe(true);
    expect(t.dmesg()).toEqual(["hvpipe feature is enabled"]);
    expect(hvpipeInitResult(t.kernel)).toBe(0);
    // Mainline registers the device before enabling the pipe (fix 713e468cdbc2).
    const order = t.kernel.sched.trace.flatMap((r) =>
      r.event.kind === "state" && r.event.what.startsWith("misc_register") ? ["misc_register"]
        : r.event.kind === "rtas" && r.event.name === "ibm,set-system-parameter" ? ["sysparm"] : []);
    expect(order).toEqual(["misc_register", "sysparm"]);
    expect(t.sys.open(1, "/dev/papr-hvpipe")).toBe(3);
  });

  it("6.18 enables the pipe before registering the device", () => {
    const t = boot({ driver: "v6.18" });
    const order = t.kernel.sched.trace.flatMap((r) =>
      r.event.kind === "state" && r.event.what.startsWith("misc_register") ? ["misc_register"]
        : r.event.kind === "rtas" && r.event.name === "ibm,set-system-parameter" ? ["sysparm"] : []);
    expect(order).toEqual(["sysparm", "misc_register"]);
  });

  it("leaves the event source unmasked at priority 5 on server 0 and every CPU accepting all priorities", () => {
    const t = boot({ cpus: 2 });
    const x = t.machine.interrupts.inspect();
    const src = x.sources.find((s: { irq: number }) => s.irq === 0x1002)!;
    expect(src.server).toBe(0);
    expect(src.priority).toBe(5);
    // Each CPU ran H_CPPR(0xff) on itself.
    expect(x.icps.map((i: { cppr: number }) => i.cppr)).toEqual([0xff, 0xff]);
  });

  it.each([
    ["no ibm,hypervisor-pipe-capable", { hvpipeCapable: false }],
    ["no ibm,send-hvpipe-msg token", { omitRtas: ["ibm,send-hvpipe-msg"] }],
    ["no ibm,receive-hvpipe-msg token", { omitRtas: ["ibm,receive-hvpipe-msg"] }],
  ])("%s: -ENODEV before anything is set up, silently", (_what, config) => {
    const t = boot(config);
    expect(hvpipeInitResult(t.kernel)).toBe(-ENODEV);
    expect(t.rtasCalls).toEqual([]);
    expect(t.dmesg()).toEqual([]);
    expect(t.sys.open(1, "/dev/papr-hvpipe")).toBe(-Errno.ENOENT);
    expect(t.machine.devices.hvpipe.model.isEnabled()).toBe(false);
  });

  it("no check-exception token: -ENODEV after the workqueue, with the failure message", () => {
    const t = boot({ omitRtas: ["check-exception"] });
    expect(hvpipeInitResult(t.kernel)).toBe(-ENODEV);
    expect(t.dmesg()).toEqual(["hvpipe feature is not enabled -19"]);
    expect(t.sys.open(1, "/dev/papr-hvpipe")).toBe(-Errno.ENOENT);
    // The workqueue was destroyed: its worker thread has exited.
    expect(t.kernel.sched.threads.find((th) => th.name.startsWith("kworker"))?.state).toBe("done");
  });

  it("no /event-sources/ibm,hvpipe-msg-events node: -ENODEV with the mainline message (6.18 has the old one)", () => {
    for (const [profile, message] of [
      ["mainline", "No device node found, could not enable hvpipe event IRQ"],
      ["v6.18", "Can not enable hvpipe event IRQ"],
    ] as const) {
      const machine = new Machine({ sources: [0x02000001] });
      const tree = decodeFdt(machine.dtb);
      tree.lookup("/event-sources")!.removeChild("ibm,hvpipe-msg-events");
      const kernel = new Kernel({ ...machinePort(machine), dtb: encodeFdt(tree, { layout: null }) }, { profile });
      kernel.boot();
      expect(hvpipeInitResult(kernel)).toBe(-ENODEV);
      expect(kernel.log.map((l) => l.text)).toEqual([message, "hvpipe feature is not enabled -19"]);
      expect(machine.devices.hvpipe.model.isEnabled()).toBe(false);
    }
  });

  it("set-system-parameter failing: -EIO, the device is deregistered again, the pipe stays off", () => {
    const t = boot({}, (m) => m.outside.faults.inject("ibm,set-system-parameter", -1, 1));
    expect(hvpipeInitResult(t.kernel)).toBe(-Errno.EIO);
    expect(t.dmesg()).toEqual(["Can not enable hvpipe -5", "hvpipe feature is not enabled -5"]);
    expect(t.sys.open(1, "/dev/papr-hvpipe")).toBe(-Errno.ENOENT);
  });

  it.each([
    [-3, -Errno.EOPNOTSUPP],
    [-9002, -Errno.EPERM],
    [-9999, -Errno.EINVAL],
    [-7, -Errno.EIO],
  ])("set-system-parameter status %i maps to %i", (status, errno) => {
    const t = boot({}, (m) => m.outside.faults.inject("ibm,set-system-parameter", status, 1));
    expect(hvpipeInitResult(t.kernel)).toBe(errno);
  });

  it("no set-system-parameter token: -ENOENT", () => {
    const t = boot({ omitRtas: ["ibm,set-system-parameter"] });
    expect(hvpipeInitResult(t.kernel)).toBe(-Errno.ENOENT);
  });

  it("busy and extended delay at boot are retried: 9901 sleeps 10 ms of emulated time", () => {
    const t = boot({}, (m) => {
      m.outside.faults.inject("ibm,set-system-parameter", 9901, 1);
    });
    expect(hvpipeInitResult(t.kernel)).toBe(0);
    expect(t.kernel.sched.nowNs).toBe(10e6);
    expect(t.rtasCalls.filter((c) => c.name === "ibm,set-system-parameter").map((c) => c.rets[0])).toEqual([9901, 0]);
  });
});

describe("misc_register failing (the init-order difference, spec §4.2)", () => {
  for (const [profile, enabled] of [["mainline", false], ["v6.18", true]] as const) {
    it(`${profile}: no device; the pipe is ${enabled ? "left enabled" : "never enabled"}`, () => {
      const machine = new Machine({ sources: [0x02000001] });
      const kernel = new Kernel(machinePort(machine), { profile, faults: ["misc_register"] });
      kernel.boot();
      expect(hvpipeInitResult(kernel)).toBe(-Errno.EBUSY);
      expect(kernel.log.map((l) => l.text)).toEqual(["hvpipe feature is not enabled -16"]);
      expect(machine.devices.hvpipe.model.isEnabled()).toBe(enabled);
      machine.outside.hmc.send(0x02000001, Uint8Array.of(1));
      if (profile === "mainline") {
        // Nothing is announced to an OS that never enabled the pipe.
        kernel.settle();
        expect(machine.inspect().events).toEqual([]);
      } else {
        // 6.18 enabled the pipe first: the event reaches a handler whose work item init freed.
        expect(() => kernel.settle()).toThrow(/use after free: queue_work on the destroyed papr hvpipe workqueue/);
      }
    });
  }
});
