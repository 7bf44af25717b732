// dup, dup3, fcntl, fstat, poll and ppoll through the system-call table (spec/bridge.md §4, §5.1).
import { describe, expect, it } from "vitest";
import { STAT_SIZE } from "../../../kernel-shim/syscalls/stat.js";
import {
  AT_FDCWD, Errno, FD_CLOEXEC, F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_GETFL, F_SETFD, F_SETFL, O_APPEND, O_CLOEXEC,
  O_LARGEFILE, O_NONBLOCK, O_RDWR, Poll,
} from "../../../kernel-shim/uapi.js";
import { HMC1 } from "../../support/partition-harness.js";
import { openHandle, sys, type Sys } from "./helpers.js";

function pollfds(s: Sys, entries: [number, number][]): number {
  const b = new Uint8Array(8 * entries.length);
  const dv = new DataView(b.buffer);
  entries.forEach(([fd, events], i) => {
    dv.setInt32(8 * i, fd, true);
    dv.setInt16(8 * i + 4, events, true);
    dv.setInt16(8 * i + 6, 0x7777, true); // stale revents: the kernel overwrites them
  });
  return s.buf(b);
}

const revents = (s: Sys, at: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => new DataView(s.peek(at + 8 * i, 8).buffer).getUint16(6, true));

function stat(s: Sys, fd: number): { ret: number; view: DataView } {
  const at = s.buf(STAT_SIZE);
  const ret = s.call("fstat", fd, at);
  return { ret, view: new DataView(s.peek(at, STAT_SIZE).buffer) };
}

describe("dup, dup3, fcntl(F_DUPFD*)", () => {
  it("share the open file description: the handle is released only after the last close", () => {
    const s = sys();
    const [, h] = openHandle(s);
    const d = s.call("dup", h);
    expect(d).toBe(h + 1);
    expect(s.call("close", h)).toBe(0);
    // The source is still held: a second handle for it is refused.
    const [dev2] = [s.call("openat", AT_FDCWD, s.str("/dev/papr-hvpipe"), O_RDWR, 0)];
    const src = new Uint8Array(4);
    new DataView(src.buffer).setUint32(0, HMC1, true);
    expect(s.call("ioctl", dev2, 0x8004b209, s.buf(src))).toBe(-Errno.EALREADY);
    expect(s.call("close", d)).toBe(0);
    expect(s.call("ioctl", dev2, 0x8004b209, s.buf(src))).toBeGreaterThanOrEqual(0);
  });

  it("dup and F_DUPFD give no close-on-exec; dup3(O_CLOEXEC) and F_DUPFD_CLOEXEC do", () => {
    const s = sys();
    const [, h] = openHandle(s);
    expect(s.call("fcntl", h, F_GETFD, 0)).toBe(FD_CLOEXEC);
    const a = s.call("dup", h);
    const b = s.call("fcntl", h, F_DUPFD, 10);
    const c = s.call("fcntl", h, F_DUPFD_CLOEXEC, 10);
    const d = s.call("dup3", h, 20, O_CLOEXEC);
    const e = s.call("dup3", h, 21, 0);
    expect([a, b, c, d, e]).toEqual([5, 10, 11, 20, 21]);
    expect([a, b, c, d, e].map((fd) => s.call("fcntl", fd, F_GETFD, 0))).toEqual([0, 0, FD_CLOEXEC, FD_CLOEXEC, 0]);
    expect(s.call("fcntl", h, F_SETFD, 0)).toBe(0);
    expect(s.call("fcntl", h, F_GETFD, 0)).toBe(0);
  });

  it("errors: EBADF, EINVAL for dup3 onto itself or with other flags, EINVAL for F_DUPFD past the limit, EMFILE", () => {
    const s = sys();
    const [dev, h] = openHandle(s);
    expect(s.call("dup", 99)).toBe(-Errno.EBADF);
    expect(s.call("dup3", 99, 50, 0)).toBe(-Errno.EBADF);
    expect(s.call("dup3", h, h, 0)).toBe(-Errno.EINVAL);
    expect(s.call("dup3", h, 50, O_NONBLOCK)).toBe(-Errno.EINVAL);
    expect(s.call("dup3", h, 1024, 0)).toBe(-Errno.EBADF);
    expect(s.call("fcntl", h, F_DUPFD, 1024)).toBe(-Errno.EINVAL);
    expect(s.call("fcntl", 99, F_GETFD, 0)).toBe(-Errno.EBADF);
    expect(s.call("fcntl", h, 9999, 0)).toBe(-Errno.EINVAL);
    expect(s.call("fcntl", dev, F_DUPFD, 1023)).toBe(1023);
    expect(s.call("fcntl", dev, F_DUPFD, 1023)).toBe(-Errno.EMFILE);
  });

  it("dup3 onto an open fd closes it first", () => {
    const s = sys();
    const [dev, h] = openHandle(s);
    expect(s.call("dup3", dev, h, 0)).toBe(h);
    // h now refers to the device: the handle's last reference went, so its source is free again.
    expect(s.call("fstat", h, s.buf(STAT_SIZE))).toBe(0);
    expect(stat(s, h).view.getUint32(24, true)).toBe(0o020600);
  });
});

describe("fcntl(F_GETFL / F_SETFL)", () => {
  it("the device: access mode plus O_LARGEFILE; a handle: O_RDWR", () => {
    const s = sys();
    const [dev, h] = openHandle(s);
    expect(s.call("fcntl", dev, F_GETFL, 0)).toBe(O_RDWR | O_LARGEFILE);
    expect(s.call("fcntl", h, F_GETFL, 0)).toBe(O_RDWR);
  });

  it("F_SETFL changes O_APPEND and O_NONBLOCK only, on the shared description", () => {
    const s = sys();
    const [, h] = openHandle(s);
    const d = s.call("dup", h);
    expect(s.call("fcntl", h, F_SETFL, O_NONBLOCK | O_APPEND | O_CLOEXEC)).toBe(0);
    expect(s.call("fcntl", d, F_GETFL, 0)).toBe(O_RDWR | O_NONBLOCK | O_APPEND);
  });
});

