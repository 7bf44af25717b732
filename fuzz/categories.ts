// The fuzz categories `npm run fuzz` knows, by name: a row per category (docs/reliability.md).
import { blobFuzzer } from "./blobs/fuzzer.js";
import type { Fuzzer } from "./fuzzer.js";
import { hcallFuzzer } from "./hcalls/fuzzer.js";
import { RTAS_POLICIES, rtasFuzzer } from "./rtas/fuzzer.js";
import { scenarioFuzzer } from "./scenarios/fuzzer.js";

/** Each category makes its fuzzers afresh (the RTAS one holds a pair of machines per policy set). */
export const CATEGORIES: Record<string, () => Fuzzer[]> = {
  blobs: () => [blobFuzzer],
  rtas: () => RTAS_POLICIES.map((p) => rtasFuzzer(p)),
  hcalls: () => [hcallFuzzer()],
  scenarios: () => [scenarioFuzzer()],
};
