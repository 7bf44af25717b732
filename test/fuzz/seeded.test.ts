// A short seeded run of each fuzzer (fuzz/), as part of npm test: zero findings. The long runs
// and what each category found are in docs/reliability.md; a finding there becomes a fixed case
// in the test folder of the code it concerns.
import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../../fuzz/categories.js";
import { fuzzRun } from "../../fuzz/fuzzer.js";
import { Rng, caseSeed } from "../../fuzz/rng.js";

const SEED = 14;

describe("seeded fuzz runs", () => {
  it.each([
    ["blobs", 1000],
    ["rtas", 300],
    ["hcalls", 1000],
    ["scenarios", 60],
  ])("%s: %i cases per fuzzer, no finding", (category, cases) => {
    for (const f of CATEGORIES[category]!()) {
      const stats = fuzzRun(f, SEED, (n) => n >= cases);
      expect(stats.cases).toBe(cases);
      expect(stats.failures).toEqual([]);
    }
  });
});

describe("the generator behind every case", () => {
  it("is a function of the seed: the same seed repeats, another differs", () => {
    const draw = (seed: number): number[] => {
      const r = new Rng(seed);
      return [r.u32(), r.u32(), r.below(10), r.int(-3, 3)];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(8)).not.toEqual(draw(7));
    expect(caseSeed(14, 0)).not.toBe(caseSeed(14, 1));
  });

  it("below(n) stays in [0, n) and int(lo, hi) in [lo, hi]", () => {
    const r = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const b = r.below(7);
      const n = r.int(-2, 2);
      expect(b >= 0 && b < 7 && Number.isInteger(b)).toBe(true);
      expect(n >= -2 && n <= 2 && Number.isInteger(n)).toBe(true);
    }
  });

  it("a thrown error is a finding with its case and case seed", () => {
    const stats = fuzzRun({ name: "t", runCase: (rng) => (rng.below(2) === 0 ? undefined : "odd") }, 3, (n) => n >= 50);
    expect(stats.failures.length).toBeGreaterThan(0);
    for (const f of stats.failures) expect(f.seed).toBe(caseSeed(3, f.case));
    const thrown = fuzzRun({ name: "t", runCase: () => { throw new TypeError("x"); } }, 3, (n) => n >= 1);
    expect(thrown.failures).toEqual([{ case: 0, seed: caseSeed(3, 0), message: "uncaught TypeError: x" }]);
  });
});
