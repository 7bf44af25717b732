// A guest process's system calls as a program would make them: user buffers are placed in the
// process's memory, the call runs to completion on the kernel, results come back as Linux gives them.
import type { Kernel } from "../kernel-shim/kernel.js";
import type { Thread } from "../kernel-shim/sched/context.js";
import { HVPIPE_HDR_LEN, O_RDWR } from "../kernel-shim/uapi.js";

/** A syscall whose thread is still asleep once the machine is quiescent. */
export class SyscallDidNotReturn extends Error {}

export interface ReadResult {
  ret: number;
  /** The 48-byte header as copied to user memory, when ret covered it. */
  header?: Uint8Array;
  /** papr_hvpipe_hdr.flags (native little-endian u32). */
  flags?: number;
  /** The bytes after the header, up to ret. */
  payload?: Uint8Array;
}

export class GuestSyscalls {
  constructor(readonly kernel: Kernel) {}

  open(pid: number, path: string, flags = O_RDWR): number {
    return this.finish("open", this.kernel.syscall(pid, "open", (p) => this.kernel.vfs.open(p, path, flags)));
  }

  /** ioctl with a pointer to a __u32 source id (written in ppc64le order). */
  ioctl(pid: number, fd: number, cmd: number, src: number): number {
    const arg = this.kernel.process(pid).userBuffer(4);
    new DataView(this.ram.buffer, this.ram.byteOffset).setUint32(arg, src >>> 0, true);
    return this.ioctlAt(pid, fd, cmd, arg);
  }

  ioctlAt(pid: number, fd: number, cmd: number, arg: number): number {
    return this.finish("ioctl", this.kernel.syscall(pid, "ioctl", (p) => this.kernel.vfs.ioctl(p, fd, cmd, arg)));
  }

  /** write(fd, bytes, size): the bytes go to a fresh user buffer of max(size, bytes) bytes. */
  write(pid: number, fd: number, bytes: Uint8Array, size = bytes.length): number {
    const len = Math.max(size, bytes.length);
    const buf = this.kernel.process(pid).userBuffer(Math.max(len, 1));
    this.ram.fill(0, buf, buf + len);
    this.ram.set(bytes, buf);
    return this.writeAt(pid, fd, buf, size);
  }

  writeAt(pid: number, fd: number, addr: number, size: number): number {
    return this.finish("write", this.kernel.syscall(pid, "write", (p) => this.kernel.vfs.write(p, fd, addr, size)));
  }

  read(pid: number, fd: number, size: number): ReadResult {
    const buf = this.kernel.process(pid).userBuffer(Math.max(size, 1));
    this.ram.fill(0, buf, buf + size);
    const ret = this.readAt(pid, fd, buf, size);
    if (ret < 8) return { ret };
    const copied = Math.min(ret, size);
    return {
      ret,
      header: this.ram.slice(buf, buf + Math.min(copied, HVPIPE_HDR_LEN)),
      flags: new DataView(this.ram.buffer, this.ram.byteOffset).getUint32(buf + 4, true),
      payload: this.ram.slice(buf + HVPIPE_HDR_LEN, buf + Math.max(copied, HVPIPE_HDR_LEN)),
    };
  }

  readAt(pid: number, fd: number, addr: number, size: number): number {
    return this.finish("read", this.kernel.syscall(pid, "read", (p) => this.kernel.vfs.read(p, fd, addr, size)));
  }

  /** Returns revents. */
  poll(pid: number, fd: number, timeoutMs: number): number {
    return this.finish("poll", this.kernel.syscall(pid, "poll", (p) => this.kernel.vfs.poll(p, fd, timeoutMs)));
  }

  close(pid: number, fd: number): number {
    return this.finish("close", this.kernel.syscall(pid, "close", (p) => this.kernel.vfs.close(p, fd)));
  }

  private get ram(): Uint8Array {
    return this.kernel.mem.ram;
  }

  private finish(name: string, t: Thread): number {
    if (t.state !== "done") throw new SyscallDidNotReturn(`${name} did not return: ${t.label} is ${t.state} (${t.blockReason})`);
    return t.result as number;
  }
}

/** The header the runner puts before a `payload`: version 0, flags 0, reserved 0. */
export function withHeader(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HVPIPE_HDR_LEN + payload.length);
  out.set(payload, HVPIPE_HDR_LEN);
  return out;
}
