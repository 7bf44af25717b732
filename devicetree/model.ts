// The in-memory device tree: ordered nodes and ordered properties holding raw big-endian bytes.
// Property values carry no type in a DTB; the typed getters check the shape a caller expects.

import { DtError } from "./errors.js";
import type { FdtLayout } from "./layout.js";

export interface DtProperty {
  name: string;
  value: Uint8Array;
}

export interface MemoryReservation {
  address: bigint;
  size: bigint;
}

export interface LookupOptions {
  /** Match full names only (Linux's rule), without libfdt's unit-address fallback. */
  exact?: boolean;
}

const U64_MAX = (1n << 64n) - 1n;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8");

/** Set by DtNode's static block: the one way outside the class to set a child's parent. */
let attach: (parent: DtNode, child: DtNode) => void;

export class DtNode {
  /** Full name including the unit address ("PowerPC,POWER9@0"); "" for the root. */
  readonly name: string;
  readonly properties: DtProperty[] = [];
  readonly children: DtNode[] = [];
  #parent: DtNode | undefined;

  static {
    attach = (parent, child) => {
      child.#parent = parent;
      parent.children.push(child);
    };
  }

  constructor(name: string) {
    this.name = name;
  }

  get parent(): DtNode | undefined {
    return this.#parent;
  }

  /** "/" for the root, "/cpus/PowerPC,POWER9@0" below it. */
  get path(): string {
    const parts: string[] = [];
    for (let n: DtNode = this; n.#parent; n = n.#parent) parts.push(n.name);
    return "/" + parts.reverse().join("/");
  }

  /**
   * The child with exactly this name; failing that, when `name` has no unit address, the first
   * child whose name before "@" matches (libfdt's rule, so "/memory" finds "memory@0").
   * `exact` turns the fallback off: Linux's of_find_node_by_path compares full names only.
   */
  child(name: string, opts: LookupOptions = {}): DtNode | undefined {
    const exact = this.children.find((c) => c.name === name);
    if (exact || opts.exact || name.includes("@")) return exact;
    return this.children.find((c) => c.name.split("@", 1)[0] === name);
  }

  addChild(name: string): DtNode {
    checkNodeName(name, this.path);
    if (this.children.some((c) => c.name === name)) {
      throw new DtError(`${this.path}: a child node "${name}" already exists`);
    }
    const node = new DtNode(name);
    node.#parent = this;
    this.children.push(node);
    return node;
  }

  /** Removes the child with exactly this name; false when there was none. */
  removeChild(name: string): boolean {
    const i = this.children.findIndex((c) => c.name === name);
    if (i < 0) return false;
    this.children[i]!.#parent = undefined;
    this.children.splice(i, 1);
    return true;
  }

  /** Pre-order walk of this node and all its descendants, without recursion. */
  *walk(): Generator<DtNode> {
    const stack: DtNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!;
      yield node;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }

  property(name: string): DtProperty | undefined {
    return this.properties.find((p) => p.name === name);
  }

  hasProperty(name: string): boolean {
    return this.property(name) !== undefined;
  }

  removeProperty(name: string): boolean {
    const i = this.properties.findIndex((p) => p.name === name);
    if (i < 0) return false;
    this.properties.splice(i, 1);
    return true;
  }

  // ---- typed getters: each throws a DtError naming the node, the property and the problem.

  u32(name: string): number {
    const v = this.#value(name);
    if (v.length !== 4) throw this.#shape(name, `is ${v.length} bytes, expected 4 (one u32 cell)`);
    return view(v).getUint32(0);
  }

  u32List(name: string): number[] {
    const v = this.#value(name);
    if (v.length % 4 !== 0) {
      throw this.#shape(name, `is ${v.length} bytes, not a multiple of 4 (a list of u32 cells)`);
    }
    const dv = view(v);
    const out: number[] = [];
    for (let i = 0; i < v.length; i += 4) out.push(dv.getUint32(i));
    return out;
  }

  u64(name: string): bigint {
    const v = this.#value(name);
    if (v.length !== 8) throw this.#shape(name, `is ${v.length} bytes, expected 8 (one u64, two cells)`);
    return view(v).getBigUint64(0);
  }

  /** A single NUL-terminated string. */
  string(name: string): string {
    const v = this.#value(name);
    if (v.length === 0 || v[v.length - 1] !== 0) throw this.#shape(name, "is not NUL-terminated");
    const inner = v.indexOf(0);
    if (inner !== v.length - 1) {
      throw this.#shape(name, `holds ${countNuls(v)} strings, expected one (use stringList)`);
    }
    return utf8Decoder.decode(v.subarray(0, v.length - 1));
  }

  /** A list of NUL-terminated strings; an empty property is an empty list. */
  stringList(name: string): string[] {
    const v = this.#value(name);
    if (v.length === 0) return [];
    if (v[v.length - 1] !== 0) throw this.#shape(name, "is not NUL-terminated");
    return utf8Decoder.decode(v.subarray(0, v.length - 1)).split("\0");
  }

  /** A copy of the raw value. */
  bytes(name: string): Uint8Array {
    return this.#value(name).slice();
  }

  // ---- typed setters: replace in place (keeping property order) or append; return this.

  setU32(name: string, value: number): this {
    return this.setU32List(name, [value]);
  }

  setU32List(name: string, values: readonly number[]): this {
    const out = new Uint8Array(values.length * 4);
    const dv = view(out);
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
        throw new DtError(`${this.path}: property "${name}": ${v} is not a u32`);
      }
      dv.setUint32(i * 4, v);
    });
    return this.#set(name, out);
  }

  setU64(name: string, value: bigint | number): this {
    const v = BigInt(value);
    if (v < 0n || v > U64_MAX) throw new DtError(`${this.path}: property "${name}": ${v} is not a u64`);
    const out = new Uint8Array(8);
    view(out).setBigUint64(0, v);
    return this.#set(name, out);
  }

  setString(name: string, value: string): this {
    return this.setStringList(name, [value]);
  }

  setStringList(name: string, values: readonly string[]): this {
    for (const s of values) {
      if (s.includes("\0")) throw new DtError(`${this.path}: property "${name}": string contains NUL`);
    }
    const parts = values.map((s) => utf8.encode(s + "\0"));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return this.#set(name, out);
  }

  setEmpty(name: string): this {
    return this.#set(name, new Uint8Array(0));
  }

  setBytes(name: string, value: Uint8Array): this {
    return this.#set(name, value.slice());
  }

  #set(name: string, value: Uint8Array): this {
    if (name.length === 0 || name.includes("\0")) {
      throw new DtError(`${this.path}: invalid property name ${JSON.stringify(name)}`);
    }
    const existing = this.property(name);
    if (existing) existing.value = value;
    else this.properties.push({ name, value });
    return this;
  }

  #value(name: string): Uint8Array {
    const p = this.property(name);
    if (!p) throw new DtError(`${this.path}: property "${name}" is missing`);
    return p.value;
  }

  #shape(name: string, problem: string): DtError {
    return new DtError(`${this.path}: property "${name}" ${problem}`);
  }
}

