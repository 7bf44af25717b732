// What the scheduler can do next (a choice, named by value), and the policies that pick one.
// A recorded decision is the choice itself, so a schedule replays even when choices are listed
// in another order (replay.ts).

/** A thread is named `name#ordinal` (its ordinal among threads of that name), never by a global id. */
export type Choice =
  | { kind: "irq"; cpu: number }
  /** Advance the top context of a CPU (`context`: a thread's stable name, or irq@cpuN). */
  | { kind: "run"; cpu: number; context: string; spinning: boolean }
  | { kind: "place"; thread: string; cpu: number }
  /** Put a runnable thread on a CPU in place of a preemptible one (CONFIG_PREEMPT). */
  | { kind: "preempt"; thread: string; cpu: number }
  /** The outside world's next action (an HMC sends, a source closes, …), by the actor's name. */
  | { kind: "external"; actor: string };

/** A decision taken: the choice that was chosen. */
export type Decision = Choice;

/** Picks one of the choices (its index in the list it is handed). */
export type SchedulingPolicy = (choices: readonly Choice[]) => number;

const DEFAULT_RANK: Record<Choice["kind"], number> = { irq: 0, run: 1, place: 2, external: 4, preempt: 5 };

/**
 * Interrupts first (hardware takes them as soon as they are enabled), then progress, then spinning;
 * the outside world acts only once the kernel has nothing else to do, and nothing is preempted.
 */
export const defaultPolicy: SchedulingPolicy = (choices) => {
  const rank = (c: Choice): number => (c.kind === "run" && c.spinning ? 3 : DEFAULT_RANK[c.kind]);
  let best = 0;
  for (let i = 1; i < choices.length; i++) if (rank(choices[i]!) < rank(choices[best]!)) best = i;
  return best;
};

/** A seeded policy (mulberry32) that picks uniformly among the choices that make progress. */
export function randomPolicy(seed: number): SchedulingPolicy {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (choices) => {
    const progress = choices.map((c, i) => [c, i] as const).filter(([c]) => !(c.kind === "run" && c.spinning));
    const pool = progress.length > 0 ? progress : choices.map((c, i) => [c, i] as const);
    return pool[Math.floor(next() * pool.length)]![1];
  };
}
