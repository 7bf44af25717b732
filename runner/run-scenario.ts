// Runs a parsed scenario on a freshly booted partition, step by step, checking expectations.
import { KernelFault } from "../kernel-shim/sched/scheduler.js";
import type { TraceRecord } from "../kernel-shim/sched/context.js";
import type { LogLine } from "../kernel-shim/printk.js";
import { bootPartition } from "./partition.js";
import type { Scenario, Step } from "./scenario-types.js";
import { guestCall } from "./guest-step.js";
import { outsideAct } from "./outside-step.js";
import { runParallel } from "./parallel-step.js";
import { Session, StepError } from "./session.js";

export type StepStatus = "pass" | "fail" | "error" | "skipped";

export interface StepResult {
  line: number;
  column: number;
  action: string;
  proc: string;
  /** What the step did, e.g. `read(h1, 4096) = 53`. */
  summary: string;
  status: StepStatus;
  /** Each expectation that did not hold, or the error. */
  problems: string[];
}

export interface ScenarioResult {
  file: string;
  name: string;
  passed: boolean;
  steps: StepResult[];
  /** A fault that stopped the run (deadlock, oops, lost message, boot failure), with the step it happened at. */
  fault?: string;
  /** The scheduling seed (absent: the deterministic default policy); with the scenario it repeats the run. */
  seed?: number;
  /** Scheduler decisions taken. */
  decisions: number;
  emulatedTimeNs: number;
  kernelLog: LogLine[];
  trace: TraceRecord[];
  wallMs: number;
}

export function runScenario(scenario: Scenario): ScenarioResult {
  const started = performance.now();
  const steps: StepResult[] = [];
  let fault: string | undefined;
  let session: Session | undefined;
  try {
    session = new Session(bootPartition(scenario.machine));
  } catch (e) {
    fault = `boot failed: ${(e as Error).message}`;
  }
  for (const s of scenario.steps) {
    if (fault || !session) {
      steps.push(...flatten(s).map((x) => result(x, "skipped", "", [])));
      continue;
    }
    try {
      steps.push(...runStep(session, s));
      const lost = session.part.kernel.lostMessages();
      if (lost.length) fault = `lost message: ${lost.join("; ")} (at line ${s.line})`;
    } catch (e) {
      const what = e instanceof KernelFault ? `kernel ${e.fault}: ${e.message}` : (e as Error).message;
      steps.push(result(s, "error", "", [what]));
      if (!(e instanceof StepError)) fault = `${what} (at line ${s.line})`;
    }
  }
  const kernel = session?.part.kernel;
  return {
    file: scenario.file,
    name: scenario.name,
    passed: !fault && steps.every((s) => s.status === "pass"),
    steps,
    fault,
    seed: scenario.machine.seed,
    decisions: kernel?.sched.decisions.length ?? 0,
    emulatedTimeNs: kernel?.sched.nowNs ?? 0,
    kernelLog: kernel?.log ?? [],
    trace: kernel?.sched.trace ?? [],
    wallMs: performance.now() - started,
  };
}

function result(s: Step, status: StepStatus, summary: string, problems: string[]): StepResult {
  return { line: s.line, column: s.column, action: s.action, proc: s.proc, summary, status, problems };
}

function flatten(s: Step): Step[] {
  return s.action === "parallel" ? s.branches.flatMap((b) => b.steps) : [s];
}

const judged = (s: Step, o: { summary: string; problems: string[] }): StepResult =>
  result(s, o.problems.length ? "fail" : "pass", o.summary, o.problems);

function runStep(session: Session, s: Step): StepResult[] {
  const { kernel } = session.part;
  if (s.action === "parallel") {
    return runParallel(session, s)
      .map((r) => (r.outcome ? judged(r.step, r.outcome) : result(r.step, "error", "", [r.error ?? "did not run"])))
      .sort((a, b) => a.line - b.line);
  }
  if (s.action === "open" || s.action === "ioctl" || s.action === "write" || s.action === "read" || s.action === "poll" || s.action === "close") {
    const call = guestCall(session, s);
    const pid = session.pid(s.proc);
    const t = kernel.syscalls.enter(pid, call.plan.name, call.plan.args);
    if (t.state !== "done") throw new StepError(`${call.plan.name} did not return: ${t.label} is ${t.state} (${t.blockReason})`);
    return [judged(s, call.finish(call.plan.result(t.result as number)))];
  }
  const o = outsideAct(session, s);
  kernel.settle();
  const stuck = o.threads.filter((t) => t.state !== "done");
  if (stuck.length) throw new StepError(`${stuck.map((t) => t.label).join(", ")} did not finish (${stuck.map((t) => t.blockReason).join(", ")})`);
  return [judged(s, o)];
}
