// Runs a parsed scenario on a freshly booted partition, step by step, checking expectations;
// each step's result is emitted as it is known.
import { KernelFault, type SchedulingPolicy } from "../../kernel-shim/sched/scheduler.js";
import type { Scenario } from "../scenario/scenario.js";
import type { RunListener } from "./events.js";
import { isInternalError } from "./internal-error.js";
import { checkIdle, checkQuiescent, formatFinding, type LivenessFinding } from "./liveness.js";
import { bootPartition, type Partition } from "./partition.js";
import type { ScenarioResult, StepResult } from "./results.js";
import { Session, StepError } from "./session.js";
import { judgeEnding } from "./ending.js";
import { checkLost, LostMessage, result, runStep, subSteps } from "./step.js";

interface RunOptions {
  /** Receives scenario-start, step, trace and scenario-end events. */
  listener?: RunListener;
  /** Emit the scheduler's trace records (after the steps, before scenario-end). */
  trace?: boolean;
  /** Schedules the whole run (boot included) instead of the seed's or the default policy. */
  policy?: SchedulingPolicy;
  /** Sees the partition once it booted (the explorer reads its state between decisions). */
  onBoot?: (part: Partition) => void;
}

/** Thrown by a policy to end a run early (the explorer, on a state it has explored): runScenario lets it through. */
export class RunAborted extends Error {}

export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioResult {
  const emit = options.listener ?? (() => {});
  emit({ type: "scenario-start", scenario });
  const started = performance.now();
  const steps: StepResult[] = [];
  const record = (results: StepResult[]): void => {
    for (const r of results) {
      steps.push(r);
      emit({ type: "step", scenario, result: r });
    }
  };
  let fault: string | undefined;
  let faultKind: string | undefined;
  /** Results before the one the fault ended the run at: what must all have passed. */
  let beforeFault = 0;
  let session: Session | undefined;
  try {
    session = new Session(bootPartition(scenario.machine, undefined, options.policy));
  } catch (e) {
    if (e instanceof RunAborted || isInternalError(e)) throw e;
    faultKind = e instanceof KernelFault ? e.fault : "boot";
    fault = `boot failed: ${(e as Error).message}`;
  }
  // Liveness (liveness.ts): a stuck state found at quiescence fails the run if it is still stuck at
  // the end; a poller found asleep with data ready fails it at once.
  const rtasd = scenario.machine.rtasd ?? false;
  let stuck: { finding: LivenessFinding; line: number } | undefined;
  let asleep: { finding: LivenessFinding; line: number } | undefined;
  let line = 0;
  if (session) {
    const part = session.part;
    options.onBoot?.(part);
    part.kernel.sched.onIdle = () => {
      if (asleep) return;
      const f = checkIdle(part);
      if (f) asleep = { finding: f, line };
    };
  }
  for (const s of scenario.steps) {
    if (fault || !session) {
      record(subSteps(s).map((x) => result(x, "skipped", "", [])));
      continue;
    }
    line = s.line;
    let recorded = false;
    try {
      record(runStep(session, s));
      recorded = true;
      checkLost(session, s.line);
    } catch (e) {
      if (e instanceof RunAborted || isInternalError(e)) throw e;
      if (e instanceof LostMessage) {
        // The steps before the one that lost it must pass; that step too when it ran to the end.
        beforeFault = steps.length;
        if (!recorded) record([result(s, "error", "", [e.message])]);
        fault = e.message;
        faultKind = "lost-message";
        continue;
      }
      const what = e instanceof KernelFault ? `kernel ${e.fault}: ${e.message}` : (e as Error).message;
      beforeFault = steps.length;
      record([result(s, "error", "", [what])]);
      if (!(e instanceof StepError)) {
        fault = `${what} (at line ${s.line})`;
        faultKind = e instanceof KernelFault ? e.fault : "error";
      }
    }
    if (!fault) {
      const f = checkQuiescent(session.part, { rtasd });
      if (!f) stuck = undefined;
      else if (stuck?.finding.kind !== f.kind) stuck = { finding: f, line: s.line };
    }
  }
  const live = asleep ?? stuck;
  if (!fault && live) {
    fault = formatFinding(live.finding, live.line);
    faultKind = live.finding.kind;
    beforeFault = steps.length;
  }
  const expected = scenario.expectFault?.[scenario.machine.driver] ?? null;
  const judged = judgeEnding(expected, { fault, faultKind }, steps, beforeFault);
  const kernel = session?.part.kernel;
  const out: ScenarioResult = {
    file: scenario.file,
    name: scenario.name,
    passed: judged.passed,
    steps,
    fault: judged.fault,
    seed: scenario.machine.seed,
    decisions: kernel?.sched.decisions.length ?? 0,
    emulatedTimeNs: kernel?.sched.nowNs ?? 0,
    kernelLog: kernel?.log ?? [],
    trace: kernel?.sched.trace ?? [],
    wallMs: performance.now() - started,
  };
  if (faultKind !== undefined) out.faultKind = faultKind;
  if (expected !== null) out.expectedFault = expected;
  if (options.trace) for (const r of out.trace) emit({ type: "trace", scenario, record: r });
  emit({ type: "scenario-end", result: out });
  return out;
}
