// `npm run fuzz -- --time <s> --seed <n> [--only blobs|rtas|hcalls|scenarios] [--cases <n>]`:
// runs each category for its share of the time (or until --cases cases each), then prints per
// category the cases tried, the failures (with the seed that repeats each), the slowest case
// and the peak memory. Exit 1 when anything failed, 2 for a bad command line.
import { CATEGORIES } from "./categories.js";
import { fuzzRun, type FuzzStats } from "./fuzzer.js";

interface FuzzArgs {
  timeS: number;
  seed: number;
  only: string[];
  cases: number | undefined;
}

function parseArgs(argv: string[]): FuzzArgs {
  const out: FuzzArgs = { timeS: 60, seed: 1, only: [], cases: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[++i];
    const n = Number(value);
    if (flag === "--only" && value !== undefined && Object.hasOwn(CATEGORIES, value)) out.only.push(value);
    else if (flag === "--time" && Number.isFinite(n) && n > 0) out.timeS = n;
    else if (flag === "--seed" && Number.isInteger(n) && n >= 0 && n <= 0xffffffff) out.seed = n;
    else if (flag === "--cases" && Number.isInteger(n) && n > 0) out.cases = n;
    else throw new Error(`fuzz: bad argument ${flag} ${value ?? ""} (--time <s>, --seed <u32>, --cases <n>, --only ${Object.keys(CATEGORIES).join("|")})`);
  }
  return out;
}

function main(argv: string[]): number {
  let args: FuzzArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const names = args.only.length > 0 ? args.only : Object.keys(CATEGORIES);
  const all: FuzzStats[] = [];
  for (const name of names) {
    const fuzzers = CATEGORIES[name]!();
    const budgetMs = (args.timeS * 1000) / names.length / fuzzers.length;
    for (const f of fuzzers) {
      const started = performance.now();
      const perFuzzer = args.cases === undefined ? undefined : Math.ceil(args.cases / fuzzers.length);
      const stop = perFuzzer !== undefined ? (n: number) => n >= perFuzzer : () => performance.now() - started >= budgetMs;
      const stats = fuzzRun(f, args.seed, stop);
      const seconds = (performance.now() - started) / 1000;
      all.push(stats);
      console.log(`${name}${fuzzers.length > 1 ? `#${fuzzers.indexOf(f)}` : ""}: ${stats.cases} cases in ${seconds.toFixed(1)} s, ` +
        `${stats.failures.length} failures, slowest case ${stats.slowestCase} (${stats.slowestMs.toFixed(1)} ms), ` +
        `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
      for (const x of stats.failures.slice(0, 20)) console.log(`  case ${x.case} (case seed ${x.seed}): ${x.message}`);
    }
  }
  return all.some((s) => s.failures.length > 0) ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
