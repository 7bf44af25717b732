// The generated JSON Schema (schema/scenario.schema.json): up to date with the parser's tables,
// valid for a real JSON Schema validator (ajv, draft 2020-12), accepting every shipped scenario
// and rejecting invalid files the parser rejects too.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ACTION_NAMES, actionNamed } from "../../../runner/actions/index.js";
import { ScenarioError } from "../../../runner/scenario/errors.js";
import { parseScenario, TOP_LEVEL_KEYS } from "../../../runner/scenario/parse.js";
import { ARGUMENT_VALUES, scenarioSchema, scenarioSchemaText } from "../../../runner/scenario/schema.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(scenarioSchema());

function shipped(): string[] {
  return ["examples", "conformance"].flatMap((dir) =>
    readdirSync(join(ROOT, dir)).filter((n) => n.endsWith(".yaml")).map((n) => join(ROOT, dir, n)));
}

describe("the scenario JSON Schema", () => {
  it("is the file scripts/build-schema.ts writes (run it after changing a table)", () => {
    expect(readFileSync(join(ROOT, "schema/scenario.schema.json"), "utf8")).toBe(scenarioSchemaText());
  });

  it("has a value schema for every key of every action, and the parser's top-level keys", () => {
    for (const name of ACTION_NAMES) for (const k of actionNamed(name)!.keys) expect(ARGUMENT_VALUES[k], `${name}.${k}`).toBeDefined();
    expect(Object.keys(scenarioSchema().properties as object)).toEqual([...TOP_LEVEL_KEYS]);
  });

  it("accepts every shipped scenario in examples/ and conformance/", () => {
    const files = shipped();
    expect(files.length).toBeGreaterThanOrEqual(25);
    for (const f of files) {
      const ok = validate(parse(readFileSync(f, "utf8"), { version: "1.2" }));
      expect(ok ? [] : validate.errors, f).toEqual([]);
    }
  });

  // Each is refused by the parser (with a position) and by the schema.
  const invalid: [string, string][] = [
    ["unknown top-level key", "name: a\nstep: []\n"],
    ["missing steps", "name: a\n"],
    ["unknown action", "name: a\nsteps:\n  - opne: /dev/papr-hvpipe\n"],
    ["two actions in a step", "name: a\nsteps:\n  - {open: /dev/x, close: 3}\n"],
    ["policy name typo", "name: a\nmachine:\n  policy: {fifo-dept: 4}\nsteps: []\n"],
    ["policy value typo", "name: a\nmachine:\n  policy: {migration-source-ids: renumbr}\nsteps: []\n"],
    ["policy named constructor", "name: a\nmachine:\n  policy: {constructor: 1}\nsteps: []\n"],
    ["omit-rtas typo", "name: a\nmachine:\n  omit-rtas: [event-scna]\nsteps: []\n"],
    ["fault status 0", "name: a\nsteps:\n  - fault: {rtas: event-scan, status: 0}\n"],
    ["fault on an RTAS function the emulator lacks", "name: a\nsteps:\n  - fault: {rtas: get-time-of-day, status: -1}\n"],
    ["unknown driver", "name: a\nmachine: {driver: v6.17}\nsteps: []\n"],
    ["unknown kernel fault point", "name: a\nmachine: {kernel-faults: [misc_registr]}\nsteps: []\n"],
    ["expect-fault kind not a kind", "name: a\nexpect-fault: {kind: Dead_Lock}\nsteps: []\n"],
    ["expect-fault for an unknown profile", "name: a\nexpect-fault: {v6.17: none}\nsteps: []\n"],
    ["refusal code typo", "name: a\nsteps:\n  - hmc-send: {source: 0x02000001, payload: x}\n    expect: {refused: pipe-ful}\n"],
    ["repeat 0 times", "name: a\nsteps:\n  - repeat: {times: 0, steps: [{open: /dev/x}]}\n"],
    ["tag with a space", "name: a\ntags: [a b]\nsteps: []\n"],
    ["payload over 1 MiB", "name: a\nsteps:\n  - hmc-send: {source: 1, payload: {size: 1048577}}\n"],
  ];
  it.each(invalid)("rejects: %s", (_what, text) => {
    expect(() => parseScenario(text, "x.yaml", { platform: true })).toThrow(ScenarioError);
    expect(validate(parse(text, { version: "1.2" }))).toBe(false);
  });
});
