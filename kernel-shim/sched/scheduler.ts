// The deterministic scheduler: at every step it lists what could happen next (take an interrupt,
// advance a context, put a thread on a CPU) and a policy picks one. Run, step-debug, replay and
// exploration are all this loop with different policies (policy.ts, replay.ts).
import { Cpu, IrqContext, Thread, cpuOf, type Context, type TraceRecord } from "./context.js";
import { KernelFault } from "./fault.js";
import { defaultPolicy, type Choice, type Decision, type SchedulingPolicy } from "./policy.js";
import type { KStep, SpinLockLike, TraceEvent, Yield } from "./types.js";

export { KernelFault };
export { defaultPolicy, randomPolicy, type Choice, type Decision, type SchedulingPolicy } from "./policy.js";

/** Something outside the kernel that acts at a moment the scheduler chooses. */
export interface ExternalActor {
  readonly name: string;
  ready(): boolean;
  /** Performs the next action; returns what it did, for the trace. */
  act(): string;
}

export interface InterruptSource {
  pending(cpu: number): boolean;
  /** The hard-IRQ entry path run on that CPU. */
  entry(cpu: number): KStep<unknown>;
}

export class Scheduler {
  readonly cpus: Cpu[];
  readonly threads: Thread[] = [];
  readonly trace: TraceRecord[] = [];
  nowNs = 0;
  policy: SchedulingPolicy = defaultPolicy;
  /** Every choice taken, as what was chosen: with the scenario, enough to re-create any point of a run. */
  readonly decisions: Decision[] = [];
  interrupts: InterruptSource | null = null;
  /** Outside-world actors taking part in a concurrent step. */
  externals: ExternalActor[] = [];
  /** The context whose step is executing: kernel code's `current`. */
  running: Context | null = null;
  onTrace?: (r: TraceRecord) => void;
  /** Called when no context can make progress without the clock moving (a liveness oracle looks here). */
  onIdle?: () => void;
  private seq = 0;
  private nextThreadId = 1;
  /** Threads not yet done, by id: what choices() scans (finished ones stay in `threads` for inspection). */
  private readonly live = new Map<string, Thread>();
  /** Threads spawned so far per name: a thread's stable identity is its name and this ordinal. */
  private readonly ordinals = new Map<string, number>();
  private readonly timers = new Map<Thread, number>();
  /** The lock each spinning context last spun on: it spins only while that lock is still held. */
  private readonly spinLocks = new Map<Context, SpinLockLike>();

  constructor(cpus: number) {
    this.cpus = Array.from({ length: cpus }, (_, i) => new Cpu(i));
  }

  spawn(name: string, kind: "user" | "kthread", gen: KStep<unknown>, pid: number | null = null): Thread {
    const ordinal = this.ordinals.get(name) ?? 0;
    this.ordinals.set(name, ordinal + 1);
    const t = new Thread(this.nextThreadId++, name, kind, gen, pid, ordinal);
    this.threads.push(t);
    this.live.set(t.key, t);
    return t;
  }

  /** Makes a sleeping thread runnable (or cancels the sleep it is about to take). */
  wake(t: Thread): boolean {
    if (t.state === "blocked") {
      t.state = "runnable";
      t.timedOut = false;
      this.timers.delete(t);
      return true;
    }
    if (t.state !== "done") t.wakePending = true;
    return false;
  }

  record(ctx: Context | null, cpu: number, event: TraceEvent): void {
    const where = ctx ? ctx.label : cpu < 0 ? "outside" : `idle@cpu${cpu}`;
    const r: TraceRecord = { seq: this.seq++, timeNs: this.nowNs, cpu, context: where, event };
    this.trace.push(r);
    this.onTrace?.(r);
  }

  /** Records an event of the running context that is not a preemption point (no decision is taken). */
  note(event: TraceEvent): void {
    const ctx = this.running;
    if (!ctx) throw new Error("note outside a context");
    this.record(ctx, cpuOf(ctx).index, event);
  }

