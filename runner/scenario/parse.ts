// Scenario files (spec/scenario-format.md, version 1): the YAML document, its top level and the
// machine section. Steps are read by steps.ts. Anything not understood is a
// ScenarioError naming file, line, column and key; nothing is silently ignored.

import { KERNEL_FAULTS, type KernelFaultPoint } from "../../kernel-shim/fault-points.js";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { LineCounter, parseAllDocuments, type Document, type YAMLError } from "yaml";
import { FdtFormatError } from "../../devicetree/index.js";
import { MachineTreeError, readBaseDtb, type BaseTree } from "../../emulator/base-tree.js";
import { readDtbFile } from "./dtb-file.js";
import { ScenarioError, ScenarioSource } from "./errors.js";
import { NodeReader, type Field, type Located } from "./nodes.js";
import { readRtasName, readU32 } from "./payload.js";
import { readSteps } from "./steps.js";
import { sourceIdText } from "../format.js";
import { DRIVER_PROFILES, type DriverProfile } from "../../kernel-shim/profile.js";
import type { MachineConfig, PolicyValue } from "./model.js";
import type { Scenario } from "./scenario.js";

export interface ParseOptions {
  /** When given, a `machine.policy` name outside this list is an error (with its position). */
  policyNames?: readonly string[];
}

const TOP_LEVEL_KEYS = ["name", "machine", "steps"] as const;
const MACHINE_KEYS = ["cpus", "sources", "driver", "hvpipe-capable", "omit-rtas", "policy", "seed", "dtb", "kernel-faults", "rtasd"] as const;
const DEFAULT_SOURCE = 0x02000001;
const MAX_CPUS = 64;

export function defaultMachine(): MachineConfig {
  return { cpus: 1, sources: [DEFAULT_SOURCE], driver: "mainline", hvpipeCapable: true, omitRtas: [], policy: {} };
}

/** Parses one scenario file's text; `file` is the name used in every error message. */
export function parseScenario(text: string, file: string, options: ParseOptions = {}): Scenario {
  const lineCounter = new LineCounter();
  const source = new ScenarioSource(file, lineCounter);
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: "1.2" });
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
    text = await readFile(path, "utf8");
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ScenarioError(path, 1, 1, "", `cannot read the file: ${reason}`);
  }
  return parseScenario(text, path, options);
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
  const machineField = fields.get("machine");
  const machine = machineField === undefined ? defaultMachine() : readMachine(r, machineField, file, options);
  const steps = readSteps(r, r.required(top, fields, "steps"));
  return { file, name, machine, steps };
}

function readMachine(r: NodeReader, v: Located, file: string, options: ParseOptions): MachineConfig {
  const machine = defaultMachine();
  if (r.isMissing(v)) return machine;
  const fields = r.map(v, MACHINE_KEYS, "machine key", "a map of machine settings");
  for (const f of fields.values()) {
    switch (f.name as (typeof MACHINE_KEYS)[number]) {
      case "cpus":
        machine.cpus = r.integer(f, `an integer from 1 to ${MAX_CPUS}`, 1, MAX_CPUS);
        machine.cpusExplicit = true;
        break;
      case "sources": {
        const seen = new Set<number>();
        machine.sources = r.seq(f, "a list of source ids").map((item) => {
          const id = readU32(r, item);
          if (seen.has(id)) r.fail(item, `source ${sourceIdText(id)} is listed twice`);
          seen.add(id);
          return id;
        });
        break;
      }
      case "driver": {
        const driver = r.scalar(f);
        if (typeof driver !== "string" || !(DRIVER_PROFILES as readonly string[]).includes(driver)) {
          r.expected(f, `one of ${DRIVER_PROFILES.join(", ")}`);
        }
        machine.driver = driver as DriverProfile;
        break;
      }
      case "hvpipe-capable":
        machine.hvpipeCapable = r.bool(f);
        break;
      case "omit-rtas":
        machine.omitRtas = r.seq(f, "a list of RTAS function names").map((item) => readRtasName(r, item));
        break;
      case "policy":
        machine.policy = readPolicy(r, f, options);
        break;
      case "kernel-faults":
        machine.kernelFaults = r.seq(f, "a list of kernel fault points").map((item) => {
          const name = r.scalar(item);
          if (typeof name !== "string" || !(KERNEL_FAULTS as readonly string[]).includes(name)) {
            r.expected(item, `one of ${KERNEL_FAULTS.join(", ")}`);
          }
          return name as KernelFaultPoint;
        });
        break;
      case "rtasd":
        machine.rtasd = r.bool(f);
        break;
      case "seed":
        machine.seed = r.integer(f, "a non-negative integer", 0, Number.MAX_SAFE_INTEGER);
        break;
      case "dtb":
        break; // read below, once cpus is known
    }
  }
  const dtbField = fields.get("dtb");
  if (dtbField !== undefined) {
    const base = readDtbField(r, dtbField, file, machine);
    const cpusField = fields.get("cpus");
    if (cpusField !== undefined && machine.cpus !== base.threads) {
      const n = base.threads;
      r.source.fail(cpusField.keyOffset, cpusField.path,
        `"cpus" is ${machine.cpus}, but the DTB's /cpus has ${n} CPU thread${n === 1 ? "" : "s"} (remove cpus, or make it ${n})`);
    }
    machine.cpus = base.threads;
  }
  return machine;
}

/**
 * `dtb: <path>` (relative to the scenario file's directory): the blob is read and checked here,
 * so an unreadable file, a corrupt blob (with its offset) or one that cannot serve as the
 * partition's tree is an error at the key.
 */
function readDtbField(r: NodeReader, f: Field, file: string, machine: MachineConfig): BaseTree {
  const value = r.string(f, "a path to a .dtb file");
  if (value.trim() === "") r.expected(f, "a path to a .dtb file");
  const path = resolve(dirname(file), value);
  const fail = (problem: string): never => r.source.fail(f.keyOffset, f.path, problem);
  let blob: Uint8Array;
  try {
    blob = readDtbFile(path);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return fail(`dtb: cannot read ${JSON.stringify(value)}: ${reason}`);
  }
  try {
    const base = readBaseDtb(blob);
    machine.dtb = { path, blob };
    return base;
  } catch (e) {
    if (e instanceof FdtFormatError) return fail(`dtb: ${JSON.stringify(value)} is not a valid DTB: ${e.message}`);
    if (e instanceof MachineTreeError) return fail(`dtb: ${JSON.stringify(value)} cannot serve as the partition's tree: ${e.message}`);
    throw e;
  }
}

function readPolicy(r: NodeReader, v: Located, options: ParseOptions): Record<string, PolicyValue> {
  if (r.isMissing(v)) return {};
  const entries: [string, PolicyValue][] = [];
  const fields = r.map(v, options.policyNames ?? null, "policy", "a map of policy names to values");
  for (const f of fields.values()) {
    const value = r.scalar(f);
    if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) {
      entries.push([f.name, value]);
    } else {
      r.expected(f, "a string, a number or true/false");
    }
  }
  return Object.fromEntries(entries); // own properties even for a name like __proto__
}
