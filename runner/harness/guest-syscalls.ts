// A guest process's system calls as a program would make them: user buffers are placed in the
// process's memory, the call runs on the kernel, results come back as Linux gives them.
// Each call is a plan (prepare the buffer, the kernel path, read the result back) so the same
// call can run alone to completion or as one step of a thread in a concurrent scenario step.
import type { Kernel } from "../../kernel-shim/kernel.js";
import type { Thread } from "../../kernel-shim/sched/context.js";
import type { KStep } from "../../kernel-shim/sched/types.js";
import { HVPIPE_HDR_LEN, O_RDWR } from "../../kernel-shim/uapi.js";
import type { Process } from "../../kernel-shim/vfs.js";

/** A syscall whose thread is still asleep once the machine is quiescent. */
export class SyscallDidNotReturn extends Error {}

export interface ReadResult {
  ret: number;
  /** The header bytes as copied to user memory (up to 48, as many as ret covers). */
  header?: Uint8Array;
  /** papr_hvpipe_hdr.flags (native little-endian u32). */
  flags?: number;
  /** The bytes after the header, up to ret. */
  payload?: Uint8Array;
}

/** Where a user buffer is placed: wholly mapped, not mapped at all, or mapped only for its header. */
export type BufferPlacement = "mapped" | "buffer" | "payload";

export interface SyscallPlan<R> {
  name: string;
  /** The kernel path, run in the calling process's thread. */
  body(p: Process): KStep<number>;
  /** Reads the result back from user memory once the call returned. */
  result(ret: number): R;
}

export class GuestSyscalls {
  constructor(readonly kernel: Kernel) {}

  // ---- plans ----

  openPlan(pid: number, path: string, flags = O_RDWR): SyscallPlan<number> {
    return { name: "open", body: (p) => this.kernel.vfs.open(p, path, flags), result: (r) => r };
  }

  /** ioctl with a pointer to a __u32 source id (written in ppc64le order), or a pointer that faults. */
  ioctlPlan(pid: number, fd: number, cmd: number, src: number, placement: BufferPlacement = "mapped"): SyscallPlan<number> {
    const arg = this.place(pid, 4, placement);
    if (placement === "mapped") new DataView(this.ram.buffer, this.ram.byteOffset).setUint32(arg, src >>> 0, true);
    return this.ioctlAtPlan(fd, cmd, arg);
  }

  ioctlAtPlan(fd: number, cmd: number, arg: number): SyscallPlan<number> {
    return { name: "ioctl", body: (p) => this.kernel.vfs.ioctl(p, fd, cmd, arg), result: (r) => r };
  }

  /** write(fd, bytes, size): the bytes go to a fresh user buffer of max(size, bytes) bytes. */
  writePlan(pid: number, fd: number, bytes: Uint8Array, size = bytes.length, placement: BufferPlacement = "mapped"): SyscallPlan<number> {
    const len = Math.max(size, bytes.length);
    const buf = this.place(pid, len, placement);
    const mapped = this.kernel.process(pid).mappedLength(buf, len);
    this.ram.fill(0, buf, buf + mapped);
    this.ram.set(bytes.subarray(0, mapped), buf);
    return this.writeAtPlan(fd, buf, size);
  }

  writeAtPlan(fd: number, addr: number, size: number): SyscallPlan<number> {
    return { name: "write", body: (p) => this.kernel.vfs.write(p, fd, addr, size), result: (r) => r };
  }

  readPlan(pid: number, fd: number, size: number, placement: BufferPlacement = "mapped"): SyscallPlan<ReadResult> {
    const buf = this.place(pid, size, placement);
    const mapped = this.kernel.process(pid).mappedLength(buf, size);
    this.ram.fill(0, buf, buf + mapped);
    return {
      name: "read",
      body: (p) => this.kernel.vfs.read(p, fd, buf, size),
      result: (ret) => {
        // What user space can see: the mapped bytes the call claims to have written.
        const seen = Math.min(ret, size, mapped);
        if (ret <= 0 || seen <= 0) return { ret };
        const header = this.ram.slice(buf, buf + Math.min(seen, HVPIPE_HDR_LEN));
        const out: ReadResult = { ret, header };
        if (header.length >= 8) out.flags = new DataView(header.buffer).getUint32(4, true);
        if (seen > HVPIPE_HDR_LEN) out.payload = this.ram.slice(buf + HVPIPE_HDR_LEN, buf + seen);
        else if (seen === HVPIPE_HDR_LEN) out.payload = new Uint8Array(0);
        return out;
      },
    };
  }

  /** poll(2) on one fd; the result is revents. */
  pollPlan(fd: number, timeoutMs: number): SyscallPlan<number> {
    return { name: "poll", body: (p) => this.kernel.vfs.poll(p, fd, timeoutMs), result: (r) => r };
  }

  closePlan(fd: number): SyscallPlan<number> {
    return { name: "close", body: (p) => this.kernel.vfs.close(p, fd), result: (r) => r };
  }

  // ---- one call, run to completion ----

  run<R>(pid: number, plan: SyscallPlan<R>): R {
    return plan.result(this.finish(plan.name, this.kernel.syscall(pid, plan.name, plan.body)));
  }

  open(pid: number, path: string, flags = O_RDWR): number {
    return this.run(pid, this.openPlan(pid, path, flags));
  }
  ioctl(pid: number, fd: number, cmd: number, src: number): number {
    return this.run(pid, this.ioctlPlan(pid, fd, cmd, src));
  }
  ioctlAt(pid: number, fd: number, cmd: number, arg: number): number {
    return this.run(pid, this.ioctlAtPlan(fd, cmd, arg));
  }
  write(pid: number, fd: number, bytes: Uint8Array, size = bytes.length): number {
    return this.run(pid, this.writePlan(pid, fd, bytes, size));
  }
  writeAt(pid: number, fd: number, addr: number, size: number): number {
    return this.run(pid, this.writeAtPlan(fd, addr, size));
  }
  read(pid: number, fd: number, size: number): ReadResult {
    return this.run(pid, this.readPlan(pid, fd, size));
  }
  readAt(pid: number, fd: number, addr: number, size: number): number {
    return this.run(pid, { name: "read", body: (p) => this.kernel.vfs.read(p, fd, addr, size), result: (r) => r });
  }
  poll(pid: number, fd: number, timeoutMs: number): number {
    return this.run(pid, this.pollPlan(fd, timeoutMs));
  }
  close(pid: number, fd: number): number {
    return this.run(pid, this.closePlan(fd));
  }

  // ---- helpers ----

  /**
   * A user buffer of `len` bytes: inside the address space, wholly outside it ("buffer": a pointer
   * into kernel memory), or straddling its end so that only the first 48 bytes are mapped.
   */
  private place(pid: number, len: number, placement: BufferPlacement): number {
    const p = this.kernel.process(pid);
    if (placement === "buffer") return 0x1000;
    if (placement === "payload") return p.userBase + p.userSize - Math.min(len, HVPIPE_HDR_LEN);
    return p.userBuffer(Math.max(len, 1));
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