  choices(): Choice[] {
    const out: Choice[] = [];
    for (const cpu of this.cpus) {
      if (this.interrupts?.pending(cpu.index) && cpu.canTakeInterrupt()) out.push({ kind: "irq", cpu: cpu.index });
      const top = cpu.top();
      if (top) out.push({ kind: "run", cpu: cpu.index, context: top.key, spinning: this.isSpinning(top) });
    }
    const free = this.cpus.filter((c) => c.current === null && c.irqStack.length === 0);
    for (const t of this.live.values()) {
      if (t.state !== "runnable" || t.cpu) continue;
      const allowed = t.affinity === null ? free : free.filter((c) => c.index === t.affinity);
      // Prefer the CPU the thread last ran on, as the Linux scheduler would.
      const ordered = [...allowed].sort((a, b) => Number(b.index === t.lastCpu) - Number(a.index === t.lastCpu));
      for (const cpu of ordered) out.push({ kind: "place", thread: t.key, cpu: cpu.index });
      for (const cpu of this.cpus) {
        const cur = cpu.current;
        if (!cur || cur.preemptCount > 0 || cpu.irqStack.length > 0 || cpu.irqsDisabled > 0) continue;
        if (t.affinity !== null && t.affinity !== cpu.index) continue;
        out.push({ kind: "preempt", thread: t.key, cpu: cpu.index });
      }
    }
    for (const a of this.externals) if (a.ready()) out.push({ kind: "external", actor: a.name });
    return out;
  }

  /** Spinning on a lock someone still holds; once it is released, the next try is progress. */
  private isSpinning(ctx: Context): boolean {
    return ctx.spinningOn !== null && (this.spinLocks.get(ctx)?.holder ?? null) !== null;
  }

  /** Runs until nothing more can happen without new input. Throws KernelFault on a detected fault. */
  runUntilQuiescent(maxSteps = 1_000_000): void {
    for (let n = 0; n < maxSteps; n++) {
      const choices = this.choices();
      const progress = choices.filter((c) => !(c.kind === "run" && c.spinning));
      if (progress.length === 0) {
        this.onIdle?.();
        if (this.advanceClock()) continue;
        if (choices.length === 0) return;
        throw new KernelFault("deadlock", this.describeDeadlock());
      }
      const choice = choices[this.policy(choices)]!;
      this.decisions.push(choice);
      this.apply(choice);
    }
    throw new KernelFault("livelock", `no quiescence after ${maxSteps} steps`);
  }

  /**
   * Jumps the emulated clock to the earliest sleeper's deadline and wakes it. A periodic daemon's
   * timer (Thread.daemon) fires only while someone else waits for a later deadline: on its own it
   * does not keep the system from quiescence.
   */
  private advanceClock(): boolean {
    let first: Thread | null = null;
    let at = Infinity;
    let waited = false;
    for (const [t, deadline] of this.timers) {
      if (!t.daemon) waited = true;
      if (deadline < at) [first, at] = [t, deadline];
    }
    if (!first || !waited) return false;
    this.nowNs = Math.max(this.nowNs, at);
    this.timers.delete(first);
    first.state = "runnable";
    first.timedOut = true;
    return true;
  }

  apply(choice: Choice): void {
    if (choice.kind === "external") {
      const actor = this.externals.find((a) => a.name === choice.actor && a.ready())!;
      this.record(null, -1, { kind: "outside", actor: actor.name, what: actor.act() });
      return;
    }
    const cpu = this.cpus[choice.cpu]!;
    if (choice.kind === "preempt") {
      const out = cpu.current!;
      out.state = "runnable";
      out.cpu = null;
      cpu.current = null;
      this.record(out, cpu.index, { kind: "state", what: `preempted on cpu${cpu.index}` });
    }
    if (choice.kind === "irq") {
      cpu.irqStack.push(new IrqContext(cpu, this.interrupts!.entry(cpu.index), "hardirq"));
      return;
    }
    if (choice.kind === "place" || choice.kind === "preempt") {
      const t = this.live.get(choice.thread)!;
      t.cpu = cpu;
      t.lastCpu = cpu.index;
      t.state = "running";
      cpu.current = t;
      return;
    }
    this.advance(cpu, cpu.top()!);
  }

