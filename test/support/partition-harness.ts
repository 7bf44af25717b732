// Boots a partition for kernel-level tests and gives its syscalls and hypervisor trace.
import type { Machine } from "../../emulator/machine.js";
import type { HvpipeDriver } from "../../kernel-shim/drivers/papr-hvpipe/driver.js";
import type { Kernel } from "../../kernel-shim/kernel.js";
import type { RtasTrace } from "../../emulator/rtas/dispatch.js";
import { bootPartition, type Partition } from "../../runner/harness/partition.js";
import { GuestSyscalls } from "../../runner/harness/guest-syscalls.js";
import type { MachineConfig } from "../../runner/scenario/model.js";

export const HMC1 = 0x02000001;
export const HMC2 = 0x02000002;

export interface TestPartition extends Partition {
  sys: GuestSyscalls;
  /** Every RTAS call the hypervisor answered, from boot on. */
  rtasCalls: RtasTrace[];
  dmesg(): string[];
}

export function boot(machine: Partial<MachineConfig> = {}, beforeBoot?: (m: Machine) => void): TestPartition {
  const config: MachineConfig = {
    cpus: 1, sources: [HMC1, HMC2], driver: "mainline", hvpipeCapable: true, omitRtas: [], policy: {}, ...machine,
  };
  const rtasCalls: RtasTrace[] = [];
  const part = bootPartition(config, (m) => {
    m.onRtasCall = (t) => rtasCalls.push(t);
    beforeBoot?.(m);
  });
  return { ...part, sys: new GuestSyscalls(part.kernel), rtasCalls, dmesg: () => part.kernel.log.map((l) => l.text) };
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Opens /dev/papr-hvpipe in process `pid` and creates a handle for `src`; returns the handle fd. */
export function handle(t: TestPartition, src = HMC1, pid = 1): number {
  const dev = t.sys.open(pid, "/dev/papr-hvpipe");
  if (dev < 0) throw new Error(`open failed: ${dev}`);
  const fd = t.sys.ioctl(pid, dev, 0x8004b209, src);
  if (fd < 0) throw new Error(`create handle failed: ${fd}`);
  return fd;
}

/** The papr-hvpipe driver's state, as the kernel exposes it for inspection. */
export function hvpipeOf(k: Kernel): HvpipeDriver {
  const d = k.inspection.get("papr-hvpipe");
  if (!d) throw new Error("papr-hvpipe did not initialise");
  return d as HvpipeDriver;
}

/** papr_hvpipe_init's result (0 or -errno). */
export function hvpipeInitResult(k: Kernel): number | undefined {
  return k.initcallResults.get("papr_hvpipe_init");
}
