// Every way a blob can be malformed gives an FdtFormatError pointing at the offending byte;
// random damage never gives anything else, never hangs, and whatever still decodes encodes
// back to the very same bytes.

import { describe, expect, it } from "vitest";
import { decodeFailure as failure } from "./helpers.js";
import { DeviceTree, FdtFormatError, decodeFdt, encodeFdt, printDts } from "../../devicetree/index.js";
import { dtc, hexOf } from "./helpers.js";
import { PSERIES } from "./sources.js";

/*
 * BASE is what dtc writes for
 *   /dts-v1/; /memreserve/ 0x1000 0x2000; / { model = "m"; cpus { cpu@0 { reg = <0>; }; }; };
 * 0x00 header               0x28 rsv entry (0x1000, 0x2000)   0x38 rsv terminator (0,0)
 * 0x48 BEGIN_NODE ""        0x50 PROP len=2 nameoff=0 "m"     (len field 0x54, nameoff 0x58)
 * 0x60 BEGIN_NODE "cpus"    0x6c BEGIN_NODE "cpu@0"           0x78 PROP len=4 nameoff=6 <0>
 * 0x88 END_NODE (cpu@0)     0x8c END_NODE (cpus)              0x90 END_NODE (/)   0x94 END
 * 0x98 strings "model\0reg\0" (size 0xa)                      totalsize 0xa2
 */
function baseTree(): DeviceTree {
  const t = new DeviceTree({ reservations: [{ address: 0x1000n, size: 0x2000n }] });
  t.root.setString("model", "m");
  t.root.addChild("cpus").addChild("cpu@0").setU32("reg", 0);
  return t;
}
const BASE = encodeFdt(baseTree());

function mutate(edit: (dv: DataView, b: Uint8Array) => void, blob = BASE): Uint8Array {
  const b = blob.slice();
  edit(new DataView(b.buffer), b);
  return b;
}

/** Header (reservation map = terminator only, at 0x28) + struct at 0x38 + strings after it. */
function handBuilt(struct: number[], strings: string, edit?: (dv: DataView) => void): Uint8Array {
  const offStrings = 0x38 + struct.length;
  const total = offStrings + strings.length;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  [0xd00dfeed, total, 0x38, offStrings, 0x28, 17, 16, 0, strings.length, struct.length].forEach((v, i) =>
    dv.setUint32(i * 4, v),
  );
  b.set(struct, 0x38);
  b.set(Buffer.from(strings, "latin1"), offStrings);
  edit?.(dv);
  return b;
}
const w = (v: number): number[] => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const nameBytes = (s: string): number[] => {
  const out = [...Buffer.from(s + "\0", "latin1")];
  while (out.length % 4) out.push(0);
  return out;
};
const BEGIN = (name: string): number[] => [...w(1), ...nameBytes(name)];
const END_NODE = w(2);
const PROP = (nameoff: number, value: number[]): number[] => {
  const v = [...value];
  while (v.length % 4) v.push(0);
  return [...w(3), ...w(value.length), ...w(nameoff), ...v];
};
const END = w(9);

describe("the base blob", () => {
  it("is dtc's own output and has the offsets the cases below rely on", () => {
    const src = `/dts-v1/;\n/memreserve/ 0x1000 0x2000;\n/ { model = "m"; cpus { cpu@0 { reg = <0>; }; }; };\n`;
    expect(hexOf(BASE)).toBe(hexOf(dtc(src).dtb));
    const dv = new DataView(BASE.buffer);
    expect([dv.getUint32(4), dv.getUint32(8), dv.getUint32(12), dv.getUint32(16)]).toEqual([0xa2, 0x48, 0x98, 0x28]);
    expect([dv.getUint32(0x50), dv.getUint32(0x88), dv.getUint32(0x90), dv.getUint32(0x94)]).toEqual([3, 2, 2, 9]);
  });
});

type Case = [label: string, blob: () => Uint8Array, offset: number, message: string];

