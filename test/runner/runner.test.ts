// Running scenarios end to end, the report and the CLI's exit codes (issue: one command runs a
// scenario through device tree, RTAS, hvpipe, XICS and the driver).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureConsole } from "../support/capture-console.js";
import { decodeFdt, encodeFdt } from "../../devicetree/index.js";
import { Machine } from "../../emulator/machine.js";
import { main } from "../../runner/cli/main.js";
import { formatScenario } from "../../runner/reporters/pretty.js";
import { runScenario } from "../../runner/harness/run-scenario.js";
import { loadScenarioFile, parseScenario } from "../../runner/scenario/parse.js";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;

describe("the shipped examples", () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml")).sort();

  it("are at least ten", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it.each(files)("%s passes", async (f) => {
    const r = runScenario(await loadScenarioFile(join(EXAMPLES, f)));
    expect(r.fault).toBeUndefined();
    expect(r.steps.filter((s) => s.status !== "pass")).toEqual([]);
    expect(r.passed).toBe(true);
  });

  it("together use every core action and expectation key", async () => {
    const actions = new Set<string>();
    const keys = new Set<string>();
    for (const f of files) {
      for (const s of (await loadScenarioFile(join(EXAMPLES, f))).steps) {
        actions.add(s.action);
        for (const k of Object.keys(s.expect ?? {})) keys.add(k);
      }
    }
    expect([...actions].sort()).toEqual(
      ["close", "expect-dmesg", "expect-hmc", "fault", "hmc-close", "hmc-open", "hmc-send", "ioctl", "migrate", "open", "parallel", "poll", "read", "write"]);
    expect([...keys].sort()).toEqual(["errno", "flags", "payload", "ret", "revents"]);
  });
});

describe("failures are reported with the step's line", () => {
  const yaml = [
    "name: wrong expectations",          // 1
    "steps:",                            // 2
    "  - open: /dev/papr-hvpipe",        // 3
    "    as: dev",                       // 4
    "  - ioctl: { fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001 }", // 5
    "    as: h",                         // 6
    "  - hmc-send: { source: 0x02000001, payload: \"abc\" }", // 7
    "  - read: { fd: h, size: 4096 }",   // 8
    "    expect: { ret: 52, payload: \"abd\", flags: [HVPIPE_LOST_CONNECTION] }", // 9
    "  - write: { fd: h, payload: \"x\" }", // 10
    "    expect: { errno: EPIPE }",      // 11
    "  - expect-hmc: { source: 0x02000001, received: [\"y\"] }", // 12
    "",
  ].join("\n");

  it("names what was expected and what happened", () => {
    const r = runScenario(parseScenario(yaml, "wrong.yaml"));
    expect(r.passed).toBe(false);
    const failing = r.steps.filter((s) => s.status === "fail");
    expect(failing.map((s) => s.line)).toEqual([8, 10, 12]);
    expect(failing[0]!.problems).toEqual([
      "ret: got 51, expected 52",
      "flags: got [HVPIPE_MSG_AVAILABLE], expected [HVPIPE_LOST_CONNECTION]",
      'payload: got "abc", expected "abd"',
    ]);
    expect(failing[1]!.problems).toEqual(["errno: got 49, expected EPIPE"]);
    expect(failing[2]!.problems).toEqual(['payload 1: got "x", expected "y"']);
    const text = formatScenario(r);
    expect(text).toContain("FAIL  wrong.yaml — wrong expectations");
    expect(text).toContain("wrong.yaml:8:5  read");
  });

  it("a step whose call fails without an expect does not fail the scenario", () => {
    const r = runScenario(parseScenario("name: n\nsteps:\n  - open: /dev/nothing\n", "n.yaml"));
    expect(r.steps[0]!.summary).toBe('open("/dev/nothing") = -1 ENOENT');
    expect(r.passed).toBe(true);
  });

  it("ret: -1 with an errno is how user space sees a failure", () => {
    const r = runScenario(parseScenario(
      "name: n\nsteps:\n  - open: /dev/nothing\n    expect: { ret: -1, errno: ENOENT }\n", "n.yaml"));
    expect(r.passed).toBe(true);
  });

  it("an outside-world action that cannot happen is an error at its line, and later steps still run", () => {
    const r = runScenario(parseScenario(
      "name: n\nsteps:\n  - hmc-send: { source: 0x02000009, payload: \"x\" }\n  - open: /dev/papr-hvpipe\n", "n.yaml"));
    expect(r.steps[0]!.status).toBe("error");
    expect(r.steps[0]!.problems[0]).toMatch(/no HMC source 0x02000009 is attached/);
    expect(r.steps[1]!.status).toBe("pass");
    expect(r.passed).toBe(false);
  });

  it("an unknown policy fails the boot with its name", () => {
    const r = runScenario(parseScenario("name: n\nmachine:\n  policy: { no-such: 1 }\nsteps:\n  - open: /dev/papr-hvpipe\n", "n.yaml"));
    expect(r.fault).toMatch(/unknown policy "no-such"/);
    expect(r.steps[0]!.status).toBe("skipped");
  });
});

