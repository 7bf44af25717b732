// A guest process's system calls as a program would make them: arguments (path strings, buffers,
// pollfd arrays, the ioctl's u32) are placed in the process's memory, the call enters the kernel
// through its system-call table, results come back as Linux gives them.
// Each call is a plan (the placed arguments, the call, how to read the result back) so the same
// call can run alone to completion or as one step of a thread in a concurrent scenario step.
import type { Kernel } from "../../kernel-shim/kernel.js";
import type { Process } from "../../kernel-shim/process.js";
import type { Thread } from "../../kernel-shim/sched/context.js";
import type { SyscallName } from "../../kernel-shim/syscalls/table.js";
import { AT_FDCWD, HVPIPE_HDR_LEN, O_RDWR, Poll } from "../../kernel-shim/uapi.js";

/** poll's events: every condition a scenario may expect (POLLERR, POLLHUP, POLLNVAL always count). */
const ALL_EVENTS = Object.values(Poll).reduce((m, b) => m | b, 0) & ~(Poll.POLLERR | Poll.POLLHUP | Poll.POLLNVAL);

/** A syscall whose thread is still asleep once the machine is quiescent. */
class SyscallDidNotReturn extends Error {}

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
  name: SyscallName;
  /** The user-space arguments: integers and pointers into the caller's memory. */
  args: number[];
  /** Reads the result back from user memory once the call returned. */
  result(ret: number): R;
}

const plain = (name: SyscallName, args: number[]): SyscallPlan<number> => ({ name, args, result: (r) => r });

export class GuestSyscalls {
  constructor(readonly kernel: Kernel) {}

  // ---- plans ----

  openPlan(pid: number, path: string, flags = O_RDWR): SyscallPlan<number> {
    const name = new TextEncoder().encode(`${path}\0`);
    const p = this.proc(pid);
    const addr = p.userBuffer(name.length);
    p.poke(addr, name);
    return plain("openat", [AT_FDCWD, addr, flags, 0]);
  }

  /** ioctl with a pointer to a __u32 source id (written in ppc64le order), or a pointer that faults. */
  ioctlPlan(pid: number, fd: number, cmd: number, src: number, placement: BufferPlacement = "mapped"): SyscallPlan<number> {
    const arg = this.place(pid, 4, placement);
    const u32 = new Uint8Array(4);
    new DataView(u32.buffer).setUint32(0, src >>> 0, true);
    if (placement === "mapped") this.proc(pid).poke(arg, u32);
    return this.ioctlAtPlan(fd, cmd, arg);
  }

  ioctlAtPlan(fd: number, cmd: number, arg: number): SyscallPlan<number> {
    return plain("ioctl", [fd, cmd, arg]);
  }

  /** write(fd, bytes, size): the bytes go to a fresh user buffer of max(size, bytes) bytes. */
  writePlan(pid: number, fd: number, bytes: Uint8Array, size = bytes.length, placement: BufferPlacement = "mapped"): SyscallPlan<number> {
    const len = Math.max(size, bytes.length);
    const buf = this.place(pid, len, placement);
    // Only what is mapped is written (a count past the address space still reaches the kernel).
    const data = new Uint8Array(Math.max(bytes.length, this.proc(pid).mappedLength(buf, len)));
    data.set(bytes);
    this.proc(pid).poke(buf, data);
    return this.writeAtPlan(fd, buf, size);
  }

  writeAtPlan(fd: number, addr: number, size: number): SyscallPlan<number> {
    return plain("write", [fd, addr, size]);
  }

  readPlan(pid: number, fd: number, size: number, placement: BufferPlacement = "mapped"): SyscallPlan<ReadResult> {
    const p = this.proc(pid);
    const buf = this.place(pid, size, placement);
    const mapped = p.mappedLength(buf, size);
    p.poke(buf, new Uint8Array(mapped));
    return {
      name: "read",
      args: [fd, buf, size],
      result: (ret) => {
        // What user space can see: the mapped bytes the call claims to have written.
        const seen = Math.min(ret, size, mapped);
        if (ret <= 0 || seen <= 0) return { ret };
        const header = p.peek(buf, Math.min(seen, HVPIPE_HDR_LEN));
        const out: ReadResult = { ret, header };
        if (header.length >= 8) out.flags = new DataView(header.buffer).getUint32(4, true);
        if (seen > HVPIPE_HDR_LEN) out.payload = p.peek(buf + HVPIPE_HDR_LEN, seen - HVPIPE_HDR_LEN);
        else if (seen === HVPIPE_HDR_LEN) out.payload = new Uint8Array(0);
        return out;
      },
    };
  }

  /** poll(2) on one fd (a one-entry pollfd array in user memory); the result is revents. */
  pollPlan(pid: number, fd: number, timeoutMs: number): SyscallPlan<number> {
    const p = this.proc(pid);
    const pollfd = new Uint8Array(8);
    const dv = new DataView(pollfd.buffer);
    dv.setInt32(0, fd, true);
    dv.setUint16(4, ALL_EVENTS, true);
    const addr = p.userBuffer(pollfd.length);
    p.poke(addr, pollfd);
    return {
      name: "poll",
      args: [addr, 1, timeoutMs],
      result: (ret) => (ret < 0 ? ret : new DataView(p.peek(addr, 8).buffer).getUint16(6, true)),
    };
  }

  closePlan(fd: number): SyscallPlan<number> {
    return plain("close", [fd]);
  }

  // ---- one call, run to completion ----

  run<R>(pid: number, plan: SyscallPlan<R>): R {
    this.proc(pid);
    return plan.result(this.finish(plan.name, this.kernel.syscalls.enter(pid, plan.name, plan.args)));
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
    return this.run(pid, plain("read", [fd, addr, size]));
  }
  poll(pid: number, fd: number, timeoutMs: number): number {
    return this.run(pid, this.pollPlan(pid, fd, timeoutMs));
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
    const p = this.proc(pid);
    if (placement === "buffer") return 0x1000;
    if (placement === "payload") return p.userBase + p.userSize - Math.min(len, HVPIPE_HDR_LEN);
    // Larger than the address space (1 MiB): the buffer starts it and runs past its end, so the
    // count reaches the kernel as a program would pass it (the driver refuses it with EINVAL).
    if (len > p.userSize) return p.userBase;
    return p.userBuffer(Math.max(len, 1));
  }

  /** The process, started on its first call if the caller did not create it. */
  private proc(pid: number): Process {
    const table = this.kernel.processes;
    return table.has(pid) ? table.get(pid) : table.create(pid);
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
