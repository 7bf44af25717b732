// The typed events a run emits, in this order: run-start; per scenario scenario-start, its steps
// (and, when asked, its trace records), scenario-end; invalid for a file that cannot run; run-end.
import type { TraceRecord } from "../../kernel-shim/sched/context.js";
import type { Scenario } from "../scenario/scenario.js";
import type { ScenarioResult, StepResult } from "./results.js";

export interface RunStartEvent {
  type: "run-start";
  /** How many scenario runs (scenario × profile × seed) are to come, when known. */
  total?: number;
}
export interface ScenarioStartEvent {
  type: "scenario-start";
  scenario: Scenario;
}
/** A step's result, as soon as the step ran (or was skipped). */
export interface StepEvent {
  type: "step";
  scenario: Scenario;
  result: StepResult;
}
/** One scheduler step of the scenario's run; only when the run was asked for its trace. */
interface TraceEvent {
  type: "trace";
  scenario: Scenario;
  record: TraceRecord;
}
export interface ScenarioEndEvent {
  type: "scenario-end";
  result: ScenarioResult;
}
/** A scenario file that cannot run (a ScenarioError, or a machine the command line cannot apply to it). */
export interface InvalidEvent {
  type: "invalid";
  /** `file:line:column: problem` or `file: problem`. */
  message: string;
  /** The file, when known. */
  file?: string;
}
export interface RunEndEvent {
  type: "run-end";
  results: readonly ScenarioResult[];
  invalid: number;
  /** --bail stopped the run after a failing scenario (later ones did not run). */
  bailed?: boolean;
}

export type RunEvent = RunStartEvent | ScenarioStartEvent | StepEvent | TraceEvent | ScenarioEndEvent | InvalidEvent | RunEndEvent;
export type RunListener = (event: RunEvent) => void;
