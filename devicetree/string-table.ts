// The strings block being built by the encoder. A name is placed where "name\0" first occurs
// in the table — also as the tail of a longer name ("phandle" inside "linux,phandle\0") — and
// appended otherwise, which is what dtc does, so our offsets match dtc's.
//
// "name\0" occurs at i exactly when name is a suffix of the NUL-terminated run containing i, so
// the table keeps a trie of its runs read backwards: each trie node is one suffix and remembers
// where it first starts. Adding or finding a name of n bytes costs n steps, never a scan of the
// table (a fresh indexOf per name made many names quadratic, issue 14). Only suffixes up to
// FDT_MAX_PROPERTY_NAME bytes are indexed — the longest name a decoded blob has; a longer name
// (built through the API) is searched for directly — and a recorded table is indexed only when
// a name misses its recorded offset, so re-encoding an unchanged blob builds no trie at all.

import { FDT_MAX_PROPERTY_NAME } from "./fdt-format.js";

export class StringTable {
  /** The table as latin1 text: one char per byte. */
  #text: string;
  readonly #found = new Map<string, number>();
  /** Trie edges: (node · 256 + byte) → child node; node 0 is the empty suffix. */
  readonly #edges = new Map<number, number>();
  /** Per trie node: the smallest table offset where that suffix starts. */
  readonly #start: number[] = [0];
  /** How much of the table the trie covers. */
  #indexed = 0;

  constructor(initial?: Uint8Array) {
    this.#text = initial ? Buffer.from(initial.buffer, initial.byteOffset, initial.byteLength).toString("latin1") : "";
  }

  /**
   * Offset of `name`. `preferred` (the offset the original blob used for this property) wins
   * when it still holds exactly this name, which keeps libfdt-written tables byte-identical.
   */
  offsetOf(name: string, preferred?: number): number {
    if (preferred !== undefined && this.#text.startsWith(name, preferred) && this.#text.charCodeAt(preferred + name.length) === 0) {
      return preferred;
    }
    let off = this.#found.get(name);
    if (off !== undefined) return off;
    off = name.length > FDT_MAX_PROPERTY_NAME ? this.#text.indexOf(name + "\0") : this.#find(name);
    if (off < 0) {
      off = this.#text.length;
      this.#text += name + "\0";
    }
    this.#found.set(name, off);
    return off;
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.from(this.#text, "latin1"));
  }

  /** Brings the trie up to date with the NUL-terminated runs of the table. */
  #catchUp(): void {
    let runStart = this.#indexed;
    for (let i = this.#indexed; i < this.#text.length; i++) {
      if (this.#text.charCodeAt(i) !== 0) continue;
      this.#index(runStart, i);
      runStart = i + 1;
    }
    this.#indexed = runStart;
  }

  /** Adds the suffixes (up to the name limit) of the run [from, nul); earlier starts are kept. */
  #index(from: number, nul: number): void {
    let node = 0;
    for (let i = nul - 1; i >= Math.max(from, nul - FDT_MAX_PROPERTY_NAME); i--) {
      const key = node * 256 + this.#text.charCodeAt(i);
      let next = this.#edges.get(key);
      if (next === undefined) {
        next = this.#start.length;
        this.#start.push(i);
        this.#edges.set(key, next);
      }
      node = next;
    }
  }

  /** The smallest offset at which `name\0` occurs, or -1. */
  #find(name: string): number {
    this.#catchUp();
    let node = 0;
    for (let i = name.length - 1; i >= 0; i--) {
      const next = this.#edges.get(node * 256 + name.charCodeAt(i));
      if (next === undefined) return -1;
      node = next;
    }
    return node === 0 ? -1 : this.#start[node]!;
  }
}
