// A reporter: a front end that prints a run. Each hook is optional and gets its event.
import type { RunEndEvent, RunListener, RunStartEvent, ScenarioEndEvent, ScenarioStartEvent, StepEvent } from "../harness/events.js";

export interface Reporter {
  onRunStart?(e: RunStartEvent): void;
  onScenarioStart?(e: ScenarioStartEvent): void;
  onStep?(e: StepEvent): void;
  onScenarioEnd?(e: ScenarioEndEvent): void;
  onRunEnd?(e: RunEndEvent): void;
}

export interface ReporterOptions {
  /** Every step and the kernel log, not only the failing ones (-v). */
  verbose: boolean;
  /** ANSI colours (on a TTY). */
  color: boolean;
  /** The run was asked for scheduler traces (--trace). */
  trace: boolean;
  /** Where the reporter's text goes (one call per block of lines). */
  print(text: string): void;
}

export type ReporterFactory = (options: ReporterOptions) => Reporter;

/** The listener that calls a reporter's hooks. */
export function listenerOf(r: Reporter): RunListener {
  return (e) => {
    switch (e.type) {
      case "run-start": return r.onRunStart?.(e);
      case "scenario-start": return r.onScenarioStart?.(e);
      case "step": return r.onStep?.(e);
      case "scenario-end": return r.onScenarioEnd?.(e);
      case "run-end": return r.onRunEnd?.(e);
      case "trace":
      case "invalid":
        return;
    }
  };
}
