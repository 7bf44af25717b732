// The system-call table: openat, close, read, write, pread64, lseek, ioctl with user-space
// arguments, exact returns and errnos (spec/bridge.md §4, §5).
import { describe, expect, it } from "vitest";
import { SYSCALL_TABLE } from "../../../kernel-shim/syscalls/table.js";
import {
  AT_FDCWD, Errno, FIOASYNC, FIOCLEX, FIONBIO, FIONCLEX, F_GETFD, F_GETFL, O_LARGEFILE, O_NONBLOCK, O_RDONLY, O_RDWR,
  O_WRONLY, PATH_MAX, SEEK_SET,
} from "../../../kernel-shim/uapi.js";
import { openHandle, sys, u32le } from "./helpers.js";

describe("the syscall table", () => {
  it("has the powerpc numbers", () => {
    const numbers = Object.fromEntries(Object.entries(SYSCALL_TABLE).map(([n, e]) => [n, e.nr]));
    expect(numbers).toEqual({
      read: 3, write: 4, close: 6, lseek: 19, dup: 41, ioctl: 54, fcntl: 55, fstat: 108, poll: 167, pread64: 179,
      ppoll: 281, openat: 286, dup3: 316,
    });
  });

  it("records syscall-enter with the arguments and syscall-exit with the return", () => {
    const s = sys();
    const path = s.str("/dev/papr-hvpipe");
    const fd = s.call("openat", AT_FDCWD, path, O_RDWR, 0);
    const events = s.t.kernel.sched.trace.map((r) => r.event).filter((e) => e.kind === "syscall-enter" || e.kind === "syscall-exit");
    expect(events).toEqual([
      { kind: "syscall-enter", name: "openat", args: [AT_FDCWD, path, O_RDWR, 0] },
      { kind: "syscall-exit", name: "openat", ret: fd },
    ]);
  });
});

describe("openat", () => {
  it("opens the device at the lowest free fd, relative paths from /", () => {
    const s = sys();
    expect(s.call("openat", AT_FDCWD, s.str("/dev/papr-hvpipe"), O_RDWR, 0)).toBe(3);
    expect(s.call("openat", AT_FDCWD, s.str("dev/papr-hvpipe"), O_RDWR, 0)).toBe(4);
  });

  it("ENOENT for a missing node and for an empty path; ENOTDIR/EBADF for a relative path off a non-directory fd", () => {
    const s = sys();
    expect(s.call("openat", AT_FDCWD, s.str("/dev/papr-sysparm"), O_RDWR, 0)).toBe(-Errno.ENOENT);
    expect(s.call("openat", AT_FDCWD, s.str(""), O_RDWR, 0)).toBe(-Errno.ENOENT);
    expect(s.call("openat", 0, s.str("dev/papr-hvpipe"), O_RDWR, 0)).toBe(-Errno.ENOTDIR);
    expect(s.call("openat", 77, s.str("dev/papr-hvpipe"), O_RDWR, 0)).toBe(-Errno.EBADF);
  });

  it("EFAULT on an unmapped path, also one running off the end before its NUL; ENAMETOOLONG at PATH_MAX", () => {
    const s = sys();
    expect(s.call("openat", AT_FDCWD, 0x1000, O_RDWR, 0)).toBe(-Errno.EFAULT);
    const tail = new TextEncoder().encode("/dev/papr");
    const at = s.end - tail.length;
    s.t.kernel.processes.get(1).poke(at, tail);
    expect(s.call("openat", AT_FDCWD, at, O_RDWR, 0)).toBe(-Errno.EFAULT);
    expect(s.call("openat", AT_FDCWD, s.buf(new Uint8Array(PATH_MAX).fill(0x61)), O_RDWR, 0)).toBe(-Errno.ENAMETOOLONG);
  });

  it("EMFILE once fds 0…1023 are taken", () => {
    const s = sys();
    const path = s.str("/dev/papr-hvpipe");
    for (let fd = 3; fd < 1024; fd++) expect(s.call("openat", AT_FDCWD, path, O_RDWR, 0)).toBe(fd);
    expect(s.call("openat", AT_FDCWD, path, O_RDWR, 0)).toBe(-Errno.EMFILE);
    expect(s.call("close", 500)).toBe(0);
    expect(s.call("openat", AT_FDCWD, path, O_RDWR, 0)).toBe(500);
  });
});

