// DTB → DeviceTree. The structure block is walked with an explicit stack (no recursion, so a
// hostile nesting depth cannot overflow the JS stack) and every step advances by at least one
// 4-byte token, so decoding always terminates. Any defect is an FdtFormatError with an offset.
// Time and memory are linear in the blob (docs/reliability.md): names are slices of one latin1
// copy of the blob, property names are at most FDT_MAX_PROPERTY_NAME bytes, and the per-node
// duplicate checks allocate their sets only for a node's second child or property.

import { FdtFormatError, hex } from "./errors.js";
import {
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_HEADER_SIZE,
  FDT_MAX_PROPERTY_NAME,
  FDT_NOP,
  FDT_PROP,
  align,
} from "./fdt-format.js";
// Token values as local constants: under tsx an imported binding is a getter call per use,
// which showed in profiles of million-node blobs.
const T_NOP = FDT_NOP;
const T_BEGIN_NODE = FDT_BEGIN_NODE;
const T_END_NODE = FDT_END_NODE;
const T_PROP = FDT_PROP;
const T_END = FDT_END;

import { readHeader, readReservations } from "./fdt-header.js";
import type { FdtBlock, FdtHeader, FdtLayout } from "./layout.js";
import { DeviceTree, DtNode, appendChildUnchecked } from "./model.js";

interface OpenNode {
  node: DtNode;
  /** Created at the second child / property: most nodes never need one. */
  childNames: Set<string> | undefined;
  propNames: Set<string> | undefined;
}

/** Adds `name` to the names seen so far in `list` (whose last entry is `name`); false if it was there. */
function addUnique(set: Set<string> | undefined, list: ReadonlyArray<{ name: string }>, name: string): Set<string> | false {
  if (!set) {
    set = new Set();
    for (let i = 0; i < list.length - 1; i++) set.add(list[i]!.name);
  }
  if (set.has(name)) return false;
  set.add(name);
  return set;
}

interface StructResult {
  root: DtNode;
  /** Offset just past FDT_END. */
  end: number;
  propNameOffsets: number[];
  nops: number[];
  padding: FdtLayout["padding"];
}

export function decodeFdt(blob: Uint8Array): DeviceTree {
  const { header: h, structLimit } = readHeader(blob);
  const rsv = readReservations(blob, h);
  const s = walkStructure(blob, h, structLimit);
  // Version 16 declares no structure size: the block ends at FDT_END.
  const structSize = h.version >= 17 ? h.sizeDtStruct : s.end - h.offDtStruct;
  const blocks: Array<{ kind: FdtBlock; off: number; size: number; label: string }> = [
    { kind: "memRsvmap", off: h.offMemRsvmap, size: rsv.size, label: "memory reservation map" },
    { kind: "struct", off: h.offDtStruct, size: structSize, label: "structure block" },
    { kind: "strings", off: h.offDtStrings, size: h.sizeDtStrings, label: "strings block" },
  ];
  // Empty blocks sort first on a shared offset, so every gap below is non-negative.
  blocks.sort((a, b) => a.off - b.off || a.size - b.size);
  const gaps: Uint8Array[] = [];
  let prevEnd = FDT_HEADER_SIZE;
  let prevLabel = "header";
  for (const b of blocks) {
    if (b.off < prevEnd) {
      throw new FdtFormatError(b.off, `the ${b.label} at ${hex(b.off)} overlaps the ${prevLabel}, which ends at ${hex(prevEnd)}`);
    }
    gaps.push(blob.slice(prevEnd, b.off));
    prevEnd = b.off + b.size;
    prevLabel = b.label;
  }
  gaps.push(blob.slice(prevEnd, h.totalSize));

  const layout: FdtLayout = {
    header: { ...h },
    blockOrder: blocks.map((b) => b.kind),
    gaps,
    strings: blob.slice(h.offDtStrings, h.offDtStrings + h.sizeDtStrings),
    propNameOffsets: s.propNameOffsets,
    nops: s.nops,
    padding: s.padding,
    structTail: h.version >= 17 ? blob.slice(s.end, structLimit) : new Uint8Array(0),
  };
  return new DeviceTree({ root: s.root, reservations: rsv.entries, bootCpuId: h.bootCpuidPhys, layout });
}

