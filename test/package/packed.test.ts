// The npm package as a user gets it: `npm pack` of a copy of this repository (so the build cannot
// disturb the tests running beside this one), the tarball installed into an empty project, then in
// that project the CLI (`npx papr-emu run`, `dt --machine`), the vitest and node:test files of
// docs/api.md exactly as written there, and a TypeScript file type-checked against the declarations.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SCENARIOS = ["01-message-roundtrip.yaml", "02-create-handle-errors.yaml", "03-nothing-pending.yaml"];
const NOT_COPIED = new Set([".git", "node_modules", "dist", "test-results"]);
const SLOW = 240_000;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell: nothing of this npm/vitest run leaks into the project's commands. */
function userEnv(): NodeJS.ProcessEnv {
  const keep = ([k]: [string, unknown]) => !/^(npm_|VITEST|TEST$|NODE_OPTIONS$|NODE_ENV$|FORCE_COLOR$)/.test(k) || k === "npm_config_cache";
  return { ...Object.fromEntries(Object.entries(process.env).filter(keep)), NO_COLOR: "1" };
}

function run(cmd: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: userEnv(), maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The fenced ```js block of docs/api.md whose first line is `// <path>`. */
function docBlock(path: string): string {
  const doc = readFileSync(join(ROOT, "docs/api.md"), "utf8");
  const block = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith(`// ${path}\n`));
  if (block === undefined) throw new Error(`docs/api.md has no js block starting with "// ${path}"`);
  return block;
}

describe("the packed package, installed into an empty project", () => {
  let work = "";
  let project = "";
  let files: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "papr-emu-pack-"));
    const source = join(work, "source");
    cpSync(ROOT, source, { recursive: true, preserveTimestamps: true, filter: (p) => !NOT_COPIED.has(p.slice(ROOT.length).split("/")[0]!) });
    symlinkSync(realpathSync(join(ROOT, "node_modules")), join(source, "node_modules"));
    const packed = await run("npm", ["pack", "--pack-destination", work, "--loglevel", "error"], source);
    expect(packed.stderr).toBe("");
    expect(packed.code).toBe(0);
    const tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz"))!);
    files = (await run("tar", ["tzf", tarball], work)).stdout.split("\n").filter(Boolean).map((f) => f.replace(/^package\//, ""));

    project = join(work, "project");
    mkdirSync(join(project, "scenarios"), { recursive: true });
    mkdirSync(join(project, "test"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    const vitest = (JSON.parse(readFileSync(join(ROOT, "node_modules/vitest/package.json"), "utf8")) as { version: string }).version;
    const installed = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error", tarball, `vitest@${vitest}`], project);
    expect(installed.code, installed.stderr).toBe(0);
    for (const s of SCENARIOS) cpSync(join(ROOT, "examples", s), join(project, "scenarios", s));
    writeFileSync(join(project, "test/papr-emu.test.js"), docBlock("test/papr-emu.test.js"));
    writeFileSync(join(project, "test/papr-emu.node.mjs"), docBlock("test/papr-emu.node.mjs"));
  }, SLOW);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("holds compiled JavaScript with declarations and both hot-path builds, and no sources, tests, benches or CI scripts", () => {
    for (const f of ["bin/papr-emu.js", "dist/runner/api.js", "dist/runner/api.d.ts", "dist/runner/cli/main.js",
      "dist/emulator/assembly/build/hotpath.wasm", "dist/emulator/hotpath-js/build/hotpath.cjs", "package.json", "README.md", "docs/api.md"]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(test|bench|scripts|\.ci|types|emulator|runner|kernel-shim|devicetree)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("runs scenarios with `npx papr-emu run` (no build step, no TypeScript loader): exit 0, every one passed", async () => {
    const r = await run("npx", ["--no-install", "papr-emu", "run", "scenarios/"], project);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`${SCENARIOS.length} scenario(s), ${SCENARIOS.length} passed, 0 failed`);
    expect(r.code).toBe(0);
    expect(readdirSync(join(project, "node_modules"))).not.toContain("tsx");
  });

  it("prints the emulated partition's tree with `papr-emu dt --machine`", async () => {
    const r = await run("npx", ["--no-install", "papr-emu", "dt", "--machine"], project);
    expect(r.stderr).toBe("");
    expect(r.stdout.startsWith("/dts-v1/;\n")).toBe(true);
    // The /rtas node advertises the pipe (the capability property the driver's init looks for).
    expect(r.stdout).toContain("ibm,hypervisor-pipe-capable;");
    expect(r.code).toBe(0);
  });

  it("refuses a bad scenario file with its position and exit 2, without a stack trace", async () => {
    writeFileSync(join(project, "bad.yaml"), "name: bad\nsteps:\n  - opne: /dev/papr-hvpipe\n");
    const r = await run("npx", ["--no-install", "papr-emu", "run", "bad.yaml"], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^INVALID {2}bad\.yaml:3:5: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("runs docs/api.md's vitest file in the project's own vitest: every test passes", async () => {
    const r = await run("npx", ["--no-install", "vitest", "run", "--reporter=json", "--outputFile=vitest.json"], project);
    const report = JSON.parse(readFileSync(join(project, "vitest.json"), "utf8")) as { numPassedTests: number; numFailedTests: number };
    // One test per scenario, the seeded run, the ScenarioError.
    expect(report).toMatchObject({ numPassedTests: SCENARIOS.length + 2, numFailedTests: 0 });
    expect(r.code).toBe(0);
  });

  it("runs docs/api.md's node:test file with `node --test`: every test passes", async () => {
    const r = await run(process.execPath, ["--test", "--test-reporter=tap", "test/papr-emu.node.mjs"], project);
    expect(r.stdout).toContain(`# pass ${SCENARIOS.length + 1}\n`);
    expect(r.stdout).toContain("# fail 0\n");
    expect(r.code).toBe(0);
  });

  it("type-checks a TypeScript user of the exports against the shipped declarations", async () => {
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ["check.ts"],
    }));
    writeFileSync(join(project, "check.ts"), [
      'import { loadScenario, runScenario, runScenarios, ScenarioError, type RunSummary, type ScenarioResult, type StepStatus } from "papr-emu";',
      'const result: ScenarioResult = runScenario(await loadScenario("scenarios/01-message-roundtrip.yaml"), { driver: "v6.18", seed: 1 });',
      "const status: StepStatus | undefined = result.steps[0]?.status;",
      'const summary: RunSummary = await runScenarios(["scenarios/01-message-roundtrip.yaml"]);',
      "const code: 0 | 1 | 2 = summary.exitCode;",
      "export const seen = [status, code, ScenarioError.name];",
      '// @ts-expect-error: a profile that does not exist is a type error',
      'runScenario(result as never, { driver: "v7" });',
      "",
    ].join("\n"));
    const r = await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], project);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
