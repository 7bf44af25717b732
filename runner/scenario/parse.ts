// Scenario files (spec/scenario-format.md, version 1): the YAML document, its top level and the
// machine section. Steps are read by steps.ts. Anything not understood is a
// ScenarioError naming file, line, column and key; nothing is silently ignored.

import { readFile, stat } from "node:fs/promises";
import { LineCounter, parseAllDocuments, type Document, type YAMLError } from "yaml";
import { ScenarioError, ScenarioSource } from "./errors.js";
import { readFaultExpectation } from "./expect-fault.js";
import { defaultMachine, readMachine } from "./machine-section.js";
import { NodeReader, type Located } from "./nodes.js";
import { readSteps } from "./steps.js";
import type { Scenario } from "./scenario.js";

export { defaultMachine } from "./machine-section.js";

export interface ParseOptions {
  /** When given, a `machine.policy` name outside this list is an error (with its position). */
  policyNames?: readonly string[];
  /**
   * Check policy names and values, `omit-rtas` and `fault.rtas` against the emulator's own tables
   * (runner/scenario/platform.ts). loadScenarioFile does unless told `false`; parseScenario only when told.
   */
  platform?: boolean;
}

export const TOP_LEVEL_KEYS = ["name", "description", "tags", "machine", "expect-fault", "steps"] as const;
/** Largest scenario file (a 1 MiB payload written as hex is 2 MiB of text). */
const MAX_SCENARIO_FILE_BYTES = 16 * 1024 * 1024;
/** Most tags on one scenario. */
export const MAX_TAGS = 64;
const TAG = /^[^\s,]{1,64}$/;

/** Parses one scenario file's text; `file` is the name used in every error message. */
export function parseScenario(text: string, file: string, options: ParseOptions = {}): Scenario {
  const lineCounter = new LineCounter();
  const source = new ScenarioSource(file, lineCounter);
  if (text.length > MAX_SCENARIO_FILE_BYTES) {
    throw new ScenarioError(file, 1, 1, "", `the file is ${text.length} characters long, more than the ${MAX_SCENARIO_FILE_BYTES} a scenario file may have`);
  }
  // Duplicate keys are found by NodeReader.map in one pass (the YAML library's own check is quadratic).
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, version: "1.2" });
  if (!Array.isArray(docs) || docs.length === 0) {
    const streamErrors = (docs as { errors?: YAMLError[] }).errors ?? [];
    if (streamErrors.length > 0) throw yamlError(source, streamErrors[0]!);
    return source.fail(0, "", "the file has no YAML document (expected a map with name and steps)");
  }
  const doc = docs[0]!;
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) throw yamlError(source, problem);
  if (docs.length > 1) {
    const second = docs[1]!;
    const secondProblem = second.errors[0] ?? second.warnings[0];
    if (secondProblem !== undefined) throw yamlError(source, secondProblem);
    source.fail(second.range[0], "", "a scenario file holds one YAML document, this one has more (remove the ---)");
  }
  return readScenario(new NodeReader(source, doc as Document), doc as Document, file, options);
}

/** Reads and parses a scenario file. An unreadable file is a ScenarioError at 1:1. */
export async function loadScenarioFile(path: string, options: ParseOptions = {}): Promise<Scenario> {
  let text: string;
  try {
    const st = await stat(path);
    if (st.isFile() && st.size > MAX_SCENARIO_FILE_BYTES) {
      throw new Error(`${st.size} bytes, more than the ${MAX_SCENARIO_FILE_BYTES} a scenario file may have`);
    }
    text = await readFile(path, "utf8");
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ScenarioError(path, 1, 1, "", `cannot read the file: ${reason}`);
  }
  return parseScenario(text, path, { platform: true, ...options });
}

function yamlError(source: ScenarioSource, e: YAMLError): ScenarioError {
  const message = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return source.error(e.pos[0], "", `YAML: ${message}`);
}

function readScenario(r: NodeReader, doc: Document, file: string, options: ParseOptions): Scenario {
  const top: Located = { node: doc.contents as Located["node"], path: "", label: "scenario", offset: doc.contents?.range?.[0] ?? 0 };
  if (r.isMissing(top)) r.fail(top, "the file is empty (expected a map with name and steps)");
  const fields = r.map(top, TOP_LEVEL_KEYS, "top-level key", "a map with name, steps and optionally machine");
  const nameField = r.required(top, fields, "name");
  const name = r.string(nameField, "a non-empty string");
  if (name.trim() === "") r.expected(nameField, "a non-empty string");
  const machineOptions = { policyNames: options.policyNames, platform: options.platform ?? false };
  const machineField = fields.get("machine");
  const machine = machineField === undefined ? defaultMachine() : readMachine(r, machineField, file, machineOptions);
  const scenario: Scenario = { file, name, machine, steps: [] };
  const description = fields.get("description");
  if (description !== undefined) scenario.description = r.string(description, "a text");
  const tags = fields.get("tags");
  if (tags !== undefined) scenario.tags = readTags(r, tags);
  const expectFault = fields.get("expect-fault");
  if (expectFault !== undefined) scenario.expectFault = readFaultExpectation(r, expectFault);
  scenario.steps = readSteps(r, r.required(top, fields, "steps"), { machine, platform: machineOptions.platform });
  return scenario;
}

function readTags(r: NodeReader, v: Located): string[] {
  const items = r.seq(v, "a list of tags");
  if (items.length > MAX_TAGS) r.fail(v, `"tags" lists ${items.length} tags, more than the ${MAX_TAGS} a scenario may have`);
  const tags: string[] = [];
  for (const item of items) {
    const tag = r.string(item, "a tag (1 to 64 characters, no spaces or commas)");
    if (!TAG.test(tag)) r.expected(item, "a tag (1 to 64 characters, no spaces or commas)");
    if (tags.includes(tag)) r.fail(item, `tag "${tag}" is listed twice`);
    tags.push(tag);
  }
  return tags;
}
