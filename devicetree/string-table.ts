// The strings block being built by the encoder. A name is placed where "name\0" first occurs
// in the table — also as the tail of a longer name ("phandle" inside "linux,phandle\0") — and
// appended otherwise, which is what dtc does, so our offsets match dtc's.

export class StringTable {
  /** The table as latin1 text: one char per byte, so String.indexOf finds byte matches. */
  #text: string;
  readonly #found = new Map<string, number>();

  constructor(initial?: Uint8Array) {
    this.#text = initial ? Buffer.from(initial.buffer, initial.byteOffset, initial.byteLength).toString("latin1") : "";
  }

  /**
   * Offset of `name`. `preferred` (the offset the original blob used for this property) wins
   * when it still holds exactly this name, which keeps libfdt-written tables byte-identical.
   */
  offsetOf(name: string, preferred?: number): number {
    const key = name + "\0";
    if (preferred !== undefined && this.#text.startsWith(key, preferred)) return preferred;
    let off = this.#found.get(name);
    if (off !== undefined) return off;
    off = this.#text.indexOf(key);
    if (off < 0) {
      off = this.#text.length;
      this.#text += key;
    }
    this.#found.set(name, off);
    return off;
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.from(this.#text, "latin1"));
  }
}
