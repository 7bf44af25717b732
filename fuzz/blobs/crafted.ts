// The crafted blobs of issue 14: legal or nearly legal DTBs whose size or shape once made the
// decoder, encoder or DTS printer superlinear. Tests check what each now gives; bench/ and
// `npm run fuzz` time them.

const BEGIN_NODE = 0x1;
const END_NODE = 0x2;
const PROP = 0x3;
const END = 0x9;

/** A version 17 blob: header, reservation map at 0x28, then the structure and strings blocks. */
export function rawBlob(struct: Uint8Array, strings: Uint8Array, reservations = 0): Uint8Array {
  const offStruct = 0x28 + (reservations + 1) * 16;
  const offStrings = offStruct + struct.length;
  const total = offStrings + strings.length;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  [0xd00dfeed, total, offStruct, offStrings, 0x28, 17, 16, 0, strings.length, struct.length].forEach((v, i) =>
    dv.setUint32(i * 4, v),
  );
  // Reservation i is (i+1)·4 KiB at 4 KiB·(i+1)·2: never (0,0), which would end the map early.
  for (let i = 0; i < reservations; i++) {
    dv.setBigUint64(0x28 + i * 16, BigInt(i + 1) * 0x2000n);
    dv.setBigUint64(0x28 + i * 16 + 8, 0x1000n);
  }
  b.set(struct, offStruct);
  b.set(strings, offStrings);
  return b;
}

/** Structure-block words; node names are written NUL-terminated and padded. */
class Words {
  #buf = new Uint8Array(1024);
  #len = 0;
  u32(v: number): this {
    this.#grow(4);
    new DataView(this.#buf.buffer).setUint32(this.#len, v);
    this.#len += 4;
    return this;
  }
  begin(name: string): this {
    this.u32(BEGIN_NODE);
    const n = Buffer.from(name + "\0", "latin1");
    this.#grow(n.length + 3);
    this.#buf.set(n, this.#len);
    this.#len += (n.length + 3) & ~3;
    return this;
  }
  prop(nameOff: number, value: Uint8Array = new Uint8Array(0)): this {
    this.u32(PROP).u32(value.length).u32(nameOff);
    this.#grow(value.length + 3);
    this.#buf.set(value, this.#len);
    this.#len += (value.length + 3) & ~3;
    return this;
  }
  end(): this {
    return this.u32(END_NODE);
  }
  finish(): Uint8Array {
    this.u32(END);
    return this.#buf.slice(0, this.#len);
  }
  #grow(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}

/** n empty properties in the root whose names start at offsets 0..n-1 of one run of n "a"s. */
export function sharedNameRun(n: number): Uint8Array {
  const w = new Words().begin("");
  for (let i = 0; i < n; i++) w.prop(i);
  const strings = new Uint8Array(n + 1).fill(0x61);
  strings[n] = 0;
  return rawBlob(w.end().finish(), strings);
}

/** Nodes "n" nested `depth` deep under the root, each with one empty property "p". */
export function deepNesting(depth: number): Uint8Array {
  const w = new Words().begin("");
  for (let i = 0; i < depth; i++) w.begin("n").prop(0);
  for (let i = 0; i <= depth; i++) w.end();
  return rawBlob(w.finish(), Buffer.from("p\0", "latin1"));
}

/** n sibling nodes "n@<i>" under the root. */
export function siblings(n: number): Uint8Array {
  const w = new Words().begin("");
  for (let i = 0; i < n; i++) w.begin(`n@${i.toString(16)}`).end();
  return rawBlob(w.end().finish(), new Uint8Array(0));
}

/** An empty root and n memory reservations. */
export function reservationMap(n: number): Uint8Array {
  return rawBlob(new Words().begin("").end().finish(), new Uint8Array(0), n);
}

/** The root holds a child "c", then (after the child) the property "p": outside the format. */
export function propertyAfterChild(): Uint8Array {
  const w = new Words().begin("").begin("c").end().prop(0).end();
  return rawBlob(w.finish(), Buffer.from("p\0", "latin1"));
}
