// The node/property model: typed getters and setters with exact values and exact errors,
// lookup by path, child management, and what the encoder refuses to write.

import { describe, expect, it } from "vitest";
import { DeviceTree, DtError, DtNode, decodeFdt, encodeFdt } from "../../devicetree/index.js";
import { hexOf } from "./helpers.js";

function sample(): DeviceTree {
  const t = new DeviceTree();
  const cpu = t.root.addChild("cpus").addChild("PowerPC,POWER9@0");
  cpu.setU32("reg", 0x12345678)
    .setU32List("ibm,ppc-interrupt-gserver#s", [0, 0xffffffff])
    .setU64("ibm,u64", 0xfedcba9876543210n)
    .setString("status", "okay")
    .setStringList("compatible", ["ibm,a", "ibm,b"])
    .setEmpty("64-bit")
    .setBytes("raw", new Uint8Array([1, 2, 3]));
  return t;
}
const cpuOf = (t: DeviceTree): DtNode => t.lookup("/cpus/PowerPC,POWER9@0")!;

describe("typed getters", () => {
  const cpu = cpuOf(sample());

  it("read exact big-endian values", () => {
    expect(cpu.u32("reg")).toBe(0x12345678);
    expect(cpu.u32List("ibm,ppc-interrupt-gserver#s")).toEqual([0, 0xffffffff]);
    expect(cpu.u64("ibm,u64")).toBe(0xfedcba9876543210n);
    expect(cpu.string("status")).toBe("okay");
    expect(cpu.stringList("compatible")).toEqual(["ibm,a", "ibm,b"]);
    expect(cpu.stringList("64-bit")).toEqual([]);
    expect([...cpu.bytes("raw")]).toEqual([1, 2, 3]);
    expect([...cpu.bytes("64-bit")]).toEqual([]);
  });

  it("store the bytes a DTB holds", () => {
    expect(hexOf(cpu.property("reg")!.value)).toBe("12345678");
    expect(hexOf(cpu.property("ibm,u64")!.value)).toBe("fedcba9876543210");
    expect(Buffer.from(cpu.property("compatible")!.value).toString("latin1")).toBe("ibm,a\0ibm,b\0");
  });

  it("bytes() returns a copy", () => {
    cpu.bytes("raw")[0] = 99;
    expect(cpu.bytes("raw")[0]).toBe(1);
  });

  it.each<[string, () => unknown, string]>([
    ["missing", () => cpu.u32("nope"), '/cpus/PowerPC,POWER9@0: property "nope" is missing'],
    ["u32 of 8 bytes", () => cpu.u32("ibm,u64"), '/cpus/PowerPC,POWER9@0: property "ibm,u64" is 8 bytes, expected 4 (one u32 cell)'],
    ["u32List of 3 bytes", () => cpu.u32List("raw"),
      '/cpus/PowerPC,POWER9@0: property "raw" is 3 bytes, not a multiple of 4 (a list of u32 cells)'],
    ["u64 of 4 bytes", () => cpu.u64("reg"), '/cpus/PowerPC,POWER9@0: property "reg" is 4 bytes, expected 8 (one u64, two cells)'],
    ["string not NUL-terminated", () => cpu.string("raw"), '/cpus/PowerPC,POWER9@0: property "raw" is not NUL-terminated'],
    ["string of an empty property", () => cpu.string("64-bit"), '/cpus/PowerPC,POWER9@0: property "64-bit" is not NUL-terminated'],
    ["string of a list", () => cpu.string("compatible"),
      '/cpus/PowerPC,POWER9@0: property "compatible" holds 2 strings, expected one (use stringList)'],
    ["stringList not NUL-terminated", () => cpu.stringList("raw"), '/cpus/PowerPC,POWER9@0: property "raw" is not NUL-terminated'],
    ["bytes missing", () => cpu.bytes("nope"), '/cpus/PowerPC,POWER9@0: property "nope" is missing'],
  ])("%s → DtError", (_label, call, message) => {
    expect(call).toThrow(DtError);
    expect(call).toThrow(message);
  });
});

describe("typed setters", () => {
  it("replace in place, keeping the property order, or append", () => {
    const n = new DtNode("");
    n.setU32("a", 1).setU32("b", 2).setU32("c", 3);
    n.setString("b", "two");
    n.setEmpty("d");
    expect(n.properties.map((p) => p.name)).toEqual(["a", "b", "c", "d"]);
    expect(n.string("b")).toBe("two");
  });

  it("setBytes copies its argument", () => {
    const n = new DtNode("");
    const src = new Uint8Array([1]);
    n.setBytes("x", src);
    src[0] = 2;
    expect([...n.bytes("x")]).toEqual([1]);
  });

  it("strings are UTF-8", () => {
    const n = new DtNode("").setString("s", "é");
    expect(hexOf(n.property("s")!.value)).toBe("c3a900");
    expect(n.string("s")).toBe("é");
  });

  it.each<[string, (n: DtNode) => unknown, string]>([
    ["u32 too big", (n) => n.setU32("x", 0x100000000), '/: property "x": 4294967296 is not a u32'],
    ["u32 negative", (n) => n.setU32("x", -1), '/: property "x": -1 is not a u32'],
    ["u32 fractional", (n) => n.setU32List("x", [1, 1.5]), '/: property "x": 1.5 is not a u32'],
    ["u64 too big", (n) => n.setU64("x", 1n << 64n), '/: property "x": 18446744073709551616 is not a u64'],
    ["string with NUL", (n) => n.setString("x", "a\0b"), '/: property "x": string contains NUL'],
    ["empty property name", (n) => n.setEmpty(""), '/: invalid property name ""'],
  ])("%s → DtError", (_label, call, message) => {
    const root = new DeviceTree().root;
    expect(() => call(root)).toThrow(DtError);
    expect(() => call(root)).toThrow(message);
    expect(root.properties).toEqual([]);
  });
});

