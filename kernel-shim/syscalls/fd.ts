// dup, dup3 and fcntl: new fds for the same open file description, the fd flag and the status flags.
import { RLIMIT_NOFILE } from "../process.js";
import type { KStep } from "../sched/types.js";
import {
  Errno, FD_CLOEXEC, F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_GETFL, F_SETFD, F_SETFL, O_APPEND, O_CLOEXEC, O_NONBLOCK,
} from "../uapi.js";
import type { SyscallContext } from "./context.js";

/** The status flags F_SETFL may change here (O_DIRECT, O_NOATIME and FASYNC need support these files lack). */
const SETFL_MASK = O_APPEND | O_NONBLOCK;

/** Another fd (lowest free from `min`) for the description of `oldfd`; -EMFILE when none is left. */
function dupFrom(c: SyscallContext, oldfd: number, min: number, cloexec: boolean): number {
  const entry = c.p.fds.get(oldfd);
  if (!entry) return -Errno.EBADF;
  const fd = c.p.freeFd(min);
  if (fd < 0) return -Errno.EMFILE;
  entry.file.refs++;
  c.p.fds.set(fd, { file: entry.file, cloexec });
  return fd;
}

export function* dup(c: SyscallContext, [oldfd = 0]: readonly number[]): KStep<number> {
  return dupFrom(c, oldfd | 0, 0, false);
}

/** dup3: newfd is closed first if open (its release runs if that was the last reference). */
export function* dup3(c: SyscallContext, [oldfd = 0, newfd = 0, flags = 0]: readonly number[]): KStep<number> {
  const [o, n] = [oldfd | 0, newfd | 0];
  if ((flags & ~O_CLOEXEC) !== 0) return -Errno.EINVAL;
  if (o === n) return -Errno.EINVAL;
  if (n < 0 || n >= RLIMIT_NOFILE) return -Errno.EBADF;
  const entry = c.p.fds.get(o);
  if (!entry) return -Errno.EBADF;
  const old = c.p.fds.get(n);
  entry.file.refs++;
  c.p.fds.set(n, { file: entry.file, cloexec: (flags & O_CLOEXEC) !== 0 });
  if (old) yield* c.vfs.fput(old.file);
  return n;
}

export function* fcntl(c: SyscallContext, [fd = 0, cmd = 0, arg = 0]: readonly number[]): KStep<number> {
  const entry = c.p.fds.get(fd | 0);
  if (!entry) return -Errno.EBADF;
  switch (cmd | 0) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      if (arg >>> 0 >= RLIMIT_NOFILE) return -Errno.EINVAL;
      return dupFrom(c, fd | 0, arg >>> 0, (cmd | 0) === F_DUPFD_CLOEXEC);
    case F_GETFD:
      return entry.cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
      entry.cloexec = (arg & FD_CLOEXEC) !== 0;
      return 0;
    case F_GETFL:
      return entry.file.flags;
    case F_SETFL:
      entry.file.flags = (entry.file.flags & ~SETFL_MASK) | (arg & SETFL_MASK);
      return 0;
    default:
      return -Errno.EINVAL;
  }
}