describe("extensions in the runner", () => {
  it("a migration's report names renumbered sources and dropped payloads", () => {
    const r = runScenario(parseScenario([
      "name: m",
      "machine: { policy: { migration-source-ids: renumber } }",
      "steps:",
      "  - open: /dev/papr-hvpipe",
      "    as: dev",
      "  - ioctl: { fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001 }",
      "  - hmc-send: { source: 0x02000001, payload: \"held\" }",
      "  - migrate: {}",
      "",
    ].join("\n"), "m.yaml"));
    // The default migration-pending: discard drops the payload waiting in the old pipe.
    expect(r.steps.at(-1)!.summary).toBe("migration: 0x02000001 is now 0x02000101, 1 queued payload(s) dropped");
  });

  it("machine.kernel-faults makes misc_register fail at init; unknown fault points are rejected", () => {
    const r = runScenario(parseScenario(
      "name: k\nmachine: { kernel-faults: [misc_register] }\nsteps:\n  - open: /dev/papr-hvpipe\n    expect: { errno: ENOENT }\n", "k.yaml"));
    expect(r.passed).toBe(true);
    expect(r.kernelLog.map((l) => l.text)).toEqual(["hvpipe feature is not enabled -16"]);
    expect(() => parseScenario("name: k\nmachine: { kernel-faults: [kmalloc] }\nsteps: []\n", "k.yaml"))
      .toThrow(/k\.yaml:2:28: .*misc_register/);
  });

  it("expect-dmesg checks the kernel log both ways", () => {
    const r = runScenario(parseScenario(
      "name: d\nsteps:\n  - expect-dmesg: { contains: \"hvpipe feature is enabled\" }\n  - expect-dmesg: { lacks: \"hvpipe\" }\n", "d.yaml"));
    expect(r.steps.map((x) => x.status)).toEqual(["pass", "fail"]);
    expect(r.steps[1]!.problems).toEqual(['kernel log has "hvpipe feature is enabled"']);
  });
});

describe("papr-emu CLI", () => {
  const { out, err } = captureConsole({ stdout: true });

  const dir = mkdtempSync(join(tmpdir(), "papr-emu-cli-"));

  it("run: 0 when every scenario passes, with a summary", async () => {
    expect(await main(["run", EXAMPLES])).toBe(0);
    expect(out.at(-1)).toMatch(/^\n\d+ scenario\(s\), \d+ passed, 0 failed$/);
  });

  it("run: 1 when a scenario fails", async () => {
    const f = join(dir, "fail.yaml");
    writeFileSync(f, "name: f\nsteps:\n  - open: /dev/papr-hvpipe\n    expect: { ret: 9 }\n");
    expect(await main(["run", f])).toBe(1);
    expect(out.join("\n")).toContain("ret: got 3, expected 9");
  });

  it("run: 2 for an invalid scenario file, naming file:line:column", async () => {
    const f = join(dir, "bad.yaml");
    writeFileSync(f, "name: b\nsteps:\n  - opne: /dev/papr-hvpipe\n");
    expect(await main(["run", f])).toBe(2);
    expect(err.join("\n")).toMatch(/bad\.yaml:3:5: unknown action or step key "opne"/);
  });

  it("usage errors are 2", async () => {
    expect(await main(["run", join(dir, "missing.yaml")])).toBe(2);
    expect(await main(["frobnicate"])).toBe(2);
    expect(await main(["dt"])).toBe(2);
  });

  it("dt --machine prints DTS that dtc compiles back to the same tree, without warnings", async () => {
    expect(await main(["dt", "--machine"])).toBe(0);
    const dts = out.join("");
    const dtsFile = join(dir, "m.dts");
    writeFileSync(dtsFile, dts);
    const dtbFile = join(dir, "m.dtb");
    const stderr = execFileSync("dtc", ["-I", "dts", "-O", "dtb", "-o", dtbFile, dtsFile], { stdio: ["ignore", "pipe", "pipe"] });
    expect(stderr.toString()).toBe("");
    const fromDtc = decodeFdt(new Uint8Array(readFileSync(dtbFile)));
    const ours = decodeFdt(new Machine().dtb);
    expect(encodeFdt(fromDtc, { layout: null })).toEqual(encodeFdt(ours, { layout: null }));
  });

  it("dt --machine with a scenario builds that scenario's machine", async () => {
    const f = join(dir, "two.yaml");
    writeFileSync(f, "name: t\nmachine: { cpus: 2, hvpipe-capable: false }\nsteps: []\n");
    expect(await main(["dt", "--machine", f])).toBe(0);
    const dts = out.join("");
    expect(dts).toContain("PowerPC,POWER9@1");
    expect(dts).not.toContain("ibm,hypervisor-pipe-capable");
  });

  it("dt <blob> --dtb -o re-encodes byte for byte; a corrupt blob is a usage error naming the offset", async () => {
    const blob = join(dir, "machine.dtb");
    writeFileSync(blob, new Machine().dtb);
    const again = join(dir, "again.dtb");
    expect(await main(["dt", blob, "--dtb", "-o", again])).toBe(0);
    expect(readFileSync(again)).toEqual(readFileSync(blob));
    const bad = join(dir, "bad.dtb");
    writeFileSync(bad, Buffer.from([0xd0, 0x0d, 0xfe, 0xee, 0, 0, 0, 0]));
    expect(await main(["dt", bad])).toBe(2);
    expect(err.join("\n")).toMatch(/bad\.dtb: DTB offset 0x8: blob is 8 bytes, shorter than the 40-byte header/);
  });
});
