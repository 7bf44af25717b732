// The guest kernel model, assembled here and only here: booted from the machine's device-tree blob,
// it builds each subsystem from the narrow interfaces it uses, then runs the initcall table.
import { INITCALLS } from "./drivers/initcalls.js";
import type { DriverServices, LostMessageOracle } from "./driver-services.js";
import type { KernelFaultPoint } from "./fault-points.js";
import { IrqCore } from "./irq.js";
import { KernelMemory, Layout } from "./memory.js";
import { OfTree } from "./of.js";
import type { MachinePort } from "./port.js";
import { kernelLog, type LogLine, type Printk } from "./printk.js";
import { ProcessTable } from "./process.js";
import type { DriverProfile } from "./profile.js";
import { EventSources } from "./pseries/event-sources.js";
import { Migration } from "./pseries/migration.js";
import { SysparmClient } from "./pseries/sysparm.js";
import { RtasWorkAreas } from "./pseries/work-area.js";
import { startRtasd } from "./pseries/rtasd.js";
import { RtasClient } from "./rtas-client.js";
import { Scheduler, type SchedulingPolicy } from "./sched/scheduler.js";
import type { KStep } from "./sched/types.js";
import { SyscallEntry } from "./syscalls/entry.js";
import { Vfs } from "./vfs.js";

export interface KernelOptions {
  profile?: DriverProfile;
  policy?: SchedulingPolicy;
  /** Services that fail when a driver calls them (misc_register answers -EBUSY: minor in use). */
  faults?: readonly KernelFaultPoint[];
  /** Run rtasd, the periodic event-scan kernel thread (pseries/rtasd.ts); default off. */
  rtasd?: boolean;
}

export class Kernel {
  readonly sched: Scheduler;
  readonly mem: KernelMemory;
  readonly of: OfTree;
  readonly rtas: RtasClient;
  readonly irq: IrqCore;
  readonly processes: ProcessTable;
  /** The system-call entry: user space (the runner, a debugger, a bridge) comes in only here. */
  readonly syscalls: SyscallEntry;
  readonly migration: Migration;
  readonly workAreas = new RtasWorkAreas(Layout.workAreaArena, Layout.workAreaArenaSize);
  readonly log: LogLine[] = [];
  readonly profile: DriverProfile;
  readonly bootCpu = 0;
  /** Each initcall's result (0 or -errno) by its name, once boot ran. */
  readonly initcallResults = new Map<string, number>();
  /** Driver state exposed for inspection, by driver name. */
  readonly inspection = new Map<string, object>();
  private readonly printk: Printk;
  private readonly vfs: Vfs;
  private readonly lostOracles: LostMessageOracle[] = [];
  private readonly services: DriverServices;
  private readonly rtasd: boolean;

  constructor(readonly port: MachinePort, options: KernelOptions = {}) {
    this.profile = options.profile ?? "mainline";
    const faults = new Set(options.faults ?? []);
    this.rtasd = options.rtasd ?? false;
    this.mem = new KernelMemory(port.ram, port.ramSize);
    this.of = new OfTree(port.dtb);
    const sched = (this.sched = new Scheduler(this.of.cpuThreadCount()));
    if (options.policy) sched.policy = options.policy;
    const printk = (this.printk = kernelLog(sched, this.log));
    const hcall = port.hcall.bind(port);
    this.rtas = new RtasClient({ sched, mem: this.mem, of: this.of, hcall });
    this.irq = new IrqCore({ sched, rtas: this.rtas, hcall, printk, bootCpu: this.bootCpu });
    this.processes = new ProcessTable(this.mem);
    this.vfs = new Vfs({ sched, mem: this.mem, processes: this.processes, faults });
    this.syscalls = new SyscallEntry({ sched, vfs: this.vfs, processes: this.processes });
    this.migration = new Migration(sched);
    sched.interrupts = {
      pending: (cpu) => port.externalInterruptPending(cpu),
      entry: () => this.irq.entry(),
    };
    this.services = {
      profile: this.profile,
      sched,
      mem: this.mem,
      of: this.of,
      rtas: this.rtas,
      printk,
      files: this.vfs,
      workAreas: this.workAreas,
      sysparm: new SysparmClient({ rtas: this.rtas, mem: this.mem }),
      eventSources: new EventSources({ of: this.of, irq: this.irq, printk }),
      migration: this.migration,
      reportLost: (oracle) => this.lostOracles.push(oracle),
      expose: (name, state) => this.inspection.set(name, state),
    };
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
    // rtas_event_scan_init is a late initcall: the scanner starts once the drivers are up.
    if (this.rtasd) startRtasd({ sched: this.sched, rtas: this.rtas, of: this.of, printk: this.printk }, this.bootCpu);
  }

  private *initcalls(): KStep {
    for (const call of INITCALLS) this.initcallResults.set(call.name, yield* call.init(this.services));
  }

  /** Messages the drivers' accounting found lost since the last call (the runner fails the run on any). */
  lostMessages(): string[] {
    return this.lostOracles.flatMap((o) => o.takeLost());
  }

  /** Runs pending kernel work (interrupts, the workqueue) to quiescence. */
  settle(): void {
    this.sched.runUntilQuiescent();
  }
}
