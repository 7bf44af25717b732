// Reading located YAML nodes: each value read is checked for its type, and every problem is a
// ScenarioError pointing at the node (or, for a missing value, at its key).

import { isAlias, isMap, isScalar, isSeq, visit, type Alias, type Document, type Node, type YAMLMap } from "yaml";
import { ScenarioSource } from "./errors.js";
import { hint } from "./near-miss.js";

/** A value somewhere in the file, with what an error about it needs. */
export interface Located {
  /** The value node; null when the value is missing entirely (`{fd}` in a flow map). */
  node: Node | null;
  /** Key path of the value (`steps[3].expect.revents[1]`). */
  path: string;
  /** The local name used in messages (`revents[1]`, `cpus`). */
  label: string;
  /** Where errors point: the value's start, or its key's when there is no value node. */
  offset: number;
}

/** A map entry: the value, plus where its key is. */
export interface Field extends Located {
  name: string;
  keyOffset: number;
}

/** How a value is named in a message: `"cpus"`, or "the top level". */
function who(v: Located): string {
  return v.path === "" ? "the top level" : `"${v.label}"`;
}

const INTEGER = /^[-+]?(?:0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)$/;
const SIGNED_HEX = /^([-+])0x([0-9a-fA-F]+)$/;

/** Most values read from one file, aliases expanded: a bound on the work a small file can ask for. */
const MAX_VALUES_READ = 1_000_000;
/** Longest text value (names, paths, kernel-log texts); payloads have their own bound (payload.ts). */
export const MAX_TEXT_LENGTH = 65536;

export class NodeReader {
  /** Each alias's anchored node, as YAML resolves it: the last anchor of that name before the alias. */
  private readonly aliasTargets = new Map<Alias, Node>();
  private valuesRead = 0;

