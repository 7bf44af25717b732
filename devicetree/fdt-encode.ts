// DeviceTree → DTB. Two layouts:
// - none recorded (or layout: null): exactly what `dtc -I dts -O dtb` (1.6.1) writes — header,
//   reservation map at 0x28, structure block, strings block, no padding; names enter the
//   strings table in structure order, reusing any earlier "name\0" (also as a suffix);
// - the layout decodeFdt recorded: blocks in their original order with their original gaps and
//   free space, the original strings table (new names appended), the original name offsets and
//   NOPs — so an unchanged tree comes back byte for byte.

import { DtError } from "./errors.js";
import {
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_HEADER_SIZE,
  FDT_LAST_COMP_VERSION,
  FDT_MAGIC,
  FDT_NOP,
  FDT_PROP,
  FDT_RSV_ENTRY_SIZE,
  FDT_VERSION,
  align,
} from "./fdt-format.js";
// Token values as local constants: under tsx an imported binding is a getter call per use,
// which showed in profiles of million-node blobs.
const T_NOP = FDT_NOP;
const T_BEGIN_NODE = FDT_BEGIN_NODE;
const T_END_NODE = FDT_END_NODE;
const T_PROP = FDT_PROP;
const T_END = FDT_END;

import type { FdtBlock, FdtLayout } from "./layout.js";
import type { DeviceTree, DtNode, MemoryReservation } from "./model.js";
import { StringTable } from "./string-table.js";

export interface EncodeOptions {
  /** Layout to reproduce; defaults to the tree's recorded one; null forces dtc's layout. */
  layout?: FdtLayout | null;
}

const U64_MAX = (1n << 64n) - 1n;
const BLOCK_ALIGN: Record<FdtBlock, number> = { memRsvmap: 8, struct: 4, strings: 1 };

export function encodeFdt(tree: DeviceTree, opts: EncodeOptions = {}): Uint8Array {
  const layout = opts.layout === undefined ? tree.layout : (opts.layout ?? undefined);
  if (!Number.isInteger(tree.bootCpuId) || tree.bootCpuId < 0 || tree.bootCpuId > 0xffffffff) {
    throw new DtError(`bootCpuId ${tree.bootCpuId} is not a u32`);
  }
  const strings = new StringTable(layout?.strings);
  const blocks: Record<FdtBlock, Uint8Array> = {
    memRsvmap: encodeReservations(tree.reservations),
    struct: encodeStructure(tree.root, strings, layout),
    strings: strings.bytes(),
  };
  const order: FdtBlock[] = layout?.blockOrder ?? ["memRsvmap", "struct", "strings"];
  const gaps = layout?.gaps ?? [];

  // Place the blocks; a grown block may shift a later one off its alignment: pad with zeros.
  const offsets = {} as Record<FdtBlock, number>;
  const pieces: Array<{ at: number; bytes: Uint8Array }> = [];
  let pos = FDT_HEADER_SIZE;
  order.forEach((kind, i) => {
    const gap = gaps[i];
    if (gap) pieces.push({ at: pos, bytes: gap });
    pos = align(pos + (gap?.length ?? 0), BLOCK_ALIGN[kind]);
    offsets[kind] = pos;
    pieces.push({ at: pos, bytes: blocks[kind] });
    pos += blocks[kind].length;
  });
  const tail = gaps[order.length];
  if (tail) pieces.push({ at: pos, bytes: tail });
  const total = pos + (tail?.length ?? 0);

  const out = new Uint8Array(total);
  for (const p of pieces) out.set(p.bytes, p.at);
  const version = layout?.header.version ?? FDT_VERSION;
  const dv = new DataView(out.buffer);
  const fields = [
    FDT_MAGIC,
    total,
    offsets.struct,
    offsets.strings,
    offsets.memRsvmap,
    version,
    layout?.header.lastCompVersion ?? FDT_LAST_COMP_VERSION,
    tree.bootCpuId,
    blocks.strings.length,
    // Version 16 has no size_dt_struct; keep whatever the original held in that word.
    version >= 17 ? blocks.struct.length : layout!.header.sizeDtStruct,
  ];
  fields.forEach((v, i) => dv.setUint32(i * 4, v));
  return out;
}

