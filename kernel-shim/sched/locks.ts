// Spinlocks (with and without disabling interrupts) and sleeping mutexes, each acquire and release
// a step so the scheduler can interleave them.
import { KernelFault } from "./fault.js";
import { IrqContext, cpuOf, type Context } from "./context.js";
import type { Scheduler } from "./scheduler.js";
import { step, type KStep, type SpinLockLike } from "./types.js";

export class SpinLock implements SpinLockLike {
  holder: Context | null = null;
  constructor(readonly name: string) {}
}

function running(s: Scheduler): Context {
  if (!s.running) throw new Error("kernel code running outside a context");
  return s.running;
}

function* acquire(s: Scheduler, lock: SpinLock, irqsave: boolean): KStep {
  const ctx = running(s);
  if (!(ctx instanceof IrqContext)) ctx.preemptCount++;
  if (irqsave) cpuOf(ctx).irqsDisabled++;
  while (lock.holder !== null) yield { op: "spin", lock };
  lock.holder = ctx;
  yield* step({ kind: "lock", op: "acquire", lock: lock.name, irqsave });
}

function* release(s: Scheduler, lock: SpinLock, irqrestore: boolean): KStep {
  const ctx = running(s);
  if (lock.holder !== ctx) throw new KernelFault("bug", `${ctx.label} releases ${lock.name} held by ${lock.holder?.label ?? "nobody"}`);
  lock.holder = null;
  if (irqrestore) cpuOf(ctx).irqsDisabled--;
  if (!(ctx instanceof IrqContext)) ctx.preemptCount--;
  yield* step({ kind: "lock", op: "release", lock: lock.name, irqsave: irqrestore });
}

/** spin_lock: interrupts stay enabled, so an IRQ on this CPU can arrive while it is held. */
export const spinLock = (s: Scheduler, l: SpinLock): KStep => acquire(s, l, false);
export const spinUnlock = (s: Scheduler, l: SpinLock): KStep => release(s, l, false);
/** spin_lock_irqsave: no interrupt is taken on this CPU until the matching restore. */
export const spinLockIrqsave = (s: Scheduler, l: SpinLock): KStep => acquire(s, l, true);
export const spinUnlockIrqrestore = (s: Scheduler, l: SpinLock): KStep => release(s, l, true);

export class Mutex {
  holder: Context | null = null;
  readonly waiters: Context[] = [];
  constructor(readonly name: string) {}
}

export function* mutexLock(s: Scheduler, m: Mutex): KStep {
  const ctx = running(s);
  if (ctx instanceof IrqContext) throw new KernelFault("bug", `mutex_lock(${m.name}) in hard-IRQ context`);
  while (m.holder !== null) {
    m.waiters.push(ctx);
    yield* step({ kind: "mutex", op: "wait", lock: m.name });
    if (m.holder !== null) yield { op: "block", reason: `mutex ${m.name}` };
    const i = m.waiters.indexOf(ctx);
    if (i >= 0) m.waiters.splice(i, 1);
  }
  m.holder = ctx;
  yield* step({ kind: "mutex", op: "acquire", lock: m.name });
}

export function* mutexUnlock(s: Scheduler, m: Mutex): KStep {
  m.holder = null;
  const next = m.waiters.shift();
  if (next && !(next instanceof IrqContext)) s.wake(next);
  yield* step({ kind: "mutex", op: "release", lock: m.name });
}