const CASES: Case[] = [
  ["blob shorter than the header", () => BASE.slice(0, 39), 39, "blob is 39 bytes, shorter than the 40-byte header"],
  ["bad magic", () => mutate((dv) => dv.setUint32(0, 0xd00dfeef)), 0, "bad magic 0xd00dfeef (expected 0xd00dfeed)"],
  ["totalsize larger than the blob (blob truncated by one byte)", () => BASE.slice(0, 0xa1), 4,
    "totalsize 0xa2 is larger than the blob (0xa1 bytes)"],
  ["totalsize smaller than the header", () => mutate((dv) => dv.setUint32(4, 0x20)), 4,
    "totalsize 0x20 is smaller than the 40-byte header"],
  ["version 15", () => mutate((dv) => dv.setUint32(0x14, 15)), 0x14, "version 15 is not supported (need 16 or later)"],
  ["last_comp_version 18", () => mutate((dv) => dv.setUint32(0x18, 18)), 0x18,
    "last_comp_version 18 is newer than 17: a version 17 reader cannot read it"],
  ["off_mem_rsvmap inside the header", () => mutate((dv) => dv.setUint32(0x10, 0x10)), 0x10,
    "off_mem_rsvmap 0x10 overlaps the 40-byte header"],
  ["off_mem_rsvmap not 8-byte aligned", () => mutate((dv) => dv.setUint32(0x10, 0x2c)), 0x10,
    "off_mem_rsvmap 0x2c is not 8-byte aligned"],
  ["off_dt_struct inside the header", () => mutate((dv) => dv.setUint32(8, 0x20)), 8,
    "off_dt_struct 0x20 overlaps the 40-byte header"],
  ["off_dt_struct beyond totalsize", () => mutate((dv) => dv.setUint32(8, 0x1000)), 8,
    "off_dt_struct 0x1000 is beyond totalsize 0xa2"],
  ["misaligned structure block", () => mutate((dv) => dv.setUint32(8, 0x4a)), 8, "off_dt_struct 0x4a is not 4-byte aligned"],
  ["off_dt_strings inside the header", () => mutate((dv) => dv.setUint32(12, 0)), 12,
    "off_dt_strings 0x0 overlaps the 40-byte header"],
  ["off_dt_strings beyond totalsize", () => mutate((dv) => dv.setUint32(12, 0xa3)), 12,
    "off_dt_strings 0xa3 is beyond totalsize 0xa2"],
  ["size_dt_strings past totalsize", () => mutate((dv) => dv.setUint32(0x20, 0xb)), 0x20,
    "size_dt_strings 0xb from 0x98 runs past totalsize 0xa2"],
  ["size_dt_struct past totalsize", () => mutate((dv) => dv.setUint32(0x24, 0x1000)), 0x24,
    "size_dt_struct 0x1000 from 0x48 runs past totalsize 0xa2"],
  ["size_dt_struct not a multiple of 4 (a token could not be aligned)", () => mutate((dv) => dv.setUint32(0x24, 0x4e)), 0x24,
    "size_dt_struct 0x4e is not a multiple of 4: tokens must be 4-byte aligned"],
  // With the terminator's size made 1, entries run on through the structure block (no 16
  // all-zero bytes there) until the one at 0x98 would end at 0xa8, past totalsize 0xa2.
  ["reservation map without its (0,0) terminator", () => mutate((dv) => dv.setUint32(0x44, 1)), 0x98,
    "memory reservation map at 0x28 has no terminating (0,0) entry before totalsize 0xa2"],
  ["unknown token", () => mutate((dv) => dv.setUint32(0x88, 5)), 0x88, "unknown token 0x5"],
  ["FDT_PROP outside a node", () => mutate((dv) => dv.setUint32(0x48, 3)), 0x48, "FDT_PROP outside a node"],
  // The structure block is cut to end at 0x68, right after the bytes "cpus" (name at 0x64).
  ["unterminated node name", () => mutate((dv) => dv.setUint32(0x24, 0x20)), 0x64,
    "node name is not NUL-terminated within the structure block"],
  // The strings block is cut to "model" without its NUL; the first name offset is at 0x58.
  ["unterminated property name", () => mutate((dv) => dv.setUint32(0x20, 5)), 0x58,
    "property name at strings offset 0x0 is not NUL-terminated within the strings block"],
  ["empty property name", () => mutate((dv) => dv.setUint32(0x58, 5)), 0x58, "property name at strings offset 0x5 is empty"],
  // The value would start at 0x5c; the block ends at 0x98: 0x3c bytes left.
  ["property length past the block end", () => mutate((dv) => dv.setUint32(0x54, 0x1000)), 0x54,
    "property length 0x1000 runs past the end of the structure block (0x3c bytes left)"],
  ["property name offset past the strings block", () => mutate((dv) => dv.setUint32(0x58, 0x1234)), 0x58,
    "property name offset 0x1234 is beyond the strings block (size 0xa)"],
  ["FDT_END_NODE without FDT_BEGIN_NODE", () => mutate((dv) => dv.setUint32(0x48, 2)), 0x48,
    "FDT_END_NODE without a matching FDT_BEGIN_NODE"],
  ["FDT_END inside an open node", () => mutate((dv) => dv.setUint32(0x90, 9)), 0x90, "FDT_END inside the open node /"],
  ["missing FDT_END (replaced by a NOP)", () => mutate((dv) => dv.setUint32(0x94, 4)), 0x98,
    "the structure block ends at 0x98 without an FDT_END token"],
  ["root node with a non-empty name", () => mutate((_dv, b) => (b[0x4c] = 0x78)), 0x48, 'the root node has a non-empty name "x"'],
  // 0x38 BEGIN "" / 0x40 END_NODE / 0x44 BEGIN "" (second root)
  ["a second root", () => handBuilt([...BEGIN(""), ...END_NODE, ...BEGIN(""), ...END_NODE, ...END], ""), 0x44,
    "a second root node follows the end of the first"],
  ["FDT_END before any node", () => handBuilt([...END], ""), 0x38, "FDT_END before any node: the tree has no root"],
  // 0x38 BEGIN "" / 0x40 BEGIN "a" / 0x48 END_NODE / 0x4c BEGIN "a" (duplicate)
  ["duplicate child names",
    () => handBuilt([...BEGIN(""), ...BEGIN("a"), ...END_NODE, ...BEGIN("a"), ...END_NODE, ...END_NODE, ...END], ""), 0x4c,
    'duplicate node name "a" in /'],
  // 0x38 BEGIN "" / 0x40 PROP "p" (offset 0) / 0x4c PROP "p" (offset 2: a second copy)
  ["duplicate property names (even through different string offsets)",
    () => handBuilt([...BEGIN(""), ...PROP(0, []), ...PROP(2, []), ...END_NODE, ...END], "p\0p\0"), 0x4c,
    'duplicate property "p" in /'],
  ["empty child name", () => handBuilt([...BEGIN(""), ...BEGIN(""), ...END_NODE, ...END_NODE, ...END], ""), 0x44,
    "a child of / has an empty name"],
  ["node name with a slash", () => handBuilt([...BEGIN(""), ...BEGIN("a/b"), ...END_NODE, ...END_NODE, ...END], ""), 0x44,
    'node name "a/b" contains "/"'],
  // 0x38 BEGIN "" / 0x40 PROP len 4 nameoff 0, value "p\0\0\0" at 0x4c / 0x50 END_NODE / 0x54
  // END; the strings block is declared as the 4 value bytes at 0x4c, inside the struct block.
  ["strings block overlapping the structure block",
    () => handBuilt([...BEGIN(""), ...PROP(0, [0x70, 0, 0, 0]), ...END_NODE, ...END], "", (dv) => {
      dv.setUint32(12, 0x4c);
      dv.setUint32(0x20, 4);
    }), 0x4c, "the strings block at 0x4c overlaps the structure block, which ends at 0x58"],
  // 0x38 BEGIN "" / 0x40 PROP len 24 (zeros 0x4c..0x63) / 0x64 END_NODE / 0x68 END; the
  // reservation map moved to 0x50 finds its (0,0) terminator inside the property value.
  ["reservation map overlapping the structure block",
    () => handBuilt([...BEGIN(""), ...PROP(0, new Array(24).fill(0)), ...END_NODE, ...END], "p\0", (dv) => dv.setUint32(0x10, 0x50)),
    0x50, "the memory reservation map at 0x50 overlaps the structure block, which ends at 0x6c"],
];

