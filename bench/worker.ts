// One build's side of the benchmarks, in a process of its own (so the TypeScript around the hot
// path is compiled by the JIT for that build only, as in a real run): prints one JSON line per
// measurement on stdout, progress on stderr. Usage: worker.ts <wasm|js> <timing JSON> [ids,…]
import { HOT_PATH_BUILDS, type HotPathBuild } from "../emulator/hotpath.js";
import { BENCHES } from "./benches.js";
import { measure, type Timing } from "./harness.js";

const [build, timingJson, only] = process.argv.slice(2);
if (!HOT_PATH_BUILDS.includes(build as HotPathBuild)) throw new Error(`worker: build must be wasm or js, not ${build}`);
const timing = JSON.parse(timingJson ?? "{}") as Timing;
const ids = only ? new Set(only.split(",")) : null;

for (const bench of BENCHES) {
  if (ids && !ids.has(bench.id)) continue;
  const t0 = performance.now();
  const m = measure(bench, build as HotPathBuild, timing);
  process.stderr.write(`  ${build.padEnd(4)} ${bench.id.padEnd(8)} ${Math.round(m.median).toLocaleString("en-US").padStart(12)} ${bench.op}/s` +
    `  (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  process.stdout.write(`${JSON.stringify(m)}\n`);
}
