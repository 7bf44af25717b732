// Calls into the kernel's system-call table with raw user-space arguments, as a program's libc would.
import type { SyscallName } from "../../../kernel-shim/syscalls/table.js";
import { AT_FDCWD, O_RDWR, PAPR_HVPIPE_IOC_CREATE_HANDLE } from "../../../kernel-shim/uapi.js";
import { boot, HMC1, type TestPartition } from "../../support/partition-harness.js";

export interface Sys {
  t: TestPartition;
  /** The call's return (>= 0 or -errno); throws if it did not return. */
  call(name: SyscallName, ...args: number[]): number;
  /** A fresh user buffer holding `bytes` (or `size` zero bytes). */
  buf(bytes: Uint8Array | number): number;
  str(s: string): number;
  peek(addr: number, len: number): Uint8Array;
  /** The first address past the process's user space. */
  end: number;
}

export function sys(pid = 1): Sys {
  const t = boot();
  const p = t.kernel.processes.create(pid, "prog");
  const call = (name: SyscallName, ...args: number[]): number => {
    const th = t.kernel.syscalls.enter(pid, name, args);
    if (th.state !== "done") throw new Error(`${name} did not return`);
    return th.result as number;
  };
  const buf = (bytes: Uint8Array | number): number => {
    const data = typeof bytes === "number" ? new Uint8Array(bytes) : bytes;
    const addr = p.userBuffer(Math.max(1, data.length));
    p.poke(addr, data);
    return addr;
  };
  return {
    t, call, buf,
    str: (s) => buf(new TextEncoder().encode(`${s}\0`)),
    peek: (addr, len) => p.peek(addr, len),
    end: p.userBase + p.userSize,
  };
}

export function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}

/** Opens /dev/papr-hvpipe and creates a handle for HMC1: [device fd, handle fd]. */
export function openHandle(s: Sys): [number, number] {
  const dev = s.call("openat", AT_FDCWD, s.str("/dev/papr-hvpipe"), O_RDWR, 0);
  const h = s.call("ioctl", dev, PAPR_HVPIPE_IOC_CREATE_HANDLE, s.buf(u32le(HMC1)));
  return [dev, h];
}
