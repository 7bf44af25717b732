// Coverage of an exploration: which preemption points had an alternative run, and which pairs of
// conflicting steps (dependent footprints, different contexts) were seen, in which orders.
import type { Choice, Decision } from "../../kernel-shim/sched/policy.js";
import { describeDecision } from "../../kernel-shim/sched/replay.js";
import { independent, type Footprint } from "./footprint.js";
import { PAIR_SEPARATOR, countBothOrders, type ExploreResult } from "./result.js";

/** How far apart two steps may be for their conflict to count as a pair. */
const PAIR_WINDOW = 24;

const actorOf = (d: Decision): string =>
  d.kind === "run" ? d.context : d.kind === "place" || d.kind === "preempt" ? d.thread : d.kind === "irq" ? `irq@cpu${d.cpu}` : d.actor;

export class Coverage {
  private readonly offeredPoints = new Set<string>();
  private readonly exercisedPoints = new Set<string>();
  private readonly pairs = new Set<string>();

  private static point(prev: Decision | null, c: Choice): string {
    return `${prev ? describeDecision(prev) : "start"} → ${describeDecision(c)}`;
  }

  offered(prev: Decision | null, c: Choice): void {
    this.offeredPoints.add(Coverage.point(prev, c));
  }

  exercised(prev: Decision | null, c: Choice): void {
    this.exercisedPoints.add(Coverage.point(prev, c));
  }

  run(points: readonly { choices: readonly Choice[]; chosen: number; fp?: Footprint }[]): void {
    const steps = points.filter((p) => p.chosen >= 0 && p.fp).map((p) => ({ d: p.choices[p.chosen]!, fp: p.fp! }));
    for (let i = 0; i < steps.length; i++) {
      for (let j = i + 1; j < Math.min(steps.length, i + PAIR_WINDOW); j++) {
        const a = steps[i]!;
        const b = steps[j]!;
        if (actorOf(a.d) === actorOf(b.d) || independent(a.fp, b.fp)) continue;
        this.pairs.add(`${describeDecision(a.d)}${PAIR_SEPARATOR}${describeDecision(b.d)}`);
      }
    }
  }

  into(r: ExploreResult): void {
    r.coverage.choicePoints = [...this.exercisedPoints].sort();
    r.coverage.offeredChoicePoints = this.offeredPoints.size;
    r.coverage.conflictPairs = [...this.pairs].sort();
    r.coverage.bothOrders = countBothOrders(r.coverage.conflictPairs);
  }
}
