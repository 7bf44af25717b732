// Processes, their fd tables and user memory, files and the system calls the scenarios issue.
import type { Kernel } from "./kernel.js";
import { Layout } from "./memory.js";
import { step, type KStep } from "./sched/types.js";
import { WaitQueue, addWaiter, removeWaiter, sleep } from "./sched/waitqueue.js";
import { ENOIOCTLCMD, Errno, Poll, O_CLOEXEC } from "./uapi.js";

export interface PollTable {
  wait(wq: WaitQueue): void;
}

/** A driver's file_operations; each is a kernel path in steps. Missing ones behave as in Linux. */
export interface FileOps {
  read?(file: File, buf: number, size: number): KStep<number>;
  write?(file: File, buf: number, size: number): KStep<number>;
  poll?(file: File, pt: PollTable | null): KStep<number>;
  ioctl?(file: File, cmd: number, arg: number): KStep<number>;
  release?(file: File): KStep<unknown>;
}

function* einval(): KStep<number> {
  return -Errno.EINVAL;
}

export class File {
  refs = 1;
  constructor(
    readonly name: string,
    readonly ops: FileOps,
    public privateData: unknown,
    readonly flags: number,
  ) {}
}

export class Process {
  readonly fds = new Map<number, { file: File; cloexec: boolean }>();
  readonly userBase: number;
  readonly userSize = Layout.userSize;
  /** User pointers handed to the last syscalls, bump-allocated in the process's space. */
  private userNext = 0;

  constructor(
    readonly pid: number,
    readonly name: string,
  ) {
    this.userBase = Layout.userBase + (pid - 1) * Layout.userSize;
    // stdin, stdout, stderr are taken: the first open returns 3, as for any Linux process.
    for (const fd of [0, 1, 2]) this.fds.set(fd, { file: new File(`/dev/tty`, {}, null, 2), cloexec: false });
  }

  /** A fresh user buffer of `size` bytes for the next syscall (wraps around the space). */
  userBuffer(size: number): number {
    if (size > this.userSize) throw new Error(`a ${size}-byte user buffer does not fit in a ${this.userSize}-byte address space`);
    if (this.userNext + size > this.userSize) this.userNext = 0;
    const addr = this.userBase + this.userNext;
    this.userNext = (this.userNext + size + 63) & ~63;
    return addr;
  }

  /** The part of [addr, addr+len) that is mapped in this process (from addr on). */
  mappedLength(addr: number, len: number): number {
    if (addr < this.userBase || addr >= this.userBase + this.userSize) return 0;
    return Math.min(len, this.userBase + this.userSize - addr);
  }
}

export interface MiscDevice {
  readonly name: string;
  readonly ops: FileOps;
}

export class Vfs {
  readonly processes = new Map<number, Process>();
  private readonly misc = new Map<string, MiscDevice>();

  constructor(private readonly k: Kernel) {}

  process(pid: number, name = `p${pid}`): Process {
    let p = this.processes.get(pid);
    if (!p) {
      if (Layout.userBase + pid * Layout.userSize > this.k.mem.size) throw new Error(`no room in guest memory for process ${pid}`);
      p = new Process(pid, name);
      this.processes.set(pid, p);
    }
    return p;
  }

  miscRegister(dev: MiscDevice): number {
    if (this.misc.has(dev.name) || this.k.faults.has("misc_register")) return -Errno.EBUSY;
    this.misc.set(dev.name, dev);
    return 0;
  }

  miscDeregister(name: string): void {
    this.misc.delete(name);
  }

  /** fd_install at the lowest free descriptor. */
  fdInstall(p: Process, file: File, flags: number): number {
    let fd = 0;
    while (p.fds.has(fd)) fd++;
    p.fds.set(fd, { file, cloexec: (flags & O_CLOEXEC) !== 0 });
    return fd;
  }

  // ---- user memory ----

  /** copy_to_user: copies what is mapped; returns the number of bytes NOT copied, as Linux does. */
  *copyToUser(p: Process, addr: number, data: Uint8Array): KStep<number> {
    const ok = p.mappedLength(addr, data.length);
    this.k.mem.ram.set(data.subarray(0, ok), addr);
    yield* step({ kind: "copy", dir: "to-user", addr, length: data.length, fault: ok < data.length });
    return data.length - ok;
  }

