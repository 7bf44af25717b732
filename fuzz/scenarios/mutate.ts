// Scenario mutants: textual damage (lines deleted, repeated, swapped, re-indented, cut; numbers
// and scalars replaced by edge values and YAML syntax), structural changes made on the parsed
// document (a value replaced by another type, a huge number, a long string, a deep list), and
// YAML bombs (alias expansion, deep nesting).
import { parseDocument, isMap, isSeq, type Node as YamlNode } from "yaml";
import type { Rng } from "../rng.js";

const EDGE_NUMBERS = ["0", "-1", "1", "4048", "4049", "65536", "0xffffffff", "0x100000000", "4294967296", "-2147483649",
  "1e309", "0.5", "NaN", ".inf", "99999999999999999999", "0x02000001", "0x02000099"];
const EDGE_SCALARS = ["", "~", "null", "[", "{", "]", "}", "&a", "*a", "*nope", "!!binary AAAA", "true", "\"\\x00\"", "'", "\"",
  ": :", "- -", "? x", "%YAML 1.2", "---", "...", "@", "`", "|", ">-", "\t"];

export function mutateScenario(rng: Rng, text: string): { text: string; what: string } {
  const kind = rng.below(10);
  if (kind < 6) return textual(rng, text);
  if (kind < 9) return structural(rng, text);
  return bomb(rng);
}

function textual(rng: Rng, text: string): { text: string; what: string } {
  const lines = text.split("\n");
  const i = rng.below(lines.length);
  const j = rng.below(lines.length);
  const ops: Array<[string, () => void]> = [
    ["delete a line", () => lines.splice(i, 1)],
    ["repeat a line", () => lines.splice(i, 0, lines[i]!)],
    ["swap two lines", () => ([lines[i], lines[j]] = [lines[j]!, lines[i]!])],
    ["re-indent a line", () => (lines[i] = " ".repeat(rng.below(9)) + lines[i]!.trimStart())],
    ["cut the file", () => lines.splice(i)],
    ["replace a number", () => (lines[i] = lines[i]!.replace(/-?\b(0x[0-9a-f]+|\d+)\b/i, rng.pick(EDGE_NUMBERS)))],
    ["replace a scalar", () => (lines[i] = lines[i]!.replace(/: .*$/, `: ${rng.pick(EDGE_SCALARS)}`))],
    ["insert bytes", () => {
      const l = lines[i]!;
      const at = rng.below(l.length + 1);
      lines[i] = l.slice(0, at) + String.fromCharCode(...rng.bytes(rng.int(1, 4))) + l.slice(at);
    }],
  ];
  const [what, op] = rng.pick(ops);
  op();
  return { text: lines.join("\n"), what };
}

function structural(rng: Rng, text: string): { text: string; what: string } {
  const doc = parseDocument(text);
  // A document the first mutation already broke cannot be rebuilt: damage its text instead.
  if (doc.errors.length > 0) return textual(rng, text);
  // Every place a value sits: a map pair's value or a list item, written through `set`.
  const slots: Array<(v: YamlNode) => void> = [];
  const collect = (n: unknown): void => {
    if (isMap(n)) {
      for (const pair of n.items) {
        slots.push((v) => (pair.value = v));
        collect(pair.value);
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, k) => {
        slots.push((v) => (n.items[k] = v));
        collect(item);
      });
    }
  };
  collect(doc.contents);
  const replacements: Array<[string, () => unknown]> = [
    ["a huge number", () => rng.pick([2 ** 53, 2 ** 64, -(2 ** 31) - 1, 1e308, 0xffffffff + 1])],
    ["a long string", () => "x".repeat(rng.int(4049, 70000))],
    ["a deep list", () => {
      let v: unknown = 1;
      for (let k = rng.int(50, 400); k > 0; k--) v = [v];
      return v;
    }],
    ["an empty map", () => ({})],
    ["an empty list", () => []],
    ["null", () => null],
    ["a boolean", () => rng.chance(0.5)],
    ["a long list", () => Array.from({ length: rng.int(100, 3000) }, (_, k) => k)],
  ];
  const [what, make] = rng.pick(replacements);
  if (slots.length === 0) return textual(rng, text);
  rng.pick(slots)(doc.createNode(make()) as YamlNode);
  try {
    return { text: doc.toString(), what: `structural: ${what}` };
  } catch {
    // The yaml library refuses to write some documents (an alias moved before its anchor).
    return textual(rng, text);
  }
}

function bomb(rng: Rng): { text: string; what: string } {
  if (rng.chance(0.5)) {
    // Billion laughs: each level names the previous one ten times.
    const levels = rng.int(5, 9);
    const lines = ['a0: &a0 ["lol"]'];
    for (let k = 1; k <= levels; k++) lines.push(`a${k}: &a${k} [${Array.from({ length: 10 }, () => `*a${k - 1}`).join(", ")}]`);
    lines.push("name: bomb", `steps: *a${levels}`);
    return { text: lines.join("\n") + "\n", what: `alias bomb of ${levels} levels` };
  }
  const depth = rng.int(1000, 20000);
  return { text: `name: deep\nsteps: ${"[".repeat(depth)}${"]".repeat(depth)}\n`, what: `nesting ${depth} deep` };
}
