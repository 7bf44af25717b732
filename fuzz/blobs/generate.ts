// Structure-aware blobs: a random tree written the way dtc would, or the QEMU pseries fixture,
// then damaged the way a corrupt or hostile blob is — header fields, tokens, lengths and name
// offsets set to edge values, bytes flipped, ranges cut, copied or moved, NOPs inserted.
import { readFileSync } from "node:fs";
import { DeviceTree, type DtNode, encodeFdt } from "../../devicetree/index.js";
import type { Rng } from "../rng.js";

const QEMU_DTB = new Uint8Array(readFileSync(new URL("../../test/fixtures/dt/qemu-7.2-pseries.dtb", import.meta.url)));

const NAMES = ["reg", "compatible", "#address-cells", "#size-cells", "interrupts", "device_type", "name",
  "phandle", "linux,phandle", "ibm,phandle", "status", "model", "interrupt-controller", "ibm,drc-names", "x"];
const NODE_NAMES = ["cpus", "memory@0", "rtas", "event-sources", "chosen", "vdevice", "a", "b@1", "c,d@ff", "n"];

/** Cut-outs of a blob's own u32 values a mutation may write: its sizes, offsets and tokens. */
const EDGE_U32 = [0, 1, 2, 3, 4, 9, 16, 17, 0x28, 0x38, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 0xd00dfeed];

export interface GeneratedBlob {
  blob: Uint8Array;
  /** Built from the QEMU fixture: worth booting a Machine from. */
  fromQemu: boolean;
  what: string;
}

export function generateBlob(rng: Rng): GeneratedBlob {
  const fromQemu = rng.chance(0.25);
  let blob = fromQemu ? QEMU_DTB.slice() : encodeFdt(randomTree(rng));
  const mutations = rng.chance(0.2) ? 0 : rng.int(1, 4);
  const what: string[] = [fromQemu ? "qemu" : "random tree"];
  for (let i = 0; i < mutations; i++) {
    const [name, next] = mutate(rng, blob);
    what.push(name);
    blob = next;
  }
  return { blob, fromQemu, what: what.join(" + ") };
}

function randomTree(rng: Rng): DeviceTree {
  const t = new DeviceTree({ bootCpuId: rng.chance(0.9) ? 0 : rng.u32() });
  for (let i = rng.below(3); i > 0; i--) t.reservations.push({ address: BigInt(rng.u32()) << 12n, size: BigInt(rng.int(1, 0xffff)) });
  const grow = (n: DtNode, depth: number): void => {
    for (let i = rng.below(5); i > 0; i--) {
      const name = rng.chance(0.8) ? rng.pick(NAMES) : `p${rng.below(1000)}`;
      if (n.hasProperty(name)) continue;
      const kind = rng.below(4);
      if (kind === 0) n.setEmpty(name);
      else if (kind === 1) n.setU32List(name, Array.from({ length: rng.below(5) }, () => rng.u32()));
      else if (kind === 2) n.setStringList(name, Array.from({ length: rng.int(1, 3) }, () => `s${rng.below(100)}`));
      else n.setBytes(name, rng.bytes(rng.below(12)));
    }
    if (depth >= 5) return;
    for (let i = rng.below(4); i > 0; i--) {
      const name = rng.pick(NODE_NAMES);
      if (!n.children.some((c) => c.name === name)) grow(n.addChild(name), depth + 1);
    }
  };
  grow(t.root, 0);
  return t;
}

type Mutation = (rng: Rng, b: Uint8Array) => Uint8Array;

const MUTATIONS: Record<string, Mutation> = {
  "header field": (rng, b) => setU32(b.slice(), 4 * rng.below(10), edgeFor(rng, b)),
  "aligned word": (rng, b) => setU32(b.slice(), 4 * rng.below(b.length >>> 2), edgeFor(rng, b)),
  "flip bytes": (rng, b) => {
    const c = b.slice();
    for (let i = rng.int(1, 8); i > 0 && c.length > 0; i--) c[rng.below(c.length)] ^= 1 << rng.below(8);
    return c;
  },
  truncate: (rng, b) => b.slice(0, rng.below(b.length + 1)),
  "append bytes": (rng, b) => concat(b, rng.bytes(rng.int(1, 64))),
  "copy a range over another": (rng, b) => {
    const c = b.slice();
    const len = rng.int(1, 64);
    const from = rng.below(Math.max(1, c.length - len));
    c.set(b.subarray(from, from + len), rng.below(Math.max(1, c.length - len)));
    return c;
  },
  "insert NOP": (rng, b) => {
    const at = 4 * rng.below(b.length >>> 2);
    return concat(concat(b.subarray(0, at), Uint8Array.of(0, 0, 0, 4)), b.subarray(at));
  },
  "delete a word": (rng, b) => {
    const at = 4 * rng.below(b.length >>> 2);
    return concat(b.subarray(0, at), b.subarray(at + 4));
  },
};

function mutate(rng: Rng, b: Uint8Array): [string, Uint8Array] {
  const names = Object.keys(MUTATIONS);
  const name = rng.pick(names);
  return [name, MUTATIONS[name]!(rng, b)];
}

/** An edge value, or one of the blob's own header values ± a little (offsets that almost fit). */
function edgeFor(rng: Rng, b: Uint8Array): number {
  if (rng.chance(0.5) || b.length < 40) return rng.chance(0.8) ? rng.pick(EDGE_U32) : rng.u32();
  const own = new DataView(b.buffer, b.byteOffset, 40).getUint32(4 * rng.below(10));
  return (own + rng.int(-8, 8)) >>> 0;
}

function setU32(b: Uint8Array, at: number, v: number): Uint8Array {
  if (at + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(at, v);
  return b;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
