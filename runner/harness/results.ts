// What running a scenario produces (the shape `runScenario` returns, and reporters print).
import type { TraceRecord } from "../../kernel-shim/sched/context.js";
import type { LogLine } from "../../kernel-shim/printk.js";
import type { ExpectedFault } from "../scenario/expect-fault.js";

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
  /**
   * A fault that stopped the run (deadlock, oops, lost message, boot failure), with the step it
   * happened at; with an `expectedFault` that did not happen, what was expected and what happened.
   */
  fault?: string;
  /** The fault's kind: a KernelFault's (deadlock, oops, …), lost-message, boot, error, or a liveness kind (harness/liveness.ts). */
  faultKind?: string;
  /** The fault this run had to end in (the scenario's expect-fault for its driver profile). */
  expectedFault?: ExpectedFault;
  /** The scheduling seed (absent: the deterministic default policy); with the scenario it repeats the run. */
  seed?: number;
  /** The kernel-shim profile it ran on (set by Run, so a matrix's results tell their profiles apart). */
  driver?: string;
  /** Scheduler decisions taken. */
  decisions: number;
  emulatedTimeNs: number;
  kernelLog: LogLine[];
  trace: TraceRecord[];
  wallMs: number;
}
