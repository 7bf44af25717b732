// Issue 14's crafted blobs: each gives its exact error, or decodes, re-encodes byte for byte and
// prints within a size bound linear in the blob. (Their times are in bench/ and docs/reliability.md.)

import { describe, expect, it } from "vitest";
import { decodeFailure as failure } from "./helpers.js";
import { decodeFdt, encodeFdt, printDts } from "../../devicetree/index.js";
import {
  deepNesting,
  propertyAfterChild,
  reservationMap,
  sharedNameRun,
  siblings,
} from "../../fuzz/blobs/crafted.js";

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

describe("crafted blobs (issue 14)", () => {
  it("100,000 names sharing one strings run: the first name over 255 bytes is refused at its nameoff", () => {
    const blob = sharedNameRun(100_000);
    // Header 0x28 + empty reservation map 0x10: struct at 0x38; root BEGIN_NODE "" is 8 bytes,
    // so the first FDT_PROP is at 0x40 and its nameoff field at 0x48.
    const e = failure(blob);
    expect(e.offset).toBe(0x48);
    expect(e.detail).toBe("property name at strings offset 0x0 is 100000 bytes long; the limit is 255");
  });

  it("255 names sharing one run decode to names of 255..1 bytes and re-encode byte for byte, also freshly laid out", () => {
    // The run is 255 bytes: every suffix is within the limit.
    const blob = sharedNameRun(255);
    const tree = decodeFdt(blob);
    expect(tree.root.properties.map((p) => p.name.length)).toEqual(Array.from({ length: 255 }, (_, i) => 255 - i));
    expect(same(encodeFdt(tree), blob)).toBe(true);
    // dtc's layout shares every suffix with the first name: the strings block stays 256 bytes.
    expect(same(encodeFdt(tree, { layout: null }), blob)).toBe(true);
  });

  it("30,000-deep nesting decodes, re-encodes byte for byte, and prints in at most 5 bytes of DTS per blob byte", () => {
    const blob = deepNesting(30_000);
    const tree = decodeFdt(blob);
    expect(same(encodeFdt(tree), blob)).toBe(true);
    const dts = printDts(tree);
    // Indentation stops at 32 tabs, so each level prints a bounded number of characters.
    expect(dts.length).toBeLessThanOrEqual(5 * blob.length);
    const lines = dts.split("\n");
    expect(lines.slice(2, 5)).toEqual(["/ {", "\tn {", "\t\tp;"]);
    expect(lines.filter((l) => l === "\t".repeat(32) + "n {").length).toBe(30_000 - 31);
  });

  it("100,000 siblings decode and re-encode byte for byte; the DTS is no larger than the blob", () => {
    const blob = siblings(100_000);
    const tree = decodeFdt(blob);
    expect(tree.root.children.length).toBe(100_000);
    expect(tree.root.children[99_999]!.name).toBe("n@1869f");
    expect(same(encodeFdt(tree), blob)).toBe(true);
    expect(printDts(tree).length).toBeLessThanOrEqual(blob.length);
  });

  it("a 100,000-entry reservation map decodes and re-encodes byte for byte", () => {
    const blob = reservationMap(100_000);
    const tree = decodeFdt(blob);
    expect(tree.reservations.length).toBe(100_000);
    expect(tree.reservations[99_999]).toEqual({ address: 100_000n * 0x2000n, size: 0x1000n });
    expect(same(encodeFdt(tree), blob)).toBe(true);
    // "/memreserve/ 0x<16> 0x<16>;\n" is 52 characters per 16-byte entry.
    expect(printDts(tree).length).toBeLessThanOrEqual(52 * 100_000 + 100);
  });

  it("a property after a child node is a structure error at the FDT_PROP token", () => {
    // Root BEGIN_NODE at 0x38 (8 bytes), "c" BEGIN_NODE at 0x40 (8), its END_NODE at 0x48, PROP at 0x4c.
    const e = failure(propertyAfterChild());
    expect(e.offset).toBe(0x4c);
    expect(e.detail).toBe("FDT_PROP after the subnode /c: properties of / must precede its subnodes");
  });
});
