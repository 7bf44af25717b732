// Which scenario files a command line names: files as given, directories recursed (every .yaml and
// .yml below, sorted), globs (`*`, `?`, `**`) expanded, `-` for one scenario read from stdin.
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { UsageError } from "./usage.js";

/** A scenario to load: a file, or stdin's text (named `<stdin>` in messages). */
export type ScenarioSource = { kind: "file"; path: string } | { kind: "stdin" };

export const STDIN_NAME = "<stdin>";
const SCENARIO_FILE = /\.ya?ml$/;
const GLOB = /[*?[]/;

export async function scenarioSources(paths: readonly string[]): Promise<ScenarioSource[]> {
  const out: ScenarioSource[] = [];
  const seen = new Set<string>();
  const add = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ kind: "file", path });
  };
  let stdin = false;
  for (const p of paths) {
    if (p === "-") {
      if (stdin) throw new UsageError("- (stdin) is named twice");
      stdin = true;
      out.push({ kind: "stdin" });
    } else if (GLOB.test(p)) {
      const found = await expandGlob(p);
      if (found.length === 0) throw new UsageError(`${p}: the pattern matches no .yaml or .yml file`);
      found.forEach(add);
    } else {
      let st;
      try {
        st = await stat(p);
      } catch {
        throw new UsageError(`${p}: no such file or directory`);
      }
      if (!st.isDirectory()) {
        add(p);
        continue;
      }
      const found = await walk(p);
      if (found.length === 0) throw new UsageError(`${p}: no .yaml or .yml scenario files`);
      found.forEach(add);
    }
  }
  return out;
}

/** Every scenario file below `dir` (`depth` levels at most), in path order (a directory's files before its subdirectories'). */
async function walk(dir: string, depth = Infinity): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files = entries.filter((e) => e.isFile() && SCENARIO_FILE.test(e.name)).map((e) => join(dir, e.name));
  const below: string[] = [];
  if (depth <= 1) return files;
  for (const e of entries) if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) below.push(...(await walk(join(dir, e.name), depth - 1)));
  return [...files, ...below];
}

/** The files below the pattern's fixed leading directories that match it; `**` spans directories. */
async function expandGlob(pattern: string): Promise<string[]> {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  while (parts.length > 1 && !GLOB.test(parts[0]!)) fixed.push(parts.shift()!);
  const base = fixed.length === 0 ? "." : fixed.join("/") || "/";
  const re = globRegExp(parts.join("/"));
  let candidates: string[];
  try {
    // Without `**` a match is exactly as deep as the pattern.
    candidates = await walk(base, parts.some((p) => p.includes("**")) ? Infinity : parts.length);
  } catch {
    return [];
  }
  return candidates.filter((f) => re.test(relative(base, f).split(sep).join("/")));
}

function globRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      // `**/` is any number of directories (none included); a trailing `**` is anything.
      if (glob[i + 2] === "/") { re += "(?:[^/]+/)*"; i += 2; } else { re += ".*"; i++; }
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else { re += `[${glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`; i = end; }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
