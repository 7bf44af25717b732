// What a kernel path hands the scheduler at each step (DESIGN.md, "everything is a step").

/** One typed trace record per step. */
export type TraceEvent =
  | { kind: "syscall-enter"; name: string; args: readonly (number | string)[] }
  | { kind: "syscall-exit"; name: string; ret: number }
  | { kind: "lock"; op: "acquire" | "release" | "spin"; lock: string; irqsave?: boolean }
  | { kind: "mutex"; op: "acquire" | "release" | "wait"; lock: string }
  | { kind: "rtas"; name: string; args: readonly number[]; status: number; outputs: readonly number[] }
  | { kind: "hcall"; opcode: number; args: readonly number[]; ret: number; outs: readonly number[] }
  | { kind: "irq-entry"; hwirq: number; xirr: number }
  | { kind: "irq-exit"; hwirq: number }
  | { kind: "copy"; dir: "to-user" | "from-user"; addr: number; length: number; fault: boolean }
  | { kind: "wait"; queue: string }
  | { kind: "wake"; queue: string; woken: number }
  | { kind: "sleep"; ms: number }
  | { kind: "work"; op: "queue" | "run" | "done"; name: string }
  | { kind: "printk"; level: "info" | "warn" | "err"; text: string }
  | { kind: "state"; what: string }
  | { kind: "outside"; actor: string; what: string }
  | { kind: "ledger"; what: string };

export type Yield =
  /** A preemption point after an action. */
  | { op: "step"; event: TraceEvent }
  /** The lock is held by someone else: the context spins (keeps its CPU) and tries again. */
  | { op: "spin"; lock: SpinLockLike }
  /** Sleep until woken (wait queue, mutex) or until the deadline on the emulated clock. */
  | { op: "block"; reason: string; deadlineNs?: number };

export interface SpinLockLike {
  readonly name: string;
  holder: unknown;
}

/** A kernel path: a generator that yields at every point where Linux could be preempted. */
export type KStep<T = void> = Generator<Yield, T, void>;

export function* step(event: TraceEvent): KStep {
  yield { op: "step", event };
}
