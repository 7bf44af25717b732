// Small synthetic kernels for the explorer's tests: threads pinned one per CPU of a bare scheduler,
// each taking `steps` steps that touch one named lock (no real locking), so the number of distinct
// schedules is known in closed form.
import type { TraceRecord } from "../../../kernel-shim/sched/context.js";
import type { Decision } from "../../../kernel-shim/sched/policy.js";
import { Scheduler } from "../../../kernel-shim/sched/scheduler.js";
import type { KStep } from "../../../kernel-shim/sched/types.js";
import { footprintOf, type Footprint } from "../../../runner/explore/footprint.js";
import type { ExploreTarget, RunOutcome } from "../../../runner/explore/target.js";

export interface Synthetic {
  threads: number;
  steps: number;
  /** The lock each thread's steps touch: one shared lock (all steps conflict) or one per thread. */
  shared: boolean;
  /** A lost update: each step reads a shared counter, the next writes it back plus one. */
  lostUpdate?: boolean;
}

export function syntheticTarget(k: Synthetic): ExploreTarget {
  return {
    run(pick): RunOutcome {
      const s = new Scheduler(k.threads);
      let counter = 0;
      const body = function* (t: number): KStep<void> {
        const lock = k.shared ? "L" : `L${t}`;
        if (k.lostUpdate) {
          const x = counter;
          yield { op: "step", event: { kind: "state", what: `t${t} read ${x}` } };
          counter = x + 1;
          yield { op: "step", event: { kind: "state", what: `t${t} wrote ${x + 1}` } };
          return;
        }
        for (let i = 0; i < k.steps; i++) {
          yield { op: "step", event: { kind: "lock", op: "acquire", lock } };
        }
      };
      for (let t = 0; t < k.threads; t++) s.spawn(`t${t}`, "kthread", body(t)).affinity = t;
      let seen = 0;
      let prev: Decision | null = null;
      let touched: Footprint = [];
      const absorb = (): TraceRecord[] => {
        const r = s.trace.slice(seen);
        seen = s.trace.length;
        touched = prev ? footprintOf(prev, r) : [];
        return r;
      };
      s.policy = (choices) => {
        absorb();
        const i = pick(choices, {
          booting: false,
          // Each thread's local state is its history (what it read); the rest is shared.
          stateKey: () => `${s.threads.map((t) => `${t.state}${t.cpu?.index ?? "-"}:${historyOf(s.trace, t.label)}`).join(",")}|${counter}`,
          touched: () => touched,
        });
        prev = choices[i]!;
        return i;
      };
      s.runUntilQuiescent();
      absorb();
      const fault = k.lostUpdate && counter !== k.threads ? { kind: "lost-update", message: `counter is ${counter}` } : undefined;
      return { fault, endState: `${counter}`, lastTouched: touched };
    },
  };
}

function historyOf(trace: readonly TraceRecord[], context: string): string {
  return trace.filter((r) => r.context === context).map((r) => (r.event.kind === "state" ? r.event.what : r.event.kind)).join(";");
}

/** n choose r. */
export function choose(n: number, r: number): number {
  let out = 1;
  for (let i = 1; i <= r; i++) out = (out * (n - r + i)) / i;
  return out;
}
