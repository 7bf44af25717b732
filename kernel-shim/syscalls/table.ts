// The system-call table: each Linux call the kernel serves, with its powerpc number
// (arch/powerpc/kernel/syscalls/syscall.tbl). Adding a call is a function and one row.
import type { SyscallFn } from "./context.js";
import { dup, dup3, fcntl } from "./fd.js";
import { close, ioctl, lseek, openat, pread64, read, write } from "./files.js";
import { poll, ppoll } from "./poll.js";
import { fstat } from "./stat.js";

export interface SyscallEntryRow {
  readonly nr: number;
  readonly fn: SyscallFn;
}

export const SYSCALL_TABLE = {
  read: { nr: 3, fn: read },
  write: { nr: 4, fn: write },
  close: { nr: 6, fn: close },
  lseek: { nr: 19, fn: lseek },
  dup: { nr: 41, fn: dup },
  ioctl: { nr: 54, fn: ioctl },
  fcntl: { nr: 55, fn: fcntl },
  fstat: { nr: 108, fn: fstat },
  poll: { nr: 167, fn: poll },
  pread64: { nr: 179, fn: pread64 },
  ppoll: { nr: 281, fn: ppoll },
  openat: { nr: 286, fn: openat },
  dup3: { nr: 316, fn: dup3 },
} as const satisfies Record<string, SyscallEntryRow>;

export type SyscallName = keyof typeof SYSCALL_TABLE;
