// Wait queues and sleeping on the emulated clock.
import { IrqContext, type Thread } from "./context.js";
import type { Scheduler } from "./scheduler.js";
import { step, type KStep } from "./types.js";

export class WaitQueue {
  readonly waiters = new Set<Thread>();
  constructor(readonly name: string) {}
}

function currentThread(s: Scheduler): Thread {
  const ctx = s.running;
  if (!ctx || ctx instanceof IrqContext) throw new Error("sleeping outside a thread");
  return ctx;
}

/** add_wait_queue: from here on a wake_up reaches this thread, even before it sleeps. */
export function addWaiter(s: Scheduler, wq: WaitQueue): void {
  const t = currentThread(s);
  t.wakePending = false;
  wq.waiters.add(t);
}

export function removeWaiter(s: Scheduler, wq: WaitQueue): void {
  wq.waiters.delete(currentThread(s));
}

/** Sleeps until a wake_up on a queue the thread was added to, or the deadline. Returns true on timeout. */
export function* sleep(s: Scheduler, reason: string, deadlineNs?: number): KStep<boolean> {
  const ctx = s.running;
  if (!ctx) throw new Error("sleeping outside a context");
  // In hard-IRQ context the scheduler refuses the block with a BUG (it never returns here).
  yield { op: "block", reason, deadlineNs };
  return (ctx as Thread).timedOut;
}

export function* wakeUp(s: Scheduler, wq: WaitQueue): KStep {
  let woken = 0;
  for (const t of wq.waiters) if (s.wake(t)) woken++;
  yield* step({ kind: "wake", queue: wq.name, woken });
}

/** msleep / usleep_range on the emulated clock. */
export function* msleep(s: Scheduler, ms: number): KStep {
  yield* step({ kind: "sleep", ms });
  const deadline = s.nowNs + ms * 1e6;
  while (s.nowNs < deadline) yield* sleep(s, `msleep(${ms})`, deadline);
}
