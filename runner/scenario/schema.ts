// The JSON Schema of scenario files (schema/scenario.schema.json, written by
// scripts/build-schema.ts), built from the tables the parser validates against: the top-level,
// machine, step, expectation and payload keys, every registered action's keys, the emulator's
// policies and RTAS functions, the driver profiles, kernel fault points, errno, flag and revents
// names, and every bound. What the schema cannot say (fd names bound earlier, which actions a
// parallel branch may hold, which expectation keys apply to which action) only the parser checks.
import { ACTION_NAMES, actionNamed } from "../actions/index.js";
import { MIGRATE_PHASES } from "../actions/migrate.js";
import { MAX_REPEAT_TIMES } from "../actions/repeat.js";
import { KERNEL_FAULTS } from "../../kernel-shim/fault-points.js";
import { DRIVER_PROFILES } from "../../kernel-shim/profile.js";
import { Errno, HvpipeFlag, IoctlCmd, Poll } from "../../kernel-shim/uapi.js";
import { FAULT_KIND } from "./expect-fault.js";
import { NAME } from "./fd-scope.js";
import { MACHINE_KEYS, MAX_CPUS, MAX_SOURCES } from "./machine-section.js";
import { EXPECT_KEYS, REFUSAL_CODES, USER_FAULTS, type ExpectKey } from "./model.js";
import { MAX_TEXT_LENGTH } from "./nodes.js";
import { MAX_TAGS, TOP_LEVEL_KEYS } from "./parse.js";
import { MAX_IO_SIZE, MAX_PAYLOAD_BYTES, RTAS_NAME } from "./payload.js";
import { implementedRtasFunctions, policyDefinition, POLICY_NAMES } from "./platform.js";

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const text: Schema = { type: "string", maxLength: MAX_TEXT_LENGTH };
const int = (minimum: number, maximum: number): Schema => ({ type: "integer", minimum, maximum });
/** YAML integers, or a signed hex plain scalar (`-0x2`), which YAML reads as a string. */
const signedHex: Schema = { type: "string", pattern: "^[-+]0x[0-9a-fA-F]+$" };
const names = (table: object): Schema => ({ enum: Object.keys(table) });
const list = (items: Schema, extra: Schema = {}): Schema => ({ type: "array", items, ...extra });
const pattern = (re: RegExp): string => re.source;

/** An object with exactly these keys allowed (`required` among them). */
function map(properties: Record<string, Schema>, required: readonly string[] = []): Schema {
  return { type: "object", properties, required: [...required], additionalProperties: false };
}

/** The value of each key of an action's argument map, by key name (test: every action key has one). */
export const ARGUMENT_VALUES: Readonly<Record<string, Schema>> = {
  fd: ref("fd"),
  path: text,
  cmd: { anyOf: [names(IoctlCmd), ref("u32")] },
  src: ref("u32"),
  source: ref("u32"),
  "user-fault": { enum: [...USER_FAULTS] },
  payload: ref("payload"),
  raw: ref("payload"),
  size: int(0, MAX_IO_SIZE),
  timeout: int(-1, 0x7fffffff),
  phase: { enum: [...MIGRATE_PHASES] },
  rtas: ref("rtasName"),
  status: { anyOf: [{ type: "integer", minimum: -0x80000000, maximum: -1 }, int(1, 0x7fffffff), signedHex] },
  times: int(1, MAX_REPEAT_TIMES),
  received: list(ref("payload")),
  contains: text,
  lacks: text,
  proc: ref("name"),
  steps: ref("steps"),
  outside: ref("steps"),
};

/** The keys each action's argument map requires, and its other forms (a bare path, fd or nothing). */
const ARGUMENT_FORMS: Readonly<Record<string, { required: readonly string[]; bare?: Schema; list?: boolean }>> = {
  open: { required: ["path"], bare: text },
  ioctl: { required: ["fd", "cmd", "src"] },
  write: { required: ["fd"] },
  read: { required: ["fd", "size"] },
  poll: { required: ["fd", "timeout"] },
  close: { required: ["fd"], bare: ref("fd") },
  "hmc-send": { required: ["source", "payload"] },
  "hmc-close": { required: ["source"] },
  "hmc-open": { required: ["source"] },
  migrate: { required: [], bare: { type: "null" } },
  fault: { required: ["rtas", "status"] },
  "expect-hmc": { required: ["source", "received"] },
  "expect-dmesg": { required: [] },
  parallel: { required: [], list: true },
  repeat: { required: ["times", "steps"] },
};

const EXPECT_VALUES: Record<ExpectKey, Schema> = {
  ret: { anyOf: [{ type: "integer" }, signedHex] },
  errno: names(Errno),
  flags: list(names(HvpipeFlag), { uniqueItems: true }),
  payload: ref("payload"),
  revents: list(names(Poll), { uniqueItems: true }),
  header: ref("payload"),
  refused: { enum: [...REFUSAL_CODES] },
};