  constructor(
    readonly source: ScenarioSource,
    doc: Document,
  ) {
    const anchors = new Map<string, Node>();
    visit(doc, (_key, node) => {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target !== undefined) this.aliasTargets.set(node, target);
      } else if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) {
        anchors.set(node.anchor, node);
      }
    });
  }

  fail(at: Located, problem: string): never {
    return this.source.fail(at.offset, at.path, problem);
  }

  /** The node a value stands for, following an alias to its anchor (errors still point at the alias). */
  node(v: Located): Node | null {
    if (++this.valuesRead > MAX_VALUES_READ) {
      this.fail(v, `the scenario is too large: more than ${MAX_VALUES_READ} values once aliases are expanded`);
    }
    const node = v.node;
    if (node === null || !isAlias(node)) return node;
    const target = this.aliasTargets.get(node);
    if (target === undefined) this.fail(v, `alias *${node.source} does not name an earlier anchor`);
    return target;
  }

  /** How a value reads in a message: `a string "abc"`, `the number 3`, `a list`, `a map`, `nothing`. */
  describe(v: Located): string {
    const node = this.node(v);
    if (node === null) return "nothing";
    if (isMap(node)) return "a map";
    if (isSeq(node)) return "a list";
    if (isScalar(node)) {
      const value = node.value;
      if (value === null || value === undefined) return "nothing";
      if (typeof value === "string") return `a string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`;
      if (typeof value === "number") return `the number ${node.source ?? String(value)}`;
      if (typeof value === "boolean") return `the boolean ${String(value)}`;
      return `a ${typeof value}`;
    }
    return "an unsupported YAML value";
  }

  expected(v: Located, wanted: string): never {
    return this.fail(v, `${who(v)} must be ${wanted}, got ${this.describe(v)}`);
  }

  isMissing(v: Located): boolean {
    const node = this.node(v);
    return node === null || (isScalar(node) && (node.value === null || node.value === undefined));
  }

  isMap(v: Located): boolean {
    return isMap(this.node(v));
  }

  isSeq(v: Located): boolean {
    return isSeq(this.node(v));
  }

  /** The scalar value of a string, number or boolean; undefined for anything else. */
  scalar(v: Located): unknown {
    const node = this.node(v);
    return isScalar(node) ? node.value : undefined;
  }

  /**
   * The entries of a map, in file order. Every key must be one of `allowed`; an unknown key is
   * reported as `unknown <noun> "<key>" (allowed: ...)` at the key.
   */
  map(v: Located, allowed: readonly string[] | null, noun: string, wanted = "a map"): Map<string, Field> {
    const node = this.node(v);
    if (!isMap(node)) this.expected(v, wanted);
    const fields = new Map<string, Field>();
    for (const [index, pair] of node.items.entries()) {
      const keyNode = pair.key as Node | null;
      const keyOffset = keyNode?.range?.[0] ?? node.range?.[0] ?? v.offset;
      const key = keyNode !== null && isScalar(keyNode) ? keyNode.value : undefined;
      if (typeof key !== "string" && typeof key !== "number" && typeof key !== "boolean") {
        this.source.fail(keyOffset, v.path, `a key of ${who(v)} must be a plain name`);
      }
      const name = String(key);
      const path = v.path === "" ? name : `${v.path}.${name}`;
      if (allowed !== null && !allowed.includes(name)) {
        this.source.fail(keyOffset, path, `unknown ${noun} "${name}" (allowed: ${allowed.join(", ")})${commaHint(node, index)}`);
      }
      // One pass over the keys (the YAML library's own uniqueKeys check is quadratic); its wording.
      if (fields.has(name)) this.source.fail(keyOffset, "", "YAML: Map keys must be unique");
      const valueNode = pair.value as Node | null;
      const offset = valueNode?.range?.[0] ?? keyOffset;
      fields.set(name, { node: valueNode, path, label: name, offset, name, keyOffset });
    }
    return fields;
  }

  seq(v: Located, wanted = "a list"): Located[] {
    const node = this.node(v);
    if (!isSeq(node)) this.expected(v, wanted);
    return node.items.map((item, i) => {
      const itemNode = item as Node | null;
      const path = `${v.path}[${i}]`;
      return {
        node: itemNode,
        path,
        label: `${v.label}[${i}]`,
        offset: itemNode?.range?.[0] ?? node.range?.[0] ?? v.offset,
      };
    });
  }

  string(v: Located, wanted = "a string"): string {
    const value = this.scalar(v);
    if (typeof value !== "string") this.expected(v, wanted);
    if (value.length > MAX_TEXT_LENGTH) this.fail(v, `${who(v)} is ${value.length} characters long, more than the ${MAX_TEXT_LENGTH} a text may have`);
    return value;
  }

  /** One of `known` (own names only: "constructor" is not a name of a plain table), with a near-miss hint. */
  oneOf<N extends string>(v: Located, known: readonly N[]): N {
    const value = this.scalar(v);
    if (typeof value !== "string" || !(known as readonly string[]).includes(value)) {
      const near = typeof value === "string" ? hint(value, known) : "";
      this.fail(v, `${who(v)} must be one of ${known.join(", ")}, got ${this.describe(v)}${near}`);
    }
    return value as N;
  }

  bool(v: Located): boolean {
    const value = this.scalar(v);
    if (typeof value !== "boolean") this.expected(v, "true or false");
    return value;
  }

  /**
   * An integer written as YAML writes them (`12`, `0x02000001`, `0o17`, `-2`) or as a signed
   * hex plain scalar (`-0x2`); floats, quoted strings and unsafe integers are not integers.
   */
  integer(v: Located, wanted: string, min: number, max: number): number {
    const node = this.node(v);
    let value: number | undefined;
    if (isScalar(node)) {
      const source = node.source;
      if (typeof node.value === "number" && (source === undefined || INTEGER.test(source))) {
        value = node.value;
      } else if (typeof node.value === "string" && node.type === "PLAIN") {
        const m = SIGNED_HEX.exec(node.value);
        if (m) value = (m[1] === "-" ? -1 : 1) * parseInt(m[2]!, 16);
      }
    }
    if (value === undefined || !Number.isSafeInteger(value) || value < min || value > max) this.expected(v, wanted);
    return value;
  }

  /** A field that must be present; its absence is reported at the map, with the missing key's path. */
  required(parent: Located, fields: Map<string, Field>, name: string): Field {
    const field = fields.get(name);
    if (field === undefined) {
      const path = parent.path === "" ? name : `${parent.path}.${name}`;
      const where = parent.path === "" ? "the scenario" : `"${parent.label}"`;
      this.source.fail(parent.offset, path, `${where} is missing "${name}"`);
    }
    return field;
  }
}

/**
 * In `{rtas: ibm,send-hvpipe-msg}` a comma ends the value: YAML reads a key "send-hvpipe-msg".
 * When an unknown key without a value follows a plain text value in a flow map, say so.
 */
function commaHint(map: YAMLMap, index: number): string {
  const pair = map.items[index];
  const before = index > 0 ? map.items[index - 1] : undefined;
  if (!map.flow || pair === undefined || before === undefined) return "";
  const value = pair.value as Node | null;
  const previous = before.value as Node | null;
  const noValue = value === null || (isScalar(value) && value.value === null);
  if (!noValue || !isScalar(previous) || previous.type !== "PLAIN" || typeof previous.value !== "string") return "";
  const key = (pair.key as Node | null) !== null && isScalar(pair.key) ? String(pair.key.value) : "";
  return `; a comma ends a value inside {...}: quote "${previous.value},${key}" if that was meant`;
}
