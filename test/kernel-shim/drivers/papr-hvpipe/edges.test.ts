// Driver rows that the emulated platform does not produce by itself: an event with both bits, a
// log without its 'PE' section, a token that disappears after init (spec/hvpipe-driver.md §4.4,
// §4.5, §4.8, §13.8, §13.9).
import { describe, expect, it } from "vitest";
import { Machine } from "../../../../emulator/machine.js";
import { Kernel } from "../../../../kernel-shim/kernel.js";
import { Layout } from "../../../../kernel-shim/memory.js";
import type { MachinePort } from "../../../../kernel-shim/port.js";
import { Errno, HVPIPE_LOST_CONNECTION, HVPIPE_MSG_AVAILABLE } from "../../../../kernel-shim/uapi.js";
import { GuestSyscalls, withHeader } from "../../../../runner/harness/guest-syscalls.js";
import { machinePort } from "../../../../runner/harness/machine-port.js";
import { hvpipeOf } from "../../../support/partition-harness.js";

const H_RTAS = 0xf000;
const HMC1 = 0x02000001;

/** A partition whose check-exception results pass through `edit` before the kernel reads them. */
function bootWithLogEdit(edit: (log: Uint8Array) => void): { machine: Machine; kernel: Kernel; sys: GuestSyscalls } {
  const machine = new Machine({ sources: [HMC1] });
  const base = machinePort(machine);
  const checkException = machine.tokens.tokenOf("check-exception");
  const port: MachinePort = {
    ...base,
    hcall: (cpu, opcode, args) => {
      const r = base.hcall(cpu, opcode, args);
      if (opcode === H_RTAS && machine.memory.u32(args[0]!) === checkException) {
        edit(machine.memory.bytes.subarray(Layout.hvpipeRasBuf, Layout.hvpipeRasBuf + 2048));
      }
      return r;
    },
  };
  const kernel = new Kernel(port);
  kernel.boot();
  return { machine, kernel, sys: new GuestSyscalls(kernel) };
}

function handle(sys: GuestSyscalls): number {
  const dev = sys.open(1, "/dev/papr-hvpipe");
  return sys.ioctl(1, dev, 0x8004b209, HMC1);
}

describe("event logs the platform does not send", () => {
  it("an event with both bits (0x03) for a held source records only LOST_CONNECTION", () => {
    // Byte 12 of the 'PE' section (log offset 24 + 12) is the event type.
    const { machine, kernel, sys } = bootWithLogEdit((log) => { log[36] = 0x03; });
    handle(sys);
    machine.outside.hmc.send(HMC1, new TextEncoder().encode("hidden"));
    kernel.settle();
    const src = hvpipeOf(kernel).find(HMC1)!;
    expect(src.hvpipeStatus).toBe(HVPIPE_LOST_CONNECTION);
    expect(src.hvpipeStatus & HVPIPE_MSG_AVAILABLE).toBe(0);
    // The payload stays in the pipe, blocking it: nobody will receive it.
    expect(machine.inspect().hvpipe.queued).toEqual([{ source: HMC1, length: 6, announced: true }]);
  });

  it("an event type other than 0xE6 is logged and ignored", () => {
    const { machine, kernel, sys } = bootWithLogEdit((log) => { log[3] = 0xe5; });
    handle(sys);
    machine.outside.hmc.send(HMC1, new TextEncoder().encode("x"));
    kernel.settle();
    expect(kernel.log.map((l) => l.text)).toContain("Unexpected event type 229");
    expect(hvpipeOf(kernel).find(HMC1)!.hvpipeStatus).toBe(0);
  });

  it("a log without a 'PE' section is the NULL dereference Linux would hit, reported as an oops", () => {
    const { machine, kernel, sys } = bootWithLogEdit((log) => { log[24] = 0x58; }); // 'PE' → 'XE'
    handle(sys);
    machine.outside.hmc.send(HMC1, new TextEncoder().encode("x"));
    expect(() => kernel.settle()).toThrow(/^irq@cpu0 on cpu0: BUG: Kernel NULL pointer dereference: hvpipe event log has no 'PE' section/);
  });

  it("a zero-length section would make Linux loop forever: reported, not hung", () => {
    const { machine, kernel, sys } = bootWithLogEdit((log) => {
      log[24] = 0x50; log[25] = 0x48; log[26] = 0; log[27] = 0; // a 'PH' section of length 0 first
    });
    handle(sys);
    machine.outside.hmc.send(HMC1, new TextEncoder().encode("x"));
    expect(() => kernel.settle()).toThrow(/soft lockup: get_pseries_errorlog loops on a zero-length section at offset 24/);
  });
});

describe("a token missing when the call is made", () => {
  it("write returns ENOENT without the send token; read returns ENOENT without the receive token", () => {
    const machine = new Machine({ sources: [HMC1] });
    const kernel = new Kernel(machinePort(machine));
    kernel.boot();
    const sys = new GuestSyscalls(kernel);
    const fd = handle(sys);
    machine.outside.hmc.send(HMC1, new TextEncoder().encode("x"));
    kernel.settle();
    kernel.rtas.tokens.delete("ibm,send-hvpipe-msg");
    kernel.rtas.tokens.delete("ibm,receive-hvpipe-msg");
    expect(sys.write(1, fd, withHeader(new Uint8Array([1])))).toBe(-Errno.ENOENT);
    expect(sys.read(1, fd, 4096).ret).toBe(-Errno.ENOENT);
    expect(kernel.workAreas.inUse()).toBe(0);
  });
});
