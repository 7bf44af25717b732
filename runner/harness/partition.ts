// A booted partition: the emulated machine and the guest kernel running on it, sharing one
// emulated clock (the kernel's scheduler owns it).
import { Machine } from "../../emulator/machine.js";
import { Kernel } from "../../kernel-shim/kernel.js";
import { randomPolicy, type SchedulingPolicy } from "../../kernel-shim/sched/scheduler.js";
import type { MachineConfig } from "../scenario/model.js";
import { machinePort } from "./machine-port.js";

export interface Partition {
  machine: Machine;
  kernel: Kernel;
}

export function machineFor(config: MachineConfig, now: () => number = () => 0): Machine {
  return new Machine({
    // With a blob, its CPU threads count unless the scenario named a number (which must agree).
    cpus: config.dtb && !config.cpusExplicit ? undefined : config.cpus,
    baseDtb: config.dtb?.blob,
    sources: config.sources,
    hvpipeCapable: config.hvpipeCapable,
    omitRtas: config.omitRtas,
    policy: config.policy,
    now,
    hotPath: config.hotPath,
  });
}

/**
 * `beforeBoot` sees the machine before the kernel runs (e.g. to inject faults into init); `policy`
 * (the explorer's, a replayed schedule's) replaces the seed's or the default one.
 */
export function bootPartition(config: MachineConfig, beforeBoot?: (m: Machine) => void, policy?: SchedulingPolicy): Partition {
  let kernel: Kernel | undefined;
  const machine = machineFor(config, () => kernel?.sched.nowNs ?? 0);
  beforeBoot?.(machine);
  kernel = new Kernel(machinePort(machine), {
    profile: config.driver,
    policy: policy ?? (config.seed === undefined ? undefined : randomPolicy(config.seed)),
    faults: config.kernelFaults,
    rtasd: config.rtasd,
  });
  kernel.boot();
  return { machine, kernel };
}
