// A small seeded generator (xorshift128+ reduced to 32-bit outputs): every fuzz case is a
// function of (seed, case number), so a finding is repeated by its seed alone.

export class Rng {
  #s0: number;
  #s1: number;

  constructor(seed: number) {
    // splitmix-style scrambling so that nearby seeds give unrelated streams.
    let z = (seed >>> 0) ^ 0x9e3779b9;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.#s0 = (z ^ (z >>> 16)) | 1;
    this.#s1 = Math.imul(this.#s0, 0x27d4eb2d) ^ 0x165667b1;
  }

  /** A u32. */
  u32(): number {
    let s1 = this.#s0;
    const s0 = this.#s1;
    this.#s0 = s0;
    s1 ^= s1 << 23;
    s1 ^= s1 >>> 17;
    s1 ^= s0 ^ (s0 >>> 26);
    this.#s1 = s1;
    return (this.#s1 + s0) >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.u32() / 0x100000000) * n);
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}

/** The seed of case `i` of a run seeded `seed`. */
export function caseSeed(seed: number, i: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(i + 1, 0x85ebca77)) >>> 0;
}
