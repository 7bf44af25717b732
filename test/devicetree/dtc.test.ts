// Round trips against the reference tool: dtc 1.6.1 compiles each source at test time; our
// decoder must read its blob, our encoder must give back dtc's exact bytes, and our DTS
// printer's output must compile (with dtc) back to the same tree.

import { describe, expect, it } from "vitest";
import { DeviceTree, decodeFdt, encodeFdt, printDts } from "../../devicetree/index.js";
import { dtc, hexOf, shape } from "./helpers.js";
import {
  BIG_BYTES,
  EMPTY_ROOT,
  MEMRESERVE,
  PSERIES,
  SMALL,
  UNIT_ADDRESSES,
  VALUE_KINDS,
  deepNesting,
  pseriesViaApi,
} from "./sources.js";

const SOURCES: Record<string, string> = {
  small: SMALL,
  "empty root": EMPTY_ROOT,
  memreserve: MEMRESERVE,
  "deep nesting": deepNesting(),
  "unit addresses": UNIT_ADDRESSES,
  "value kinds": VALUE_KINDS,
  pseries: PSERIES,
};

describe.each(Object.entries(SOURCES))("dtc round trip: %s", (_label, source) => {
  const { dtb } = dtc(source);

  it("re-encodes to dtc's exact bytes, with the recorded layout and with dtc's layout", () => {
    const tree = decodeFdt(dtb);
    expect(hexOf(encodeFdt(tree))).toBe(hexOf(dtb));
    expect(hexOf(encodeFdt(tree, { layout: null }))).toBe(hexOf(dtb));
  });

  it("prints DTS that dtc compiles back to the identical blob", () => {
    // The sources hold no `name` properties, so nothing is dropped on the way.
    expect(hexOf(dtc(printDts(decodeFdt(dtb))).dtb)).toBe(hexOf(dtb));
  });
});

describe("values read back from dtc's blobs", () => {
  it("small: model string and one cell", () => {
    const t = decodeFdt(dtc(SMALL).dtb);
    expect(t.root.string("model")).toBe("papr-emu test");
    expect(t.root.u32("#address-cells")).toBe(1);
    expect(t.root.children).toEqual([]);
    expect(t.bootCpuId).toBe(0); // dtc's default without -b
  });

  it("empty root: no properties, no children, no reservations", () => {
    const t = decodeFdt(dtc(EMPTY_ROOT).dtb);
    expect(t.root.properties).toEqual([]);
    expect(t.root.children).toEqual([]);
    expect(t.reservations).toEqual([]);
  });

  it("memreserve: both entries, as 64-bit values", () => {
    const t = decodeFdt(dtc(MEMRESERVE).dtb);
    expect(t.reservations).toEqual([
      { address: 0x1000n, size: 0x2000n },
      { address: 0xffffffff00000000n, size: 0x100000000n },
    ]);
  });

  it("deep nesting: the 40th level is /l0/.../l39 with depth 39", () => {
    const t = decodeFdt(dtc(deepNesting()).dtb);
    const path = "/" + Array.from({ length: 40 }, (_, i) => `l${i}`).join("/");
    expect(t.lookup(path)?.u32("depth")).toBe(39);
    expect(t.lookup(path)?.path).toBe(path);
  });

  it("unit addresses: exact names, and libfdt's rule for names without one", () => {
    const t = decodeFdt(dtc(UNIT_ADDRESSES).dtb);
    expect(t.lookup("/cpus/cpu@1")?.u32("reg")).toBe(1);
    expect(t.lookup("/memory@100000000")?.u32List("reg")).toEqual([1, 0, 0, 0x10000000]);
    // "/memory" has no unit address: the first child named memory@… (memory@0) matches.
    expect(t.lookup("/memory")?.name).toBe("memory@0");
    expect(t.lookup("/cpus/cpu@2")).toBeUndefined();
  });

  it("value kinds: string lists with escapes, empty, u64, odd and big byte arrays", () => {
    const r = decodeFdt(dtc(VALUE_KINDS).dtb).root;
    expect(r.stringList("compatible")).toEqual(["ibm,a", "ibm,b", "chrp"]);
    expect(r.stringList("escapes")).toEqual(["tab\there", 'quote"back\\slash', "nl\n"]);
    expect(r.bytes("empty-flag").length).toBe(0);
    expect(r.u64("u64-value")).toBe(0x123456789abcdef0n);
    expect([...r.bytes("odd-bytes")]).toEqual([1, 2, 3]);
    expect([...r.bytes("big")]).toEqual(BIG_BYTES);
  });

  it("pseries: RTAS tokens, event sources and XICS as the kernel will look them up", () => {
    const t = decodeFdt(dtc(PSERIES).dtb);
    const rtas = t.lookup("/rtas")!;
    expect(rtas.u32("check-exception")).toBe(0x200e);
    expect(rtas.u32("ibm,send-hvpipe-msg")).toBe(0x2030);
    expect(rtas.u32("ibm,receive-hvpipe-msg")).toBe(0x2031);
    expect(rtas.stringList("ibm,hypertas-functions")).toEqual(["hcall-pft", "hcall-term", "hcall-interrupt"]);
    expect(rtas.u32List("ibm,lrdr-capacity")).toEqual([0, 0, 0, 0x10000000, 1]);
    const ev = t.lookup("/event-sources")!;
    expect(ev.hasProperty("interrupt-controller")).toBe(true);
    expect(ev.u32("#interrupt-cells")).toBe(2);
    expect(ev.u32List("interrupt-ranges")).toEqual([0x1000, 1, 0x1001, 1, 0x1002, 1]);
    expect(t.lookup("/event-sources/ibm,hvpipe-msg-events")?.u32List("interrupts")).toEqual([0x1002, 0]);
    const xics = t.lookup("/interrupt-controller")!;
    expect(xics.string("compatible")).toBe("IBM,ppc-xicp");
    expect(xics.u32List("ibm,interrupt-server-ranges")).toEqual([0, 2]);
    expect(t.lookup("/cpus/PowerPC,POWER9@1")?.u32("ibm,ppc-interrupt-server#s")).toBe(1);
    expect(t.lookup("/memory@0")?.u32List("reg")).toEqual([0, 0, 0, 0x20000000]);
    expect(t.reservations).toEqual([{ address: 0n, size: 0x10000n }]);
  });
});

