// Scenario fuzzer: mutants of every example and conformance scenario through the public
// parseScenario and runScenario only. A ScenarioError is the expected answer to a bad file;
// a parsed mutant must run to a result (a failed scenario is fine). Anything else thrown —
// from the parser or the run — is a finding.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runScenario } from "../../runner/harness/run-scenario.js";
import { ScenarioError } from "../../runner/scenario/errors.js";
import { parseScenario } from "../../runner/scenario/parse.js";
import type { Fuzzer } from "../fuzzer.js";
import type { Rng } from "../rng.js";
import { mutateScenario } from "./mutate.js";

interface Seed {
  file: string;
  text: string;
}

function seeds(): Seed[] {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const out: Seed[] = [];
  for (const dir of ["examples", "conformance"]) {
    for (const name of readdirSync(join(root, dir)).filter((n) => n.endsWith(".yaml")).sort()) {
      // The mutant keeps its seed's path, so relative machine.dtb files still resolve.
      const file = join(root, dir, name);
      out.push({ file, text: readFileSync(file, "utf8") });
    }
  }
  return out;
}

export function scenarioFuzzer(): Fuzzer {
  let all: Seed[] | undefined;
  return {
    name: "scenarios",
    runCase(rng: Rng): string | undefined {
      all ??= seeds();
      const seed = rng.pick(all);
      let { text, what } = mutateScenario(rng, seed.text);
      // Now and then a second mutation on top of the first.
      if (rng.chance(0.3)) {
        const again = mutateScenario(rng, text);
        text = again.text;
        what += ` + ${again.what}`;
      }
      let scenario;
      try {
        scenario = parseScenario(text, seed.file);
      } catch (e) {
        if (e instanceof ScenarioError) return undefined;
        return `${seed.file} with ${what}: parseScenario threw ${describe(e)}`;
      }
      try {
        runScenario(scenario);
      } catch (e) {
        return `${seed.file} with ${what}: runScenario threw ${describe(e)}`;
      }
      return undefined;
    },
  };
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e);
}
