// A reporter: a front end that prints a run. Each hook is optional and gets its event.
import type { InvalidEvent, RunEndEvent, RunListener, RunStartEvent, ScenarioEndEvent, ScenarioStartEvent, StepEvent } from "../harness/events.js";

export interface Reporter {
  onRunStart?(e: RunStartEvent): void;
  onScenarioStart?(e: ScenarioStartEvent): void;
  onStep?(e: StepEvent): void;
  onScenarioEnd?(e: ScenarioEndEvent): void;
  onInvalid?(e: InvalidEvent): void;
  onRunEnd?(e: RunEndEvent): void;
}

/** A line that is redrawn in place on a terminal (a run's progress), and taken away before other output. */
export interface ProgressLine {
  show(text: string): void;
  clear(): void;
}

export interface ReporterOptions {
  /** Every step and the kernel log, not only the failing ones (-v). */
  verbose: boolean;
  /** ANSI colours (a TTY, NO_COLOR and FORCE_COLOR decide). */
  color: boolean;
  /** The run was asked for scheduler traces (--trace). */
  trace: boolean;
  /** Wall-clock times in the report; false (--no-timing) makes reports of one run byte-identical. */
  timing?: boolean;
  /** Where the reporter's text goes (one call per block of lines). */
  print(text: string): void;
  /** Only when the reporter prints to a terminal. */
  progress?: ProgressLine;
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
      case "invalid": return r.onInvalid?.(e);
      case "run-end": return r.onRunEnd?.(e);
      case "trace":
        return;
    }
  };
}
