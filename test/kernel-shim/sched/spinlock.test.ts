// Spinlocks: mutual exclusion, interrupt masking by spin_lock_irqsave, and the deadlocks the
// scheduler must report rather than hang on.
import { describe, expect, it } from "vitest";
import { KernelFault, Scheduler, randomPolicy, type SchedulingPolicy } from "../../../kernel-shim/sched/scheduler.js";
import { SpinLock, spinLock, spinLockIrqsave, spinUnlock, spinUnlockIrqrestore } from "../../../kernel-shim/sched/locks.js";
import { step, type KStep } from "../../../kernel-shim/sched/types.js";
import { FakeIrqLines, brief, faultOf } from "./helpers.js";

describe("spinlock mutual exclusion", () => {
  it("never has two contexts inside the critical section, over 200 seeds on 2 CPUs", () => {
    let spunSeeds = 0;
    for (let seed = 0; seed < 200; seed++) {
      const s = new Scheduler(2);
      s.policy = randomPolicy(seed);
      const lock = new SpinLock("L");
      let inside = 0;
      let maxInside = 0;
      let entries = 0;
      function* worker(name: string): KStep {
        for (let round = 0; round < 3; round++) {
          yield* spinLock(s, lock);
          inside++;
          entries++;
          maxInside = Math.max(maxInside, inside);
          for (let k = 0; k < 3; k++) yield* step({ kind: "state", what: `${name} cs ${k}` });
          inside--;
          yield* spinUnlock(s, lock);
        }
      }
      s.spawn("a", "user", worker("a"));
      s.spawn("b", "user", worker("b"));
      s.spawn("c", "user", worker("c"));
      s.runUntilQuiescent(10_000);
      // At most one context at a time holds L.
      expect(maxInside, `seed ${seed}`).toBe(1);
      // Three threads × three rounds each entered exactly once.
      expect(entries, `seed ${seed}`).toBe(9);
      expect(s.threads.map((t) => t.state)).toEqual(["done", "done", "done"]);
      expect(lock.holder).toBeNull();
      if (s.trace.some((r) => r.event.kind === "lock" && r.event.op === "spin")) spunSeeds++;
    }
    // The seeds really contend: many runs have a context spinning on L.
    expect(spunSeeds).toBeGreaterThan(50);
  });

  it("a spinner gets the lock once the holder releases it and exits", () => {
    // Holder on cpu0 takes L first; the spinner on cpu1 must win it after the holder is gone.
    const s = new Scheduler(2);
    const lock = new SpinLock("L");
    const holder = s.spawn("holder", "user", (function* () {
      yield* spinLock(s, lock);
      yield* step({ kind: "state", what: "holding" });
      yield* spinUnlock(s, lock);
    })());
    holder.affinity = 0;
    const waiter = s.spawn("waiter", "user", (function* () {
      yield* spinLock(s, lock);
      yield* spinUnlock(s, lock);
    })());
    waiter.affinity = 1;
    // place holder, holder acquires, place waiter, waiter spins, holder runs to the end, waiter wins.
    s.policy = (choices) => {
      const order = ["place:holder#0", "run:0", "place:waiter#0", "run:1"];
      const want = order[s.decisions.length];
      if (want) return choices.findIndex((c) => (c.kind === "place" ? `place:${c.thread}` : c.kind === "external" ? "external" : `${c.kind}:${c.cpu}`) === want);
      const i = choices.findIndex((c) => c.kind === "run" && c.cpu === 0);
      return i >= 0 ? i : 0;
    };
    s.runUntilQuiescent(100);
    expect(brief(s.trace)).toEqual([
      "holder[1]: lock acquire L",
      "waiter[2]: lock spin L",
      "holder[1]: state holding",
      "holder[1]: lock release L",
      "waiter[2]: lock acquire L",
      "waiter[2]: lock release L",
    ]);
    expect([holder.state, waiter.state]).toEqual(["done", "done"]);
  });
});