describe("strings table deduplication as dtc does it", () => {
  it("a name already present as the tail of a longer one reuses that offset", () => {
    // dtc stores "linux,phandle\0" at 0 and finds "phandle\0" inside it at 6; "x-cells" is new
    // (offset 14) and "cells" then reuses its tail at 16.
    const src = `/dts-v1/;\n/ { linux,phandle = <1>; phandle = <1>; x-cells = <2>; cells = <3>; };\n`;
    const { dtb } = dtc(src);
    const ours = encodeFdt(decodeFdt(dtb), { layout: null });
    expect(hexOf(ours)).toBe(hexOf(dtb));
    const tree = decodeFdt(dtb);
    expect(tree.layout?.propNameOffsets).toEqual([0, 6, 14, 16]);
    expect(tree.layout?.strings.length).toBe(22); // "linux,phandle\0x-cells\0"
  });

  it("a shorter name first does not match a later, longer one: both are stored", () => {
    const src = `/dts-v1/;\n/ { phandle = <1>; linux,phandle = <1>; };\n`;
    const tree = decodeFdt(dtc(src).dtb);
    expect(tree.layout?.propNameOffsets).toEqual([0, 8]);
  });
});

describe("other dtc output options, with the recorded layout", () => {
  it("-V 16: version 16 header (no size_dt_struct) comes back byte for byte", () => {
    const { dtb } = dtc(PSERIES, "dts", ["-V", "16"]);
    const tree = decodeFdt(dtb);
    expect(tree.layout?.header.version).toBe(16);
    expect(hexOf(encodeFdt(tree))).toBe(hexOf(dtb));
  });

  it("-p 64 -b 3: free space after the strings and the boot CPU are kept", () => {
    const { dtb } = dtc(PSERIES, "dts", ["-p", "64", "-b", "3"]);
    const tree = decodeFdt(dtb);
    expect(tree.bootCpuId).toBe(3);
    expect(tree.layout?.gaps[3]?.length).toBe(64);
    expect(hexOf(encodeFdt(tree))).toBe(hexOf(dtb));
    // Without the layout, the free space goes and the blob is dtc's default one (with -b 3).
    expect(hexOf(encodeFdt(tree, { layout: null }))).toBe(hexOf(dtc(PSERIES, "dts", ["-b", "3"]).dtb));
  });
});

describe("trees built through the API", () => {
  it("encode to exactly what dtc makes of our printDts output", () => {
    const tree = pseriesViaApi();
    const ours = encodeFdt(tree);
    expect(hexOf(ours)).toBe(hexOf(dtc(printDts(tree)).dtb));
    // …and the API tree is the PSERIES source, byte for byte.
    expect(hexOf(ours)).toBe(hexOf(dtc(PSERIES).dtb));
  });

  it("`name` properties are printed, and dtc drops them on input", () => {
    const tree = new DeviceTree();
    tree.root.addChild("cpus").setString("name", "cpus").setU32("#size-cells", 0);
    const dts = printDts(tree);
    expect(dts).toContain('\t\tname = "cpus";\n');
    const back = decodeFdt(dtc(dts).dtb);
    expect(back.lookup("/cpus")?.hasProperty("name")).toBe(false);
    expect(shape(back, { dropName: true })).toEqual(shape(tree, { dropName: true }));
  });

  it("dtc compiles printDts output without errors (warnings are allowed)", () => {
    // dtc warns that /event-sources and /interrupt-controller lack #address-cells as
    // interrupt providers; that is QEMU's tree as it is, and not an error.
    const { stderr } = dtc(printDts(pseriesViaApi()));
    expect(stderr).not.toMatch(/ERROR/);
  });
});
