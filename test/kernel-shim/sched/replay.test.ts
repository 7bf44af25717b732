// Decisions as values: a recorded run replays exactly, also when the choices come in another order,
// and a decision that is no longer offered is a typed divergence.
import { describe, expect, it } from "vitest";
import { SpinLock, spinLock, spinUnlock } from "../../../kernel-shim/sched/locks.js";
import { ReplayDivergence, replayPolicy } from "../../../kernel-shim/sched/replay.js";
import { Scheduler, randomPolicy, type Choice, type SchedulingPolicy } from "../../../kernel-shim/sched/scheduler.js";
import { step } from "../../../kernel-shim/sched/types.js";

/** Three threads on two CPUs contending for a lock, plus an outside actor. */
function contention(policy: SchedulingPolicy): Scheduler {
  const s = new Scheduler(2);
  s.policy = policy;
  const lock = new SpinLock("L");
  for (const name of ["a", "b", "a"]) {
    s.spawn(name, "user", (function* () {
      yield* step({ kind: "state", what: `${name} starts` });
      yield* spinLock(s, lock);
      yield* step({ kind: "state", what: `${name} in` });
      yield* spinUnlock(s, lock);
    })());
  }
  let acts = 2;
  s.externals.push({ name: "hmc", ready: () => acts > 0, act: () => `act ${acts--}` });
  s.runUntilQuiescent(10_000);
  return s;
}

/** Hands the policy the choices in a seeded shuffled order and maps its pick back. */
function shuffled(inner: SchedulingPolicy, seed: number): SchedulingPolicy {
  const order = randomPolicy(seed);
  return (choices) => {
    const pool = choices.map((_, i) => i);
    const perm: number[] = [];
    while (pool.length) perm.push(pool.splice(order(pool.map((i) => choices[i]!)), 1)[0]!);
    return perm[inner(perm.map((i) => choices[i]!))]!;
  };
}

const lines = (s: Scheduler): string[] => s.trace.map((r) => `${r.context} ${JSON.stringify(r.event)}`);

describe("decisions as values", () => {
  it("records what was chosen, with threads named by name and ordinal", () => {
    const s = contention(randomPolicy(3));
    const places = s.decisions.filter((d): d is Extract<Choice, { kind: "place" }> => d.kind === "place").map((d) => d.thread);
    expect([...new Set(places)].sort()).toEqual(["a#0", "a#1", "b#0"]);
    expect(s.decisions.filter((d) => d.kind === "external")).toEqual([
      { kind: "external", actor: "hmc" }, { kind: "external", actor: "hmc" },
    ]);
  });

  it.each([1, 2, 3, 4, 5])("seed %i: a recorded run replays to the same trace, also with the choices shuffled", (seed) => {
    const recorded = contention(randomPolicy(seed));
    const replayed = contention(replayPolicy(recorded.decisions));
    expect(lines(replayed)).toEqual(lines(recorded));
    const reordered = contention(shuffled(replayPolicy(recorded.decisions), seed + 100));
    expect(lines(reordered)).toEqual(lines(recorded));
    expect(reordered.decisions.length).toBe(recorded.decisions.length);
  });

  it("a decision that is not offered is a ReplayDivergence naming it", () => {
    const recorded = contention(randomPolicy(1));
    const bad = [...recorded.decisions];
    const i = bad.findIndex((d) => d.kind === "place");
    bad[i] = { kind: "place", thread: "c#0", cpu: 0 };
    let err: unknown;
    try {
      contention(replayPolicy(bad));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReplayDivergence);
    expect((err as ReplayDivergence).at).toBe(i);
    expect((err as ReplayDivergence).message).toMatch(/place c#0 on cpu0/);
  });

  it("past the end of the recording the replay diverges unless a policy takes over", () => {
    const recorded = contention(randomPolicy(2));
    const short = recorded.decisions.slice(0, 5);
    expect(() => contention(replayPolicy(short))).toThrow(ReplayDivergence);
    expect(lines(contention(replayPolicy(short, randomPolicy(9)))).length).toBeGreaterThan(0);
  });
});
