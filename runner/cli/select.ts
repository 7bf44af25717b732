// The scenarios a `papr-emu run` selects: its sources (this shard's share of them), loaded and
// parsed, then those whose name or file matches --grep and that carry a --tag. A file that
// cannot be read or parsed is not dropped: it is returned as invalid, with the parser's message.
import { ScenarioError } from "../scenario/errors.js";
import { loadScenarioFile, parseScenario } from "../scenario/parse.js";
import type { Scenario } from "../scenario/scenario.js";
import { inShard, type Shard } from "./run-options.js";
import { STDIN_NAME, type ScenarioSource } from "./sources.js";

export interface Selection {
  scenarios: Scenario[];
  invalid: { file: string; message: string }[];
  /** How many scenarios parsed, before --grep and --tag. */
  parsed: number;
}

interface SelectOptions {
  shard?: Shard;
  grep?: RegExp;
  /** Any of these tags. */
  tags?: readonly string[];
  /** Reads stdin whole (tests hand in a string). */
  readStdin?: () => Promise<string>;
}

export async function selectScenarios(sources: readonly ScenarioSource[], o: SelectOptions): Promise<Selection> {
  const out: Selection = { scenarios: [], invalid: [], parsed: 0 };
  for (const src of inShard(sources, o.shard)) {
    const file = src.kind === "file" ? src.path : STDIN_NAME;
    let scenario: Scenario;
    try {
      scenario = src.kind === "file" ? await loadScenarioFile(src.path) : parseScenario(await (o.readStdin ?? readStdin)(), STDIN_NAME);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      out.invalid.push({ file, message: e.message });
      continue;
    }
    out.parsed++;
    if (isSelected(scenario, o)) out.scenarios.push(scenario);
  }
  return out;
}

/** --grep matches the name or the file; with --tag, the scenario carries one of the tags. */
export function isSelected(s: Scenario, o: Pick<SelectOptions, "grep" | "tags">): boolean {
  if (o.grep && !o.grep.test(s.name) && !o.grep.test(s.file)) return false;
  return !o.tags?.length || o.tags.some((t) => s.tags?.includes(t));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
