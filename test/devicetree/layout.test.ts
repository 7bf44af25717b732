// Blobs not written by dtc: QEMU 7.2's own pseries tree (libfdt, test/fixtures/dt), blobs laid
// out like libfdt's sequential-write API, blocks in unusual order, NOPs. decode → encode must
// give back the very bytes; changing the tree must still give a valid blob.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DeviceTree, decodeFdt, encodeFdt, printDts } from "../../devicetree/index.js";
import { dtc, hexOf, libfdtSequentialWrite, shape } from "./helpers.js";
import { PSERIES, VALUE_KINDS, deepNesting, pseriesViaApi } from "./sources.js";

// Dumped with `qemu-system-ppc64 -M pseries,dumpdtb=qemu-7.2-pseries.dtb -nographic` (QEMU 7.2.22).
const QEMU = new Uint8Array(readFileSync(new URL("../fixtures/dt/qemu-7.2-pseries.dtb", import.meta.url)));

describe("QEMU 7.2 pseries blob (written by libfdt)", () => {
  const tree = decodeFdt(QEMU);

  it("decodes its header facts", () => {
    // Header words of the fixture: totalsize 0x3c62, struct at 0x38 (size 0x331c), strings at
    // 0x3354 (size 0x90e), reservation map at 0x28 holding only its terminator.
    expect(tree.layout?.header).toMatchObject({
      totalSize: 0x3c62,
      offDtStruct: 0x38,
      sizeDtStruct: 0x331c,
      offDtStrings: 0x3354,
      sizeDtStrings: 0x90e,
      offMemRsvmap: 0x28,
      version: 17,
      lastCompVersion: 16,
    });
    expect(tree.reservations).toEqual([]);
    expect(tree.bootCpuId).toBe(0);
  });

  it("finds RTAS tokens, event sources and XICS where Linux looks", () => {
    const rtas = tree.lookup("/rtas")!;
    expect(rtas.u32("ibm,get-xive")).toBe(0x200b);
    expect(rtas.u32("check-exception")).toBe(0x200e);
    expect(rtas.u32("event-scan")).toBe(0x200f);
    expect(rtas.u32("rtas-error-log-max")).toBe(0x800);
    expect(rtas.stringList("qemu,hypertas-functions")).toEqual(["hcall-memop1"]);
    expect(rtas.stringList("ibm,hypertas-functions")[0]).toBe("hcall-pft");
    // QEMU 7.2 has EPOW (0x1000) and hot-plug (0x1001) event sources, no hvpipe one.
    expect(tree.lookup("/event-sources")?.u32List("interrupt-ranges")).toEqual([0x1000, 1, 0x1001, 1]);
    expect(tree.lookup("/event-sources/epow-events")?.u32List("interrupts")).toEqual([0x1000, 0]);
    expect(tree.lookup("/event-sources/ibm,hvpipe-msg-events")).toBeUndefined();
    const xics = tree.lookup("/interrupt-controller")!;
    expect(xics.u32("phandle")).toBe(0x1111); // PHANDLE_INTC
    expect(xics.string("compatible")).toBe("IBM,ppc-xicp");
    expect(tree.lookup("/cpus/PowerPC,POWER9@0")?.u32("reg")).toBe(0);
    expect(tree.root.string("model")).toBe("IBM pSeries (emulated by qemu)");
  });

  it("has a strings table in libfdt's order and non-zero padding, both recorded", () => {
    // QEMU sets device_type first, so libfdt's table starts with it; the first property in the
    // structure block (ibm,drc-types) sits at strings offset 0x2b7.
    expect(Buffer.from(tree.layout!.strings.subarray(0, 12)).toString("latin1")).toBe("device_type\0");
    expect(tree.layout?.propNameOffsets[0]).toBe(0x2b7);
    // libfdt leaves stale bytes in the padding after values it resized in place: the first is
    // after the root's ibm,drc-names (value ends at 0x1ab; the padding byte there is 0x18).
    expect(tree.layout?.padding[0]?.bytes).toEqual(new Uint8Array([0x18]));
  });

  it("re-encodes byte for byte with its layout", () => {
    expect(hexOf(encodeFdt(tree))).toBe(hexOf(QEMU));
  });

  it("re-encodes in dtc's layout exactly as `dtc -I dtb -O dtb` does", () => {
    expect(hexOf(encodeFdt(tree, { layout: null }))).toBe(hexOf(dtc(QEMU, "dtb").dtb));
  });

  it("prints DTS that dtc compiles to the same tree", () => {
    const back = decodeFdt(dtc(printDts(tree)).dtb);
    expect(shape(back)).toEqual(shape(tree));
  });
});

