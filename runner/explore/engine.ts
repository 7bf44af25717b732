// The explorer: stateless depth-first search over the scheduler's choice tree, re-running the
// target from the start for every schedule (a schedule is its decisions, by value), with
// iterative preemption bounding (every schedule with 0 preemptions, then 1, then 2 …, CHESS),
// sleep sets (partial-order reduction: a step independent of the one taken is not tried again in
// the other order) and state hashing (a state already expanded with no less budget is cut).
import type { Choice, Decision } from "../../kernel-shim/sched/policy.js";
import { ReplayDivergence, describeDecision, sameDecision } from "../../kernel-shim/sched/replay.js";
import { RunAborted } from "../harness/run-scenario.js";
import { Coverage } from "./coverage.js";
import { GLOBAL, independent, type Footprint } from "./footprint.js";
import { nonPreemptive, preemptionCost, progressOf } from "./preemption.js";
import { emptyResult, type ExploreResult, type FoundFault } from "./result.js";
import type { ExploreTarget, Picker } from "./target.js";

export interface ExploreOptions {
  /** Largest number of preemptions a schedule may have. */
  preemptions: number;
  /** Stop after this many runs (cut off, not exhausted). */
  maxSchedules?: number;
  /** Stop after this much wall time, in ms. */
  timeMs?: number;
  /** Sleep-set partial-order reduction (default on). */
  reduction?: boolean;
  /** State hashing (default on). */
  stateHashing?: boolean;
  /** This shard of a deterministic split: the root's branches go round-robin to `count` shards. */
  shard?: { index: number; count: number };
}

interface SleepEntry {
  choice: Choice;
  fp: Footprint;
}

interface Node {
  prefix: Decision[];
  /** Preemptions in the prefix. */
  cost: number;
  /** Candidates for the sleep set where the prefix ends (filtered by the prefix's last step). */
  sleep: SleepEntry[];
  /** The shard this subtree belongs to (undefined: the root, run by every shard). */
  owner?: number;
  /** The branch that made it: the decision before and the one chosen instead (coverage). */
  via?: { prev: Decision | null; choice: Choice };
}

interface Point {
  /** Index of this decision in the run. */
  at: number;
  choices: readonly Choice[];
  /** The index taken, or -1 when every progress choice was asleep (the run stopped here). */
  chosen: number;
  prev: Decision | null;
  /** Preemptions before this decision. */
  cost: number;
  sleep: SleepEntry[];
  fp?: Footprint;
}

class Stop extends Error {}

const asleep = (c: Choice, sleep: readonly SleepEntry[]): boolean => sleep.some((s) => sameDecision(s.choice, c));
const subset = (a: readonly SleepEntry[], b: readonly SleepEntry[]): boolean => a.every((s) => asleep(s.choice, b));

export class Explorer {
  readonly result: ExploreResult;
  private readonly reduction: boolean;
  private readonly hashing: boolean;
  private readonly visited = new Map<string, { cost: number; sleep: SleepEntry[] }>();
  private readonly deferred: Node[][] = [];
  private readonly coverage = new Coverage();
  private readonly endStates = new Set<string>();
  private readonly started = performance.now();
  private rootChildren = 0;
  private bound = 0;

  constructor(
    private readonly target: ExploreTarget,
    private readonly options: ExploreOptions,
  ) {
    this.reduction = options.reduction ?? true;
    this.hashing = options.stateHashing ?? true;
    this.result = emptyResult(options, options.shard ?? { index: 0, count: 1 });
  }

  run(): ExploreResult {
    const r = this.result;
    try {
      for (this.bound = 0; this.bound <= this.options.preemptions; this.bound++) {
        const before = r.schedules;
        const roots = this.bound === 0 ? [{ prefix: [], cost: 0, sleep: [] }] : (this.deferred[this.bound] ?? []);
        for (const node of roots) {
          if (!this.owns(node)) continue;
          if (node.via) this.coverage.exercised(node.via.prev, node.via.choice);
          this.dfs(node);
        }
        r.perBound.push(r.schedules - before);
      }
      r.exhausted = true;
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      r.perBound.push(r.schedules - (r.perBound.reduce((a, b) => a + b, 0)));
    }
    r.wallMs = performance.now() - this.started;
    r.endStates = [...this.endStates].sort();
    this.coverage.into(r);
    return r;
  }

  private owns(node: Node): boolean {
    return node.owner === undefined || node.owner === (this.options.shard?.index ?? 0);
  }

