// Processes: their fd tables and user address spaces, and the table the kernel keeps of them.
import { File } from "./file.js";
import { Layout, type KernelMemory } from "./memory.js";
import { IrqContext } from "./sched/context.js";
import type { Scheduler } from "./sched/scheduler.js";

/** RLIMIT_NOFILE's default soft limit: fds 0…1023. */
export const RLIMIT_NOFILE = 1024;

export interface FdEntry {
  file: File;
  cloexec: boolean;
}

export class Process {
  readonly fds = new Map<number, FdEntry>();
  readonly userBase: number;
  readonly userSize = Layout.userSize;
  /** User buffers the program places for its calls, bump-allocated in its space. */
  private userNext = 0;

  constructor(
    readonly pid: number,
    readonly name: string,
    private readonly ram: Uint8Array,
  ) {
    this.userBase = Layout.userBase + (pid - 1) * Layout.userSize;
    // stdin, stdout, stderr are taken: the first open returns 3, as for any Linux process.
    const tty = new File("/dev/tty", {}, null, 2, { kind: "chardev", major: 136, minor: 0, perm: 0o620 });
    tty.refs = 3;
    for (const fd of [0, 1, 2]) this.fds.set(fd, { file: tty, cloexec: false });
  }

  /** A fresh user buffer of `size` bytes (wraps around the space), as the program's allocator gives. */
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

  /** The program's own store into its memory (only the mapped part lands). */
  poke(addr: number, bytes: Uint8Array): void {
    this.ram.set(bytes.subarray(0, this.mappedLength(addr, bytes.length)), addr);
  }

  /** The program's own load from its memory (the mapped part; the rest reads as absent). */
  peek(addr: number, len: number): Uint8Array {
    return this.ram.slice(addr, addr + this.mappedLength(addr, len));
  }

  /** The lowest free descriptor below RLIMIT_NOFILE (from `min`), or -1. */
  freeFd(min = 0): number {
    for (let fd = min; fd < RLIMIT_NOFILE; fd++) if (!this.fds.has(fd)) return fd;
    return -1;
  }
}

export class ProcessTable {
  private readonly byPid = new Map<number, Process>();

  constructor(private readonly mem: KernelMemory) {}

  /** A new process with its own user address space (pids from 1). */
  create(pid: number, name = `p${pid}`): Process {
    if (this.byPid.has(pid)) throw new Error(`process ${pid} exists`);
    if (pid < 1 || Layout.userBase + pid * Layout.userSize > this.mem.size) throw new Error(`no room in guest memory for process ${pid}`);
    const p = new Process(pid, name, this.mem.ram);
    this.byPid.set(pid, p);
    return p;
  }

  get(pid: number): Process {
    const p = this.byPid.get(pid);
    if (!p) throw new Error(`no process ${pid}`);
    return p;
  }

  has(pid: number): boolean {
    return this.byPid.has(pid);
  }

  /** `current`'s process: the caller of the system call being served. */
  current(sched: Scheduler): Process {
    const t = sched.running;
    if (!t || t instanceof IrqContext || t.pid === null) throw new Error("file operation outside a process");
    return this.get(t.pid);
  }
}