describe("spinlocks and interrupts on one CPU", () => {
  /** A thread pinned to cpu0 that raises cpu0's line inside its critical section. */
  function criticalSectionRaisingIrq(irqsave: boolean, handler: (s: Scheduler, lock: SpinLock) => KStep) {
    const s = new Scheduler(1);
    const lock = new SpinLock("L");
    const lines = new FakeIrqLines(1, () => handler(s, lock));
    s.interrupts = lines;
    const t = s.spawn("t", "user", (function* () {
      yield* (irqsave ? spinLockIrqsave(s, lock) : spinLock(s, lock));
      lines.raised[0] = true;
      yield* step({ kind: "state", what: "cs raised" });
      yield* step({ kind: "state", what: "cs 2" });
      yield* (irqsave ? spinUnlockIrqrestore(s, lock) : spinUnlock(s, lock));
      yield* step({ kind: "state", what: "after" });
    })());
    return { s, lock, lines, t };
  }

  const irqHandler = (): KStep => (function* () {
    yield* step({ kind: "state", what: "handler" });
  })();

  it("spin_lock_irqsave holds off the interrupt until the restore, then it is taken at once", () => {
    const { s, lines } = criticalSectionRaisingIrq(true, irqHandler);
    s.runUntilQuiescent(100);
    // The line was raised in the first critical step, but the IRQ comes right after the release step.
    expect(brief(s.trace)).toEqual([
      "t[1]: lock acquire L",
      "t[1]: state cs raised",
      "t[1]: state cs 2",
      "t[1]: lock release L",
      "irq@cpu0: state handler",
      "t[1]: state after",
    ]);
    expect(lines.taken).toBe(1);
    // The irqsave flag is carried on both lock events.
    expect(s.trace[0]!.event).toEqual({ kind: "lock", op: "acquire", lock: "L", irqsave: true });
    expect(s.cpus[0]!.irqsDisabled).toBe(0);
  });

  it("plain spin_lock lets the interrupt in while the lock is held", () => {
    const { s, lines } = criticalSectionRaisingIrq(false, irqHandler);
    s.runUntilQuiescent(100);
    // defaultPolicy takes a pending interrupt first: right after the step that raised it.
    expect(brief(s.trace)).toEqual([
      "t[1]: lock acquire L",
      "t[1]: state cs raised",
      "irq@cpu0: state handler",
      "t[1]: state cs 2",
      "t[1]: lock release L",
      "t[1]: state after",
    ]);
    expect(lines.taken).toBe(1);
  });

  it("an IRQ handler taking the lock its interrupted thread holds is a deadlock, named", () => {
    const { s } = criticalSectionRaisingIrq(false, (sch, lock) => (function* () {
      yield* spinLock(sch, lock);
      yield* spinUnlock(sch, lock);
    })());
    const f = faultOf(() => s.runUntilQuiescent(100));
    expect(f.fault).toBe("deadlock");
    // Names the IRQ context, the lock and the interrupted holder.
    expect(f.message).toBe("irq@cpu0 spins on L held by t[1], which it interrupted on cpu0");
    // Detected at the first spin, not after spinning until a step limit.
    expect(s.decisions.length).toBeLessThan(10);
  });

  /** t on cpu0 takes L and raises cpu1's line; cpu1's handler takes L too. */
  function crossCpu(policy?: SchedulingPolicy) {
    const s = new Scheduler(2);
    if (policy) s.policy = policy;
    const lock = new SpinLock("L");
    let handled = false;
    const lines = new FakeIrqLines(2, () => (function* () {
      yield* spinLock(s, lock);
      handled = true;
      yield* step({ kind: "state", what: "handler has L" });
      yield* spinUnlock(s, lock);
    })());
    s.interrupts = lines;
    const t = s.spawn("t", "user", (function* () {
      yield* spinLock(s, lock);
      lines.raised[1] = true; // routed to the other CPU
      yield* step({ kind: "state", what: "cs raised" });
      yield* step({ kind: "state", what: "cs 2" });
      yield* spinUnlock(s, lock);
    })());
    t.affinity = 0;
    s.runUntilQuiescent(100);
    return { s, t, handled: () => handled };
  }

  it("the same lock pair on different CPUs completes (defaultPolicy)", () => {
    const { s, t, handled } = crossCpu();
    expect(handled()).toBe(true);
    expect(t.state).toBe("done");
    // defaultPolicy takes the IRQ on cpu1, then advances the lower CPU first, so t finishes before the handler runs.
    expect(brief(s.trace)).toEqual([
      "t[1]: lock acquire L",
      "t[1]: state cs raised",
      "t[1]: state cs 2",
      "t[1]: lock release L",
      "irq@cpu1: lock acquire L",
      "irq@cpu1: state handler has L",
      "irq@cpu1: lock release L",
    ]);
  });

  it("the same lock pair on different CPUs completes when the handler spins first", () => {
    // Prefer the highest CPU among the choices that make progress: the handler runs as soon as it can.
    const preferCpu1: SchedulingPolicy = (choices) => {
      let best = -1;
      choices.forEach((c, i) => {
        if ((c.kind === "run" && c.spinning) || c.kind === "external") return;
        const prev = choices[best];
        if (best < 0 || (prev && prev.kind !== "external" && c.cpu > prev.cpu)) best = i;
      });
      return best < 0 ? 0 : best;
    };
    const { s, t, handled } = crossCpu(preferCpu1);
    expect(handled()).toBe(true);
    expect(t.state).toBe("done");
    // The handler spins while t holds L and acquires right after t's release.
    expect(brief(s.trace)).toEqual([
      "t[1]: lock acquire L",
      "t[1]: state cs raised",
      "irq@cpu1: lock spin L",
      "t[1]: state cs 2",
      "t[1]: lock release L",
      "irq@cpu1: lock acquire L",
      "irq@cpu1: state handler has L",
      "irq@cpu1: lock release L",
    ]);
  });
});

