// Replaying a recorded schedule: each recorded decision is found among the current choices by
// value, wherever it is in the list. A decision that is not offered is a typed divergence.
import type { Choice, Decision, SchedulingPolicy } from "./policy.js";

export class ReplayDivergence extends Error {
  constructor(
    /** Index of the decision that could not be replayed. */
    readonly at: number,
    readonly expected: Decision | undefined,
    readonly offered: readonly Choice[],
  ) {
    super(expected === undefined
      ? `replay: the recording ends after ${at} decisions but the run goes on`
      : `replay: decision ${at} (${describeDecision(expected)}) is not among the choices [${offered.map(describeDecision).join("; ")}]`);
    this.name = "ReplayDivergence";
  }
}

/** The same decision: what is chosen, not how the scheduler judged it (`spinning` is derived state). */
export function sameDecision(a: Choice, b: Choice): boolean {
  switch (a.kind) {
    case "irq": return b.kind === "irq" && a.cpu === b.cpu;
    case "run": return b.kind === "run" && a.cpu === b.cpu && a.context === b.context;
    case "place":
    case "preempt": return b.kind === a.kind && a.thread === b.thread && a.cpu === b.cpu;
    case "external": return b.kind === "external" && a.actor === b.actor;
  }
}

export function describeDecision(d: Decision): string {
  switch (d.kind) {
    case "irq": return `irq on cpu${d.cpu}`;
    case "run": return `run ${d.context} on cpu${d.cpu}`;
    case "place": return `place ${d.thread} on cpu${d.cpu}`;
    case "preempt": return `preempt cpu${d.cpu} for ${d.thread}`;
    case "external": return `external ${d.actor}`;
  }
}

/** Takes the recorded decisions in order; past their end, `after` decides (or the run diverges). */
export function replayPolicy(recorded: readonly Decision[], after?: SchedulingPolicy): SchedulingPolicy {
  let i = 0;
  return (choices) => {
    if (i >= recorded.length) {
      if (after) return after(choices);
      throw new ReplayDivergence(i, undefined, choices);
    }
    const want = recorded[i]!;
    const k = choices.findIndex((c) => sameDecision(want, c));
    if (k < 0) throw new ReplayDivergence(i, want, choices);
    i++;
    return k;
  };
}