describe("libfdt sequential-write layout (reversed strings table)", () => {
  const trees: Record<string, () => DeviceTree> = {
    pseries: pseriesViaApi,
    "value kinds": () => decodeFdt(dtc(VALUE_KINDS).dtb),
    "deep nesting": () => decodeFdt(dtc(deepNesting()).dtb),
  };

  it.each(Object.entries(trees))("%s: decode → encode is byte-identical, with and without free space", (_n, make) => {
    for (const free of [0, 256]) {
      const blob = libfdtSequentialWrite(make(), free);
      const tree = decodeFdt(blob);
      expect(shape(tree)).toEqual(shape(make()));
      expect(tree.layout?.gaps[3]?.length).toBe(free);
      expect(hexOf(encodeFdt(tree))).toBe(hexOf(blob));
    }
  });

  it("the writer's table really differs from dtc's (newest name first)", () => {
    const blob = libfdtSequentialWrite(pseriesViaApi());
    const strings = decodeFdt(blob).layout!.strings;
    // The last new name pseries adds is ibm,associativity (in /memory@0): libfdt puts it first.
    expect(Buffer.from(strings.subarray(0, 18)).toString("latin1")).toBe("ibm,associativity\0");
    expect(hexOf(blob)).not.toBe(hexOf(dtc(PSERIES).dtb));
  });

  it("a changed tree keeps the old table and appends new names; free space stays", () => {
    const blob = libfdtSequentialWrite(pseriesViaApi(), 64);
    const tree = decodeFdt(blob);
    const oldStrings = tree.layout!.strings;
    tree.lookup("/rtas")!.setU32("ibm,brand-new-token", 0x2040);
    tree.lookup("/cpus/PowerPC,POWER9@1")!.setU32("reg", 7);
    const out = encodeFdt(tree);
    const back = decodeFdt(out);
    expect(shape(back)).toEqual(shape(tree));
    expect(hexOf(back.layout!.strings)).toBe(hexOf(oldStrings) + hexOf(Buffer.from("ibm,brand-new-token\0", "latin1")));
    expect(back.layout?.gaps[3]?.length).toBe(64);
    expect(out.length).toBe(blob.length + 12 + 4 + 20); // FDT_PROP header + cell + new name
  });
});

describe("unusual but valid layouts", () => {
  /** Rewrites a dtc blob as: header, 4 gap bytes, strings, struct, 8 gap bytes, rsvmap, 4 free. */
  function reorder(dtb: Uint8Array): Uint8Array {
    const dv = new DataView(dtb.buffer, dtb.byteOffset);
    const [offStruct, offStrings, offRsv] = [dv.getUint32(8), dv.getUint32(12), dv.getUint32(16)];
    const [sizeStrings, sizeStruct] = [dv.getUint32(32), dv.getUint32(36)];
    const rsv = dtb.slice(offRsv, offStruct);
    const struct = dtb.slice(offStruct, offStruct + sizeStruct);
    const strings = dtb.slice(offStrings, offStrings + sizeStrings);
    const newStrings = 44;
    const newStruct = Math.ceil((newStrings + strings.length) / 4) * 4;
    const newRsv = Math.ceil((newStruct + struct.length + 8) / 8) * 8;
    const total = newRsv + rsv.length + 4;
    const out = new Uint8Array(total).fill(0);
    out.set(dtb.subarray(0, 40));
    out.set([0xaa, 0xbb, 0xcc, 0xdd], 40);
    out.set(strings, newStrings);
    out.set(struct, newStruct);
    out.set(rsv, newRsv);
    const o = new DataView(out.buffer);
    o.setUint32(4, total);
    o.setUint32(8, newStruct);
    o.setUint32(12, newStrings);
    o.setUint32(16, newRsv);
    return out;
  }

  it("blocks in the order strings, struct, rsvmap with gaps come back byte for byte", () => {
    const blob = reorder(dtc(PSERIES).dtb);
    const tree = decodeFdt(blob);
    expect(tree.layout?.blockOrder).toEqual(["strings", "struct", "memRsvmap"]);
    expect(hexOf(tree.layout!.gaps[0]!)).toBe("aabbccdd");
    expect(hexOf(encodeFdt(tree))).toBe(hexOf(blob));
  });

  it("growing the structure block by 12 bytes realigns the reservation map to 8", () => {
    const tree = decodeFdt(reorder(dtc(PSERIES).dtb));
    // An empty property whose name is already in the table adds exactly 12 bytes (token, len,
    // nameoff), which would put the reservation map after it off its 8-byte alignment.
    const oldRsv = tree.layout!.header.offMemRsvmap;
    tree.root.setEmpty("ibm,extended-os-term");
    const out = encodeFdt(tree);
    // 12 more bytes before it, then 4 bytes of zero padding to the next multiple of 8.
    expect(new DataView(out.buffer).getUint32(16)).toBe(oldRsv + 16);
    const back = decodeFdt(out);
    expect(shape(back)).toEqual(shape(tree));
    expect(back.reservations).toEqual([{ address: 0n, size: 0x10000n }]);
  });

  it("FDT_NOPs (as fdt_nop_property leaves them) are skipped and reproduced", () => {
    // Overwrite /chosen's bootargs property (FDT_PROP, len 13, nameoff, 16 value bytes = 7
    // words) with 7 FDT_NOP words, as libfdt's fdt_nop_property does.
    const dtb = dtc(PSERIES).dtb;
    const before = decodeFdt(dtb);
    const blob = dtb.slice();
    const dv = new DataView(blob.buffer);
    const start = findProp(blob, dv, "bootargs");
    for (let i = 0; i < 7; i++) dv.setUint32(start + i * 4, 4);
    const tree = decodeFdt(blob);
    expect(tree.lookup("/chosen")?.hasProperty("bootargs")).toBe(false);
    expect(tree.lookup("/chosen")?.string("stdout-path")).toBe("/vdevice/vty@71000000");
    expect(tree.layout?.nops.length).toBe(7);
    expect(hexOf(encodeFdt(tree))).toBe(hexOf(blob));
    before.lookup("/chosen")!.removeProperty("bootargs");
    expect(shape(tree)).toEqual(shape(before));
  });
});

/** Offset of the FDT_PROP token whose name is `name` (test blobs only: first match). */
function findProp(blob: Uint8Array, dv: DataView, name: string): number {
  const offStruct = dv.getUint32(8);
  const offStrings = dv.getUint32(12);
  const nameOff = Buffer.from(blob.subarray(offStrings)).indexOf(name + "\0", 0, "latin1");
  for (let at = offStruct; at < blob.length - 12; at += 4) {
    if (dv.getUint32(at) === 3 && dv.getUint32(at + 8) === nameOff) return at;
  }
  throw new Error(`no property ${name}`);
}