describe("AB-BA deadlock", () => {
  function abba(seed: number): Scheduler {
    const s = new Scheduler(2);
    s.policy = randomPolicy(seed);
    const a = new SpinLock("lock-A");
    const b = new SpinLock("lock-B");
    function* take(first: SpinLock, second: SpinLock): KStep {
      yield* spinLock(s, first);
      yield* step({ kind: "state", what: `holding ${first.name}` });
      yield* spinLock(s, second);
      yield* spinUnlock(s, second);
      yield* spinUnlock(s, first);
    }
    s.spawn("ab", "user", take(a, b));
    s.spawn("ba", "user", take(b, a));
    s.runUntilQuiescent(10_000);
    return s;
  }

  it("some seed in 0..200 deadlocks and the report names both locks; others complete", () => {
    const started = Date.now();
    let deadlock: KernelFault | null = null;
    let completed = 0;
    for (let seed = 0; seed <= 200; seed++) {
      try {
        abba(seed);
        completed++;
      } catch (e) {
        if (!(e instanceof KernelFault)) throw e;
        // Every failure is the deadlock, never livelock (spinning until the step limit).
        expect(e.fault, `seed ${seed}`).toBe("deadlock");
        deadlock ??= e;
      }
    }
    expect(deadlock).not.toBeNull();
    // Both spinners and both locks are named.
    expect(deadlock!.message).toContain("spins on lock-A");
    expect(deadlock!.message).toContain("spins on lock-B");
    // The first deadlocking seed (1, pinned) reports each spinner with the lock it waits for.
    expect(deadlock!.message).toBe("deadlock: ba[2] on cpu0 spins on lock-A; ab[1] on cpu1 spins on lock-B");
    // Serial orders exist too (one thread takes both locks before the other starts).
    expect(completed).toBeGreaterThan(0);
    // Detection is immediate, not a hang.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
