// The VFS below the system calls: misc device registration, fd installation, the last-reference
// release, and user copies. Drivers reach it through `DriverFiles`; the syscall layer uses all of it.
import type { KernelFaultPoint } from "./fault-points.js";
import { File, type FileOps } from "./file.js";
import type { KernelMemory } from "./memory.js";
import type { Process, ProcessTable } from "./process.js";
import type { Scheduler } from "./sched/scheduler.js";
import { step, type KStep } from "./sched/types.js";
import { Errno, O_CLOEXEC } from "./uapi.js";

export interface MiscDevice {
  readonly name: string;
  readonly ops: FileOps;
}

/** The char major of misc devices. */
const MISC_MAJOR = 10;
/** Dynamic minors are handed out downwards from here (the exact number is not specified). */
const FIRST_DYNAMIC_MINOR = 255;

/** What a driver's file code uses of the VFS. */
export interface DriverFiles {
  miscRegister(dev: MiscDevice): number;
  miscDeregister(name: string): void;
  /** fd_install at the lowest free descriptor; -EMFILE at RLIMIT_NOFILE. */
  fdInstall(p: Process, file: File, flags: number): number;
  fput(f: File): KStep;
  copyToUser(p: Process, addr: number, data: Uint8Array): KStep<number>;
  copyFromUser(p: Process, dest: number, addr: number, len: number): KStep<number>;
  /** The process of the system call being served. */
  current(): Process;
}

export interface VfsDeps {
  readonly sched: Scheduler;
  readonly mem: KernelMemory;
  readonly processes: ProcessTable;
  readonly faults: ReadonlySet<KernelFaultPoint>;
}

export class Vfs implements DriverFiles {
  private readonly misc = new Map<string, MiscDevice & { minor: number }>();
  private nextMinor = FIRST_DYNAMIC_MINOR;

  constructor(private readonly k: VfsDeps) {}

  miscRegister(dev: MiscDevice): number {
    if (this.misc.has(dev.name) || this.k.faults.has("misc_register")) return -Errno.EBUSY;
    this.misc.set(dev.name, { ...dev, minor: this.nextMinor-- });
    return 0;
  }

  miscDeregister(name: string): void {
    this.misc.delete(name);
  }

  /** The file a successful open of /dev/<name> gets, or null (no such node: ENOENT). */
  openDevice(path: string, flags: number): File | null {
    const dev = path.startsWith("/dev/") ? this.misc.get(path.slice("/dev/".length)) : undefined;
    if (!dev) return null;
    return new File(path, dev.ops, null, flags, { kind: "chardev", major: MISC_MAJOR, minor: dev.minor });
  }

  fdInstall(p: Process, file: File, flags: number): number {
    const fd = p.freeFd();
    if (fd < 0) return -Errno.EMFILE;
    p.fds.set(fd, { file, cloexec: (flags & O_CLOEXEC) !== 0 });
    return fd;
  }

  current(): Process {
    return this.k.processes.current(this.k.sched);
  }

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

  /** Drops a reference; the last one runs the driver's release. */
  *fput(f: File): KStep {
    if (--f.refs > 0) return;
    if (f.ops.release) yield* f.ops.release(f);
  }
}
