// npx tsx bench/workers.ts [--seeds a..b]: the conformance suite on both profiles under a seed
// range, run by `papr-emu run` on 1 worker and on one per core; prints each wall time and whether
// the two JUnit and TAP reports (--no-timing) are byte-identical. Opt-in: not part of npm test.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = process.argv.indexOf("--seeds");
const seeds = at >= 0 ? process.argv[at + 1]! : "0..49";
const dir = mkdtempSync(join(tmpdir(), "papr-emu-bench-workers-"));
const counts = [...new Set([1, availableParallelism()])];

const reports: string[][] = [];
for (const n of counts) {
  const files = ["junit", "tap"].map((r) => join(dir, `${n}.${r}`));
  const started = performance.now();
  const child = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "runner/cli/main.ts"), "run", join(root, "conformance"),
    "--driver", "mainline,v6.18", "--seeds", seeds, "--workers", String(n), "--no-timing",
    "--reporter", `junit:${files[0]}`, "--reporter", `tap:${files[1]}`], { stdio: "ignore" });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 1) throw new Error(`papr-emu run exited ${child.status} (expected 1: the v6.18 cells fail)`);
  reports.push(files.map((f) => readFileSync(f, "utf8")));
  const runs = (reports.at(-1)![1]!.match(/^(?:not )?ok /gm) ?? []).length;
  console.log(`${n} worker(s): ${runs} runs in ${seconds.toFixed(1)} s (${((seconds * 1000) / runs).toFixed(2)} ms per run, process start included)`);
}
const same = reports.every((r) => r[0] === reports[0]![0] && r[1] === reports[0]![1]);
console.log(same ? "reports byte-identical across worker counts" : "REPORTS DIFFER across worker counts");
if (!same) process.exitCode = 1;
