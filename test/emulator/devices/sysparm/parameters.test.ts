// ibm,get-system-parameter / ibm,set-system-parameter (spec/spapr-platform.md §1.7,
// spec/hvpipe-driver.md §8).
import { describe, expect, it } from "vitest";
import type { Machine } from "../../../../emulator/machine.js";
import { RAM, SENTINEL, SYSPARM_BUF, bytesAt, fill, machine, rtas, setSysparm, writeBytes } from "../../helpers.js";

const ascii = (s: string): number[] => [...new TextEncoder().encode(s)];

/** get-system-parameter(parameter, SYSPARM_BUF or buf, length): status. */
function get(m: Machine, parameter: number, length: number, buf = SYSPARM_BUF): number {
  return rtas(m, "ibm,get-system-parameter", [parameter, buf, length], 1).rets[0]!;
}

describe("ibm,get-system-parameter", () => {
  it("20: the SPLPAR characteristics string, NUL included, with its BE16 length", () => {
    const m = machine({ cpus: 2, memoryBytes: 16 * 1024 * 1024 });
    fill(m, SYSPARM_BUF, 64);
    expect(get(m, 20, 4000)).toBe(0);
    const text = "MaxEntCap=2,DesMem=16,DesProcs=2,MaxPlatProcs=2\0";
    // §1.7: BE16 full length (48 = 0x0030), then the ASCII value with its NUL; nothing after it.
    expect(text.length).toBe(48);
    expect(bytesAt(m, SYSPARM_BUF, 51)).toEqual([0x00, 0x30, ...ascii(text), SENTINEL]);
  });

  it("20 follows the machine's CPUs and memory", () => {
    const m = machine({ cpus: 4, memoryBytes: 32 * 1024 * 1024 });
    expect(get(m, 20, 4000)).toBe(0);
    const text = "MaxEntCap=4,DesMem=32,DesProcs=4,MaxPlatProcs=4\0";
    expect(bytesAt(m, SYSPARM_BUF, 2 + text.length)).toEqual([0, text.length, ...ascii(text)]);
  });

  it("42: one byte, diagnostics run mode 0 (disabled)", () => {
    const m = machine();
    fill(m, SYSPARM_BUF, 8);
    expect(get(m, 42, 4000)).toBe(0);
    // §1.7: 42 → 1 byte, 0 (DISABLED).
    expect(bytesAt(m, SYSPARM_BUF, 4)).toEqual([0x00, 0x01, 0x00, SENTINEL]);
  });

  it("48: no UUID configured, so length 0 and no value bytes", () => {
    const m = machine();
    fill(m, SYSPARM_BUF, 8);
    expect(get(m, 48, 4000)).toBe(0);
    // §1.7: 16 raw bytes if -uuid was given, else length 0.
    expect(bytesAt(m, SYSPARM_BUF, 3)).toEqual([0x00, 0x00, SENTINEL]);
  });

  it("64: reflects what set-system-parameter last wrote", () => {
    const m = machine();
    expect(get(m, 64, 16)).toBe(0);
    expect(bytesAt(m, SYSPARM_BUF, 3)).toEqual([0, 1, 0]);
    expect(setSysparm(m, 64, [0, 1, 1])).toBe(0);
    expect(get(m, 64, 16)).toBe(0);
    // hvpipe-driver.md §8: 1 data byte, 1 = enabled.
    expect(bytesAt(m, SYSPARM_BUF, 3)).toEqual([0, 1, 1]);
    expect(setSysparm(m, 64, [0, 1, 0])).toBe(0);
    expect(get(m, 64, 16)).toBe(0);
    expect(bytesAt(m, SYSPARM_BUF, 3)).toEqual([0, 1, 0]);
  });

  it("a short buffer truncates the value but keeps the full length prefix", () => {
    const m = machine({ cpus: 2 });
    fill(m, SYSPARM_BUF, 16);
    expect(get(m, 20, 10)).toBe(0);
    // §1.7 sysparm_st: BE16 full length (48), then min(length - 2, 48) = 8 bytes; byte 10 untouched.
    expect(bytesAt(m, SYSPARM_BUF, 11)).toEqual([0x00, 0x30, ...ascii("MaxEntCa"), SENTINEL]);
    fill(m, SYSPARM_BUF, 16);
    expect(get(m, 20, 2)).toBe(0);
    expect(bytesAt(m, SYSPARM_BUF, 3)).toEqual([0x00, 0x30, SENTINEL]);
  });

  it("a length below 2 answers -9999 and writes nothing", () => {
    const m = machine();
    fill(m, SYSPARM_BUF, 4);
    // §1.7: buffer length < 2 → RTAS_OUT_SYSPARM_PARAM_ERROR.
    expect(get(m, 20, 1)).toBe(-9999);
    expect(get(m, 64, 0)).toBe(-9999);
    expect(bytesAt(m, SYSPARM_BUF, 4)).toEqual([SENTINEL, SENTINEL, SENTINEL, SENTINEL]);
  });

  it("an unknown parameter answers -3", () => {
    const m = machine();
    fill(m, SYSPARM_BUF, 4);
    // §1.7: other parameters → -3 (NOT_SUPPORTED).
    for (const p of [0, 21, 43, 60, 65, 0xffffffff]) expect(get(m, p, 4000)).toBe(-3);
    expect(bytesAt(m, SYSPARM_BUF, 4)).toEqual([SENTINEL, SENTINEL, SENTINEL, SENTINEL]);
  });

  it("a buffer outside RAM answers -3 and writes nothing", () => {
    const m = machine({ cpus: 2 });
    fill(m, RAM - 16, 16);
    // 2 + 48 bytes would not fit at RAM - 16; the address is checked before any write.
    expect(get(m, 20, 4000, RAM - 16)).toBe(-3);
    expect(get(m, 42, 4000, RAM)).toBe(-3);
    expect(get(m, 42, 4000, 0xfffffffe)).toBe(-3);
    expect(bytesAt(m, RAM - 16, 16)).toEqual(new Array(16).fill(SENTINEL));
    // Only the bytes that would be written need to be in RAM: 48 (length 0) fits in the last 2 bytes.
    expect(get(m, 48, 4000, RAM - 2)).toBe(0);
    expect(bytesAt(m, RAM - 2, 2)).toEqual([0, 0]);
  });

  it("wrong nargs or nret answers -3", () => {
    const m = machine();
    // The emulator checks the call shape (3 args, 1 ret), stricter than QEMU which does not (§1.7).
    expect(rtas(m, "ibm,get-system-parameter", [42, SYSPARM_BUF], 1).rets).toEqual([-3]);
    expect(rtas(m, "ibm,get-system-parameter", [42, SYSPARM_BUF, 16, 0], 1).rets).toEqual([-3]);
    expect(rtas(m, "ibm,get-system-parameter", [42, SYSPARM_BUF, 16], 2).rets).toEqual([-3, 0]);
  });
});

