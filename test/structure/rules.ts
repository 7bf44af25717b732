// The structure rules of DESIGN.md, checked on an import graph: the layers import only downwards,
// the emulator and the kernel-shim never see each other, the kernel core names no driver, no cycle,
// no file too long to read as one concern.
import type { SourceFile } from "./source-graph.js";

export const MAX_LINES = 400;

/** What each layer may import besides itself. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  devicetree: [],
  emulator: ["devicetree"],
  "kernel-shim": ["devicetree"],
  runner: ["devicetree", "emulator", "kernel-shim"],
};

const layerOf = (path: string): string => path.split("/")[0]!;

const INITCALL_TABLE = "kernel-shim/drivers/initcalls.ts";

export function structureProblems(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  const known = new Set(files.map((f) => f.path));
  for (const f of files) {
    if (f.lines > MAX_LINES) problems.push(`${f.path}: ${f.lines} lines (over ${MAX_LINES})`);
    for (const t of f.imports) {
      if (!known.has(t)) continue;
      const [from, to] = [layerOf(f.path), layerOf(t)];
      if (from !== to && !(MAY_IMPORT[from] ?? []).includes(to)) problems.push(`layer: ${f.path} imports ${t}`);
      const core = f.path.startsWith("kernel-shim/") && !f.path.startsWith("kernel-shim/drivers/");
      // Drivers are reached through the initcall table, and only kernel.ts (the assembly) reads it.
      const viaTable = t === INITCALL_TABLE && f.path === "kernel-shim/kernel.ts";
      if (core && t.startsWith("kernel-shim/drivers/") && !viaTable) problems.push(`kernel core names a driver: ${f.path} imports ${t}`);
    }
  }
  for (const cycle of importCycles(files)) problems.push(`import cycle of ${cycle.length} file(s): ${cycle.join(", ")}`);
  return problems;
}

/** Every strongly connected set of files (Tarjan, iterative), each as one cycle through it. */
export function importCycles(files: readonly SourceFile[]): string[][] {
  const graph = new Map(files.map((f) => [f.path, f.imports]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { v: string; i: number }[] = [{ v: start, i: 0 }];
    index.set(start, next); low.set(start, next); next++; stack.push(start); onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const succ = (graph.get(top.v) ?? []).filter((w) => graph.has(w));
      if (top.i < succ.length) {
        const w = succ[top.i++]!;
        if (!index.has(w)) {
          index.set(w, next); low.set(w, next); next++; stack.push(w); onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1]!.v, Math.min(low.get(work[work.length - 1]!.v)!, low.get(top.v)!));
      if (low.get(top.v) === index.get(top.v)) {
        const scc: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== top.v);
        const selfLoop = (graph.get(top.v) ?? []).includes(top.v);
        if (scc.length > 1 || selfLoop) out.push(scc.reverse());
      }
    }
  }
  return out;
}