function encodeReservations(entries: MemoryReservation[]): Uint8Array {
  const out = new Uint8Array((entries.length + 1) * FDT_RSV_ENTRY_SIZE);
  const dv = new DataView(out.buffer);
  entries.forEach((e, i) => {
    for (const v of [e.address, e.size]) {
      if (typeof v !== "bigint" || v < 0n || v > U64_MAX) {
        throw new DtError(`memory reservation ${i}: ${String(v)} is not a u64`);
      }
    }
    if (e.address === 0n && e.size === 0n) {
      throw new DtError(`memory reservation ${i} is (0,0), which would end the reservation map`);
    }
    dv.setBigUint64(i * 16, e.address);
    dv.setBigUint64(i * 16 + 8, e.size);
  });
  return out;
}

function encodeStructure(root: DtNode, strings: StringTable, layout: FdtLayout | undefined): Uint8Array {
  const w = new ByteWriter();
  const nops = layout?.nops ?? [];
  const nameOffsets = layout?.propNameOffsets ?? [];
  const padding = new Map((layout?.padding ?? []).map((p) => [p.token, p.bytes]));
  let nopIndex = 0;
  let tokens = 0;
  let props = 0;
  const token = (t: number): void => {
    while (nopIndex < nops.length && nops[nopIndex] === tokens) {
      w.u32(T_NOP);
      nopIndex++;
    }
    w.u32(t);
    tokens++;
  };

  if (root.name !== "") throw new DtError(`the root node has a non-empty name "${root.name}"`);
  // Explicit stack of (node, entered?) so deep trees cannot overflow the JS stack.
  const stack: Array<{ node: DtNode; entered: boolean }> = [{ node: root, entered: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.entered) {
      token(T_END_NODE);
      stack.pop();
      continue;
    }
    top.entered = true;
    const node = top.node;
    token(T_BEGIN_NODE);
    w.bytes(nameBytes(node.name, () => `node name in ${node.parent?.path ?? "/"}`));
    w.u8(0);
    w.pad4(padding.get(tokens - 1));
    // Duplicate checks allocate a set only for a node with two or more entries (most have none).
    const seen = node.properties.length > 1 ? new Set<string>() : undefined;
    for (const p of node.properties) {
      if (seen?.has(p.name)) throw new DtError(`${node.path}: duplicate property "${p.name}"`);
      seen?.add(p.name);
      if (p.name === "" || p.name.includes("\0")) {
        throw new DtError(`${node.path}: invalid property name ${JSON.stringify(p.name)}`);
      }
      nameBytes(p.name, () => `${node.path}: property name`);
      token(T_PROP);
      w.u32(p.value.length);
      w.u32(strings.offsetOf(p.name, nameOffsets[props++]));
      w.bytes(p.value);
      w.pad4(padding.get(tokens - 1));
    }
    const childNames = node.children.length > 1 ? new Set<string>() : undefined;
    for (let i = node.children.length - 1; i >= 0; i--) {
      const c = node.children[i]!;
      if (c.name === "" || c.name.includes("/") || c.name.includes("\0")) {
        throw new DtError(`${node.path}: invalid child node name ${JSON.stringify(c.name)}`);
      }
      if (childNames?.has(c.name)) throw new DtError(`${node.path}: duplicate child node "${c.name}"`);
      childNames?.add(c.name);
      stack.push({ node: c, entered: false });
    }
  }
  token(T_END);
  if (layout?.structTail.length) w.bytes(layout.structTail);
  return w.result();
}

/** Names are written as latin1 bytes (see the decoder); anything wider cannot be represented. */
function nameBytes(name: string, where: () => string): Uint8Array {
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) > 0xff) throw new DtError(`${where()} ${JSON.stringify(name)} has a character above U+00FF`);
  }
  return Buffer.from(name, "latin1");
}

class ByteWriter {
  #buf = new Uint8Array(256);
  #dv = new DataView(this.#buf.buffer);
  #len = 0;

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#dv = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.#reserve(1);
    this.#buf[this.#len++] = v;
  }

  u32(v: number): void {
    this.#reserve(4);
    this.#dv.setUint32(this.#len, v);
    this.#len += 4;
  }

  bytes(b: Uint8Array): void {
    this.#reserve(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  /** Up to the next 4-byte boundary: the recorded bytes if they fit exactly, else zeros. */
  pad4(recorded?: Uint8Array): void {
    const n = align(this.#len, 4) - this.#len;
    this.#reserve(n);
    if (recorded?.length === n) this.#buf.set(recorded, this.#len);
    this.#len += n;
  }

  result(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}