  /** Runs a node's schedule, then branches at every decision past its prefix; returns its first step's footprint. */
  private dfs(node: Node): Footprint {
    const { points, decisions, branchFp } = this.execute(node);
    for (let j = points.length - 1; j >= 0; j--) {
      const p = points[j]!;
      const done: SleepEntry[] = p.chosen >= 0 ? [{ choice: p.choices[p.chosen]!, fp: p.fp ?? [GLOBAL] }] : [];
      for (const idx of progressOf(p.choices)) {
        if (idx === p.chosen) continue;
        const c = p.choices[idx]!;
        if (this.reduction && (asleep(c, p.sleep) || asleep(c, done))) continue;
        const cost = p.cost + preemptionCost(p.choices, idx, p.prev);
        this.coverage.offered(p.prev, c);
        if (cost > this.options.preemptions) {
          this.result.beyondBound++;
          continue;
        }
        const child: Node = {
          prefix: [...decisions.slice(0, p.at), c],
          cost,
          sleep: this.reduction ? [...p.sleep, ...done] : [],
          owner: node.owner ?? this.rootChildren++ % (this.options.shard?.count ?? 1),
          via: { prev: p.prev, choice: c },
        };
        if (cost > this.bound) {
          (this.deferred[cost] ??= []).push(child);
          continue;
        }
        if (!this.owns(child)) continue;
        this.coverage.exercised(p.prev, c);
        done.push({ choice: c, fp: this.dfs(child) });
      }
    }
    return branchFp ?? [GLOBAL];
  }

  private execute(node: Node): { points: Point[]; decisions: Decision[]; branchFp?: Footprint } {
    const r = this.result;
    if (this.options.maxSchedules !== undefined && r.executions >= this.options.maxSchedules) this.stop("max-schedules");
    if (this.options.timeMs !== undefined && performance.now() - this.started > this.options.timeMs) this.stop("time");
    r.executions++;
    const points: Point[] = [];
    const decisions: Decision[] = [];
    let prev: Decision | null = null;
    let cost = node.cost;
    let sleep = node.sleep;
    let branchFp: Footprint | undefined;
    let abortedBy: "state" | "sleep" | null = null;
    const pick: Picker = (choices, probe) => {
      const i = decisions.length;
      let k: number;
      if (probe.booting) {
        k = nonPreemptive(choices, prev);
      } else if (i < node.prefix.length) {
        k = choices.findIndex((c) => sameDecision(c, node.prefix[i]!));
        if (k < 0) throw new ReplayDivergence(i, node.prefix[i], choices);
      } else {
        const touched = probe.touched();
        const last = points[points.length - 1];
        if (i === node.prefix.length) branchFp = touched;
        else if (last) last.fp = touched;
        if (i > 0) sleep = sleep.filter((u) => independent(u.fp, touched));
        if (this.hashing) {
          const key = `${prev ? describeDecision(prev) : ""}|${probe.stateKey()}`;
          const seen = this.visited.get(key);
          if (seen && seen.cost <= cost && subset(seen.sleep, sleep)) {
            abortedBy = "state";
            throw new RunAborted("state explored");
          }
          if (!seen || cost < seen.cost) this.visited.set(key, { cost, sleep });
        }
        k = nonPreemptive(choices, prev);
        if (this.reduction && asleep(choices[k]!, sleep)) {
          points.push({ at: i, choices, chosen: -1, prev, cost, sleep });
          abortedBy = "sleep";
          throw new RunAborted("sleep-set blocked");
        }
        points.push({ at: i, choices, chosen: k, prev, cost, sleep });
        cost += preemptionCost(choices, k, prev);
      }
      prev = choices[k]!;
      decisions.push(prev);
      return k;
    };
    try {
      const out = this.target.run(pick);
      const last = points[points.length - 1];
      if (last && last.fp === undefined) last.fp = out.lastTouched;
      if (branchFp === undefined && decisions.length === node.prefix.length) branchFp = out.lastTouched;
      r.schedules++;
      this.coverage.run(points);
      this.endStates.add(`${out.fault?.kind ?? "ok"}:${out.endState}`);
      if (out.fault) this.fault(out.fault, decisions, node.cost);
    } catch (e) {
      if (!(e instanceof RunAborted) || abortedBy === null) throw e;
      if (abortedBy === "state") r.prunedByState++;
      else r.prunedBySleepSet++;
    }
    return { points, decisions, branchFp };
  }

  private fault(f: { kind: string; message: string }, decisions: Decision[], preemptions: number): void {
    const r = this.result;
    const entry = r.faults[f.kind];
    const found: FoundFault = {
      message: f.message, preemptions, decisions: [...decisions], afterMs: performance.now() - this.started, schedule: r.executions,
    };
    if (!entry) r.faults[f.kind] = { count: 1, first: found };
    else {
      entry.count++;
      const better = preemptions < entry.first.preemptions || (preemptions === entry.first.preemptions && decisions.length < entry.first.decisions.length);
      if (better) entry.first = { ...found, afterMs: entry.first.afterMs, schedule: entry.first.schedule };
    }
  }

  private stop(why: "max-schedules" | "time"): never {
    this.result.cutOff = why;
    throw new Stop(why);
  }
}
