// The `parallel` extension: each process branch is a thread making its calls in order, the
// outside branch is an actor the scheduler lets act at the moments it chooses; the seed-driven
// policy decides the interleaving.
import type { Thread } from "../kernel-shim/sched/context.js";
import type { KStep } from "../kernel-shim/sched/types.js";
import { guestCall, type GuestOutcome } from "./guest-step.js";
import { outsideAct } from "./outside-step.js";
import type { GuestStep, OutsideStep, ParallelStep, Step } from "./scenario-types.js";
import { StepError, type Session } from "./session.js";

export interface SubResult {
  step: Step;
  outcome?: GuestOutcome;
  error?: string;
}

/** Runs every branch to completion under the kernel's scheduler; returns one result per sub-step. */
export function runParallel(session: Session, p: ParallelStep): SubResult[] {
  const { kernel } = session.part;
  const results = new Map<Step, SubResult>();
  const threads: Thread[] = [];
  p.branches.forEach((branch, i) => {
    if (branch.proc !== undefined) {
      const proc = branch.proc;
      const pid = session.pid(proc);
      const steps = branch.steps as GuestStep[];
      threads.push(kernel.sched.spawn(`${proc}:branch${i}`, "user", branchThread(session, steps, pid, results), pid));
    } else {
      const pending = [...(branch.steps as OutsideStep[])];
      kernel.sched.externals.push({
        name: "outside",
        ready: () => pending.length > 0,
        act: () => {
          const s = pending.shift()!;
          try {
            const o = outsideAct(session, s);
            threads.push(...o.threads);
            results.set(s, { step: s, outcome: { summary: o.summary, problems: o.problems } });
            return o.summary;
          } catch (e) {
            if (!(e instanceof StepError)) throw e;
            results.set(s, { step: s, error: e.message });
            return `cannot: ${e.message}`;
          }
        },
      });
    }
  });
  try {
    kernel.sched.runUntilQuiescent();
  } finally {
    kernel.sched.externals = [];
  }
  const stuck = threads.filter((t) => t.state !== "done");
  const all = p.branches.flatMap((b) => b.steps);
  return all.map((s) => results.get(s) ?? {
    step: s,
    error: stuck.length ? `did not run: ${stuck.map((t) => `${t.label} is ${t.state} (${t.blockReason})`).join("; ")}` : "did not run",
  });
}

function* branchThread(session: Session, steps: GuestStep[], pid: number, results: Map<Step, SubResult>): KStep<number> {
  for (const s of steps) {
    let call;
    try {
      call = guestCall(session, s);
    } catch (e) {
      if (!(e instanceof StepError)) throw e;
      results.set(s, { step: s, error: e.message });
      continue;
    }
    const ret = yield* session.part.kernel.syscalls.body(pid, call.plan.name, call.plan.args);
    results.set(s, { step: s, outcome: call.finish(call.plan.result(ret)) });
  }
  return 0;
}