function argumentOf(action: string): Schema {
  const a = actionNamed(action)!;
  const form = ARGUMENT_FORMS[action];
  if (form === undefined) throw new Error(`action "${action}" has no argument form in runner/scenario/schema.ts`);
  const props = Object.fromEntries(a.keys.map((k) => {
    const value = ARGUMENT_VALUES[k];
    if (value === undefined) throw new Error(`key "${k}" of action "${action}" has no value schema in runner/scenario/schema.ts`);
    return [k, value];
  }));
  if (form.list) {
    // parallel: a list of {proc, steps} or {outside} branches.
    const branch = { oneOf: [map({ proc: props.proc!, steps: props.steps! }, ["proc", "steps"]), map({ outside: props.outside! }, ["outside"])] };
    return list(branch, { minItems: 2 });
  }
  const argMap = map(props, form.required);
  if (action === "expect-dmesg") argMap.minProperties = 1;
  return form.bare === undefined ? argMap : { anyOf: [form.bare, argMap] };
}

function stepSchema(action: string): Schema {
  return map({ [action]: argumentOf(action), proc: ref("name"), as: ref("name"), expect: ref("expect") }, [action]);
}

function policySchema(): Schema {
  const props: Record<string, Schema> = {};
  for (const name of POLICY_NAMES) {
    const def = policyDefinition(name)!;
    props[name] = def.values === "positive-integer" ? int(1, def.max ?? Number.MAX_SAFE_INTEGER) : { enum: [...def.values] };
    props[name]!.description = def.meaning;
  }
  return { type: ["object", "null"], properties: props, additionalProperties: false };
}

function rtasNameSchema(): Schema {
  const known = implementedRtasFunctions();
  // The functions the emulator implements; the name rule when no hot-path build could tell.
  return known === undefined ? { type: "string", pattern: pattern(RTAS_NAME) } : { enum: [...known] };
}

/** The JSON Schema (draft 2020-12) of a scenario file. */
export function scenarioSchema(): Schema {
  const fault = map({ kind: { type: "string", pattern: pattern(FAULT_KIND) }, contains: text }, ["kind"]);
  const faultOrNone = { anyOf: [{ const: "none" }, fault] };
  const expectMap = map(Object.fromEntries(EXPECT_KEYS.map((k) => [k, EXPECT_VALUES[k]])));
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "papr-emu scenario",
    description: "A papr-emu scenario file (docs/scenario-format.md). Generated by scripts/build-schema.ts; do not edit.",
    ...map({
      name: { type: "string", minLength: 1, maxLength: MAX_TEXT_LENGTH, pattern: "\\S" },
      description: text,
      tags: list({ type: "string", pattern: "^[^\\s,]{1,64}$" }, { maxItems: MAX_TAGS, uniqueItems: true }),
      machine: ref("machine"),
      "expect-fault": { anyOf: [faultOrNone, { ...map(Object.fromEntries(DRIVER_PROFILES.map((p) => [p, faultOrNone]))), minProperties: 1 }] },
      steps: ref("steps"),
    }, ["name", "steps"]),
    $defs: {
      name: { type: "string", pattern: pattern(NAME), maxLength: MAX_TEXT_LENGTH },
      u32: { anyOf: [int(-0x80000000, 0xffffffff), signedHex] },
      fd: { anyOf: [ref("name"), int(-0x80000000, 0x7fffffff)] },
      rtasName: rtasNameSchema(),
      payload: {
        anyOf: [
          { type: "string", maxLength: MAX_PAYLOAD_BYTES },
          map({ hex: { type: ["string", "integer"], maxLength: 4 * MAX_PAYLOAD_BYTES } }, ["hex"]),
          map({ size: int(0, MAX_PAYLOAD_BYTES), fill: int(0, 255) }, ["size"]),
        ],
      },
      expect: { anyOf: [expectMap, { ...map(Object.fromEntries(DRIVER_PROFILES.map((p) => [p, expectMap]))), minProperties: 1 }] },
      machine: {
        type: ["object", "null"],
        properties: {
          cpus: int(1, MAX_CPUS),
          sources: list(ref("u32"), { maxItems: MAX_SOURCES, uniqueItems: true }),
          driver: { enum: [...DRIVER_PROFILES] },
          "hvpipe-capable": { type: "boolean" },
          "omit-rtas": list(ref("rtasName")),
          policy: policySchema(),
          seed: int(0, Number.MAX_SAFE_INTEGER),
          dtb: { type: "string", minLength: 1, maxLength: MAX_TEXT_LENGTH },
          "kernel-faults": list({ enum: [...KERNEL_FAULTS] }),
          rtasd: { type: "boolean" },
        } satisfies Record<(typeof MACHINE_KEYS)[number], Schema>,
        additionalProperties: false,
      },
      steps: list({ oneOf: ACTION_NAMES.map(stepSchema) }),
    },
  };
}

/** The schema file's text, as scripts/build-schema.ts writes it. */
export function scenarioSchemaText(): string {
  return `${JSON.stringify(scenarioSchema(), null, 2)}\n`;
}

