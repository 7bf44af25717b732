// A periodic daemon (rtasd): its timer alone does not move the emulated clock, so a step still
// ends; while another thread waits for a later deadline it fires on time.
import { describe, expect, it } from "vitest";
import { Scheduler } from "../../../kernel-shim/sched/scheduler.js";
import { msleep } from "../../../kernel-shim/sched/waitqueue.js";
import { step, type KStep } from "../../../kernel-shim/sched/types.js";

function daemon(s: Scheduler, periodMs: number, ticks: number[]): KStep {
  return (function* () {
    for (;;) {
      yield* msleep(s, periodMs);
      ticks.push(s.nowNs);
      yield* step({ kind: "state", what: "tick" });
    }
  })();
}

describe("daemon threads", () => {
  it("alone, a daemon's timer leaves the scheduler quiescent at time 0", () => {
    const s = new Scheduler(1);
    const ticks: number[] = [];
    s.spawn("rtasd", "kthread", daemon(s, 60_000, ticks)).daemon = true;
    s.runUntilQuiescent(100);
    expect(s.nowNs).toBe(0);
    expect(ticks).toEqual([]);
  });

  it("a sleeper waiting 150 s lets a 60 s daemon tick at 60 s and 120 s, then the run ends at 150 s", () => {
    const s = new Scheduler(1);
    const ticks: number[] = [];
    s.spawn("rtasd", "kthread", daemon(s, 60_000, ticks)).daemon = true;
    s.spawn("sleeper", "user", msleep(s, 150_000));
    s.runUntilQuiescent(1000);
    expect(ticks).toEqual([60e9, 120e9]);
    expect(s.nowNs).toBe(150e9);
  });
});
