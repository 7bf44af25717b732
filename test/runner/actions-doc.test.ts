// docs/scenario-format.md's action table and the action registry agree exactly, both directions.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACTION_NAMES, referenceRows } from "../../runner/actions/index.js";

const DOC = new URL("../../docs/scenario-format.md", import.meta.url);

function docRows(): string[] {
  const text = readFileSync(DOC, "utf8");
  const begin = text.indexOf("<!-- action-table:begin -->");
  const end = text.indexOf("<!-- action-table:end -->");
  expect(begin, "the doc marks its action table").toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  // The rows after the header and its separator line.
  return text.slice(begin, end).split("\n").filter((l) => l.startsWith("| `"));
}

const nameOf = (row: string): string => /^\| `([^`]+)`/.exec(row)![1]!;

describe("the action table in docs/scenario-format.md", () => {
  it("lists every registered action, and only those", () => {
    const documented = docRows().map(nameOf);
    expect(documented.filter((n) => !ACTION_NAMES.includes(n)), "documented but not registered").toEqual([]);
    expect(ACTION_NAMES.filter((n) => !documented.includes(n)), "registered but not documented").toEqual([]);
  });

  it("has each action's reference line as its row, in registry order", () => {
    expect(docRows()).toEqual(referenceRows());
  });
});