describe("ibm,set-system-parameter", () => {
  it("64 with 00 01 01 enables the pipe and 00 01 00 disables it", () => {
    const m = machine();
    // hvpipe-driver.md §8: work area {BE16 len = 1, u8 1|0}.
    expect(setSysparm(m, 64, [0x00, 0x01, 0x01])).toBe(0);
    expect(m.devices.hvpipe.model.isEnabled()).toBe(true);
    expect(m.inspect().hvpipe.enabled).toBe(true);
    expect(setSysparm(m, 64, [0x00, 0x01, 0x00])).toBe(0);
    expect(m.devices.hvpipe.model.isEnabled()).toBe(false);
  });

  it("64 with a wrong length or a value above 1 answers -9999 and changes nothing", () => {
    const m = machine();
    // §8: -9999 is the sysparm parameter error (→ -EINVAL in papr_sysparm_set).
    for (const buffer of [[0, 0, 1], [0, 2, 1], [1, 1, 1], [0xff, 0xff, 1], [0, 1, 2], [0, 1, 0xff]]) {
      expect(setSysparm(m, 64, buffer)).toBe(-9999);
      expect(m.devices.hvpipe.model.isEnabled()).toBe(false);
    }
  });

  it("64 with a buffer outside RAM answers -3", () => {
    const m = machine();
    expect(rtas(m, "ibm,set-system-parameter", [64, RAM - 2], 1).rets).toEqual([-3]);
    expect(rtas(m, "ibm,set-system-parameter", [64, RAM], 1).rets).toEqual([-3]);
    expect(m.devices.hvpipe.model.isEnabled()).toBe(false);
    // The last 3 bytes of RAM are a valid work area.
    writeBytes(m, RAM - 3, [0, 1, 1]);
    expect(rtas(m, "ibm,set-system-parameter", [64, RAM - 3], 1).rets).toEqual([0]);
    expect(m.devices.hvpipe.model.isEnabled()).toBe(true);
  });

  it("20, 42 and 48 are read-only: -9002", () => {
    const m = machine();
    // §1.7: NOT_AUTHORIZED for the parameters get knows.
    for (const p of [20, 42, 48]) expect(setSysparm(m, p, [0, 1, 0])).toBe(-9002);
  });

  it("an unknown parameter answers -3", () => {
    const m = machine();
    for (const p of [0, 21, 63, 65, 0xffffffff]) expect(setSysparm(m, p, [0, 1, 1])).toBe(-3);
  });

  it("wrong nargs or nret answers -3 and does not enable the pipe", () => {
    const m = machine();
    writeBytes(m, SYSPARM_BUF, [0, 1, 1]);
    expect(rtas(m, "ibm,set-system-parameter", [64], 1).rets).toEqual([-3]);
    expect(rtas(m, "ibm,set-system-parameter", [64, SYSPARM_BUF, 3], 1).rets).toEqual([-3]);
    expect(rtas(m, "ibm,set-system-parameter", [64, SYSPARM_BUF], 2).rets).toEqual([-3, 0]);
    expect(m.devices.hvpipe.model.isEnabled()).toBe(false);
  });
});
