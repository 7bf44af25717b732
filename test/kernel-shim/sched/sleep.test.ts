// Sleeping on the emulated clock, wait queues (no lost wakeups) and sleeping mutexes.
import { describe, expect, it } from "vitest";
import { Scheduler } from "../../../kernel-shim/sched/scheduler.js";
import { Mutex, SpinLock, mutexLock, mutexUnlock, spinLock, spinUnlock } from "../../../kernel-shim/sched/locks.js";
import { WaitQueue, addWaiter, msleep, removeWaiter, sleep, wakeUp } from "../../../kernel-shim/sched/waitqueue.js";
import { step, type KStep } from "../../../kernel-shim/sched/types.js";
import { FakeIrqLines, brief, faultOf, scriptedPolicy } from "./helpers.js";

describe("msleep and the emulated clock", () => {
  it("msleep(1000) advances nowNs by exactly 1e9 in a handful of steps", () => {
    const s = new Scheduler(1);
    let woke = -1;
    s.spawn("sleeper", "user", (function* () {
      yield* msleep(s, 1000);
      woke = s.nowNs;
      yield* step({ kind: "state", what: "awake" });
    })());
    s.runUntilQuiescent(50);
    // 1000 ms = 1e9 ns; the clock jumps to the deadline, it does not tick.
    expect(s.nowNs).toBe(1e9);
    expect(woke).toBe(1e9);
    // place, sleep step, block, (clock jump), place, awake step, finish: 6 decisions.
    expect(s.decisions.length).toBe(6);
    expect(s.trace.map((r) => [r.timeNs, r.event.kind])).toEqual([[0, "sleep"], [1e9, "state"]]);
  });

  it("two sleepers wake in deadline order, not spawn order", () => {
    const s = new Scheduler(2);
    const woke: [string, number][] = [];
    for (const [name, ms] of [["long", 30], ["short", 10], ["mid", 20]] as const) {
      s.spawn(name, "user", (function* () {
        yield* msleep(s, ms);
        woke.push([name, s.nowNs]);
        yield* step({ kind: "state", what: `${name} awake` });
      })());
    }
    s.runUntilQuiescent(100);
    // Each wakes at its own deadline on the emulated clock, earliest first.
    expect(woke).toEqual([["short", 10e6], ["mid", 20e6], ["long", 30e6]]);
    expect(s.nowNs).toBe(30e6);
  });

  it("sleep() with no deadline and no waker leaves the thread blocked; the run is quiescent", () => {
    const s = new Scheduler(1);
    const t = s.spawn("forever", "user", (function* () {
      yield* sleep(s, "nobody wakes me");
    })());
    expect(() => s.runUntilQuiescent(50)).not.toThrow();
    // Blocked with its reason, off the CPU; the clock never moved.
    expect(t.state).toBe("blocked");
    expect(t.blockReason).toBe("nobody wakes me");
    expect(s.blockedThreads()).toEqual([t]);
    expect(s.cpus[0]!.current).toBeNull();
    expect(s.nowNs).toBe(0);
  });

  it("a sleep with a deadline that is woken early reports no timeout; one left alone times out", () => {
    const s = new Scheduler(2);
    const wq = new WaitQueue("wq");
    const results: [string, boolean, number][] = [];
    s.spawn("waiter", "user", (function* () {
      addWaiter(s, wq);
      const timedOut = yield* sleep(s, "wait wq", 50e6);
      removeWaiter(s, wq);
      results.push(["waiter", timedOut, s.nowNs]);
    })());
    s.spawn("waker", "user", (function* () {
      yield* msleep(s, 10);
      yield* wakeUp(s, wq);
    })());
    s.spawn("lonely", "user", (function* () {
      const timedOut = yield* sleep(s, "no one", 80e6);
      results.push(["lonely", timedOut, s.nowNs]);
    })());
    s.runUntilQuiescent(100);
    // Woken at 10 ms, before its 50 ms deadline; the other sleeps to its 80 ms deadline.
    expect(results).toEqual([["waiter", false, 10e6], ["lonely", true, 80e6]]);
  });

  it("sleeping while holding a spinlock is a BUG: scheduling while atomic", () => {
    const s = new Scheduler(1);
    const lock = new SpinLock("L");
    s.spawn("t", "user", (function* () {
      yield* spinLock(s, lock);
      yield* msleep(s, 5);
      yield* spinUnlock(s, lock);
    })());
    const f = faultOf(() => s.runUntilQuiescent(50));
    expect(f.fault).toBe("bug");
    // Linux's own wording, with the thread and what it slept on.
    expect(f.message).toBe("BUG: scheduling while atomic: t[1] sleeps (msleep(5)) holding a spinlock");
  });

  it("sleeping in hard-IRQ context is a BUG", () => {
    const s = new Scheduler(1);
    const lines = new FakeIrqLines(1, () => (function* () {
      yield* step({ kind: "state", what: "handler" });
      yield* sleep(s, "in irq");
    })());
    s.interrupts = lines;
    lines.raised[0] = true;
    const f = faultOf(() => s.runUntilQuiescent(50));
    expect(f.fault).toBe("bug");
    // Names the context kind, what it slept on and the CPU.
    expect(f.message).toBe("BUG: sleeping (in irq) in hard-IRQ context on cpu0");
  });

  it("msleep in hard-IRQ context is a BUG too", () => {
    const s = new Scheduler(1);
    const lines = new FakeIrqLines(1, () => msleep(s, 1));
    s.interrupts = lines;
    lines.raised[0] = true;
    const f = faultOf(() => s.runUntilQuiescent(50));
    expect(f.fault).toBe("bug");
    expect(f.message).toBe("BUG: sleeping (msleep(1)) in hard-IRQ context on cpu0");
  });
});