export interface DeviceTreeInit {
  root?: DtNode;
  reservations?: MemoryReservation[];
  bootCpuId?: number;
  layout?: FdtLayout;
}

export class DeviceTree {
  root: DtNode;
  reservations: MemoryReservation[];
  /** The header's boot_cpuid_phys. */
  bootCpuId: number;
  /** Set by decodeFdt: how the blob was laid out, so encodeFdt can reproduce it. */
  layout?: FdtLayout;

  constructor(init: DeviceTreeInit = {}) {
    this.root = init.root ?? new DtNode("");
    this.reservations = init.reservations ?? [];
    this.bootCpuId = init.bootCpuId ?? 0;
    if (init.layout) this.layout = init.layout;
  }

  /** Absolute path lookup: "/", "/rtas", "/cpus/PowerPC,POWER9@0" (see DtNode.child). */
  lookup(path: string, opts: LookupOptions = {}): DtNode | undefined {
    if (!path.startsWith("/")) return undefined;
    let node: DtNode | undefined = this.root;
    for (const part of path.split("/")) {
      if (part === "") continue;
      node = node.child(part, opts);
      if (!node) return undefined;
    }
    return node;
  }
}

function checkNodeName(name: string, parentPath: string): void {
  if (name.length === 0 || name.includes("/") || name.includes("\0")) {
    throw new DtError(`${parentPath}: invalid node name ${JSON.stringify(name)}`);
  }
}

function countNuls(v: Uint8Array): number {
  let n = 0;
  for (const b of v) if (b === 0) n++;
  return n;
}

function view(v: Uint8Array): DataView {
  return new DataView(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * For the decoder only (not re-exported): appends a child without the linear duplicate check,
 * which would make a hostile blob with many siblings quadratic; the decoder checks with a Set.
 */
export function appendChildUnchecked(parent: DtNode, name: string): DtNode {
  const node = new DtNode(name);
  attach(parent, node);
  return node;
}
