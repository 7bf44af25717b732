// Preemption bounding (CHESS): which choice continues the schedule without a preemption, and
// what a choice costs. A preemption is a switch away from a context that could have gone on: the
// previous decision ran context C on a CPU and C can run again there, yet something else is
// chosen — another context, the outside world, or C's own continuation while an interrupt
// that hardware would take at once is held back — and every `preempt` choice. Where the previous context blocked or finished,
// an interrupt was taken, a thread placed or the outside world acted, every choice is free.
import { defaultPolicy, type Choice, type Decision } from "../../kernel-shim/sched/policy.js";
import { sameDecision } from "../../kernel-shim/sched/replay.js";

/** Choices that make progress (a context spinning on a held lock does not). */
export function progressOf(choices: readonly Choice[]): number[] {
  const out: number[] = [];
  choices.forEach((c, i) => {
    if (!(c.kind === "run" && c.spinning)) out.push(i);
  });
  return out;
}

/** The index of the previous context's continuation among the choices, or -1. */
function continuation(choices: readonly Choice[], prev: Decision | null): number {
  if (prev?.kind !== "run") return -1;
  return choices.findIndex((c) => c.kind === "run" && !c.spinning && c.cpu === prev.cpu && c.context === prev.context);
}

/** The non-preemptive choice: a pending interrupt first (hardware takes it), else the previous context goes on, else the default policy's. */
export function nonPreemptive(choices: readonly Choice[], prev: Decision | null): number {
  const irq = choices.findIndex((c) => c.kind === "irq");
  if (irq >= 0) return irq;
  const cont = continuation(choices, prev);
  return cont >= 0 ? cont : defaultPolicy(choices);
}

/** 1 if taking `choices[i]` here is a preemption, else 0. */
export function preemptionCost(choices: readonly Choice[], i: number, prev: Decision | null): number {
  // Taking a running thread off its CPU is a preemption wherever it happens.
  if (choices[i]!.kind === "preempt") return 1;
  if (continuation(choices, prev) < 0) return 0;
  return sameDecision(choices[i]!, choices[nonPreemptive(choices, prev)]!) ? 0 : 1;
}
