// docs/policies.md stays in step with emulator/policy.ts: a table row per policy with its values and
// default, and one `machine: { policy: ... }` example per policy that the emulator accepts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { POLICIES, resolvePolicy, type PolicyDefinition } from "../../emulator/policy.js";
import { machine } from "./helpers.js";

const doc = readFileSync(new URL("../../docs/policies.md", import.meta.url), "utf8");
const rows = new Map(doc.split("\n").filter((l) => l.startsWith("| `")).map((l) => {
  const cells = l.split("|").slice(1, -1).map((c) => c.trim());
  return [cells[0]!.replace(/`/g, ""), cells] as const;
}));
const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as { machine: { policy: Record<string, unknown> } });

describe("docs/policies.md", () => {
  it("has a row for every policy and no other", () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(POLICIES).sort());
  });

  for (const [name, def] of Object.entries(POLICIES) as [string, PolicyDefinition][]) {
    it(`${name}: the row gives its values and default`, () => {
      const [, values, dflt, meaning, reason] = rows.get(name)!;
      expect(dflt).toBe(`\`${String(def.default)}\``);
      if (def.values === "positive-integer") {
        expect(values).toBe(def.max === undefined ? "positive integer" : `1 to ${def.max}`);
      } else {
        expect(values).toBe(def.values.map((v) => `\`${String(v)}\``).join(", "));
      }
      expect(meaning!.length).toBeGreaterThan(20);
      expect(reason).toMatch(/§\d+/);
    });

    it(`${name}: an example sets it to a non-default value the emulator accepts`, () => {
      const ex = examples.find((e) => Object.keys(e.machine.policy)[0] === name);
      expect(ex).toBeDefined();
      const policy = ex!.machine.policy;
      expect(policy[name]).not.toBe(def.default);
      expect(resolvePolicy(policy)[name as keyof typeof POLICIES]).toBe(policy[name]);
      expect(() => machine({ policy })).not.toThrow();
    });
  }

  it("states every fact its table cites: each §N of a row is a paragraph of the page, not of a spec the reader lacks", () => {
    const stated = new Set([...doc.matchAll(/^\* \*\*§(\d+) /gm)].map((m) => m[1]));
    const cited = [...rows.values()].flatMap((cells) => [...cells[4]!.matchAll(/§(\d+)/g)].map((m) => m[1]));
    expect(stated.size).toBe(6);
    expect(cited.filter((n) => !stated.has(n))).toEqual([]);
  });

  it("has exactly one example per policy", () => {
    expect(examples.map((e) => Object.keys(e.machine.policy)[0]).sort()).toEqual(Object.keys(POLICIES).sort());
  });
});
