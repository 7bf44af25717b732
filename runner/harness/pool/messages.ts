// What the run's thread and a pool worker say to each other: a scenario to run (structured-cloned:
// a Scenario is plain data), and its result or the error that escaped the harness.
import type { Scenario } from "../../scenario/scenario.js";
import type { ScenarioResult } from "../results.js";

export interface Job {
  index: number;
  scenario: Scenario;
}

export type JobDone = { index: number; result: ScenarioResult } | { index: number; error: string };
