// What running a scenario produces (the shape `runScenario` returns, and reporters print).
import type { TraceRecord } from "../../kernel-shim/sched/context.js";
import type { LogLine } from "../../kernel-shim/printk.js";

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
  /** The fault's kind: a KernelFault's (deadlock, oops, …), lost-message, boot, error, or a liveness kind (harness/liveness.ts). */
  faultKind?: string;
  /** The scheduling seed (absent: the deterministic default policy); with the scenario it repeats the run. */
  seed?: number;
  /** Scheduler decisions taken. */
  decisions: number;
  emulatedTimeNs: number;
  kernelLog: LogLine[];
  trace: TraceRecord[];
  wallMs: number;
}
