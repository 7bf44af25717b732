// pseries_migrate_partition: the drivers' migration handlers are told SUSPEND, the hypervisor
// moves the partition, then they are told RESUME. A driver registers its handler at init.
import type { Thread } from "../sched/context.js";
import type { Scheduler } from "../sched/scheduler.js";
import type { KStep } from "../sched/types.js";

export const MIGRATION_SUSPEND = 0;
export const MIGRATION_RESUME = 1;
export type MigrationAction = typeof MIGRATION_SUSPEND | typeof MIGRATION_RESUME;
export type MigrationHandler = (action: MigrationAction) => KStep;
/** Which half of a migration runs: both, or only the suspend or the resume side. */
export type MigrationPhase = "both" | "suspend" | "resume";

export class Migration {
  private readonly handlers: MigrationHandler[] = [];

  constructor(private readonly sched: Scheduler) {}

  register(handler: MigrationHandler): void {
    this.handlers.push(handler);
  }

  /** Runs `move` (the hypervisor's side, supplied by the caller) between the two notifications. */
  *migratePartition(phase: MigrationPhase, move: () => void): KStep {
    if (phase !== "resume") for (const h of this.handlers) yield* h(MIGRATION_SUSPEND);
    if (phase === "suspend") return;
    move();
    for (const h of this.handlers) yield* h(MIGRATION_RESUME);
  }

  /** The migration kthread (`migration/<phase>`), spawned but not run. */
  spawn(phase: MigrationPhase, move: () => void): Thread {
    return this.sched.spawn(`migration/${phase}`, "kthread", this.migratePartition(phase, move));
  }
}
