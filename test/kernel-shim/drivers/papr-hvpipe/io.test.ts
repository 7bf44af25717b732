// The handle's file operations on the emulated partition: ioctl, write, read, poll, close
// (spec/hvpipe-driver.md §4.3-§4.7, mainline profile), with exact returns.
import { describe, expect, it } from "vitest";
import { Layout } from "../../../../kernel-shim/memory.js";
import { Errno, HVPIPE_LOST_CONNECTION, HVPIPE_MSG_AVAILABLE, O_CLOEXEC, Poll } from "../../../../kernel-shim/uapi.js";
import { withHeader } from "../../../../runner/harness/guest-syscalls.js";
import { boot, handle, HMC1, HMC2, text, hvpipeOf } from "../../../support/partition-harness.js";

const CREATE = 0x8004b209;

describe("ioctl on /dev/papr-hvpipe", () => {
  it("checks the pointer, then the source id, then the command", () => {
    const t = boot();
    const dev = t.sys.open(1, "/dev/papr-hvpipe");
    // A pointer into kernel memory faults in get_user: EFAULT even with an unknown command.
    expect(t.sys.ioctlAt(1, dev, 0x1234, Layout.rtasArgs)).toBe(-Errno.EFAULT);
    // A source id without bit 0x02000000 is EINVAL even with an unknown command.
    expect(t.sys.ioctl(1, dev, 0x1234, 0x01000001)).toBe(-Errno.EINVAL);
    // Only then is the command looked at: ENOIOCTLCMD becomes ENOTTY.
    expect(t.sys.ioctl(1, dev, 0x1234, HMC1)).toBe(-Errno.ENOTTY);
    expect(t.sys.ioctl(1, dev, CREATE, HMC1)).toBe(4);
  });

  it("returns an O_RDWR handle with close-on-exec, one per source across processes", () => {
    const t = boot();
    const fd = handle(t, HMC1, 1);
    const entry = t.kernel.processes.get(1).fds.get(fd)!;
    expect(entry.cloexec).toBe(true);
    expect(entry.file.name).toBe("[papr-hvpipe]");
    const dev2 = t.sys.open(2, "/dev/papr-hvpipe");
    expect(t.sys.ioctl(2, dev2, CREATE, HMC1)).toBe(-Errno.EALREADY);
    expect(t.dmesg()).toContain("pid(p2:2) could not get the source(0x2000001)");
    // Closing /dev/papr-hvpipe does not touch the handles it created.
    expect(t.sys.close(1, 3)).toBe(0);
    expect(hvpipeOf(t.kernel).srcList.map((s) => s.srcID)).toEqual([HMC1]);
  });

  it("ioctl on a handle fd is ENOTTY (handles have no ioctl)", () => {
    const t = boot();
    const fd = handle(t);
    expect(t.sys.ioctl(1, fd, CREATE, HMC2)).toBe(-Errno.ENOTTY);
  });
});

