// The CI reporters read by real parsers (issue 8, "Reporters"): the profile-difference scenarios on both
// profiles is 9 files × 2 profiles = 18 runs, of which the 9 on the profile a scenario was not
// written for fail with that profile's bug (test/runner/conformance.test.ts lists each signature).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { Parser, type FinalResults } from "tap-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../runner/cli/main.js";
import { captureConsole } from "../../support/capture-console.js";

/** The nine profile-difference scenarios as they were written for mainline only (no expect-fault), kept fixed here. */
const CONFORMANCE = new URL("../fixtures/profile-differences/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "papr-emu-ci-reporters-"));
const junitFile = join(dir, "suite.xml");
const tapFile = join(dir, "suite.tap");
/** Every file, sorted; each is written for mainline, so its v6.18 cell is the one that fails. */
const V618_FILES = ["create-handle-duplicate-race", "header-copy-fault", "header-reserved-bytes", "init-order-misc-register-failure",
  "message-bit-cleared", "payload-copy-fault", "race-ioctl-irq-deadlock", "race-release-irq-deadlock", "zero-length-read-return"];

interface JUnitCase { name: string; classname: string; properties: { property: { name: string; value: string }[] }; failure?: { "#text": string; message: string; type: string } }
interface JUnitSuite { name: string; tests: string; failures: string; testcase: JUnitCase[] }

describe("junit and tap reporters on the conformance suite × both profiles", () => {
  captureConsole({ stdout: true });
  let code = -1;
  beforeAll(async () => {
    code = await main(["run", CONFORMANCE, "--driver", "mainline,v6.18", "--workers", "1", "--no-timing",
      "--reporter", `junit:${junitFile}`, "--reporter", `tap:${tapFile}`]);
  });

  it("exits 1: some runs failed", () => expect(code).toBe(1));

  it("JUnit: a testsuite per file, a testcase per scenario × profile with driver and seed properties, the failure texts", () => {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => ["testsuite", "testcase", "property"].includes(n) })
      .parse(readFileSync(junitFile, "utf8")) as { testsuites: { tests: string; failures: string; errors: string; testsuite: JUnitSuite[] } };
    const root = xml.testsuites;
    expect([root.tests, root.failures, root.errors]).toEqual(["18", "9", "0"]);
    expect(root.testsuite.map((s) => s.name)).toEqual(V618_FILES.map((f) => `${CONFORMANCE}${f}.yaml`));
    const cases = root.testsuite.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(18);
    expect(new Set(cases.map((c) => `${c.classname} ${c.name}`)).size).toBe(18);
    for (const s of root.testsuite) {
      expect(s.testcase.map((c) => c.properties.property.find((p) => p.name === "driver")!.value)).toEqual(["mainline", "v6.18"]);
      expect(s.failures).toBe("1");
    }
    const byFile = (f: string, driver: string) => cases.find((c) => c.classname.endsWith(`${f}.yaml`) && c.name.includes(`(${driver}`))!;
    // Written for mainline, so 6.18 fails: an expectation at its line, a lost message (a fault).
    const header = byFile("header-copy-fault", "v6.18").failure!;
    expect(header.type).toBe("expectation");
    expect(header.message).toBe(`${CONFORMANCE}header-copy-fault.yaml:8:5: errno: got 48, expected EFAULT`);
    expect(header["#text"]).toContain("read(h1, 4096) [user-fault: buffer] = 48\n  errno: got 48, expected EFAULT");
    const lost = byFile("payload-copy-fault", "v6.18").failure!;
    expect(lost.type).toBe("fault");
    expect(lost.message).toMatch(/^lost message: lost: payload of 12 bytes from 0x2000001 acknowledged to the hypervisor/);
    // Seeded scenarios carry their seed as a property (machine.seed of the file: 7).
    const race = byFile("race-ioctl-irq-deadlock", "v6.18");
    expect(race.properties.property).toContainEqual({ name: "seed", value: "7" });
    expect(race.failure!["#text"]).toMatch(/kernel deadlock: irq@cpu0 spins on hvpipe_src_list_lock/);
    expect(byFile("race-ioctl-irq-deadlock", "mainline").failure).toBeUndefined();
    // --no-timing: no time attributes at all.
    expect(readFileSync(junitFile, "utf8")).not.toMatch(/time=/);
  });

  it("TAP 14 by tap-parser: version, 18 points, the plan line, YAML diagnostics on each failing point", async () => {
    const text = readFileSync(tapFile, "utf8");
    expect(text.split("\n")[0]).toBe("TAP version 14");
    const asserts: { ok: boolean; name: string; diag?: Record<string, unknown> }[] = [];
    const result = await new Promise<FinalResults>((resolve) => {
      const p = new Parser();
      p.on("assert", (a: (typeof asserts)[number]) => asserts.push(a));
      p.on("complete", resolve);
      p.end(text);
    });
    expect([result.ok, result.count, result.pass, result.fail]).toEqual([false, 18, 9, 9]);
    expect(result.plan).toMatchObject({ start: 1, end: 18 });
    const failing = asserts.filter((a) => !a.ok);
    expect(failing.every((a) => a.name.includes("(v6.18"))).toBe(true);
    const header = failing.find((a) => a.name.includes("header-copy-fault"))!;
    expect(header.diag).toEqual({
      message: `${CONFORMANCE}header-copy-fault.yaml:8:5: errno: got 48, expected EFAULT`,
      severity: "fail",
      at: { file: `${CONFORMANCE}header-copy-fault.yaml`, line: 8, column: 5 },
      failures: [{ at: `${CONFORMANCE}header-copy-fault.yaml:8:5`, action: "read", summary: "read(h1, 4096) [user-fault: buffer] = 48", problems: ["errno: got 48, expected EFAULT"] }],
      driver: "v6.18",
    });
    expect(failing.find((a) => a.name.includes("race-release"))!.diag).toMatchObject({ seed: 5, fault: expect.stringMatching(/^kernel deadlock/) });
  });
});
