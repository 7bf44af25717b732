// npm run fuzz:guided -- --target fdt|rtas --time <s> [--seed <n>] [--save]: a coverage-guided
// loop (BlockCoverage in place of Jazzer.js, see docs/reliability.md). It mutates inputs of the
// corpus (fuzz/corpus/<target>/), keeps every input that runs a block not run before, and with
// --save writes those to the corpus. A thrown error is a finding: printed with the input in hex,
// exit 1. Opt-in: not part of npm test.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng } from "../rng.js";
import { BlockCoverage } from "./coverage.js";
import { GUIDED_TARGETS } from "./targets.js";

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const targetName = opt("--target") ?? "fdt";
const seconds = Number(opt("--time") ?? "30");
const rng = new Rng(Number(opt("--seed") ?? "1"));
const save = argv.includes("--save");
const make = GUIDED_TARGETS[targetName];
if (!make || !(seconds > 0)) {
  console.error(`fuzz:guided: --target ${Object.keys(GUIDED_TARGETS).join("|")} --time <s> [--seed <n>] [--save]`);
  process.exit(2);
}
const target = make();
const dir = fileURLToPath(new URL(`../corpus/${targetName}/`, import.meta.url));
mkdirSync(dir, { recursive: true });
const corpus: Uint8Array[] = [...readdirSync(dir).sort().map((f) => new Uint8Array(readFileSync(join(dir, f)))), ...target.extraSeeds()];
if (corpus.length === 0) corpus.push(new Uint8Array(16));

const coverage = new BlockCoverage(target.folders);
let execs = 0;
let findings = 0;
const runOne = (input: Uint8Array): boolean => {
  execs++;
  try {
    target.run(input);
  } catch (e) {
    findings++;
    console.log(`finding: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n  input ${Buffer.from(input).toString("hex").slice(0, 400)}`);
  }
  return coverage.newBlocks() > 0;
};
for (const c of corpus) runOne(c);
const started = performance.now();
let kept = 0;
while (performance.now() - started < seconds * 1000) {
  const input = mutate(rng.pick(corpus), rng.pick(corpus));
  if (runOne(input)) {
    corpus.push(input);
    kept++;
    if (save) writeFileSync(join(dir, createHash("sha1").update(input).digest("hex").slice(0, 16) + ".bin"), input);
  }
}
console.log(`${targetName}: ${execs} inputs in ${seconds} s, ${coverage.blocks} blocks covered, ${kept} inputs kept (corpus ${corpus.length}), ${findings} findings`);
process.exitCode = findings > 0 ? 1 : 0;

function mutate(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = Uint8Array.from(a);
  const dv = new DataView(out.buffer);
  switch (rng.below(6)) {
    case 0:
      for (let i = rng.int(1, 4); i > 0 && out.length > 0; i--) out[rng.below(out.length)] ^= 1 << rng.below(8);
      return out;
    case 1:
      if (out.length >= 4) dv.setUint32(rng.below(out.length >>> 2) * 4, rng.pick([0, 1, 2, 3, 4, 9, 16, 17, 40, 0xffffffff, 0x7fffffff, rng.u32()]));
      return out;
    case 2:
      return out.slice(0, rng.below(out.length + 1));
    case 3: {
      // Splice: a piece of b over a.
      const len = Math.min(b.length, rng.int(1, 64));
      const from = rng.below(Math.max(1, b.length - len));
      const to = rng.below(Math.max(1, out.length - len));
      out.set(b.subarray(from, from + len).subarray(0, Math.max(0, out.length - to)), to);
      return out;
    }
    case 4: {
      const extra = rng.bytes(rng.int(1, 16));
      const joined = new Uint8Array(out.length + extra.length);
      joined.set(out);
      joined.set(extra, out.length);
      return joined;
    }
    default:
      if (out.length > 0) out[rng.below(out.length)] = rng.pick([0, 0xff, 0x7f, 0x80, rng.below(256)]);
      return out;
  }
}