describe("write → ibm,send-hvpipe-msg", () => {
  it("sends size - 48 bytes through a one-entry buffer list and returns size", () => {
    const t = boot();
    const fd = handle(t);
    expect(t.sys.write(1, fd, withHeader(text("hello HMC")))).toBe(57);
    const send = t.rtasCalls.find((c) => c.name === "ibm,send-hvpipe-msg")!;
    expect(send.args[0]).toBe(HMC1);
    // The list lives in an RTAS work area: 4 KiB aligned inside the arena.
    expect(send.args[1]! % 4096).toBe(0);
    expect(send.args[1]! >= Layout.workAreaArena && send.args[1]! < Layout.workAreaArena + Layout.workAreaArenaSize).toBe(true);
    expect([...t.machine.devices.hvpipe.model.sources.get(HMC1)!.received[0]!]).toEqual([...text("hello HMC")]);
    // Both work areas were given back.
    expect(t.kernel.workAreas.inUse()).toBe(0);
  });

  it("ignores the user's header bytes", () => {
    const t = boot();
    const fd = handle(t);
    const bytes = withHeader(text("x"));
    bytes.fill(0xee, 0, 48);
    expect(t.sys.write(1, fd, bytes)).toBe(49);
    expect([...t.machine.devices.hvpipe.model.sources.get(HMC1)!.received[0]!]).toEqual([0x78]);
  });

  it.each([[48, -Errno.EINVAL], [49, 49], [4096, 4096], [4097, -Errno.EINVAL], [0, -Errno.EINVAL]])(
    "write of %i bytes returns %i", (size, ret) => {
      const t = boot();
      const fd = handle(t);
      expect(t.sys.write(1, fd, new Uint8Array(size), size)).toBe(ret);
    });

  it("a payload pointer that faults is EPERM (sic) and nothing is sent", () => {
    const t = boot();
    const fd = handle(t);
    const p = t.kernel.processes.get(1);
    // The header is mapped, the payload runs off the end of the address space.
    const addr = p.userBase + p.userSize - 60;
    expect(t.sys.writeAt(1, fd, addr, 100)).toBe(-Errno.EPERM);
    expect(t.rtasCalls.some((c) => c.name === "ibm,send-hvpipe-msg")).toBe(false);
    expect(t.kernel.workAreas.inUse()).toBe(0);
  });

  it.each([
    [-1, -Errno.EIO], [-3, -Errno.EINVAL], [-4, -Errno.EPIPE], [-5, -Errno.EOPNOTSUPP], [-9000, -Errno.EIO], [1, -Errno.EIO],
  ])("send status %i becomes %i", (status, errno) => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.faults.inject("ibm,send-hvpipe-msg", status, 1);
    expect(t.sys.write(1, fd, withHeader(text("x")))).toBe(errno);
  });

  it("an unexpected status is logged under the receive function's name, as Linux does", () => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.faults.inject("ibm,send-hvpipe-msg", -9000, 1);
    t.sys.write(1, fd, withHeader(text("x")));
    expect(t.dmesg()).toContain("unexpected ibm,receive-hvpipe-msg status -9000");
  });

  it.each([[9900, 1], [9901, 10], [9902, 100], [9903, 1000], [9904, 1000], [9905, 1000]])(
    "extended delay %i is retried after %i ms of emulated time", (status, ms) => {
      const t = boot();
      const fd = handle(t);
      const before = t.kernel.sched.nowNs;
      t.machine.outside.faults.inject("ibm,send-hvpipe-msg", status, 1);
      expect(t.sys.write(1, fd, withHeader(text("late")))).toBe(52);
      expect(t.kernel.sched.nowNs - before).toBe(ms * 1e6);
    });

  it("busy (-2) is retried at once, without emulated time passing", () => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.faults.inject("ibm,send-hvpipe-msg", -2, 5);
    expect(t.sys.write(1, fd, withHeader(text("busy")))).toBe(52);
    expect(t.kernel.sched.nowNs).toBe(0);
    expect(t.rtasCalls.filter((c) => c.name === "ibm,send-hvpipe-msg")).toHaveLength(6);
  });
});

describe("read → ibm,receive-hvpipe-msg", () => {
  it("returns 48 + payload with a zeroed header whose flags are MSG_AVAILABLE (little-endian)", () => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.hmc.send(HMC1, text("payload!"));
    t.kernel.settle();
    const r = t.sys.read(1, fd, 4096);
    expect(r.ret).toBe(56);
    const hdr = new Uint8Array(48);
    hdr[4] = HVPIPE_MSG_AVAILABLE;
    expect([...r.header!]).toEqual([...hdr]);
    expect(new TextDecoder().decode(r.payload)).toBe("payload!");
    // The receive asked for the whole 4 KiB work area.
    expect(t.rtasCalls.find((c) => c.name === "ibm,receive-hvpipe-msg")!.args[1]).toBe(4096);
  });

  it("read of exactly 48 bytes with a message pending consumes it: 48 returned, payload lost", () => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.hmc.send(HMC1, text("gone"));
    t.kernel.settle();
    expect(t.sys.read(1, fd, 48).ret).toBe(48);
    expect(t.dmesg()).toContain("Received the payload size = 4, but the buffer size = 0");
    expect(t.sys.read(1, fd, 4096).ret).toBe(0);
  });

  it("a header that cannot be copied is EFAULT and the message stays pending", () => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.hmc.send(HMC1, text("kept"));
    t.kernel.settle();
    expect(t.sys.readAt(1, fd, Layout.rtasArgs, 4096)).toBe(-Errno.EFAULT);
    expect(t.sys.read(1, fd, 4096).ret).toBe(52);
  });

  it("a payload that cannot be copied is EFAULT and the message is consumed anyway", () => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.hmc.send(HMC1, text("lost in copy"));
    t.kernel.settle();
    const p = t.kernel.processes.get(1);
    expect(t.sys.readAt(1, fd, p.userBase + p.userSize - 50, 4096)).toBe(-Errno.EFAULT);
    expect(hvpipeOf(t.kernel).find(HMC1)!.hvpipeStatus).toBe(0);
    expect(t.sys.read(1, fd, 4096).ret).toBe(0);
  });

  it.each([[-1, -Errno.EIO], [-3, -Errno.EINVAL], [-4, -Errno.EIO], [-5, -Errno.EOPNOTSUPP]])(
    "receive status %i: read returns %i, the message flag stays so a later read gets it", (status, errno) => {
      const t = boot();
      const fd = handle(t);
      t.machine.outside.hmc.send(HMC1, text("retry me"));
      t.kernel.settle();
      t.machine.outside.faults.inject("ibm,receive-hvpipe-msg", status, 1);
      expect(t.sys.read(1, fd, 4096).ret).toBe(errno);
      expect(t.dmesg()).toContain(`ibm,receive-hvpipe-msg failed with ${errno}`);
      expect(t.sys.read(1, fd, 4096).ret).toBe(56);
    });

  it("a message is delivered before a lost connection; each read clears one", () => {
    const t = boot();
    const fd = handle(t);
    t.machine.outside.hmc.send(HMC1, text("m"));
    t.machine.outside.hmc.close(HMC1);
    t.kernel.settle();
    expect(hvpipeOf(t.kernel).find(HMC1)!.hvpipeStatus).toBe(HVPIPE_MSG_AVAILABLE | HVPIPE_LOST_CONNECTION);
    const first = t.sys.read(1, fd, 4096);
    expect([first.ret, first.flags]).toEqual([49, HVPIPE_MSG_AVAILABLE]);
    const second = t.sys.read(1, fd, 4096);
    expect([second.ret, second.flags]).toEqual([48, HVPIPE_LOST_CONNECTION]);
    expect(t.sys.read(1, fd, 4096).ret).toBe(0);
  });
});