describe("wait queues", () => {
  it("no lost wakeup: a wake between addWaiter and sleep (from another CPU) keeps the thread running", () => {
    const s = new Scheduler(2);
    const wq = new WaitQueue("wq");
    let timedOut: boolean | null = null;
    const waiter = s.spawn("waiter", "user", (function* () {
      addWaiter(s, wq);
      yield* step({ kind: "state", what: "registered" });
      timedOut = yield* sleep(s, "wait wq");
      removeWaiter(s, wq);
      yield* step({ kind: "state", what: "past sleep" });
    })());
    s.spawn("waker", "user", (function* () {
      yield* wakeUp(s, wq);
    })());
    // waiter registers on cpu0, waker runs its wake on cpu1, then the waiter reaches sleep().
    s.policy = scriptedPolicy([
      { kind: "place", thread: "waiter#0", cpu: 0 },
      { kind: "run", cpu: 0 },
      { kind: "place", thread: "waker#0", cpu: 1 },
      { kind: "run", cpu: 1 },
    ]);
    s.runUntilQuiescent(50);
    expect(brief(s.trace)).toEqual([
      "waiter[1]: state registered",
      // The waiter was running, not asleep: the wake counts nobody.
      "waker[2]: wake wq 0",
      "waiter[1]: state past sleep",
    ]);
    expect(waiter.state).toBe("done");
    expect(timedOut).toBe(false);
    // The pending wakeup was consumed by the sleep.
    expect(waiter.wakePending).toBe(false);
  });

  it("no lost wakeup when the waker is the IRQ on the same CPU", () => {
    const s = new Scheduler(1);
    const wq = new WaitQueue("wq");
    const lines = new FakeIrqLines(1, () => wakeUp(s, wq));
    s.interrupts = lines;
    const waiter = s.spawn("waiter", "user", (function* () {
      addWaiter(s, wq);
      lines.raised[0] = true;
      yield* step({ kind: "state", what: "registered" });
      yield* sleep(s, "wait wq");
      removeWaiter(s, wq);
      yield* step({ kind: "state", what: "past sleep" });
    })());
    s.runUntilQuiescent(50);
    // defaultPolicy takes the IRQ right after the step that raised it, before sleep().
    expect(brief(s.trace)).toEqual(["waiter[1]: state registered", "irq@cpu0: wake wq 0", "waiter[1]: state past sleep"]);
    expect(waiter.state).toBe("done");
  });

  it("wakeUp counts only the threads it actually woke", () => {
    const s = new Scheduler(1);
    const wq = new WaitQueue("wq");
    const lines = new FakeIrqLines(1, () => wakeUp(s, wq));
    s.interrupts = lines;
    const asleep = s.spawn("asleep", "user", (function* () {
      addWaiter(s, wq);
      yield* sleep(s, "wait wq");
      removeWaiter(s, wq);
    })());
    const registering = s.spawn("registering", "user", (function* () {
      addWaiter(s, wq);
      lines.raised[0] = true;
      yield* step({ kind: "state", what: "registered" });
      yield* sleep(s, "wait wq");
      removeWaiter(s, wq);
    })());
    s.runUntilQuiescent(50);
    const wakes = s.trace.filter((r) => r.event.kind === "wake").map((r) => r.event);
    // Two waiters on the queue, but only the blocked one was woken; the running one just had its sleep cancelled.
    expect(wakes).toEqual([{ kind: "wake", queue: "wq", woken: 1 }]);
    expect([asleep.state, registering.state]).toEqual(["done", "done"]);
  });
});

