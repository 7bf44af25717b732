// `migrate` — nothing, {} or {phase}: a live partition migration, whole or one phase.
import { sourceIdText } from "../format.js";
import type { StepBase } from "../scenario/model.js";
import type { OutsideAction } from "./action.js";

type MigratePhase = "both" | "suspend" | "resume";
export const MIGRATE_PHASES: readonly MigratePhase[] = ["both", "suspend", "resume"];

export interface MigrateStep extends StepBase {
  action: "migrate";
  phase: MigratePhase;
}

/** What the new pipe changed (renumbered sources, dropped payloads), filled once the hypervisor moved the partition. Exported so the package's type declarations can name it. */
export interface Moved {
  changes: string[];
}

export const migrate: OutsideAction<MigrateStep, Moved> = {
  name: "migrate",
  kind: "outside",
  keys: ["phase"],
  expects: [],
  reference: {
    argument: "nothing, `{}` or `{phase}`: `both`, `suspend` or `resume`",
    does: "a whole live partition migration, or one phase of it",
  },
  parse(arg, { r }) {
    if (r.isMissing(arg)) return { phase: "both" };
    const fields = r.map(arg, migrate.keys, "migrate key", "{} or {phase: suspend | resume | both}");
    const phaseField = fields.get("phase");
    let phase: MigratePhase = "both";
    if (phaseField !== undefined) {
      const name = r.scalar(phaseField);
      if (typeof name !== "string" || !(MIGRATE_PHASES as readonly string[]).includes(name)) {
        r.expected(phaseField, `one of ${MIGRATE_PHASES.join(", ")}`);
      }
      phase = name as MigratePhase;
    }
    return { phase };
  },
  act(session, s) {
    const { machine, kernel } = session.part;
    const report: Moved = { changes: [] };
    // pseries_migrate_partition: the kernel's notifiers see SUSPEND, the hypervisor moves the partition, then RESUME.
    const thread = kernel.migration.spawn(s.phase, () => {
      const moved = machine.outside.migration.migrate();
      const ids = moved.sourceIds.map((m) => `${sourceIdText(m.from)} is now ${sourceIdText(m.to)}`);
      const dropped = moved.dropped.length ? [`${moved.dropped.length} queued payload(s) dropped`] : [];
      report.changes.push(...ids, ...dropped);
    });
    return { detail: report, threads: [thread] };
  },
  // The report says what the new pipe changed; read before the migration ran (in `parallel`), it has not yet.
  summary: (s, moved) =>
    `migration${s.phase === "both" ? "" : ` (${s.phase})`}${moved.changes.length ? `: ${moved.changes.join(", ")}` : ""}`,
};
