// The one way into the kernel from user space: a process issues a system call by name (or
// number) with its arguments; the call runs as steps in the caller's thread.
import type { ProcessTable } from "../process.js";
import type { Thread } from "../sched/context.js";
import type { Scheduler } from "../sched/scheduler.js";
import { step, type KStep } from "../sched/types.js";
import { Errno } from "../uapi.js";
import type { Vfs } from "../vfs.js";
import { SYSCALL_TABLE, type SyscallName } from "./table.js";

export class SyscallEntry {
  constructor(private readonly k: { readonly sched: Scheduler; readonly vfs: Vfs; readonly processes: ProcessTable }) {}

  /**
   * The call as steps, for a thread of process `pid` that makes several calls (a scenario branch).
   * Entry and exit are trace records there, not preemption points, as they were before the
   * syscall layer existed: recorded seeds keep their interleavings.
   */
  *body(pid: number, name: SyscallName, args: readonly number[]): KStep<number> {
    const { sched } = this.k;
    sched.note({ kind: "syscall-enter", name, args });
    const ret = yield* this.call(pid, name, args);
    sched.note({ kind: "syscall-exit", name, ret });
    return ret;
  }

  private *call(pid: number, name: SyscallName, args: readonly number[]): KStep<number> {
    const { sched, vfs, processes } = this.k;
    return yield* SYSCALL_TABLE[name].fn({ p: processes.get(pid), vfs, sched }, args);
  }

  /** A thread's one call: entry and exit are steps (the scheduler may act between them and the call). */
  private *single(pid: number, name: SyscallName, args: readonly number[]): KStep<number> {
    yield* step({ kind: "syscall-enter", name, args });
    const ret = yield* this.call(pid, name, args);
    yield* step({ kind: "syscall-exit", name, ret });
    return ret;
  }

  /** By powerpc number (r0), as `sc` delivers it: -ENOSYS for a call the table lacks. */
  *byNumber(pid: number, nr: number, args: readonly number[]): KStep<number> {
    const name = (Object.keys(SYSCALL_TABLE) as SyscallName[]).find((n) => SYSCALL_TABLE[n].nr === nr);
    if (!name) return -Errno.ENOSYS;
    return yield* this.body(pid, name, args);
  }

  /**
   * Issues the call from a new thread of the process and runs the machine until it is quiescent.
   * Returns the thread: done with its result, or still blocked (the call did not return).
   */
  enter(pid: number, name: SyscallName, args: readonly number[]): Thread {
    const p = this.k.processes.get(pid);
    const t = this.k.sched.spawn(`${p.name}:${name}`, "user", this.single(pid, name, args), pid);
    this.k.sched.runUntilQuiescent();
    return t;
  }
}