describe("close, read, write on the device", () => {
  it("close: 0, then EBADF", () => {
    const s = sys();
    const fd = s.call("openat", AT_FDCWD, s.str("/dev/papr-hvpipe"), O_RDWR, 0);
    expect(s.call("close", fd)).toBe(0);
    expect(s.call("close", fd)).toBe(-Errno.EBADF);
    expect(s.call("close", -1)).toBe(-Errno.EBADF);
  });

  it("read/write: EINVAL (no such operation), EBADF against the access mode, EBADF on a closed fd", () => {
    const s = sys();
    const path = s.str("/dev/papr-hvpipe");
    const rw = s.call("openat", AT_FDCWD, path, O_RDWR, 0);
    const ro = s.call("openat", AT_FDCWD, path, O_RDONLY, 0);
    const wo = s.call("openat", AT_FDCWD, path, O_WRONLY, 0);
    const b = s.buf(64);
    expect(s.call("read", rw, b, 64)).toBe(-Errno.EINVAL);
    expect(s.call("write", rw, b, 64)).toBe(-Errno.EINVAL);
    expect(s.call("read", wo, b, 64)).toBe(-Errno.EBADF);
    expect(s.call("write", ro, b, 64)).toBe(-Errno.EBADF);
    expect(s.call("pread64", rw, b, 64, 0)).toBe(-Errno.EINVAL);
    expect(s.call("pread64", wo, b, 64, 0)).toBe(-Errno.EBADF);
    expect(s.call("pread64", rw, b, 64, -1)).toBe(-Errno.EINVAL);
    expect(s.call("read", 99, b, 64)).toBe(-Errno.EBADF);
    expect(s.call("write", 99, b, 64)).toBe(-Errno.EBADF);
  });

  it("lseek: ESPIPE on the device and on a handle, EINVAL for a bad whence, EBADF on a closed fd", () => {
    const s = sys();
    const [dev, h] = openHandle(s);
    expect(s.call("lseek", dev, 0, SEEK_SET)).toBe(-Errno.ESPIPE);
    expect(s.call("lseek", h, 0, SEEK_SET)).toBe(-Errno.ESPIPE);
    expect(s.call("lseek", h, 0, 5)).toBe(-Errno.EINVAL);
    expect(s.call("lseek", 99, 0, SEEK_SET)).toBe(-Errno.EBADF);
  });

  it("pread64 on a handle: ESPIPE", () => {
    const s = sys();
    const [, h] = openHandle(s);
    expect(s.call("pread64", h, s.buf(4096), 4096, 0)).toBe(-Errno.ESPIPE);
  });
});

describe("ioctl", () => {
  it("creates a handle from a u32 in user memory; EFAULT on an unmapped pointer; EBADF on a closed fd", () => {
    const s = sys();
    const [dev, h] = openHandle(s);
    expect(h).toBe(4);
    expect(s.call("ioctl", dev, 0x8004b209, 0x1000)).toBe(-Errno.EFAULT);
    expect(s.call("ioctl", 99, 0x8004b209, s.buf(u32le(0x02000002)))).toBe(-Errno.EBADF);
  });

  it("FIOCLEX / FIONCLEX set and clear the fd flag; FIONBIO the status flag; FIOASYNC is ENOTTY", () => {
    const s = sys();
    const dev = s.call("openat", AT_FDCWD, s.str("/dev/papr-hvpipe"), O_RDWR, 0);
    expect(s.call("ioctl", dev, FIOCLEX, 0)).toBe(0);
    expect(s.call("fcntl", dev, F_GETFD, 0)).toBe(1);
    expect(s.call("ioctl", dev, FIONCLEX, 0)).toBe(0);
    expect(s.call("fcntl", dev, F_GETFD, 0)).toBe(0);
    expect(s.call("ioctl", dev, FIONBIO, s.buf(u32le(1)))).toBe(0);
    expect(s.call("fcntl", dev, F_GETFL, 0)).toBe(O_RDWR | O_LARGEFILE | O_NONBLOCK);
    expect(s.call("ioctl", dev, FIONBIO, s.buf(u32le(0)))).toBe(0);
    expect(s.call("fcntl", dev, F_GETFL, 0)).toBe(O_RDWR | O_LARGEFILE);
    expect(s.call("ioctl", dev, FIONBIO, 0x1000)).toBe(-Errno.EFAULT);
    expect(s.call("ioctl", dev, FIOASYNC, s.buf(u32le(1)))).toBe(-Errno.ENOTTY);
  });

  it("an unknown command on a handle is ENOTTY", () => {
    const s = sys();
    const [, h] = openHandle(s);
    expect(s.call("ioctl", h, 0x1234, 0)).toBe(-Errno.ENOTTY);
  });
});

describe("read and write on a handle through the table", () => {
  it("write sends the payload after the 48-byte header; read returns header + payload", () => {
    const s = sys();
    const [, h] = openHandle(s);
    const msg = new Uint8Array(48 + 5);
    msg.set(new TextEncoder().encode("hello"), 48);
    expect(s.call("write", h, s.buf(msg), msg.length)).toBe(53);
    expect(s.t.machine.outside.hmc.inbox(0x02000001).map((b) => new TextDecoder().decode(b))).toEqual(["hello"]);
    s.t.machine.outside.hmc.send(0x02000001, new TextEncoder().encode("back"));
    s.t.kernel.settle();
    const buf = s.buf(4096);
    expect(s.call("read", h, buf, 4096)).toBe(52);
    expect(new TextDecoder().decode(s.peek(buf + 48, 4))).toBe("back");
  });
});
