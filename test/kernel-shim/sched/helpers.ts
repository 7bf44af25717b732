// Small fixtures for the scheduler tests: a fake external-interrupt line per CPU, a scripted
// policy, and trace projections that keep the assertions readable.
import { KernelFault, Scheduler, defaultPolicy, type Choice, type InterruptSource, type SchedulingPolicy } from "../../../kernel-shim/sched/scheduler.js";
import type { TraceRecord } from "../../../kernel-shim/sched/context.js";
import type { KStep } from "../../../kernel-shim/sched/types.js";

/** One boolean line per CPU; the IRQ entry clears its line, then runs the handler. */
export class FakeIrqLines implements InterruptSource {
  readonly raised: boolean[];
  taken = 0;
  constructor(cpus: number, private readonly handler: (cpu: number) => KStep<unknown>) {
    this.raised = Array.from({ length: cpus }, () => false);
  }
  pending(cpu: number): boolean {
    return this.raised[cpu]!;
  }
  entry(cpu: number): KStep<unknown> {
    const lines = this;
    return (function* () {
      lines.raised[cpu] = false;
      lines.taken++;
      yield* lines.handler(cpu);
    })();
  }
}

/** Takes, in order, the first choice matching each pattern; then falls back to `after`. */
export function scriptedPolicy(script: Partial<Choice>[], after: SchedulingPolicy = defaultPolicy): SchedulingPolicy {
  let i = 0;
  return (choices) => {
    if (i >= script.length) return after(choices);
    const want = script[i]!;
    const k = choices.findIndex((c) => Object.entries(want).every(([key, v]) => (c as Record<string, unknown>)[key] === v));
    if (k < 0) throw new Error(`script step ${i} (${JSON.stringify(want)}) not among ${JSON.stringify(choices)}`);
    i++;
    return k;
  };
}

/** "context: what" for every record, e.g. "t1[1]: state cs" or "irq@cpu0: lock acquire L". */
export function brief(trace: readonly TraceRecord[]): string[] {
  return trace.map((r) => `${r.context}: ${describe(r)}`);
}

function describe(r: TraceRecord): string {
  const e = r.event;
  switch (e.kind) {
    case "lock":
    case "mutex":
      return `${e.kind} ${e.op} ${e.lock}`;
    case "state":
      return `state ${e.what}`;
    case "work":
      return `work ${e.op} ${e.name}`;
    case "wake":
      return `wake ${e.queue} ${e.woken}`;
    case "sleep":
      return `sleep ${e.ms}`;
    default:
      return e.kind;
  }
}

export function newScheduler(cpus: number, policy?: SchedulingPolicy): Scheduler {
  const s = new Scheduler(cpus);
  if (policy) s.policy = policy;
  return s;
}

/** The KernelFault a run raises; fails if it completes or raises anything else. */
export function faultOf(run: () => void): KernelFault {
  try {
    run();
  } catch (e) {
    if (e instanceof KernelFault) return e;
    throw e;
  }
  throw new Error("expected a KernelFault, the run completed");
}
