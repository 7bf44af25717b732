// What a driver's initcall receives: the kernel services a pseries driver uses, each as the narrow
// interface of its subsystem. The kernel core builds this in kernel.ts; drivers never see `Kernel`.
import type { MemoryAccess } from "./memory.js";
import type { OfTree } from "./of.js";
import type { Printk } from "./printk.js";
import type { DriverProfile } from "./profile.js";
import type { EventSources } from "./pseries/event-sources.js";
import type { MigrationHandler } from "./pseries/migration.js";
import type { SysparmClient } from "./pseries/sysparm.js";
import type { RtasWorkAreas } from "./pseries/work-area.js";
import type { RtasCalls } from "./rtas-client.js";
import type { Scheduler } from "./sched/scheduler.js";
import type { DriverFiles } from "./vfs.js";

/** A driver's own bookkeeping the kernel polls after each step: messages it lost since the last poll. */
export interface LostMessageOracle {
  takeLost(): string[];
}

export interface DriverServices {
  /** Which kernel version is modelled: the initcall table picks the driver's quirks from it. */
  readonly profile: DriverProfile;
  readonly sched: Scheduler;
  readonly mem: MemoryAccess;
  readonly of: OfTree;
  readonly rtas: RtasCalls;
  readonly printk: Printk;
  readonly files: DriverFiles;
  readonly workAreas: Pick<RtasWorkAreas, "alloc" | "free">;
  readonly sysparm: SysparmClient;
  readonly eventSources: EventSources;
  readonly migration: { register(handler: MigrationHandler): void };
  reportLost(oracle: LostMessageOracle): void;
  /** Makes driver state visible to inspection (tests, a debugger) under the driver's name. */
  expose(name: string, state: object): void;
}
