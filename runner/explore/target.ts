// What the explorer explores: something it can run again from the start as often as it likes,
// picking every scheduler decision itself (a scenario on a fresh partition, or a small synthetic
// kernel in the tests).
import type { Choice } from "../../kernel-shim/sched/policy.js";
import type { Footprint } from "./footprint.js";

/** What the explorer may look at when it is asked for a decision. */
export interface Probe {
  /** Decisions of boot are taken as the default policy takes them and never branched. */
  readonly booting: boolean;
  /** A key of the current state: two points with the same key have the same futures (state-key.ts). */
  stateKey(): string;
  /** The footprint of the step the previous decision chose (footprint.ts). */
  touched(): Footprint;
}

/** Returns the index of the chosen choice; may throw RunAborted to end the run early. */
export type Picker = (choices: readonly Choice[], probe: Probe) => number;

export interface RunOutcome {
  /** A fault that ended or failed the run: its kind (deadlock, oops, lost-wakeup, …) and text. */
  fault?: { kind: string; message: string };
  /** Key of the state the run ended in. */
  endState: string;
  /** The footprint of the step the last decision chose. */
  lastTouched: Footprint;
}

export interface ExploreTarget {
  /** Runs once from the start. Throws RunAborted when the picker did. */
  run(pick: Picker): RunOutcome;
}