describe("fstat", () => {
  it("the device: S_IFCHR|0600, st_rdev (10, minor), size 0, in the powerpc64 layout", () => {
    const s = sys();
    const dev = s.call("openat", AT_FDCWD, s.str("/dev/papr-hvpipe"), O_RDWR, 0);
    const { ret, view } = stat(s, dev);
    expect(ret).toBe(0);
    expect(view.getBigUint64(16, true)).toBe(1n); // st_nlink
    expect(view.getUint32(24, true)).toBe(0o020600); // st_mode
    const rdev = Number(view.getBigUint64(40, true));
    expect(rdev >> 8).toBe(10); // major
    expect(rdev & 0xff).toBe(255); // the first dynamic minor
    expect(view.getBigInt64(48, true)).toBe(0n); // st_size
    expect(view.getBigUint64(56, true)).toBe(4096n); // st_blksize
  });

  it("a handle: mode 0600 without type bits, no st_rdev; EFAULT on a short buffer; EBADF", () => {
    const s = sys();
    const [, h] = openHandle(s);
    const { ret, view } = stat(s, h);
    expect(ret).toBe(0);
    expect(view.getUint32(24, true)).toBe(0o600);
    expect(view.getBigUint64(40, true)).toBe(0n);
    expect(s.call("fstat", h, s.end - 100)).toBe(-Errno.EFAULT);
    expect(s.call("fstat", h, 0x1000)).toBe(-Errno.EFAULT);
    expect(s.call("fstat", 99, s.buf(STAT_SIZE))).toBe(-Errno.EBADF);
  });
});

describe("poll and ppoll", () => {
  it("counts the ready entries and writes each revents (masked by events); negative fds are skipped; NVAL for a closed fd", () => {
    const s = sys();
    const [dev, h] = openHandle(s);
    const at = pollfds(s, [[dev, Poll.POLLIN], [h, Poll.POLLIN], [-1, Poll.POLLIN], [77, 0]]);
    expect(s.call("poll", at, 4, 0)).toBe(2);
    expect(revents(s, at, 4)).toEqual([Poll.POLLIN, 0, 0, Poll.POLLNVAL]);
  });

  it("a message makes the handle readable", () => {
    const s = sys();
    const [, h] = openHandle(s);
    s.t.machine.outside.hmc.send(HMC1, new TextEncoder().encode("x"));
    s.t.kernel.settle();
    const at = pollfds(s, [[h, Poll.POLLIN | Poll.POLLOUT]]);
    expect(s.call("poll", at, 1, 0)).toBe(1);
    expect(revents(s, at, 1)).toEqual([Poll.POLLIN]);
  });

  it("poll times out on the emulated clock and returns 0", () => {
    const s = sys();
    const [, h] = openHandle(s);
    const at = pollfds(s, [[h, Poll.POLLIN]]);
    const before = s.t.kernel.sched.nowNs;
    expect(s.call("poll", at, 1, 250)).toBe(0);
    expect(s.t.kernel.sched.nowNs - before).toBe(250e6);
  });

  it("EFAULT on an unmapped array, EINVAL past RLIMIT_NOFILE entries", () => {
    const s = sys();
    expect(s.call("poll", 0x1000, 1, 0)).toBe(-Errno.EFAULT);
    expect(s.call("poll", s.buf(8), 1025, 0)).toBe(-Errno.EINVAL);
  });

  it("ppoll: a timespec timeout, EINVAL for a bad timespec or sigset size, EFAULT for unmapped ones", () => {
    const s = sys();
    const [, h] = openHandle(s);
    const at = pollfds(s, [[h, Poll.POLLIN]]);
    const ts = (sec: number, nsec: number): number => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setBigInt64(0, BigInt(sec), true);
      new DataView(b.buffer).setBigInt64(8, BigInt(nsec), true);
      return s.buf(b);
    };
    const before = s.t.kernel.sched.nowNs;
    expect(s.call("ppoll", at, 1, ts(0, 5e6), 0, 0)).toBe(0);
    expect(s.t.kernel.sched.nowNs - before).toBe(5e6);
    expect(s.call("ppoll", at, 1, ts(0, 1e9), 0, 0)).toBe(-Errno.EINVAL);
    expect(s.call("ppoll", at, 1, 0x1000, 0, 0)).toBe(-Errno.EFAULT);
    expect(s.call("ppoll", at, 1, ts(0, 0), s.buf(8), 16)).toBe(-Errno.EINVAL);
    expect(s.call("ppoll", at, 1, ts(0, 0), 0x1000, 8)).toBe(-Errno.EFAULT);
    expect(s.call("ppoll", at, 1, ts(0, 0), s.buf(8), 8)).toBe(0);
  });

  it("by number: the table's powerpc number reaches the same call; an unknown one is ENOSYS", () => {
    const s = sys();
    const k = s.t.kernel;
    const run = (nr: number, args: number[]): number => {
      const th = k.sched.spawn("prog:raw", "user", k.syscalls.byNumber(1, nr, args), 1);
      k.settle();
      return th.result as number;
    };
    expect(run(286, [AT_FDCWD, s.str("/dev/papr-hvpipe"), O_RDWR, 0])).toBe(3);
    expect(run(6, [3])).toBe(0);
    expect(run(9999, [])).toBe(-Errno.ENOSYS);
  });
});