  /** copy_from_user into kernel memory at `dest`; returns the number of bytes NOT copied. */
  *copyFromUser(p: Process, dest: number, addr: number, len: number): KStep<number> {
    const ok = p.mappedLength(addr, len);
    this.k.mem.ram.copyWithin(dest, addr, addr + ok);
    if (ok < len) this.k.mem.ram.fill(0, dest + ok, dest + len);
    yield* step({ kind: "copy", dir: "from-user", addr, length: len, fault: ok < len });
    return len - ok;
  }

  // ---- system calls (each returns >= 0 or -errno) ----

  *open(p: Process, path: string, flags: number): KStep<number> {
    const dev = this.misc.get(path.replace(/^\/dev\//, ""));
    if (!path.startsWith("/dev/") || !dev) return -Errno.ENOENT;
    yield* step({ kind: "state", what: `open ${path}` });
    return this.fdInstall(p, new File(path, dev.ops, null, flags), flags);
  }

  /** fdget/fdput: the call holds a reference, so a concurrent close cannot release the file under it. */
  private *withFile<T>(p: Process, fd: number, body: (f: File) => KStep<T>, missing: T): KStep<T> {
    const f = p.fds.get(fd)?.file;
    if (!f) return missing;
    f.refs++;
    const r = yield* body(f);
    yield* this.fput(f); // the last reference, if a close raced with this call, releases here
    return r;
  }

  *ioctl(p: Process, fd: number, cmd: number, arg: number): KStep<number> {
    return yield* this.withFile(p, fd, (f) => this.doIoctl(f, cmd, arg), -Errno.EBADF);
  }

  private *doIoctl(f: File, cmd: number, arg: number): KStep<number> {
    if (!f.ops.ioctl) return -Errno.ENOTTY;
    const r = yield* f.ops.ioctl(f, cmd >>> 0, arg);
    return r === -ENOIOCTLCMD ? -Errno.ENOTTY : r;
  }

  *read(p: Process, fd: number, buf: number, size: number): KStep<number> {
    return yield* this.withFile(p, fd, (f) => (f.ops.read ? f.ops.read(f, buf, size) : einval()), -Errno.EBADF);
  }

  *write(p: Process, fd: number, buf: number, size: number): KStep<number> {
    return yield* this.withFile(p, fd, (f) => (f.ops.write ? f.ops.write(f, buf, size) : einval()), -Errno.EBADF);
  }

  /** poll(2) on one fd: returns revents (the syscall's count is 1 when revents is non-zero). */
  *poll(p: Process, fd: number, timeoutMs: number): KStep<number> {
    return yield* this.withFile(p, fd, (f) => this.doPoll(f, timeoutMs), Poll.POLLNVAL);
  }

  private *doPoll(f: File, timeoutMs: number): KStep<number> {
    if (!f.ops.poll) return Poll.POLLIN | Poll.POLLOUT | Poll.POLLRDNORM | Poll.POLLWRNORM; // DEFAULT_POLLMASK
    const queues = new Set<WaitQueue>();
    const pt: PollTable = { wait: (wq) => { addWaiter(this.k.sched, wq); queues.add(wq); } };
    const deadline = timeoutMs < 0 ? undefined : this.k.sched.nowNs + timeoutMs * 1e6;
    let mask = yield* f.ops.poll(f, pt);
    while (mask === 0 && timeoutMs !== 0) {
      const timedOut = yield* sleep(this.k.sched, "poll", deadline);
      mask = yield* f.ops.poll(f, null);
      if (timedOut) break;
    }
    for (const wq of queues) removeWaiter(this.k.sched, wq);
    return mask;
  }

  *close(p: Process, fd: number): KStep<number> {
    const entry = p.fds.get(fd);
    if (!entry) return -Errno.EBADF;
    p.fds.delete(fd);
    yield* this.fput(entry.file);
    return 0;
  }

  /** Drops a reference; the last one runs the driver's release. */
  *fput(f: File): KStep {
    if (--f.refs > 0) return;
    if (f.ops.release) yield* f.ops.release(f);
  }
}
