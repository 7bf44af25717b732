// The kernel-shim's shape: the core (every file outside drivers/) names no driver folder, kernel.ts
// reaches drivers only through the initcall table, and no import cycle runs through kernel-shim.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..");
const SHIM = join(ROOT, "kernel-shim");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const rel = (p: string): string => relative(SHIM, p);
const graph = new Map(sources(SHIM).map((f) => {
  const deps = [...readFileSync(f, "utf8").matchAll(/^\s*(?:import|export)[^'"\n]*?from\s*["'](\.[^"']+)["']/gm)]
    .map((m) => resolve(dirname(f), m[1]!).replace(/\.js$/, ".ts"));
  return [f, deps] as const;
}));

describe("kernel-shim structure", () => {
  it("the core imports no driver folder; kernel.ts only the initcall table", () => {
    const bad: string[] = [];
    for (const [f, deps] of graph) {
      if (rel(f).startsWith("drivers/")) continue;
      for (const d of deps) {
        const to = rel(d);
        if (/^drivers\/[^/]+\//.test(to)) bad.push(`${rel(f)} → ${to}`);
        if (to.startsWith("drivers/") && !(rel(f) === "kernel.ts" && to === "drivers/initcalls.ts")) bad.push(`${rel(f)} → ${to}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("has no import cycle", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const path: string[] = [];
    const visit = (f: string): void => {
      state.set(f, "open");
      path.push(f);
      for (const d of graph.get(f) ?? []) {
        if (!graph.has(d)) continue;
        if (state.get(d) === "open") cycles.push([...path.slice(path.indexOf(d)), d].map(rel).join(" → "));
        else if (!state.has(d)) visit(d);
      }
      path.pop();
      state.set(f, "done");
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it("Kernel names no driver", () => {
    expect(readFileSync(join(SHIM, "kernel.ts"), "utf8")).not.toMatch(/hvpipe/i);
  });
});
