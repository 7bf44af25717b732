// Minimising a failing schedule: fewest preemptions first (iterative bounding already finds the
// fault at its smallest bound), then fewest decisions and fewest departures from the
// non-preemptive schedule. Each departure is undone in turn, the rest replayed where it still
// applies; the change is kept when the run still ends in the same kind of fault.
import type { Decision } from "../../kernel-shim/sched/policy.js";
import { sameDecision } from "../../kernel-shim/sched/replay.js";
import { nonPreemptive, preemptionCost } from "./preemption.js";
import type { ExploreTarget } from "./target.js";

export interface Replayed {
  decisions: Decision[];
  preemptions: number;
  /** Indices of decisions that depart from the non-preemptive choice. */
  departures: number[];
  faultKind?: string;
  faultMessage?: string;
}

/** Replays `wanted` by value where offered (a decision not offered is replaced by the non-preemptive one). */
export function replayLeniently(target: ExploreTarget, wanted: readonly Decision[], undo = -1): Replayed {
  const decisions: Decision[] = [];
  const departures: number[] = [];
  let preemptions = 0;
  let prev: Decision | null = null;
  const out = target.run((choices) => {
    const i = decisions.length;
    const np = nonPreemptive(choices, prev);
    const want = i === undo ? undefined : wanted[i];
    const found = want === undefined ? -1 : choices.findIndex((c) => sameDecision(c, want));
    const k = found >= 0 ? found : np;
    if (!sameDecision(choices[k]!, choices[np]!)) departures.push(i);
    preemptions += preemptionCost(choices, k, prev);
    prev = choices[k]!;
    decisions.push(prev);
    return k;
  });
  return { decisions, preemptions, departures, faultKind: out.fault?.kind, faultMessage: out.fault?.message };
}

const better = (a: Replayed, b: Replayed): boolean =>
  a.preemptions < b.preemptions
  || (a.preemptions === b.preemptions && (a.decisions.length < b.decisions.length
    || (a.decisions.length === b.decisions.length && a.departures.length < b.departures.length)));

/** The smallest schedule found that still ends in a fault of `kind`; `runs` counts the replays. */
export function minimise(target: ExploreTarget, decisions: readonly Decision[], kind: string): Replayed & { runs: number } {
  let best = replayLeniently(target, decisions);
  let runs = 1;
  if (best.faultKind !== kind) return { ...best, runs };
  for (let changed = true; changed;) {
    changed = false;
    for (const d of [...best.departures].reverse()) {
      const candidate = replayLeniently(target, best.decisions, d);
      runs++;
      if (candidate.faultKind === kind && better(candidate, best)) {
        best = candidate;
        changed = true;
        break;
      }
    }
  }
  return { ...best, runs };
}
