// What a running scenario keeps between steps: the partition, process ids and fd names.
import type { Partition } from "./partition.js";
import { GuestSyscalls } from "./guest-syscalls.js";
import type { FdRef } from "../scenario/model.js";

/** A step that cannot be carried out as written (unbound fd, impossible outside action). */
export class StepError extends Error {}

export class Session {
  readonly sys: GuestSyscalls;
  private readonly pids = new Map<string, number>();
  /** fd names per process: fds belong to the process that bound them. */
  private readonly fds = new Map<string, Map<string, number>>();

  constructor(readonly part: Partition) {
    this.sys = new GuestSyscalls(part.kernel);
  }

  pid(proc: string): number {
    let pid = this.pids.get(proc);
    if (pid === undefined) {
      pid = this.pids.size + 1;
      this.pids.set(proc, pid);
      this.part.kernel.processes.create(pid, proc);
    }
    return pid;
  }

  fd(proc: string, ref: FdRef): number {
    if (typeof ref === "number") return ref;
    const fd = this.names(proc).get(ref);
    if (fd === undefined) throw new StepError(`fd "${ref}" of ${proc} is not bound: its open or ioctl failed`);
    return fd;
  }

  bind(proc: string, name: string, fd: number): void {
    this.names(proc).set(name, fd);
  }

  private names(proc: string): Map<string, number> {
    let m = this.fds.get(proc);
    if (!m) this.fds.set(proc, (m = new Map()));
    return m;
  }
}