describe("nodes and paths", () => {
  it("path and lookup, including the root and unit addresses", () => {
    const t = sample();
    expect(t.root.path).toBe("/");
    expect(t.root.name).toBe("");
    expect(t.lookup("/")).toBe(t.root);
    expect(cpuOf(t).path).toBe("/cpus/PowerPC,POWER9@0");
    expect(cpuOf(t).parent?.name).toBe("cpus");
    expect(t.lookup("/cpus/PowerPC,POWER9")).toBe(cpuOf(t)); // libfdt: no unit address given
    expect(t.lookup("/cpus/PowerPC,POWER9", { exact: true })).toBeUndefined(); // Linux: full names
    expect(t.lookup("/cpus/PowerPC,POWER9@0", { exact: true })).toBe(cpuOf(t));
    expect(t.lookup("/cpus/PowerPC,POWER9@1")).toBeUndefined();
    expect(t.lookup("cpus")).toBeUndefined(); // not absolute
  });

  it("addChild refuses duplicates and bad names", () => {
    const t = new DeviceTree();
    t.root.addChild("rtas");
    expect(() => t.root.addChild("rtas")).toThrow('/: a child node "rtas" already exists');
    expect(() => t.root.addChild("")).toThrow('/: invalid node name ""');
    expect(() => t.root.addChild("a/b")).toThrow('/: invalid node name "a/b"');
  });

  it("removeChild and removeProperty report whether something was removed", () => {
    const t = sample();
    const cpus = t.lookup("/cpus")!;
    const cpu = cpuOf(t);
    expect(cpu.removeProperty("raw")).toBe(true);
    expect(cpu.removeProperty("raw")).toBe(false);
    expect(cpu.hasProperty("raw")).toBe(false);
    expect(cpus.removeChild("PowerPC,POWER9@0")).toBe(true);
    expect(cpus.removeChild("PowerPC,POWER9@0")).toBe(false);
    expect(cpu.parent).toBeUndefined();
    expect(t.lookup("/cpus/PowerPC,POWER9@0")).toBeUndefined();
  });

  it("walk() visits nodes in structure-block order", () => {
    const t = new DeviceTree();
    const a = t.root.addChild("a");
    a.addChild("a1");
    t.root.addChild("b");
    expect([...t.root.walk()].map((n) => n.path)).toEqual(["/", "/a", "/a/a1", "/b"]);
  });
});

describe("what the encoder refuses", () => {
  it.each<[string, (t: DeviceTree) => void, string]>([
    ["duplicate property pushed directly", (t) => t.root.properties.push({ name: "x", value: new Uint8Array() }, { name: "x", value: new Uint8Array() }),
      '/: duplicate property "x"'],
    ["duplicate child pushed directly", (t) => {
      t.root.addChild("a");
      t.root.children.push(new DtNode("a"));
    }, '/: duplicate child node "a"'],
    ["root with a name", (t) => (t.root = new DtNode("r")), 'the root node has a non-empty name "r"'],
    ["bootCpuId out of range", (t) => (t.bootCpuId = -1), "bootCpuId -1 is not a u32"],
    ["(0,0) reservation", (t) => t.reservations.push({ address: 0n, size: 0n }),
      "memory reservation 0 is (0,0), which would end the reservation map"],
    ["reservation above 2^64", (t) => t.reservations.push({ address: 1n << 64n, size: 1n }),
      "memory reservation 0: 18446744073709551616 is not a u64"],
    ["name outside latin1", (t) => t.root.setU32("\u20ac", 1), '/: property name "€" has a character above U+00FF'],
  ])("%s → DtError", (_label, spoil, message) => {
    const t = new DeviceTree();
    spoil(t);
    expect(() => encodeFdt(t)).toThrow(DtError);
    expect(() => encodeFdt(t)).toThrow(message);
  });

  it("the encoded sample decodes to the same values", () => {
    const back = cpuOf(decodeFdt(encodeFdt(sample())));
    expect(back.u64("ibm,u64")).toBe(0xfedcba9876543210n);
    expect(back.stringList("compatible")).toEqual(["ibm,a", "ibm,b"]);
  });
});
