// Outside-world steps: the HMC sends, closes or reconnects, the partition migrates, firmware is
// told to fail, and checks of what the HMC received or the kernel logged.
import type { Thread } from "../kernel-shim/sched/context.js";
import { OutsideWorldRefusal } from "../emulator/outside/refusal.js";
import { formatSourceId as hex } from "../emulator/source-id.js";
import { describeBytes } from "./format.js";
import { equalBytes } from "./guest-step.js";
import type { OutsideStep } from "./scenario-types.js";
import { StepError, type Session } from "./session.js";

export interface OutsideOutcome {
  summary: string;
  problems: string[];
  /** Kernel threads the action started (migration), which must finish for the step to complete. */
  threads: Thread[];
}

/** Performs the action now, without running the kernel (the caller decides when it runs). */
export function outsideAct(session: Session, s: OutsideStep): OutsideOutcome {
  const { machine, kernel } = session.part;
  const done = (summary: string, problems: string[] = [], threads: Thread[] = []): OutsideOutcome => ({ summary, problems, threads });
  const { outside } = machine;
  // A refusal by the hypervisor fails the step; anything else thrown is a bug and propagates.
  const world = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof OutsideWorldRefusal) throw new StepError(e.message);
      throw e;
    }
  };
  switch (s.action) {
    case "hmc-send":
      world(() => outside.hmc.send(s.source, s.payload));
      return done(`HMC ${hex(s.source)} sends ${describeBytes(s.payload)}`);
    case "hmc-close":
      world(() => outside.hmc.close(s.source));
      return done(`pipe to HMC ${hex(s.source)} lost`);
    case "hmc-open":
      world(() => outside.hmc.connect(s.source));
      return done(`HMC ${hex(s.source)} connected`);
    case "fault":
      world(() => outside.faults.inject(s.rtas, s.status, s.times));
      return done(`next ${s.times} call(s) of ${s.rtas} answer ${s.status}`);
    case "migrate": {
      const outcome = done(`migration${s.phase === "both" ? "" : ` (${s.phase})`}`);
      // pseries_migrate_partition: SUSPEND, the hypervisor moves the partition, RESUME.
      outcome.threads.push(kernel.migration.spawn(s.phase, () => {
        const moved = machine.outside.migration.migrate();
        // The report says what the new pipe changed: renumbered sources, dropped payloads.
        const ids = moved.sourceIds.map((m) => `${hex(m.from)} is now ${hex(m.to)}`);
        const dropped = moved.dropped.length ? [`${moved.dropped.length} queued payload(s) dropped`] : [];
        if (ids.length || dropped.length) outcome.summary += `: ${[...ids, ...dropped].join(", ")}`;
      }));
      return outcome;
    }
    case "expect-hmc": {
      const got = world(() => outside.hmc.inbox(s.source));
      const problems: string[] = [];
      if (got.length !== s.received.length) {
        problems.push(`received ${got.length} payload(s) [${got.map((b) => describeBytes(b)).join(", ")}], expected ${s.received.length} [${s.received.map((b) => describeBytes(b)).join(", ")}]`);
      } else {
        s.received.forEach((want, i) => {
          if (!equalBytes(want, got[i]!)) problems.push(`payload ${i + 1}: got ${describeBytes(got[i]!)}, expected ${describeBytes(want)}`);
        });
      }
      return done(`HMC ${hex(s.source)} has received ${got.length} payload(s)`, problems);
    }
    case "expect-dmesg": {
      const lines = kernel.log.map((l) => l.text);
      const problems: string[] = [];
      if (s.contains !== undefined && !lines.some((l) => l.includes(s.contains!))) problems.push(`no kernel log line contains "${s.contains}"`);
      if (s.lacks !== undefined) {
        const hit = lines.find((l) => l.includes(s.lacks!));
        if (hit !== undefined) problems.push(`kernel log has "${hit}"`);
      }
      return done(`kernel log ${s.contains !== undefined ? `has "${s.contains}"` : `lacks "${s.lacks}"`}`, problems);
    }
  }
}
