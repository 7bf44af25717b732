import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readSourceGraph, type SourceFile } from "./source-graph.js";
import { importCycles, structureProblems } from "./rules.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const file = (path: string, imports: string[] = [], lines = 10): SourceFile => ({ path, imports, lines });

describe("the structure rules on small graphs (so the check on the real tree can fail)", () => {
  it("finds a three-file cycle and a self-import, and nothing in a chain", () => {
    const cyc = [file("runner/a.ts", ["runner/b.ts"]), file("runner/b.ts", ["runner/c.ts"]), file("runner/c.ts", ["runner/a.ts"])];
    expect(importCycles(cyc)).toEqual([["runner/a.ts", "runner/b.ts", "runner/c.ts"]]);
    expect(importCycles([file("runner/x.ts", ["runner/x.ts"])])).toEqual([["runner/x.ts"]]);
    expect(importCycles([file("runner/a.ts", ["runner/b.ts"]), file("runner/b.ts")])).toEqual([]);
  });

  it("refuses imports between the emulator and the kernel-shim, upward imports and devicetree imports", () => {
    const files = [
      file("emulator/m.ts", ["kernel-shim/k.ts"]),
      file("kernel-shim/k.ts", ["emulator/e.ts"]),
      file("emulator/e.ts", ["runner/r.ts"]),
      file("devicetree/d.ts", ["emulator/e.ts"]),
      file("runner/r.ts", ["emulator/e.ts", "kernel-shim/k.ts", "devicetree/d.ts"]),
    ];
    expect(structureProblems(files)).toEqual([
      "layer: emulator/m.ts imports kernel-shim/k.ts",
      "layer: kernel-shim/k.ts imports emulator/e.ts",
      "layer: emulator/e.ts imports runner/r.ts",
      "layer: devicetree/d.ts imports emulator/e.ts",
      // e -> r -> d -> e, and k -> e -> r -> k: one strongly connected set.
      "import cycle of 4 file(s): kernel-shim/k.ts, emulator/e.ts, runner/r.ts, devicetree/d.ts",
    ]);
  });

  it("lets kernel.ts alone import the initcall table, and no core file a driver's folder; files over 400 lines", () => {
    const files = [
      file("kernel-shim/kernel.ts", ["kernel-shim/drivers/initcalls.ts", "kernel-shim/drivers/papr-x/driver.ts"]),
      file("kernel-shim/drivers/initcalls.ts", ["kernel-shim/drivers/papr-x/driver.ts"]),
      file("kernel-shim/drivers/papr-x/driver.ts", ["kernel-shim/file.ts"]),
      file("kernel-shim/file.ts"),
      file("kernel-shim/vfs.ts", ["kernel-shim/drivers/initcalls.ts"], 401),
    ];
    expect(structureProblems(files)).toEqual([
      "kernel core names a driver: kernel-shim/kernel.ts imports kernel-shim/drivers/papr-x/driver.ts",
      "kernel-shim/vfs.ts: 401 lines (over 400)",
      "kernel core names a driver: kernel-shim/vfs.ts imports kernel-shim/drivers/initcalls.ts",
    ]);
  });
});

describe("the source tree", () => {
  const files = readSourceGraph(ROOT);

  it("is read whole: every layer, with their imports", () => {
    for (const layer of ["devicetree/", "emulator/", "kernel-shim/", "runner/"]) {
      expect(files.some((f) => f.path.startsWith(layer))).toBe(true);
    }
    expect(files.find((f) => f.path === "kernel-shim/kernel.ts")?.imports.length).toBeGreaterThan(0);
  });

  it("has no import cycle, no import across the emulator/kernel-shim boundary, no driver named by the core, no file over 400 lines", () => {
    expect(structureProblems(files)).toEqual([]);
  });
});
