// The `machine` section of a scenario: CPUs, HMC sources, the driver profile, the firmware
// (omit-rtas, policies, a DTB to boot from), kernel faults and the scheduling seed. With
// `platform` checks on, policy and RTAS names and values are checked against the emulator's own
// tables (platform.ts), so a typo is an error at its position, with a near-miss hint.
import { dirname, resolve } from "node:path";
import { FdtFormatError } from "../../devicetree/index.js";
import { MachineTreeError, readBaseDtb, type BaseTree } from "../../emulator/base-tree.js";
import { KERNEL_FAULTS, type KernelFaultPoint } from "../../kernel-shim/fault-points.js";
import { DRIVER_PROFILES } from "../../kernel-shim/profile.js";
import { sourceIdText } from "../format.js";
import { readDtbFile } from "./dtb-file.js";
import type { MachineConfig, PolicyValue } from "./model.js";
import { hint } from "./near-miss.js";
import type { Field, Located, NodeReader } from "./nodes.js";
import { readRtasName, readU32 } from "./payload.js";
import { implementedRtasFunctions, policyDefinition, policyProblem, POLICY_NAMES } from "./platform.js";

export const MACHINE_KEYS = ["cpus", "sources", "driver", "hvpipe-capable", "omit-rtas", "policy", "seed", "dtb", "kernel-faults", "rtasd"] as const;
const DEFAULT_SOURCE = 0x02000001;
export const MAX_CPUS = 64;
/** Most HMC sources a machine may list (the emulator's pipe keeps per-source state). */
export const MAX_SOURCES = 256;

export interface MachineReadOptions {
  /** Only these policy names (an older option; `platform` checks against the emulator's table). */
  policyNames?: readonly string[];
  /** Check policies and RTAS names against the emulator's tables. */
  platform: boolean;
}

export function defaultMachine(): MachineConfig {
  return { cpus: 1, sources: [DEFAULT_SOURCE], driver: "mainline", hvpipeCapable: true, omitRtas: [], policy: {} };
}
export function readMachine(r: NodeReader, v: Located, file: string, options: MachineReadOptions): MachineConfig {
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
        const items = r.seq(f, "a list of source ids");
        if (items.length > MAX_SOURCES) r.fail(f, `"sources" lists ${items.length} sources, more than the ${MAX_SOURCES} a machine may have`);
        machine.sources = items.map((item) => {
          const id = readU32(r, item);
          if (seen.has(id)) r.fail(item, `source ${sourceIdText(id)} is listed twice`);
          seen.add(id);
          return id;
        });
        break;
      }
      case "driver":
        machine.driver = r.oneOf(f, DRIVER_PROFILES);
        break;
      case "hvpipe-capable":
        machine.hvpipeCapable = r.bool(f);
        break;
      case "omit-rtas":
        machine.omitRtas = r.seq(f, "a list of RTAS function names").map((item) => readImplementedRtas(r, item, options));
        break;
      case "policy":
        machine.policy = readPolicy(r, f, options);
        break;
      case "kernel-faults":
        machine.kernelFaults = r.seq(f, "a list of kernel fault points").map((item): KernelFaultPoint => r.oneOf(item, KERNEL_FAULTS));
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

/**
 * An RTAS function name the emulator implements (omit-rtas, fault.rtas on the emulator's own
 * tree). `extra` are further names allowed (a booted blob's tokens).
 */
export function readImplementedRtas(r: NodeReader, v: Located, options: MachineReadOptions, extra: Iterable<string> = []): string {
  const name = readRtasName(r, v);
  const known = options.platform ? implementedRtasFunctions() : undefined;
  if (known === undefined || known.includes(name)) return name;
  const all = new Set([...known, ...extra]);
  if (all.has(name)) return name;
  return r.fail(v, `unknown RTAS function "${name}"${hint(name, all)} (the emulator implements: ${known.join(", ")})`);
}

function readPolicy(r: NodeReader, v: Located, options: MachineReadOptions): Record<string, PolicyValue> {
  if (r.isMissing(v)) return {};
  const entries: [string, PolicyValue][] = [];
  const fields = r.map(v, options.policyNames ?? null, "policy", "a map of policy names to values");
  for (const f of fields.values()) {
    if (options.platform && policyDefinition(f.name) === undefined) {
      r.source.fail(f.keyOffset, f.path, `unknown policy "${f.name}"${hint(f.name, POLICY_NAMES)} (allowed: ${POLICY_NAMES.join(", ")})`);
    }
    const value = r.scalar(f);
    if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) {
      entries.push([f.name, value]);
    } else {
      r.expected(f, "a string, a number or true/false");
    }
    const def = options.platform ? policyDefinition(f.name) : undefined;
    if (def !== undefined && def.values !== "positive-integer" && !def.values.includes(value as PolicyValue)) {
      const near = typeof value === "string" ? hint(value, def.values.map(String)) : "";
      r.fail(f, `policy "${f.name}" takes one of ${def.values.join(", ")}, not ${JSON.stringify(value)}${near}`);
    }
  }
  const policy: Record<string, PolicyValue> = Object.fromEntries(entries); // own properties even for a name like __proto__
  const problem = options.platform ? policyProblem(policy) : undefined;
  if (problem !== undefined) r.fail(fields.get(problem.policy) ?? v, problem.message);
  return policy;
}
