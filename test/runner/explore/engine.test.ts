// The explorer on synthetic kernels whose schedule counts are known in closed form
// (test/runner/explore/synthetic.ts): two threads pinned to two CPUs, each making `steps` steps,
// so each thread's decisions are a chain of m = steps + 2 (placed, each step, the return).
import { describe, expect, it } from "vitest";
import { Explorer } from "../../../runner/explore/engine.js";
import { minimise } from "../../../runner/explore/minimise.js";
import { mergeResults } from "../../../runner/explore/result.js";
import { choose, syntheticTarget } from "./synthetic.js";

const plain = { reduction: false, stateHashing: false };

describe("explorer enumeration", () => {
  it.each([1, 2, 3])("every interleaving of two chains of %i+2 decisions: C(2m, m) schedules without reduction", (steps) => {
    const m = steps + 2;
    const r = new Explorer(syntheticTarget({ threads: 2, steps, shared: true }), { preemptions: 2 * m, ...plain }).run();
    expect(r.schedules).toBe(choose(2 * m, m));
    expect(r.exhausted).toBe(true);
    expect(r.perBound.reduce((a, b) => a + b, 0)).toBe(r.schedules);
  });

  it.each([1, 2, 3])("0 preemptions: 6 schedules for %i step(s) (switches only where a thread was placed or finished)", (steps) => {
    // pA·A·pB·B, pA·pB·A·B, pA·pB·B·A and the three with pB first, A and B whole.
    const r = new Explorer(syntheticTarget({ threads: 2, steps, shared: true }), { preemptions: 0, ...plain }).run();
    expect(r.schedules).toBe(6);
    expect(r.perBound).toEqual([6]);
  });

  it("iterative bounding counts each schedule once, at its own number of preemptions", () => {
    const r = new Explorer(syntheticTarget({ threads: 2, steps: 2, shared: true }), { preemptions: 8, ...plain }).run();
    expect(r.perBound[0]).toBe(6);
    expect(r.perBound.reduce((a, b) => a + b, 0)).toBe(choose(8, 4));
    const r1 = new Explorer(syntheticTarget({ threads: 2, steps: 2, shared: true }), { preemptions: 1, ...plain }).run();
    expect(r1.perBound).toEqual(r.perBound.slice(0, 2));
  });

  it("sleep sets: threads on different locks commute — one schedule per Mazurkiewicz trace, i.e. one", () => {
    const r = new Explorer(syntheticTarget({ threads: 2, steps: 3, shared: false }), { preemptions: 20, reduction: true, stateHashing: false }).run();
    expect(r.schedules).toBe(1);
    expect(r.prunedBySleepSet).toBeGreaterThan(0);
    expect(r.exhausted).toBe(true);
  });

  it.each([2, 3])("sleep sets: on one shared lock only the %i lock steps of each thread conflict — C(2k, k) schedules", (steps) => {
    const r = new Explorer(syntheticTarget({ threads: 2, steps, shared: true }), { preemptions: 20, reduction: true, stateHashing: false }).run();
    expect(r.schedules).toBe(choose(2 * steps, steps));
  });

  it("state hashing cuts states already expanded: fewer schedules, the same end states", () => {
    const full = new Explorer(syntheticTarget({ threads: 2, steps: 3, shared: false }), { preemptions: 20, ...plain }).run();
    const hashed = new Explorer(syntheticTarget({ threads: 2, steps: 3, shared: false }), { preemptions: 20, reduction: false, stateHashing: true }).run();
    expect(full.schedules).toBe(choose(10, 5));
    expect(hashed.schedules).toBeLessThan(full.schedules);
    expect(hashed.prunedByState).toBeGreaterThan(0);
    expect(hashed.endStates).toEqual(full.endStates);
  });

  it("max-schedules cuts the exploration off and says so", () => {
    const r = new Explorer(syntheticTarget({ threads: 2, steps: 3, shared: true }), { preemptions: 20, maxSchedules: 10, ...plain }).run();
    expect(r.executions).toBe(10);
    expect(r.exhausted).toBe(false);
    expect(r.cutOff).toBe("max-schedules");
  });
});

describe("explorer faults, minimisation and shards", () => {
  const lostUpdate = syntheticTarget({ threads: 2, steps: 0, shared: true, lostUpdate: true });

  it("a lost update needs one preemption: none within 0, found within 1", () => {
    expect(new Explorer(lostUpdate, { preemptions: 0 }).run().faults).toEqual({});
    const r = new Explorer(lostUpdate, { preemptions: 1 }).run();
    expect(r.faults["lost-update"]?.first.preemptions).toBe(1);
    expect(r.faults["lost-update"]?.first.message).toBe("counter is 1");
  });

  it("minimisation keeps the fault and brings an unbounded search's schedule down to 1 preemption", () => {
    const r = new Explorer(lostUpdate, { preemptions: 6, ...plain }).run();
    const worst = r.faults["lost-update"]!;
    const m = minimise(lostUpdate, worst.first.decisions, "lost-update");
    expect(m.faultKind).toBe("lost-update");
    expect(m.preemptions).toBe(1);
    expect(m.decisions.length).toBeLessThanOrEqual(worst.first.decisions.length);
  });

  it("shards split the root's branches; merged they find what one run finds", () => {
    const target = syntheticTarget({ threads: 2, steps: 2, shared: true });
    const whole = new Explorer(target, { preemptions: 8, ...plain }).run();
    const shards = [0, 1, 2].map((index) => new Explorer(target, { preemptions: 8, ...plain, shard: { index, count: 3 } }).run());
    const merged = mergeResults(shards);
    expect(merged.exhausted).toBe(true);
    expect(merged.endStates).toEqual(whole.endStates);
    // The root schedule runs in every shard; without reduction nothing else is run twice.
    expect(merged.schedules).toBe(whole.schedules + 2);
    expect(merged.shard).toEqual({ index: -1, count: 3 });
  });
});
