// openat, close, read, write, pread64, lseek and ioctl as Linux's VFS answers them (spec/bridge.md §4).
import type { File } from "../file.js";
import { step, type KStep } from "../sched/types.js";
import {
  AT_FDCWD, ENOIOCTLCMD, Errno, FIOASYNC, FIOCLEX, FIONBIO, FIONCLEX, O_ACCMODE, O_CLOEXEC, O_CREAT, O_EXCL,
  O_LARGEFILE, O_NOCTTY, O_NONBLOCK, O_RDONLY, O_TRUNC, O_WRONLY, SEEK_MAX,
} from "../uapi.js";
import { withFile, type SyscallContext } from "./context.js";
import { copyFromUser, le32, pathFromUser } from "./usercopy.js";

const readable = (f: File): boolean => (f.flags & O_ACCMODE) !== O_WRONLY;
const writable = (f: File): boolean => (f.flags & O_ACCMODE) !== O_RDONLY;
/** Anonymous-inode handles are opened without FMODE_PREAD. */
const canPread = (f: File): boolean => f.inode.kind === "chardev";

/** openat(dirfd, pathname, flags, mode): only device nodes exist; the cwd is "/". */
export function* openat(c: SyscallContext, [dirfd = 0, pathname = 0, flags = 0]: readonly number[]): KStep<number> {
  const name = pathFromUser(c.p, pathname);
  if (typeof name === "number") return name;
  let path = name;
  if (!path.startsWith("/")) {
    if ((dirfd | 0) !== AT_FDCWD) return c.p.fds.has(dirfd | 0) ? -Errno.ENOTDIR : -Errno.EBADF;
    path = `/${path}`;
  }
  // The description keeps the access mode and status flags; 64-bit opens add O_LARGEFILE.
  const fFlags = (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE;
  const file = c.vfs.openDevice(path, fFlags);
  if (!file) return -Errno.ENOENT;
  yield* step({ kind: "state", what: `open ${path}` });
  const fd = c.vfs.fdInstall(c.p, file, flags);
  if (fd < 0) yield* c.vfs.fput(file);
  return fd;
}

export function* close(c: SyscallContext, [fd = 0]: readonly number[]): KStep<number> {
  const entry = c.p.fds.get(fd | 0);
  if (!entry) return -Errno.EBADF;
  c.p.fds.delete(fd | 0);
  yield* c.vfs.fput(entry.file);
  return 0;
}

/** A result without a kernel path, as a step generator. */
function* value(v: number): KStep<number> {
  return v;
}

function* vfsRead(f: File, buf: number, count: number): KStep<number> {
  if (!readable(f)) return -Errno.EBADF;
  return yield* (f.ops.read ? f.ops.read(f, buf, count) : value(-Errno.EINVAL));
}

export function* read(c: SyscallContext, [fd = 0, buf = 0, count = 0]: readonly number[]): KStep<number> {
  return yield* withFile(c, fd, (f) => vfsRead(f, buf, count >>> 0));
}

export function* write(c: SyscallContext, [fd = 0, buf = 0, count = 0]: readonly number[]): KStep<number> {
  return yield* withFile(c, fd, (f) => {
    if (!writable(f)) return value(-Errno.EBADF);
    return f.ops.write ? f.ops.write(f, buf, count >>> 0) : value(-Errno.EINVAL);
  });
}

/** pread64: these files have no position, so a file that allows pread reads as read does. */
export function* pread64(c: SyscallContext, [fd = 0, buf = 0, count = 0, pos = 0]: readonly number[]): KStep<number> {
  if (pos < 0) return -Errno.EINVAL;
  return yield* withFile(c, fd, (f) => (canPread(f) ? vfsRead(f, buf, count >>> 0) : value(-Errno.ESPIPE)));
}

/** lseek: neither the misc devices nor the handles can seek (no_llseek). */
export function* lseek(c: SyscallContext, [fd = 0, , whence = 0]: readonly number[]): KStep<number> {
  if (!c.p.fds.has(fd | 0)) return -Errno.EBADF;
  if (whence >>> 0 > SEEK_MAX) return -Errno.EINVAL;
  return yield* value(-Errno.ESPIPE);
}

/** ioctl: FIOCLEX, FIONCLEX, FIONBIO and FIOASYNC are the VFS's; the rest go to the driver. */
export function* ioctl(c: SyscallContext, [fd = 0, cmd = 0, arg = 0]: readonly number[]): KStep<number> {
  const entry = c.p.fds.get(fd | 0);
  if (!entry) return -Errno.EBADF;
  switch (cmd >>> 0) {
    case FIOCLEX: entry.cloexec = true; return 0;
    case FIONCLEX: entry.cloexec = false; return 0;
    case FIONBIO: {
      const v = copyFromUser(c.p, arg, 4);
      if (!v) return -Errno.EFAULT;
      entry.file.flags = le32(v, 0) ? entry.file.flags | O_NONBLOCK : entry.file.flags & ~O_NONBLOCK;
      return 0;
    }
    case FIOASYNC: return -Errno.ENOTTY; // none of these files has a fasync operation
  }
  return yield* withFile(c, fd, function* (f) {
    if (!f.ops.ioctl) return -Errno.ENOTTY;
    const r = yield* f.ops.ioctl(f, cmd >>> 0, arg);
    return r === -ENOIOCTLCMD ? -Errno.ENOTTY : r;
  });
}
