// The scheduler is a pure function of the threads and the policy: same inputs, same trace.
import { describe, expect, it } from "vitest";
import { KernelFault, Scheduler, defaultPolicy, randomPolicy, type SchedulingPolicy } from "../../../kernel-shim/sched/scheduler.js";
import { step, type KStep } from "../../../kernel-shim/sched/types.js";
import { brief } from "./helpers.js";

/** Two threads on two CPUs each do counter++ as load, preemption point, store. */
function counterRace(policy: SchedulingPolicy): { s: Scheduler; counter: () => number } {
  const s = new Scheduler(2);
  s.policy = policy;
  let counter = 0;
  function* increment(): KStep {
    const v = counter;
    yield* step({ kind: "state", what: `load ${v}` });
    counter = v + 1;
    yield* step({ kind: "state", what: `store ${v + 1}` });
  }
  s.spawn("a", "user", increment());
  s.spawn("b", "user", increment());
  s.runUntilQuiescent();
  return { s, counter: () => counter };
}

describe("determinism", () => {
  it("defaultPolicy gives the identical trace twice", () => {
    const first = counterRace(defaultPolicy);
    const second = counterRace(defaultPolicy);
    expect(second.s.trace).toEqual(first.s.trace);
    expect(second.s.decisions).toEqual(first.s.decisions);
    // Default policy prefers advancing a placed thread over placing another: a runs to the end, then b.
    expect(brief(first.s.trace)).toEqual(["a[1]: state load 0", "a[1]: state store 1", "b[2]: state load 1", "b[2]: state store 2"]);
    // No interleaving, so no lost update.
    expect(first.counter()).toBe(2);
  });

  it("randomPolicy(seed) is reproducible: same seed, same decisions and trace", () => {
    for (const seed of [0, 1, 7, 12345]) {
      const a = counterRace(randomPolicy(seed));
      const b = counterRace(randomPolicy(seed));
      expect(b.s.decisions).toEqual(a.s.decisions);
      expect(b.s.trace).toEqual(a.s.trace);
      expect(b.counter()).toBe(a.counter());
    }
  });

  it("different seeds explore different interleavings: some seed loses an update", () => {
    const finals = new Map<number, number>();
    const traces = new Set<string>();
    for (let seed = 0; seed < 16; seed++) {
      const r = counterRace(randomPolicy(seed));
      finals.set(seed, r.counter());
      traces.add(JSON.stringify(brief(r.s.trace)));
    }
    // Both loads before either store (lost update) happens for some seed, serial order for another.
    expect([...finals.values()]).toContain(1);
    expect([...finals.values()]).toContain(2);
    // More than one distinct interleaving over 16 seeds.
    expect(traces.size).toBeGreaterThan(1);
    // Seed 1 (mulberry32 stream, pinned): b loads, a loads, both store 1 — the lost update.
    const r1 = counterRace(randomPolicy(1));
    expect(r1.counter()).toBe(1);
    expect(brief(r1.s.trace)).toEqual(["b[2]: state load 0", "a[1]: state load 0", "a[1]: state store 1", "b[2]: state store 1"]);
    // Seed 0: a runs both steps before b loads, so both increments land.
    const r0 = counterRace(randomPolicy(0));
    expect(r0.counter()).toBe(2);
    expect(brief(r0.s.trace)).toEqual(["a[1]: state load 0", "a[1]: state store 1", "b[2]: state load 1", "b[2]: state store 2"]);
  });
});

describe("livelock guard", () => {
  it("a context that steps forever is reported as livelock at maxSteps", () => {
    const s = new Scheduler(1);
    s.spawn("spinner", "kthread", (function* () {
      for (;;) yield* step({ kind: "state", what: "again" });
    })());
    let fault: unknown;
    try {
      s.runUntilQuiescent(100);
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(KernelFault);
    expect((fault as KernelFault).fault).toBe("livelock");
    expect((fault as KernelFault).message).toBe("no quiescence after 100 steps");
    // 100 decisions: one placement, then 99 steps, each a trace record.
    expect(s.decisions.length).toBe(100);
    expect(s.trace.length).toBe(99);
  });
});
