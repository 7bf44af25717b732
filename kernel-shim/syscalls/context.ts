// What every system call body receives: the calling process and the kernel parts below the syscalls.
import type { File } from "../file.js";
import type { Process } from "../process.js";
import type { Scheduler } from "../sched/scheduler.js";
import type { KStep } from "../sched/types.js";
import type { Vfs } from "../vfs.js";
import { Errno } from "../uapi.js";

export interface SyscallContext {
  readonly p: Process;
  readonly vfs: Vfs;
  readonly sched: Scheduler;
}

/** A system call: user-space arguments in (integers, user pointers), >= 0 or -errno out. */
export type SyscallFn = (c: SyscallContext, args: readonly number[]) => KStep<number>;

/**
 * fdget/fdput: the call holds a reference, so a concurrent close cannot release the file under it;
 * -EBADF if the fd is not open.
 */
export function* withFile(c: SyscallContext, fd: number, body: (f: File) => KStep<number>): KStep<number> {
  const f = c.p.fds.get(fd | 0)?.file;
  if (!f) return -Errno.EBADF;
  f.refs++;
  const r = yield* body(f);
  yield* c.vfs.fput(f); // the last reference, if a close raced with this call, releases here
  return r;
}
