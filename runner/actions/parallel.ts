// `parallel` (extension) — branches run concurrently; the scheduler decides the interleaving.
// Each process branch is a thread making its calls in order; the outside branch is an actor the
// scheduler lets act at the moments it chooses; the seed-driven policy decides the interleaving.
//
//   - parallel:
//       - {proc: p1, steps: [...]}    guest actions of one process (two branches of the same
//       - {proc: p2, steps: [...]}    process are two threads sharing its fds)
//       - {outside: [...]}            outside-world actions; at most one such branch
//
// Each branch sees the fd names bound before the parallel step and those bound earlier in the
// same branch; after it, every branch's bindings are visible. Two branches binding the same
// name in the same process is an error (which fd it names would depend on the interleaving).
import type { Thread } from "../../kernel-shim/sched/context.js";
import type { KStep } from "../../kernel-shim/sched/types.js";
import { StepError, type Session } from "../harness/session.js";
import { FdScope, readName } from "../scenario/fd-scope.js";
import type { AnyStep, StepBase } from "../scenario/model.js";
import type { CompoundAction, SubResult, SubStepRunner } from "./action.js";

export interface ParallelBranch {
  /** Absent for the outside-world branch (`{outside: [...]}`). */
  proc?: string;
  steps: AnyStep[];
}

export interface ParallelStep extends StepBase {
  action: "parallel";
  branches: ParallelBranch[];
}

export const parallel: CompoundAction<ParallelStep> = {
  name: "parallel",
  kind: "compound",
  keys: ["proc", "steps", "outside"],
  expects: [],
  reference: {
    argument: "a list of `{proc, steps}` and at most one `{outside}` branch",
    does: "extension: runs the branches concurrently; the scheduler (or `machine.seed`) decides the interleaving",
  },
  parse(arg, { r, scope: outer, readBranch }) {
    const items = r.seq(arg, "a list of branches ({proc, steps} or {outside})");
    if (items.length < 2) r.fail(arg, `"parallel" needs at least two branches`);
    const branches: ParallelBranch[] = [];
    const scopes: FdScope[] = [];
    let outsideSeen = false;
    for (const item of items) {
      const fields = r.map(item, parallel.keys, "branch key", "{proc: NAME, steps: [...]} or {outside: [...]}");
      const scope = new FdScope(outer);
      const outside = fields.get("outside");
      if (outside !== undefined) {
        for (const other of ["proc", "steps"]) {
          const f = fields.get(other);
          if (f !== undefined) r.source.fail(f.keyOffset, f.path, `"${other}" cannot be combined with "outside" in a branch`);
        }
        if (outsideSeen) r.source.fail(outside.keyOffset, outside.path, `"parallel" has at most one outside branch`);
        outsideSeen = true;
        branches.push({ steps: readBranch(outside, scope, undefined) });
      } else {
        const proc = readName(r, r.required(item, fields, "proc"));
        const steps = readBranch(r.required(item, fields, "steps"), scope, proc);
        branches.push({ proc, steps });
      }
      scopes.push(scope);
    }
    const boundBy = new Map<string, number>();
    scopes.forEach((scope, branch) => {
      for (const b of scope.log) {
        const key = `${b.proc}\u0000${b.name}`;
        const earlier = boundBy.get(key);
        if (earlier !== undefined && earlier !== branch) {
          r.fail(b.at, `fd name "${b.name}" is bound in process ${b.proc} by two branches of this parallel step`);
        }
        boundBy.set(key, branch);
        outer.bind(b.name, b.proc, b.at);
      }
    });
    return { branches };
  },
  steps: (p) => p.branches.flatMap((b) => b.steps),
  run: runParallel,
};

/** Runs every branch to completion under the kernel's scheduler; returns one result per sub-step. */
function runParallel(session: Session, p: ParallelStep, sub: SubStepRunner): SubResult[] {
  const { kernel } = session.part;
  const results = new Map<AnyStep, SubResult>();
  const threads: Thread[] = [];
  p.branches.forEach((branch, i) => {
    if (branch.proc !== undefined) {
      const proc = branch.proc;
      const pid = session.pid(proc);
      threads.push(kernel.sched.spawn(`${proc}:branch${i}`, "user", branchThread(session, sub, branch.steps, pid, results), pid));
    } else {
      const pending = [...branch.steps];
      kernel.sched.externals.push({
        name: "outside",
        ready: () => pending.length > 0,
        act: () => {
          const s = pending.shift()!;
          try {
            const o = sub.outside(s);
            threads.push(...o.threads);
            const outcome = o.finish();
            results.set(s, { step: s, outcome });
            return outcome.summary;
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

function* branchThread(session: Session, sub: SubStepRunner, steps: AnyStep[], pid: number, results: Map<AnyStep, SubResult>): KStep<number> {
  for (const s of steps) {
    let call;
    try {
      call = sub.guest(s);
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
