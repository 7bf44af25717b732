// npm run bench:dt — issue 14's crafted blobs at full size, each in a process of its own (so its
// peak RSS is its own): blob size, then the time of decode, byte-exact re-encode, fresh (dtc)
// layout and DTS printing, and the process's peak RSS. Figures go to docs/reliability.md.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { FdtFormatError, decodeFdt, encodeFdt, printDts } from "../devicetree/index.js";
import { deepNesting, reservationMap, sharedNameRun, siblings } from "../fuzz/blobs/crafted.js";

const CASES: Record<string, () => Uint8Array> = {
  "100,000 names in one strings run": () => sharedNameRun(100_000),
  "30,000-deep nesting": () => deepNesting(30_000),
  "500,000 siblings": () => siblings(500_000),
  "1,000,000-entry reservation map": () => reservationMap(1_000_000),
  // The largest legal shape under the 16 MiB input limit: a million siblings with short names.
  "1,000,000 siblings (16 MiB)": () => siblings(1_000_000),
};

function time<T>(f: () => T): [T, number] {
  const started = performance.now();
  const r = f();
  return [r, performance.now() - started];
}

function measure(name: string): string {
  const blob = CASES[name]!();
  const cells: string[] = [name, `${(blob.length / 1048576).toFixed(2)} MiB`];
  try {
    const [tree, decodeMs] = time(() => decodeFdt(blob));
    const [, encodeMs] = time(() => encodeFdt(tree));
    const [, freshMs] = time(() => encodeFdt(tree, { layout: null }));
    const [dts, printMs] = time(() => printDts(tree));
    cells.push(...[decodeMs, encodeMs, freshMs, printMs].map((ms) => `${ms.toFixed(0)} ms`), `${(dts.length / 1048576).toFixed(1)} MiB`);
  } catch (e) {
    if (!(e instanceof FdtFormatError)) throw e;
    const [, refuseMs] = time(() => {
      try {
        decodeFdt(blob);
      } catch {
        // the same refusal, timed
      }
    });
    cells.push(`refused in ${refuseMs.toFixed(0)} ms: ${e.message}`, "", "", "", "");
  }
  cells.push(`${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  return `| ${cells.join(" | ")} |`;
}

const one = process.argv[2];
if (one !== undefined) {
  console.log(measure(one));
} else {
  const self = fileURLToPath(import.meta.url);
  console.log("| blob | size | decode | re-encode | fresh layout | print DTS | DTS size | peak RSS |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const name of Object.keys(CASES)) {
    const child = spawnSync(process.execPath, ["--import", "tsx", self, name], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
    if (child.status !== 0) throw new Error(`${name}: exit ${child.status ?? child.signal}`);
    process.stdout.write(child.stdout);
  }
}
