// The project's import graph, read from the source text: what the structure rules are checked on.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Folders of the product; tests, benchmarks and builds are not part of its structure. */
export const SOURCE_ROOTS = ["devicetree", "emulator", "kernel-shim", "runner"] as const;
const SKIP = new Set(["node_modules", "build", "dist"]);

export interface SourceFile {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  lines: number;
  /** Relative paths of the project files it imports (static, re-exports and dynamic imports). */
  imports: string[];
}

export function readSourceGraph(root: string): SourceFile[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name)) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ts$/.test(name) && !name.endsWith(".d.ts")) files.push(p);
    }
  };
  for (const r of SOURCE_ROOTS) walk(join(root, r));
  return files.map((f) => {
    const text = readFileSync(f, "utf8");
    return { path: rel(root, f), lines: text.split("\n").length, imports: importsOf(root, f, text) };
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']|(?:^|\n)\s*import\s*["'](\.{1,2}\/[^"']+)["']|\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

function importsOf(root: string, file: string, text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    let target = resolve(dirname(file), spec).replace(/\.js$/, ".ts");
    if (!target.endsWith(".ts")) target = existsFile(`${target}.ts`) ? `${target}.ts` : join(target, "index.ts");
    out.add(rel(root, target));
  }
  return [...out];
}

function existsFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function rel(root: string, p: string): string {
  return relative(root, p).split("\\").join("/");
}
