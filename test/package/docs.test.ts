// The docs ship in the package, whose readers have neither the spec nor DESIGN.md: a page states the
// facts it needs, and a §N it cites is one of its own paragraphs ("* **§N …", as docs/policies.md).
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url);
const PAGES = ["README.md", ...readdirSync(new URL("docs/", ROOT)).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

describe("the docs stand alone", () => {
  for (const page of PAGES) {
    it(`${page} cites no spec file, no DESIGN.md and no section it does not state`, () => {
      const text = readFileSync(new URL(page, ROOT), "utf8");
      expect(text.match(/\bspec\/[\w-]+\.md|DESIGN\.md/g) ?? []).toEqual([]);
      const own = new Set([...text.matchAll(/^\* \*\*§(\d+) /gm)].map((m) => m[1]));
      expect([...text.matchAll(/§([\d.]+)/g)].map((m) => m[1]).filter((n) => !own.has(n))).toEqual([]);
    });
  }
});
