// `npm run fuzz -- --time <s> --seed <n> [--only blobs|rtas|hcalls|scenarios] [--cases <n>]
// [--progress <n>] [--first <n>]`: runs each category for its share of the time (or until --cases cases each,
// whichever comes first when both are given), then prints per category the cases tried, the
// failures (with the seed that repeats each), the slowest case and the peak memory; --progress
// prints the same line every n cases of a long run; --first starts at that case number (to split
// a long run over processes). Exit 1 when anything failed, 2 for a bad
// command line.
import { CATEGORIES } from "./categories.js";
import { fuzzRun, type FuzzStats } from "./fuzzer.js";

interface FuzzArgs {
  timeS: number;
  seed: number;
  only: string[];
  cases: number | undefined;
  timeGiven: boolean;
  progress: number | undefined;
  first: number;
}

function parseArgs(argv: string[]): FuzzArgs {
  const out: FuzzArgs = { timeS: 60, seed: 1, only: [], cases: undefined, timeGiven: false, progress: undefined, first: 0 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[++i];
    const n = Number(value);
    if (flag === "--only" && value !== undefined && Object.hasOwn(CATEGORIES, value)) out.only.push(value);
    else if (flag === "--time" && Number.isFinite(n) && n > 0) [out.timeS, out.timeGiven] = [n, true];
    else if (flag === "--progress" && Number.isInteger(n) && n > 0) out.progress = n;
    else if (flag === "--first" && Number.isInteger(n) && n >= 0) out.first = n;
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
      const label = `${name}${fuzzers.length > 1 ? `#${fuzzers.indexOf(f)}` : ""}`;
      const outOfTime = (): boolean => (perFuzzer === undefined || args.timeGiven) && performance.now() - started >= budgetMs;
      const stop = (n: number, sofar: FuzzStats): boolean => {
        if (args.progress !== undefined && n > 0 && n % args.progress === 0) console.log(`  ${summary(label, sofar, started)}`);
        return (perFuzzer !== undefined && n >= perFuzzer) || outOfTime();
      };
      const stats = fuzzRun(f, args.seed, stop, args.first);
      all.push(stats);
      console.log(summary(label, stats, started));
      for (const x of stats.failures.slice(0, 20)) console.log(`  case ${x.case} (case seed ${x.seed}): ${x.message}`);
    }
  }
  return all.some((s) => s.failures.length > 0) ? 1 : 0;
}

function summary(label: string, stats: FuzzStats, started: number): string {
  const seconds = (performance.now() - started) / 1000;
  return `${label}: ${stats.cases} cases in ${seconds.toFixed(1)} s, ${stats.failures.length} failures, ` +
    `slowest case ${stats.slowestCase} (${stats.slowestMs.toFixed(1)} ms), peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`;
}

process.exitCode = main(process.argv.slice(2));
