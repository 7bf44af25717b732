// The ordered workqueue: one worker kthread, items run once each, in queue order.
import { describe, expect, it } from "vitest";
import { Scheduler } from "../../../kernel-shim/sched/scheduler.js";
import { step, type KStep } from "../../../kernel-shim/sched/types.js";
import { WorkItem, Workqueue } from "../../../kernel-shim/workqueue.js";
import { FakeIrqLines, brief } from "./helpers.js";

function item(name: string, ran: string[]): WorkItem {
  return new WorkItem(name, () => (function* (): KStep {
    ran.push(name);
    yield* step({ kind: "state", what: `${name} body` });
  })());
}

describe("workqueue", () => {
  it("queueing an item twice before the worker runs: the second returns false and it runs once", () => {
    const s = new Scheduler(1);
    const ran: string[] = [];
    const wq = new Workqueue(s, "wq");
    const w = item("w", ran);
    const returns: boolean[] = [];
    s.spawn("producer", "user", (function* () {
      returns.push(yield* wq.queueWork(w));
      returns.push(yield* wq.queueWork(w));
    })());
    s.runUntilQuiescent(100);
    // First queue_work queues it; the second finds it pending.
    expect(returns).toEqual([true, false]);
    expect(ran).toEqual(["w"]);
    expect(wq.completed).toBe(1);
    // The worker (spawned first) went idle, the producer queued twice, then the worker ran w once.
    expect(brief(s.trace)).toEqual([
      "producer[2]: work queue w",
      "producer[2]: work queue w (already pending)",
      "kworker/wq[1]: work run w",
      "kworker/wq[1]: state w body",
      "kworker/wq[1]: work done w",
    ]);
    // With nothing queued the worker sleeps, idle.
    expect(wq.worker.state).toBe("blocked");
    expect(wq.worker.blockReason).toBe("wq idle");
  });

  it("an item can be queued again once the worker has taken it", () => {
    const s = new Scheduler(1);
    const ran: string[] = [];
    const wq = new Workqueue(s, "wq");
    const w = item("w", ran);
    const returns: boolean[] = [];
    s.spawn("p1", "user", (function* () {
      returns.push(yield* wq.queueWork(w));
    })());
    s.runUntilQuiescent(100);
    s.spawn("p2", "user", (function* () {
      returns.push(yield* wq.queueWork(w));
    })());
    s.runUntilQuiescent(100);
    // pending was cleared when the first run began, so the second queue_work succeeds and it runs again.
    expect(returns).toEqual([true, true]);
    expect(ran).toEqual(["w", "w"]);
  });

  it("items run in queue order", () => {
    const s = new Scheduler(2);
    const ran: string[] = [];
    const wq = new Workqueue(s, "wq");
    const items = ["first", "second", "third"].map((n) => item(n, ran));
    s.spawn("producer", "user", (function* () {
      for (const it of items) yield* wq.queueWork(it);
    })());
    s.runUntilQuiescent(200);
    // FIFO, one at a time: each body runs between its own run and done events.
    expect(ran).toEqual(["first", "second", "third"]);
    expect(brief(s.trace).filter((l) => l.startsWith("kworker"))).toEqual([
      "kworker/wq[1]: work run first",
      "kworker/wq[1]: state first body",
      "kworker/wq[1]: work done first",
      "kworker/wq[1]: work run second",
      "kworker/wq[1]: state second body",
      "kworker/wq[1]: work done second",
      "kworker/wq[1]: work run third",
      "kworker/wq[1]: state third body",
      "kworker/wq[1]: work done third",
    ]);
    expect(wq.completed).toBe(3);
  });

  it("queue_work from hard-IRQ context wakes the idle worker", () => {
    const s = new Scheduler(1);
    const ran: string[] = [];
    const wq = new Workqueue(s, "wq");
    const w = item("from-irq", ran);
    const lines = new FakeIrqLines(1, () => wq.queueWork(w));
    s.interrupts = lines;
    s.runUntilQuiescent(100);
    // The worker went idle first.
    expect(wq.worker.state).toBe("blocked");
    lines.raised[0] = true;
    s.runUntilQuiescent(100);
    expect(lines.taken).toBe(1);
    expect(ran).toEqual(["from-irq"]);
    expect(brief(s.trace)).toEqual([
      "irq@cpu0: work queue from-irq",
      "kworker/wq[1]: work run from-irq",
      "kworker/wq[1]: state from-irq body",
      "kworker/wq[1]: work done from-irq",
    ]);
  });

  it("destroy() lets the idle worker exit", () => {
    const s = new Scheduler(1);
    const wq = new Workqueue(s, "wq");
    s.runUntilQuiescent(100);
    expect(wq.worker.state).toBe("blocked");
    wq.destroy();
    s.runUntilQuiescent(100);
    // Woken, it finds the queue empty and destroyed, and returns.
    expect(wq.worker.state).toBe("done");
    expect(s.blockedThreads()).toEqual([]);
  });

  it("destroy() with work still queued runs it before the worker exits", () => {
    const s = new Scheduler(1);
    const ran: string[] = [];
    const wq = new Workqueue(s, "wq");
    s.spawn("producer", "user", (function* () {
      yield* wq.queueWork(item("last", ran));
      wq.destroy();
    })());
    s.runUntilQuiescent(100);
    // Drains, then exits.
    expect(ran).toEqual(["last"]);
    expect(wq.worker.state).toBe("done");
  });
});
