// An ordered workqueue with one worker kthread: work items run one at a time, in queue order.
// A work item already queued is not queued twice (queue_work returns false), as in Linux.
import type { Scheduler } from "./sched/scheduler.js";
import type { Thread } from "./sched/context.js";
import { step, type KStep } from "./sched/types.js";
import { WaitQueue, addWaiter, removeWaiter, sleep } from "./sched/waitqueue.js";

export class WorkItem {
  pending = false;
  constructor(
    readonly name: string,
    readonly fn: () => KStep<unknown>,
  ) {}
}

export class Workqueue {
  private readonly queue: WorkItem[] = [];
  private readonly idle: WaitQueue;
  readonly worker: Thread;
  /** Work items run to completion, for inspection. */
  completed = 0;
  private destroyed = false;

  constructor(private readonly s: Scheduler, readonly name: string) {
    this.idle = new WaitQueue(`${name}: idle`);
    this.worker = s.spawn(`kworker/${name}`, "kthread", this.run());
  }

  /** queue_work: false if the item is already pending. Safe from hard-IRQ context. */
  *queueWork(work: WorkItem): KStep<boolean> {
    if (work.pending) {
      yield* step({ kind: "work", op: "queue", name: `${work.name} (already pending)` });
      return false;
    }
    work.pending = true;
    this.queue.push(work);
    for (const t of this.idle.waiters) this.s.wake(t);
    yield* step({ kind: "work", op: "queue", name: work.name });
    return true;
  }

  /** destroy_workqueue: the worker finishes what is queued and exits. */
  destroy(): void {
    this.destroyed = true;
    for (const t of this.idle.waiters) this.s.wake(t);
  }

  private *run(): KStep<unknown> {
    for (;;) {
      addWaiter(this.s, this.idle);
      if (this.queue.length === 0 && this.destroyed) return;
      if (this.queue.length === 0) yield* sleep(this.s, `${this.name} idle`);
      removeWaiter(this.s, this.idle);
      const work = this.queue.shift();
      if (!work) continue;
      work.pending = false;
      yield* step({ kind: "work", op: "run", name: work.name });
      yield* work.fn();
      this.completed++;
      yield* step({ kind: "work", op: "done", name: work.name });
    }
  }
}