function walkStructure(blob: Uint8Array, h: FdtHeader, limit: number): StructResult {
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  // One latin1 copy of the blob: a name is a slice of it (V8 shares the characters).
  const text = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).toString("latin1");
  const names = new StringsBlock(blob, text, h.offDtStrings, h.sizeDtStrings);
  const stack: OpenNode[] = [];
  const propNameOffsets: number[] = [];
  const nops: number[] = [];
  const padding: FdtLayout["padding"] = [];
  // Pads to the next 4-byte boundary; non-zero padding is kept for byte-exact re-encoding.
  const pad = (from: number, what: string): number => {
    const next = align(from, 4);
    if (next > limit) throw new FdtFormatError(from, `padding after the ${what} runs past the end of the structure block`);
    for (let i = from; i < next; i++) {
      if (blob[i] !== 0) {
        padding.push({ token: tokens - 1, bytes: blob.slice(from, next) });
        break;
      }
    }
    return next;
  };
  let root: DtNode | undefined;
  let tokens = 0;
  let pos = h.offDtStruct;
  for (;;) {
    if (pos + 4 > limit) {
      throw new FdtFormatError(pos, pos === limit
        ? `the structure block ends at ${hex(limit)} without an FDT_END token`
        : `truncated token at the end of the structure block (ends at ${hex(limit)})`);
    }
    const token = dv.getUint32(pos);
    const at = pos;
    if (token === T_NOP) {
      nops.push(tokens);
      pos += 4;
      continue;
    }
    tokens++;
    switch (token) {
      case T_BEGIN_NODE: {
        const nameStart = at + 4;
        let nul = nameStart;
        while (nul < limit && blob[nul] !== 0) nul++;
        if (nul === limit) throw new FdtFormatError(nameStart, "node name is not NUL-terminated within the structure block");
        const name = text.slice(nameStart, nul);
        pos = pad(nul + 1, "node name");
        const top = stack[stack.length - 1];
        let node: DtNode;
        if (!top) {
          if (root) throw new FdtFormatError(at, "a second root node follows the end of the first");
          if (name !== "") throw new FdtFormatError(at, `the root node has a non-empty name "${name}"`);
          node = root = new DtNode("");
        } else {
          if (name === "") throw new FdtFormatError(nameStart, `a child of ${top.node.path} has an empty name`);
          if (name.includes("/")) throw new FdtFormatError(nameStart, `node name "${name}" contains "/"`);
          node = appendChildUnchecked(top.node, name);
          if (top.node.children.length > 1) {
            const set = addUnique(top.childNames, top.node.children, name);
            if (!set) throw new FdtFormatError(at, `duplicate node name "${name}" in ${top.node.path}`);
            top.childNames = set;
          }
        }
        stack.push({ node, childNames: undefined, propNames: undefined });
        break;
      }
      case T_END_NODE:
        if (stack.length === 0) throw new FdtFormatError(at, "FDT_END_NODE without a matching FDT_BEGIN_NODE");
        stack.pop();
        pos = at + 4;
        break;
      case T_PROP: {
        const top = stack[stack.length - 1];
        if (!top) throw new FdtFormatError(at, "FDT_PROP outside a node");
        // libfdt (and so Linux) reads a node's properties only before its first subnode; one
        // after it would be invisible to the guest and could not be re-encoded where it was.
        if (top.node.children.length > 0) {
          throw new FdtFormatError(at, `FDT_PROP after the subnode ${top.node.children.at(-1)!.path}: properties of ${top.node.path} must precede its subnodes`);
        }
        if (at + 12 > limit) throw new FdtFormatError(at, "truncated FDT_PROP header at the end of the structure block");
        const len = dv.getUint32(at + 4);
        const nameOff = dv.getUint32(at + 8);
        const valueStart = at + 12;
        if (len > limit - valueStart) {
          throw new FdtFormatError(
            at + 4,
            `property length ${hex(len)} runs past the end of the structure block (${hex(limit - valueStart)} bytes left)`,
          );
        }
        const name = names.at(nameOff, at + 8);
        top.node.properties.push({ name, value: blob.slice(valueStart, valueStart + len) });
        if (top.node.properties.length > 1) {
          const set = addUnique(top.propNames, top.node.properties, name);
          if (!set) throw new FdtFormatError(at, `duplicate property "${name}" in ${top.node.path}`);
          top.propNames = set;
        }
        propNameOffsets.push(nameOff);
        pos = pad(valueStart + len, "property value");
        break;
      }
      case T_END:
        if (stack.length > 0) {
          throw new FdtFormatError(at, `FDT_END inside the open node ${stack[stack.length - 1]!.node.path}`);
        }
        if (!root) throw new FdtFormatError(at, "FDT_END before any node: the tree has no root");
        return { root, end: at + 4, propNameOffsets, nops, padding };
      default:
        throw new FdtFormatError(at, `unknown token ${hex(token)}`);
    }
  }
}

/** Property names by strings-block offset, each checked once. */
class StringsBlock {
  readonly #cache = new Map<number, string>();
  /** Strings-block index of the first NUL at or after each index (-1: none); built on first use
   *  so that many names pointing into one long run cost linear, not quadratic, time. */
  #nextNul: Int32Array | undefined;

  constructor(
    private readonly blob: Uint8Array,
    private readonly text: string,
    private readonly off: number,
    private readonly size: number,
  ) {}

  /** `field` is where the name offset was read, for errors. */
  at(nameOff: number, field: number): string {
    const cached = this.#cache.get(nameOff);
    if (cached !== undefined) return cached;
    if (nameOff >= this.size) {
      throw new FdtFormatError(field, `property name offset ${hex(nameOff)} is beyond the strings block (size ${hex(this.size)})`);
    }
    const nul = this.#nulTable()[nameOff]!;
    if (nul < 0) {
      throw new FdtFormatError(field, `property name at strings offset ${hex(nameOff)} is not NUL-terminated within the strings block`);
    }
    if (nul === nameOff) throw new FdtFormatError(field, `property name at strings offset ${hex(nameOff)} is empty`);
    if (nul - nameOff > FDT_MAX_PROPERTY_NAME) {
      throw new FdtFormatError(
        field,
        `property name at strings offset ${hex(nameOff)} is ${nul - nameOff} bytes long; the limit is ${FDT_MAX_PROPERTY_NAME}`,
      );
    }
    const name = this.text.slice(this.off + nameOff, this.off + nul);
    this.#cache.set(nameOff, name);
    return name;
  }

  #nulTable(): Int32Array {
    if (!this.#nextNul) {
      const t = new Int32Array(this.size);
      let next = -1;
      for (let i = this.size - 1; i >= 0; i--) {
        if (this.blob[this.off + i] === 0) next = i;
        t[i] = next;
      }
      this.#nextNul = t;
    }
    return this.#nextNul;
  }
}
