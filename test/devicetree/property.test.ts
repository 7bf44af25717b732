// Property tests on random trees: the encoder and decoder are inverse to each other, in dtc's
// layout and in libfdt's, and printDts output compiles (with dtc) back to the same tree.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeviceTree, decodeFdt, encodeFdt, printDts } from "../../devicetree/index.js";
import type { DtNode } from "../../devicetree/index.js";
import { dtc, hexOf, libfdtSequentialWrite, shape } from "./helpers.js";

interface NodeSpec {
  props: Array<[string, Uint8Array]>;
  children: Array<[string, NodeSpec]>;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");
// Characters dtc accepts in names (devicetree spec table 2.1 / 2.2).
const NODE_CHARS = [...LETTERS, ..."0123456789,._+-".split("")];
const PROP_CHARS = [...NODE_CHARS, "#", "?"];
// dtc drops `name` and checks phandles: keep random values off those names.
const RESERVED = new Set(["name", "phandle", "linux,phandle"]);

const nodeName = fc
  .tuple(
    fc.constantFrom(...LETTERS),
    fc.string({ unit: fc.constantFrom(...NODE_CHARS), maxLength: 12 }),
    fc.option(fc.stringMatching(/^[0-9a-f]{1,8}$/), { nil: undefined }),
  )
  .map(([first, rest, unit]) => first + rest + (unit === undefined ? "" : `@${unit}`));

const propName = fc
  .tuple(fc.constantFrom(...LETTERS), fc.string({ unit: fc.constantFrom(...PROP_CHARS), maxLength: 20 }))
  .map(([first, rest]) => first + rest)
  .filter((n) => !RESERVED.has(n));

const cellsValue = fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 8 }).map((cells) => {
  const out = new Uint8Array(cells.length * 4);
  cells.forEach((c, i) => new DataView(out.buffer).setUint32(i * 4, c));
  return out;
});
const stringsValue = fc
  .array(fc.string({ unit: "binary-ascii", maxLength: 10 }), { minLength: 1, maxLength: 4 })
  .map((list) => new Uint8Array(Buffer.from(list.map((s) => s.replaceAll("\0", "") + "\0").join(""), "latin1")));
const value = fc.oneof(fc.uint8Array({ maxLength: 48 }), cellsValue, stringsValue, fc.constant(new Uint8Array(0)));

function nodeSpec(depth: number): fc.Arbitrary<NodeSpec> {
  return fc.record({
    props: fc.uniqueArray(fc.tuple(propName, value), { selector: (p) => p[0], maxLength: 5 }),
    children:
      depth === 0
        ? fc.constant([])
        : fc.uniqueArray(fc.tuple(nodeName, nodeSpec(depth - 1)), { selector: (c) => c[0], maxLength: 3 }),
  });
}

const U64_MAX = (1n << 64n) - 1n;
const reservation = fc
  .record({ address: fc.bigInt({ min: 0n, max: U64_MAX }), size: fc.bigInt({ min: 0n, max: U64_MAX }) })
  .filter((r) => r.address !== 0n || r.size !== 0n);

const treeArb = fc
  .record({
    root: nodeSpec(4),
    reservations: fc.array(reservation, { maxLength: 3 }),
    bootCpuId: fc.integer({ min: 0, max: 0xffffffff }),
  })
  .map(({ root, reservations, bootCpuId }) => {
    const tree = new DeviceTree({ reservations, bootCpuId });
    const fill = (node: DtNode, spec: NodeSpec): void => {
      for (const [name, v] of spec.props) node.setBytes(name, v);
      for (const [name, child] of spec.children) fill(node.addChild(name), child);
    };
    fill(tree.root, root);
    return tree;
  });

describe("random trees", () => {
  it("encode → decode gives the same tree, and encode(decode(x)) === x", () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const blob = encodeFdt(tree);
        const back = decodeFdt(blob);
        expect(shape(back)).toEqual(shape(tree));
        expect(hexOf(encodeFdt(back))).toBe(hexOf(blob));
        expect(hexOf(encodeFdt(back, { layout: null }))).toBe(hexOf(blob));
      }),
      { numRuns: 300 },
    );
  });

  it("libfdt's layout (reversed strings, free space) is reproduced byte for byte", () => {
    fc.assert(
      fc.property(treeArb, fc.integer({ min: 0, max: 64 }), (tree, free) => {
        const blob = libfdtSequentialWrite(tree, free);
        const back = decodeFdt(blob);
        expect(shape(back)).toEqual(shape(tree));
        expect(hexOf(encodeFdt(back))).toBe(hexOf(blob));
      }),
      { numRuns: 200 },
    );
  });

  it("printDts → dtc gives back the same tree and the bytes of our encoder", () => {
    // A DTS has no boot CPU (dtc takes it from -b), so these trees use dtc's default, 0.
    fc.assert(
      fc.property(treeArb, (tree) => {
        tree.bootCpuId = 0;
        const { dtb } = dtc(printDts(tree));
        expect(shape(decodeFdt(dtb))).toEqual(shape(tree));
        expect(hexOf(encodeFdt(tree))).toBe(hexOf(dtb));
      }),
      { numRuns: 40 },
    );
  });
});
