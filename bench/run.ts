// npm run bench: every benchmark on the wasm build and on the JS build of the hot path, each build
// in a process of its own (bench/worker.ts), in two rounds of opposite order (wasm, js, js, wasm)
// whose timed runs are pooled; prints the table and writes docs/benchmarks.md.
//   --quick        short runs (a smoke test of the benchmarks; the document is not written)
//   --only a,d-rt  these benchmarks only (the document is not written)
//   --no-doc       do not write docs/benchmarks.md
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { HOT_PATH_BUILDS } from "../emulator/hotpath.js";
import { BENCHES } from "./benches.js";
import { median, type Measurement, type Timing } from "./harness.js";
import { formatTable, generatedSection, machineInfo, updateDoc, whereTimeGoes, type Row } from "./report.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const writeDoc = !quick && only === undefined && !args.includes("--no-doc");
if (only !== undefined) {
  const unknown = only.split(",").filter((id) => !BENCHES.some((b) => b.id === id));
  if (unknown.length) throw new Error(`--only: no benchmark ${unknown.join(", ")} (known: ${BENCHES.map((b) => b.id).join(", ")})`);
}

const timing: Timing = quick ? { warmupMs: 50, runs: 3, runMs: 30 } : { warmupMs: 250, runs: 4, runMs: 120 };
const ORDER = quick ? [...HOT_PATH_BUILDS] : [...HOT_PATH_BUILDS, ...[...HOT_PATH_BUILDS].reverse()];
const worker = fileURLToPath(new URL("./worker.ts", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));

const started = performance.now();
const results = new Map<string, Row>(BENCHES.map((b) => [b.id, { bench: b }]));
for (const [i, build] of ORDER.entries()) {
  console.error(`${build} (process ${i + 1} of ${ORDER.length}):`);
  const child = spawnSync(process.execPath, ["--import", "tsx", worker, build, JSON.stringify(timing), ...(only ? [only] : [])], {
    cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 16 << 20,
  });
  if (child.status !== 0) throw new Error(`the ${build} benchmarks failed (exit ${child.status ?? child.signal})`);
  for (const line of child.stdout.split("\n").filter(Boolean)) {
    const m = JSON.parse(line) as Measurement;
    const row = results.get(m.id)!;
    const earlier = row[m.build];
    if (earlier) {
      // Pool the timed runs of both processes of this build.
      const rates = [...earlier.rates, ...m.rates];
      row[m.build] = { ...m, rates, median: median(rates) };
    } else {
      row[m.build] = m;
    }
  }
}
const rows = [...results.values()].filter((r) => r.wasm || r.js);
const seconds = (performance.now() - started) / 1000;

console.log(`\n${formatTable(rows)}\n`);
for (const s of whereTimeGoes(rows)) console.log(`- ${s}`);
const runsPerBuild = (ORDER.length / HOT_PATH_BUILDS.length) * timing.runs;
const how = `Medians of ${runsPerBuild} timed runs per build (${timing.runs} in each of ${ORDER.length / HOT_PATH_BUILDS.length} processes per build, ` +
  `run in the order ${ORDER.join(", ")}; rows with fewer say so under "runs"), each after ${timing.warmupMs} ms of warm-up. ` +
  `Spread is (max − min) / median over the runs.`;
console.log(`\n${seconds.toFixed(0)} s. ${how}`);

if (writeDoc) {
  const doc = new URL("../docs/benchmarks.md", import.meta.url);
  updateDoc(fileURLToPath(doc), generatedSection(rows, machineInfo(), how));
  console.log(`wrote ${fileURLToPath(doc)}`);
}
