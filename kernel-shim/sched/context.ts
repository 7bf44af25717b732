// Execution contexts: threads (tasks and kernel threads) and hard-IRQ handlers, and the CPUs
// they run on.
import type { KStep, TraceEvent } from "./types.js";

type ThreadState = "runnable" | "running" | "blocked" | "done";

export class Thread {
  state: ThreadState = "runnable";
  cpu: Cpu | null = null;
  lastCpu = -1;
  /** Spinlocks held: a thread holding one is not preempted or migrated. */
  preemptCount = 0;
  /** A wakeup that arrived between registering on a queue and going to sleep (no lost wakeups). */
  wakePending = false;
  /** Set when the last sleep ended by its deadline rather than a wakeup. */
  timedOut = false;
  blockReason = "";
  spinningOn: string | null = null;
  result: unknown = undefined;
  /** A CPU this thread may only run on (per-CPU kthreads), or null. */
  affinity: number | null = null;
  /** A periodic kernel thread (rtasd): its timer alone does not move the clock (Scheduler.advanceClock). */
  daemon = false;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly kind: "user" | "kthread",
    readonly gen: KStep<unknown>,
    /** The user process (pid) a syscall thread belongs to. */
    readonly pid: number | null = null,
    /** Its ordinal among threads of the same name (0 for the first). */
    readonly ordinal = 0,
  ) {}

  get label(): string {
    return `${this.name}[${this.id}]`;
  }

  /** The stable identity decisions use: the same in every run of the same scenario. */
  get key(): string {
    return `${this.name}#${this.ordinal}`;
  }
}

export class IrqContext {
  spinningOn: string | null = null;
  constructor(
    readonly cpu: Cpu,
    readonly gen: KStep<unknown>,
    readonly name: string,
  ) {}

  get label(): string {
    return `irq@cpu${this.cpu.index}`;
  }

  get key(): string {
    return this.label;
  }
}

export type Context = Thread | IrqContext;

export class Cpu {
  current: Thread | null = null;
  readonly irqStack: IrqContext[] = [];
  /** local_irq_save depth: interrupts are taken only at 0. */
  irqsDisabled = 0;

  constructor(readonly index: number) {}

  top(): Context | null {
    return this.irqStack[this.irqStack.length - 1] ?? this.current;
  }

  /** A hard IRQ may be taken: not already in one, and interrupts enabled (an idle CPU always is). */
  canTakeInterrupt(): boolean {
    return this.irqStack.length === 0 && this.irqsDisabled === 0;
  }
}

export function cpuOf(ctx: Context): Cpu {
  if (ctx instanceof IrqContext) return ctx.cpu;
  if (!ctx.cpu) throw new Error(`${ctx.label} is not on a CPU`);
  return ctx.cpu;
}

/** One record of the run: which context did what, where and when. */
export interface TraceRecord {
  seq: number;
  timeNs: number;
  cpu: number;
  context: string;
  event: TraceEvent;
}