describe("mutex", () => {
  it("the second thread blocks on the mutex and acquires it after the release", () => {
    const s = new Scheduler(1);
    const m = new Mutex("m");
    let secondWhileHeld: [string, string] | null = null;
    let second: ReturnType<Scheduler["spawn"]> | null = null;
    s.spawn("first", "user", (function* () {
      yield* mutexLock(s, m);
      yield* msleep(s, 10); // sleeping while holding a mutex is allowed
      secondWhileHeld = [second!.state, second!.blockReason];
      yield* step({ kind: "state", what: "still holding" });
      yield* mutexUnlock(s, m);
    })());
    second = s.spawn("second", "user", (function* () {
      yield* mutexLock(s, m);
      yield* step({ kind: "state", what: "second has m" });
      yield* mutexUnlock(s, m);
    })());
    s.runUntilQuiescent(100);
    // While first held m, second was asleep on it (not spinning).
    expect(secondWhileHeld).toEqual(["blocked", "mutex m"]);
    expect(brief(s.trace)).toEqual([
      "first[1]: mutex acquire m",
      "first[1]: sleep 10",
      "second[2]: mutex wait m",
      "first[1]: state still holding",
      "first[1]: mutex release m",
      "second[2]: mutex acquire m",
      "second[2]: state second has m",
      "second[2]: mutex release m",
    ]);
    expect(second.state).toBe("done");
    expect(m.holder).toBeNull();
    expect(m.waiters).toEqual([]);
  });

  it("contention on two CPUs: acquisitions alternate with releases in the trace", () => {
    const s = new Scheduler(2);
    const m = new Mutex("m");
    function* user(name: string): KStep {
      yield* mutexLock(s, m);
      yield* step({ kind: "state", what: `${name} in` });
      yield* step({ kind: "state", what: `${name} out` });
      yield* mutexUnlock(s, m);
    }
    s.spawn("a", "user", user("a"));
    s.spawn("b", "user", user("b"));
    // a takes m on cpu0, b is placed on cpu1 and runs until it blocks, then the default policy finishes.
    s.policy = scriptedPolicy([
      { kind: "place", thread: "a#0", cpu: 0 },
      { kind: "run", cpu: 0 },
      { kind: "place", thread: "b#0", cpu: 1 },
      { kind: "run", cpu: 1 },
      { kind: "run", cpu: 1 },
    ]);
    let bBlocked = "";
    s.onTrace = (r) => {
      if (r.context === "a[1]" && r.event.kind === "state" && r.event.what === "a out") bBlocked = `${s.threads[1]!.state}: ${s.threads[1]!.blockReason}`;
    };
    s.runUntilQuiescent(100);
    expect(bBlocked).toBe("blocked: mutex m");
    const mutexEvents = brief(s.trace).filter((l) => l.includes("mutex"));
    // b waits while a holds m; b acquires only after a's release.
    expect(mutexEvents).toEqual([
      "a[1]: mutex acquire m",
      "b[2]: mutex wait m",
      "a[1]: mutex release m",
      "b[2]: mutex acquire m",
      "b[2]: mutex release m",
    ]);
  });
});
