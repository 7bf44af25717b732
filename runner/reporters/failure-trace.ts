// The last scheduler steps before a failure, for the pretty report. A fault ends the run, so its
// trace is the end of the scenario's trace. A failing guest step ends at its system call's exit:
// the step's thread is named after its process and syscall (`p1:read[4]`, `p1:branch0[7]`), so the
// k-th step of a process calling `read` ends at that process's k-th `read` exit.
import type { TraceRecord } from "../../kernel-shim/sched/context.js";
import type { ScenarioResult, StepResult } from "../harness/results.js";

/** The syscall names the kernel traces for a step's summary word where they differ. */
const TRACED_AS: Readonly<Record<string, string>> = { open: "openat" };

export function traceBeforeFault(r: ScenarioResult, count: number): TraceRecord[] {
  return r.trace.slice(-count);
}

/** The `count` records up to the step's syscall exit; none when the step made no system call. */
export function traceBeforeStep(r: ScenarioResult, step: StepResult, count: number): TraceRecord[] {
  const call = syscallOf(step);
  if (call === undefined) return [];
  const ordinal = r.steps.slice(0, r.steps.indexOf(step)).filter((s) => s.proc === step.proc && syscallOf(s) === call).length;
  let seen = 0;
  for (let i = 0; i < r.trace.length; i++) {
    const t = r.trace[i]!;
    if (t.event.kind !== "syscall-exit" || t.event.name !== call || !t.context.startsWith(`${step.proc}:`)) continue;
    if (seen++ === ordinal) return r.trace.slice(Math.max(0, i + 1 - count), i + 1);
  }
  return [];
}

function syscallOf(s: StepResult): string | undefined {
  const word = /^([a-z_0-9]+)\(/.exec(s.summary)?.[1];
  return word === undefined ? undefined : (TRACED_AS[word] ?? word);
}