describe("corrupt blobs", () => {
  it.each(CASES)("%s", (_label, make, offset, message) => {
    const e = failure(make());
    expect(e.offset).toBe(offset);
    expect(e.detail).toBe(message);
    expect(e.message).toBe(`DTB offset 0x${offset.toString(16)}: ${message}`);
  });

  it("a tolerated oddity: FDT_NOP anywhere in the structure block is skipped", () => {
    // 0x38 NOP / 0x3c BEGIN "" / 0x44 NOP / 0x48 END_NODE / 0x4c NOP / 0x50 END
    const blob = handBuilt([...w(4), ...BEGIN(""), ...w(4), ...END_NODE, ...w(4), ...END], "");
    const t = decodeFdt(blob);
    expect(t.layout?.nops).toEqual([0, 1, 2]);
    expect(hexOf(encodeFdt(t))).toBe(hexOf(blob));
  });
});

/** Deterministic xorshift32, so a failing mutation can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

describe("fuzz", () => {
  it("2000 random mutations of a pseries blob: only FdtFormatError, and survivors round-trip", () => {
    const base = dtc(PSERIES).dtb;
    const rand = rng(0x5eed);
    const int = (n: number): number => Math.floor(rand() * n);
    let decoded = 0;
    const started = performance.now();
    for (let i = 0; i < 2000; i++) {
      let blob = base.slice();
      const dv = new DataView(blob.buffer);
      switch (i % 4) {
        case 0: // flip 1-4 random bits
          for (let k = 0; k <= int(4); k++) blob[int(blob.length)]! ^= 1 << int(8);
          break;
        case 1: // truncate; half the time totalsize is made to agree, to get past that check
          blob = blob.slice(0, int(blob.length));
          if (rand() < 0.5 && blob.length >= 8) new DataView(blob.buffer).setUint32(4, blob.length);
          break;
        case 2: // a token-sized word set to a small (token-like) or random value
          dv.setUint32(int(blob.length / 4) * 4, rand() < 0.5 ? int(12) : int(0x100000000));
          break;
        case 3: // a header field set to a nearby or random value
          dv.setUint32(int(10) * 4, rand() < 0.5 ? dv.getUint32(int(10) * 4) + int(64) - 32 : int(0x100000000));
          break;
      }
      let tree: DeviceTree;
      try {
        tree = decodeFdt(blob);
      } catch (e) {
        expect(e).toBeInstanceOf(FdtFormatError);
        const off = (e as FdtFormatError).offset;
        expect(Number.isInteger(off) && off >= 0 && off <= blob.length).toBe(true);
        continue;
      }
      decoded++;
      // Whatever decodes is kept exactly: the first totalsize bytes come back.
      const total = new DataView(blob.buffer).getUint32(4);
      expect(hexOf(encodeFdt(tree))).toBe(hexOf(blob.subarray(0, total)));
      printDts(tree);
    }
    // Many bit flips land in values or names and still decode; the count is fixed by the seed.
    expect(decoded).toBeGreaterThan(100);
    expect(performance.now() - started).toBeLessThan(10000);
  });

  /** Root plus `depth` nested nodes named "a", as a hand-built blob. */
  function nested(depth: number): Uint8Array {
    const struct = new Uint8Array(8 + depth * 8 + depth * 4 + 8);
    const dv = new DataView(struct.buffer);
    let at = 0;
    dv.setUint32(at, 1);
    at += 8; // root "" + padding
    for (let i = 0; i < depth; i++) {
      dv.setUint32(at, 1);
      struct[at + 4] = 0x61; // "a\0\0\0"
      at += 8;
    }
    for (let i = 0; i <= depth; i++, at += 4) dv.setUint32(at, 2);
    dv.setUint32(at, 9);
    return handBuilt([...struct], "");
  }

  it("200000 nested nodes decode and encode without recursion", () => {
    const blob = nested(200000);
    const tree = decodeFdt(blob);
    expect(hexOf(encodeFdt(tree))).toBe(hexOf(blob));
  });

  it("5000 nested nodes print without recursion, indented at most 32 levels", () => {
    // Issue 14: a tab per level made printing quadratic in depth; indentation stops at 32 tabs.
    const lines = printDts(decodeFdt(nested(5000))).split("\n");
    expect(lines[5002]).toBe("\t".repeat(32) + "a {");
    expect(lines[34]).toBe("\t".repeat(32) + "a {"); // depth 32: the last level that indents further
    expect(lines[33]).toBe("\t".repeat(31) + "a {");
  });

  it("many properties naming one long strings run decode in linear time", () => {
    // One 60000-byte name; 5000 properties each name a different suffix of it. Issue 14: such
    // names are n²/2 characters to print, so names longer than 255 bytes are refused.
    const strings = "n".repeat(60000) + "\0";
    const props: number[] = [];
    for (let i = 0; i < 5000; i++) props.push(...PROP(i, []));
    const blob = handBuilt([...BEGIN(""), ...props, ...END_NODE, ...END], strings);
    const started = performance.now();
    const e = failure(blob);
    expect(e.offset).toBe(0x38 + 8 + 8); // the first FDT_PROP's nameoff field
    expect(e.detail).toBe("property name at strings offset 0x0 is 60000 bytes long; the limit is 255");
    // The last 255 offsets name suffixes short enough: the same blob cut to those decodes.
    const tail: number[] = [];
    for (let i = 60000 - 255; i < 60000; i++) tail.push(...PROP(i, []));
    const tree = decodeFdt(handBuilt([...BEGIN(""), ...tail, ...END_NODE, ...END], strings));
    expect(tree.root.properties.length).toBe(255);
    expect(tree.root.properties[0]?.name.length).toBe(255);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