describe("poll", () => {
  it("is readable for a message and for a lost connection, not otherwise", () => {
    const t = boot();
    const fd = handle(t);
    expect(t.sys.poll(1, fd, 0)).toBe(0);
    t.machine.outside.hmc.close(HMC1);
    t.kernel.settle();
    expect(t.sys.poll(1, fd, 0)).toBe(Poll.POLLIN | Poll.POLLRDNORM);
  });

  it("waits on the emulated clock for its timeout", () => {
    const t = boot();
    const fd = handle(t);
    expect(t.sys.poll(1, fd, 1500)).toBe(0);
    expect(t.kernel.sched.nowNs).toBe(1500e6);
  });

  it("a closed fd polls as POLLNVAL", () => {
    const t = boot();
    expect(t.sys.poll(1, 42, 0)).toBe(Poll.POLLNVAL);
  });
});

describe("close (release)", () => {
  it("drains a pending message so the next one is announced", () => {
    const t = boot();
    const a = handle(t, HMC1);
    const b = handle(t, HMC2);
    t.machine.outside.hmc.send(HMC1, text("to a"));
    t.machine.outside.hmc.send(HMC2, text("to b"));
    t.kernel.settle();
    expect(t.sys.poll(1, b, 0)).toBe(0);
    expect(t.sys.close(1, a)).toBe(0);
    expect(t.rtasCalls.filter((c) => c.name === "ibm,receive-hvpipe-msg")).toHaveLength(1);
    expect(t.sys.poll(1, b, 0)).toBe(Poll.POLLIN | Poll.POLLRDNORM);
    expect(hvpipeOf(t.kernel).srcList.map((s) => s.srcID)).toEqual([HMC2]);
  });

  it("drops a pending lost-connection notice without calling the hypervisor", () => {
    const t = boot();
    const a = handle(t);
    t.machine.outside.hmc.close(HMC1);
    t.kernel.settle();
    expect(t.sys.close(1, a)).toBe(0);
    expect(t.rtasCalls.some((c) => c.name === "ibm,receive-hvpipe-msg")).toBe(false);
  });

  it("closing a bad fd is EBADF", () => {
    const t = boot();
    expect(t.sys.close(1, 99)).toBe(-Errno.EBADF);
  });
});

describe("open", () => {
  it("returns the lowest free descriptor after stdio; other paths are ENOENT", () => {
    const t = boot();
    expect(t.sys.open(1, "/dev/papr-hvpipe")).toBe(3);
    expect(t.sys.open(1, "/dev/papr-hvpipe")).toBe(4);
    expect(t.sys.open(1, "/dev/papr-vpd")).toBe(-Errno.ENOENT);
    expect(O_CLOEXEC).toBe(0o2000000);
  });
});
