// What an exploration reports, as plain JSON: shards of one exploration merge into one result.
import type { Decision } from "../../kernel-shim/sched/policy.js";

export interface FoundFault {
  message: string;
  preemptions: number;
  /** The whole schedule, boot included: replayPolicy(decisions) repeats the run. */
  decisions: Decision[];
  /** Wall time and run number at which this kind was first found. */
  afterMs: number;
  schedule: number;
}

export interface ExploreResult {
  shard: { index: number; count: number };
  options: { preemptions: number; reduction: boolean; stateHashing: boolean; maxSchedules?: number; timeMs?: number };
  /** Runs started (schedules + cut by state hashing + blocked by sleep sets). */
  executions: number;
  /** Runs that ran to their end: distinct schedules. */
  schedules: number;
  /** New schedules per preemption bound (index = bound). */
  perBound: number[];
  prunedByState: number;
  prunedBySleepSet: number;
  /** Branches that would have needed more preemptions than the bound. */
  beyondBound: number;
  /** Every schedule within the bound was explored (a proof for that bound); else cutOff says why not. */
  exhausted: boolean;
  cutOff?: "max-schedules" | "time";
  /** Distinct end states, as `outcome:key`. */
  endStates: string[];
  /** By fault kind: how many schedules showed it and the minimal one (fewest preemptions, then decisions). */
  faults: Record<string, { count: number; first: FoundFault }>;
  coverage: {
    /** Preemption points where an alternative was run (`previous decision → chosen`), and how many were offered. */
    choicePoints: string[];
    offeredChoicePoints: number;
    /** Pairs of conflicting steps of different contexts seen in some run (`first ⟂ second`). */
    conflictPairs: string[];
    /** Of those, pairs seen in both orders. */
    bothOrders: number;
  };
  wallMs: number;
}

export function emptyResult(o: { preemptions: number; reduction?: boolean; stateHashing?: boolean; maxSchedules?: number; timeMs?: number }, shard: { index: number; count: number }): ExploreResult {
  return {
    shard,
    options: { preemptions: o.preemptions, reduction: o.reduction ?? true, stateHashing: o.stateHashing ?? true, maxSchedules: o.maxSchedules, timeMs: o.timeMs },
    executions: 0, schedules: 0, perBound: [], prunedByState: 0, prunedBySleepSet: 0, beyondBound: 0,
    exhausted: false, endStates: [], faults: {},
    coverage: { choicePoints: [], offeredChoicePoints: 0, conflictPairs: [], bothOrders: 0 },
    wallMs: 0,
  };
}

const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])].sort();

/** Merges the results of the shards of one exploration (same scenario and options). */
export function mergeResults(results: readonly ExploreResult[]): ExploreResult {
  const [first, ...rest] = results;
  if (!first) throw new Error("nothing to merge");
  const out: ExploreResult = structuredClone(first);
  out.shard = { index: -1, count: first.shard.count };
  for (const r of rest) {
    out.executions += r.executions;
    out.schedules += r.schedules;
    out.perBound = out.perBound.length >= r.perBound.length
      ? out.perBound.map((n, i) => n + (r.perBound[i] ?? 0))
      : r.perBound.map((n, i) => n + (out.perBound[i] ?? 0));
    out.prunedByState += r.prunedByState;
    out.prunedBySleepSet += r.prunedBySleepSet;
    out.beyondBound += r.beyondBound;
    out.exhausted &&= r.exhausted;
    out.cutOff ??= r.cutOff;
    out.endStates = union(out.endStates, r.endStates);
    for (const [kind, f] of Object.entries(r.faults)) {
      const mine = out.faults[kind];
      if (!mine) out.faults[kind] = structuredClone(f);
      else {
        mine.count += f.count;
        const better = f.first.preemptions < mine.first.preemptions
          || (f.first.preemptions === mine.first.preemptions && f.first.decisions.length < mine.first.decisions.length);
        if (better) mine.first = structuredClone(f.first);
      }
    }
    out.coverage.choicePoints = union(out.coverage.choicePoints, r.coverage.choicePoints);
    out.coverage.offeredChoicePoints = Math.max(out.coverage.offeredChoicePoints, r.coverage.offeredChoicePoints);
    out.coverage.conflictPairs = union(out.coverage.conflictPairs, r.coverage.conflictPairs);
    out.wallMs = Math.max(out.wallMs, r.wallMs);
  }
  out.coverage.bothOrders = countBothOrders(out.coverage.conflictPairs);
  return out;
}

export const PAIR_SEPARATOR = " ⟂ ";

export function countBothOrders(pairs: readonly string[]): number {
  const set = new Set(pairs);
  let n = 0;
  for (const p of pairs) {
    const [a, b] = p.split(PAIR_SEPARATOR);
    if (a! < b! && set.has(`${b}${PAIR_SEPARATOR}${a}`)) n++;
  }
  return n;
}
