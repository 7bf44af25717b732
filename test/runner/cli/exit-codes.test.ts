// Exit codes (issue 8): 0 all passed; 1 any failed; 2 a usage error, an invalid scenario, a setup
// problem, or no scenario selected — each 2 with a message saying what to do.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Parser, type FinalResults } from "tap-parser";
import { main } from "../../../runner/cli/main.js";
import { checkSetup } from "../../../runner/cli/setup-check.js";
import { UsageError } from "../../../runner/cli/usage.js";
import { captureConsole } from "../../support/capture-console.js";

const EXAMPLE = new URL("../../../examples/01-message-roundtrip.yaml", import.meta.url).pathname;

describe("papr-emu run exit codes", () => {
  const { out, err } = captureConsole({ stdout: true });
  const dir = mkdtempSync(join(tmpdir(), "papr-emu-exit-"));
  const bad = join(dir, "bad.yaml");
  writeFileSync(bad, "name: b\nsteps:\n  - opne: /dev/papr-hvpipe\n");
  const failing = join(dir, "fail.yaml");
  writeFileSync(failing, "name: f\nsteps:\n  - open: /dev/papr-hvpipe\n    expect: { ret: 9 }\n");

  it("0 when every scenario passes, 1 when one fails", async () => {
    expect(await main(["run", EXAMPLE])).toBe(0);
    expect(await main(["run", EXAMPLE, failing])).toBe(1);
  });

  it("2 when a file is invalid, even when every other scenario passes (they still run)", async () => {
    const [xml, tap] = [join(dir, "invalid.xml"), join(dir, "invalid.tap")];
    expect(await main(["run", EXAMPLE, bad, "--no-timing", "--reporter", "json", "--reporter", `junit:${xml}`, "--reporter", `tap:${tap}`])).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^INVALID {2}.*bad\.yaml:3:5: unknown action or step key "opne"/);
    expect(JSON.parse(out[0]!)).toMatchObject({ invalid: 1, results: [{ passed: true }] });
    // JUnit: an <error> testcase in the file's own suite; TAP: a failing point with the message.
    const junit = readFileSync(xml, "utf8");
    expect(junit).toContain(`<testsuites name="papr-emu" tests="2" failures="0" errors="1">`);
    expect(junit).toMatch(new RegExp(`<testsuite name="${bad}" tests="1" failures="0" errors="1" skipped="0">\\n {4}<testcase name="\\(invalid scenario file\\)" classname="${bad}">\\n {6}<error message="${bad}:3:5: unknown action or step key &quot;opne&quot;`));
    const lines = readFileSync(tap, "utf8").split("\n");
    expect(lines.slice(0, 4)).toEqual(["TAP version 14", `not ok 1 - ${bad} (invalid)`, "  ---", expect.stringMatching(/^ {2}message: .*bad\.yaml:3:5: unknown action/)]);
    expect(lines.at(-2)).toBe("1..2");
  });

  it.each([
    [["--shard", "0/2"], '--shard takes <i>/<n> with 1 <= i <= n (e.g. 2/4), not "0/2"'],
    [["--shard", "3/2"], '--shard takes <i>/<n> with 1 <= i <= n (e.g. 2/4), not "3/2"'],
    [["--seeds", "9..3"], "--seeds 9..3: the range ends before it starts"],
    [["--seeds", "1-3"], '--seeds takes a range <a>..<b> (e.g. 0..99), not "1-3"'],
    [["--seeds", "0..100000"], "--seeds 0..100000: at most 100000 seeds in one run (split the range)"],
    [["--seed", "1", "--seeds", "1..2"], "--seed and --seeds exclude each other (--seeds 7..7 is one seed)"],
    [["--driver", "mainline,v6.19"], '--driver takes mainline or v6.18 (or several, comma-separated), not "v6.19"'],
    [["--driver", "v6.18,v6.18"], "--driver names v6.18 twice"],
    [["--workers", "0"], '--workers takes an integer 1..256, not "0"'],
    [["--reporter", "tap:"], '--reporter tap:: the file after ":" is empty'],
    [["--reporter", "tap:/tmp/x.tap", "--reporter", "junit:/tmp/x.tap"], "--reporter: two reporters write /tmp/x.tap (give each its own file)"],
    [["--reporter", "junit:/nonexistent-dir/x.xml"], "--reporter …:/nonexistent-dir/x.xml: cannot write the file (ENOENT)"],
    [["--grep", "no-such-scenario"], "no scenario selected: 1 scenario(s) read, none matches --grep/--tag (check the pattern and tags; --list shows what is selected)"],
  ])("2 for %j: %s", async (args, message) => {
    expect(await main(["run", EXAMPLE, ...args])).toBe(2);
    expect(err.at(-1)).toBe(`papr-emu: ${message}`);
  });

  it("2 for an unknown option (commander's message)", async () => {
    expect(await main(["run", EXAMPLE, "--frobnicate"])).toBe(2);
  });

  it("--list with an invalid file is 2; --list of valid files is 0", async () => {
    expect(await main(["run", EXAMPLE, bad, "--list"])).toBe(2);
    expect(await main(["run", EXAMPLE, "--list"])).toBe(0);
  });

  it("--bail: exit 1 after the first failing run, later ones not run; TAP says Bail out!", async () => {
    const tapFile = join(dir, "bail.tap");
    expect(await main(["run", failing, EXAMPLE, "--bail", "--workers", "1", "--reporter", "json", "--reporter", `tap:${tapFile}`])).toBe(1);
    const doc = JSON.parse(out[0]!) as { results: unknown[]; bailed: boolean };
    expect([doc.results.length, doc.bailed]).toEqual([1, true]);
    const tap = await new Promise<FinalResults>((resolve) => {
      const p = new Parser();
      p.on("complete", resolve);
      p.end(readFileSync(tapFile, "utf8"));
    });
    expect([tap.fail, tap.bailout]).toEqual([1, "--bail: stopped after the first failure"]);
  });

  it("2 for a setup problem, with the builder's message saying what to run", () => {
    const missing = () => { throw new Error('hot-path module missing at /x/hotpath.wasm: run "npm run build:wasm"'); };
    expect(() => checkSetup(undefined, missing)).toThrow(UsageError);
    expect(() => checkSetup(undefined, missing)).toThrow('setup problem: hot-path module missing at /x/hotpath.wasm: run "npm run build:wasm"');
    expect(() => checkSetup("js")).not.toThrow();
  });
});
