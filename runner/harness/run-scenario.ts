// Runs a parsed scenario on a freshly booted partition, step by step, checking expectations;
// each step's result is emitted as it is known.
import { KernelFault } from "../../kernel-shim/sched/scheduler.js";
import type { Scenario } from "../scenario/scenario.js";
import type { RunListener } from "./events.js";
import { isInternalError } from "./internal-error.js";
import { bootPartition } from "./partition.js";
import type { ScenarioResult, StepResult } from "./results.js";
import { Session, StepError } from "./session.js";
import { result, runStep, subSteps } from "./step.js";

interface RunOptions {
  /** Receives scenario-start, step, trace and scenario-end events. */
  listener?: RunListener;
  /** Emit the scheduler's trace records (after the steps, before scenario-end). */
  trace?: boolean;
}

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
  let session: Session | undefined;
  try {
    session = new Session(bootPartition(scenario.machine));
  } catch (e) {
    if (isInternalError(e)) throw e;
    fault = `boot failed: ${(e as Error).message}`;
  }
  for (const s of scenario.steps) {
    if (fault || !session) {
      record(subSteps(s).map((x) => result(x, "skipped", "", [])));
      continue;
    }
    try {
      record(runStep(session, s));
      const lost = session.part.kernel.lostMessages();
      if (lost.length) fault = `lost message: ${lost.join("; ")} (at line ${s.line})`;
    } catch (e) {
      if (isInternalError(e)) throw e;
      const what = e instanceof KernelFault ? `kernel ${e.fault}: ${e.message}` : (e as Error).message;
      record([result(s, "error", "", [what])]);
      if (!(e instanceof StepError)) fault = `${what} (at line ${s.line})`;
    }
  }
  const kernel = session?.part.kernel;
  const out: ScenarioResult = {
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
  if (options.trace) for (const r of out.trace) emit({ type: "trace", scenario, record: r });
  emit({ type: "scenario-end", result: out });
  return out;
}
