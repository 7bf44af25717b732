// The guest kernel model: booted from the machine's device-tree blob, it owns the scheduler, the
// RTAS client, the IRQ core, the VFS, the workqueue and the papr-hvpipe driver.
import { KernelMemory, Layout, WorkAreaArena } from "./memory.js";
import { OfTree } from "./of.js";
import type { MachinePort } from "./port.js";
import { IrqCore } from "./irq.js";
import { RtasClient } from "./rtas-client.js";
import { Scheduler, type Policy } from "./sched/scheduler.js";
import { step, type KStep } from "./sched/types.js";
import { Vfs, type Process } from "./vfs.js";
import { HvpipeDriver } from "./papr-hvpipe/driver.js";
import type { Thread } from "./sched/context.js";
import type { KernelFaultPoint } from "./fault-points.js";

/** Kernel versions whose papr-hvpipe differs (spec/hvpipe-driver.md §4.11). */
export type DriverProfile = "mainline" | "v6.18";


export interface KernelOptions {
  profile?: DriverProfile;
  policy?: Policy;
  /** Services that fail when the driver calls them (misc_register answers -EBUSY: minor in use). */
  faults?: readonly KernelFaultPoint[];
}

export interface LogLine {
  timeNs: number;
  level: "info" | "warn" | "err";
  text: string;
}

export class Kernel {
  readonly sched: Scheduler;
  readonly mem: KernelMemory;
  readonly of: OfTree;
  readonly rtas: RtasClient;
  readonly irq: IrqCore;
  readonly vfs: Vfs;
  readonly workAreas = new WorkAreaArena(Layout.workAreaArena, Layout.workAreaArenaSize);
  readonly log: LogLine[] = [];
  readonly profile: DriverProfile;
  readonly bootCpu = 0;
  hvpipe: HvpipeDriver | null = null;
  readonly faults: ReadonlySet<KernelFaultPoint>;
  /** Result of papr_hvpipe_init (0 or -errno) once boot ran. */
  hvpipeInitResult: number | undefined;

  constructor(readonly port: MachinePort, options: KernelOptions = {}) {
    this.profile = options.profile ?? "mainline";
    this.faults = new Set(options.faults ?? []);
    this.mem = new KernelMemory(port.ram, port.ramSize);
    this.of = new OfTree(port.dtb);
    this.sched = new Scheduler(this.of.cpuThreadCount());
    if (options.policy) this.sched.policy = options.policy;
    this.rtas = new RtasClient(this);
    this.irq = new IrqCore(this);
    this.vfs = new Vfs(this);
    this.sched.interrupts = {
      pending: (cpu) => port.externalInterruptPending(cpu),
      entry: () => this.irq.entry(),
    };
  }

  *printk(level: LogLine["level"], text: string): KStep {
    this.log.push({ timeNs: this.sched.nowNs, level, text });
    yield* step({ kind: "printk", level, text });
  }

  /** Brings up every CPU's interrupt presentation and runs the initcalls, to quiescence. */
  boot(): void {
    for (const cpu of this.sched.cpus) {
      const t = this.sched.spawn(`cpuhp/${cpu.index}`, "kthread", this.irq.setupCpu());
      t.affinity = cpu.index;
    }
    const init = this.sched.spawn("swapper/init", "kthread", this.initcalls());
    init.affinity = this.bootCpu;
    this.sched.runUntilQuiescent();
  }

  private *initcalls(): KStep {
    this.hvpipe = new HvpipeDriver(this);
    this.hvpipeInitResult = yield* this.hvpipe.init();
  }

  process(pid: number): Process {
    return this.vfs.process(pid);
  }

  /**
   * Issues a system call from a process's thread and runs the machine until it is quiescent.
   * Returns the thread: done with its result, or still blocked (the call did not return).
   */
  syscall(pid: number, name: string, body: (p: Process) => KStep<number>): Thread {
    const p = this.process(pid);
    const t = this.sched.spawn(`${p.name}:${name}`, "user", (function* () {
      yield* step({ kind: "syscall-enter", name, args: [] });
      const ret = yield* body(p);
      yield* step({ kind: "syscall-exit", name, ret });
      return ret;
    })(), pid);
    this.sched.runUntilQuiescent();
    return t;
  }

  /** Runs pending kernel work (interrupts, the workqueue) to quiescence. */
  settle(): void {
    this.sched.runUntilQuiescent();
  }
}