  private advance(cpu: Cpu, ctx: Context): void {
    let r: IteratorResult<Yield, unknown>;
    this.running = ctx;
    try {
      r = ctx.gen.next();
    } catch (e) {
      // Name the context and CPU the fault happened in, as an oops report does.
      const fault = e instanceof KernelFault ? e.fault : "oops";
      throw new KernelFault(fault, `${ctx.label} on cpu${cpu.index}: ${(e as Error).message}`);
    } finally {
      this.running = null;
    }
    if (r.done) return this.finish(cpu, ctx, r.value);
    const y = r.value;
    if (y.op === "step") {
      ctx.spinningOn = null;
      this.spinLocks.delete(ctx);
      this.record(ctx, cpu.index, y.event);
    } else if (y.op === "spin") {
      if (ctx.spinningOn !== y.lock.name) this.record(ctx, cpu.index, { kind: "lock", op: "spin", lock: y.lock.name });
      ctx.spinningOn = y.lock.name;
      this.spinLocks.set(ctx, y.lock);
      this.checkSelfDeadlock(cpu, ctx, y.lock.holder);
    } else {
      this.block(cpu, ctx, y.reason, y.deadlineNs);
    }
  }

  /** A context spinning on a lock held by the code it interrupted on the same CPU can never win. */
  private checkSelfDeadlock(cpu: Cpu, ctx: Context, holder: unknown): void {
    const below = [cpu.current, ...cpu.irqStack].filter((c) => c !== null && c !== ctx);
    if (below.includes(holder as Context)) {
      throw new KernelFault("deadlock",
        `${ctx.label} spins on ${ctx.spinningOn} held by ${(holder as Context).label}, which it interrupted on cpu${cpu.index}`);
    }
  }

  private block(cpu: Cpu, ctx: Context, reason: string, deadlineNs?: number): void {
    if (ctx instanceof IrqContext) throw new KernelFault("bug", `BUG: sleeping (${reason}) in hard-IRQ context on cpu${cpu.index}`);
    if (ctx.preemptCount > 0) throw new KernelFault("bug", `BUG: scheduling while atomic: ${ctx.label} sleeps (${reason}) holding a spinlock`);
    if (ctx.wakePending) {
      ctx.wakePending = false;
      ctx.timedOut = false;
      return;
    }
    ctx.state = "blocked";
    ctx.blockReason = reason;
    ctx.timedOut = false;
    if (deadlineNs !== undefined) this.timers.set(ctx, deadlineNs);
    cpu.current = null;
    ctx.cpu = null;
  }

  private finish(cpu: Cpu, ctx: Context, value: unknown): void {
    if (ctx instanceof IrqContext) {
      cpu.irqStack.pop();
      return;
    }
    if (ctx.preemptCount > 0) throw new KernelFault("bug", `BUG: ${ctx.label} returned to user space holding a spinlock`);
    ctx.state = "done";
    ctx.result = value;
    this.live.delete(ctx.key);
    cpu.current = null;
    ctx.cpu = null;
  }

  private describeDeadlock(): string {
    const parts: string[] = [];
    for (const cpu of this.cpus) {
      for (const ctx of [cpu.current, ...cpu.irqStack]) {
        if (ctx?.spinningOn) parts.push(`${ctx.label} on cpu${cpu.index} spins on ${ctx.spinningOn}`);
      }
    }
    return `deadlock: ${parts.join("; ")}`;
  }

  blockedThreads(): Thread[] {
    return [...this.live.values()].filter((t) => t.state === "blocked");
  }
}

export { cpuOf };
