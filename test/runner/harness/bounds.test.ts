// Every size a scenario can state is bounded (docs/scenario-format.md "Bounds"), a count the
// driver refuses reaches the driver, and a long payload mismatch names its first differing byte.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../runner/harness/run-scenario.js";
import { ScenarioError } from "../../../runner/scenario/errors.js";
import { parseScenario } from "../../../runner/scenario/parse.js";

const HANDLE = [
  "steps:",
  "  - open: /dev/papr-hvpipe",
  "    as: dev",
  "  - ioctl: { fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001 }",
  "    as: h1",
];
const scenario = (...steps: string[]) => ["name: b", ...HANDLE, ...steps].join("\n") + "\n";

describe("bounds", () => {
  it("a 30 MB expect-dmesg text is refused before YAML reads it; a text over 64 Ki characters at its position", () => {
    const huge = `name: b\nsteps:\n  - expect-dmesg: {contains: "${"x".repeat(30_000_000)}"}\n`;
    expect(() => parseScenario(huge, "h.yaml")).toThrow("h.yaml:1:1: the file is 30000048 characters long, more than the 16777216 a scenario file may have");
    const long = `name: b\nsteps:\n  - expect-dmesg: {contains: "${"x".repeat(65537)}"}\n`;
    expect(() => parseScenario(long, "l.yaml")).toThrow('l.yaml:3:30: "contains" is 65537 characters long, more than the 65536 a text may have');
  });

  it("payloads are at most 1 MiB in every form", () => {
    expect(() => parseScenario(`name: b\nsteps:\n  - hmc-send: {source: 1, payload: "${"y".repeat(1048577)}"}\n`, "p.yaml"))
      .toThrow("p.yaml:3:36: a text payload is at most 1048576 bytes (UTF-8)");
    expect(() => parseScenario(`name: b\nsteps:\n  - hmc-send: {source: 1, payload: {hex: "${"ab".repeat(1048577)}"}}\n`, "p.yaml"))
      .toThrow('p.yaml:3:42: "hex" is 1048577 bytes, more than the 1048576 a payload may have');
  });

  it("a read or write count over 1 MiB (the process's address space) reaches the driver, which answers EINVAL (§4: at most 4096)", () => {
    const r = runScenario(parseScenario(scenario(
      "  - read: { fd: h1, size: 2097152 }",
      "    expect: { errno: EINVAL }",
      "  - write: { fd: h1, payload: abc, size: 0x7fffffff }",
      "    expect: { errno: EINVAL }",
    ), "io.yaml"));
    expect(r.steps.map((s) => [s.status, s.summary])).toEqual([
      ["pass", 'open("/dev/papr-hvpipe") = 3'],
      ["pass", "ioctl(dev, 0x8004b209, &0x02000001) = 4"],
      ["pass", "read(h1, 2097152) = -1 EINVAL"],
      ["pass", 'write(h1, header + "abc", 2147483647) = -1 EINVAL'],
    ]);
    expect(r.fault).toBeUndefined();
  });

  it("a duplicate key among 5000 is found, at its position", () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `    k${i}: ${i}`);
    keys.push("    k7: 1");
    const e = (() => {
      try {
        parseScenario(`name: b\nmachine:\n  policy:\n${keys.join("\n")}\nsteps: []\n`, "d.yaml");
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as ScenarioError).message).toBe("d.yaml:5004:5: YAML: Map keys must be unique");
  });
});

describe("payload mismatches", () => {
  it("two 4048-byte payloads differing at byte 4000: the offset and a hex window of both", () => {
    const r = runScenario(parseScenario(scenario(
      "  - write: { fd: h1, payload: { size: 4048, fill: 0x41 } }",
      "  - expect-hmc: { source: 0x02000001, received: [{ hex: \"" + "41".repeat(4000) + "42" + "41".repeat(47) + "\" }] }",
    ), "m.yaml"));
    expect(r.steps[3]!.problems).toEqual([
      'payload 1: got "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"… (4048 bytes), expected "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"… (4048 bytes); ' +
        "first difference at byte 4000 (0xfa0) of 4048 got / 4048 expected: " +
        "got …41 41 41 41 41 41 41 41 [41] 41 41 41 41 41 41 41 41…, expected …41 41 41 41 41 41 41 41 [42] 41 41 41 41 41 41 41 41…",
    ]);
  });

  it("a short mismatch keeps its plain form; a prefix shows where one ends", () => {
    const r = runScenario(parseScenario(scenario(
      "  - write: { fd: h1, payload: { size: 60, fill: 0x41 } }",
      "  - expect-hmc: { source: 0x02000001, received: [{ size: 59, fill: 0x41 }] }",
    ), "m.yaml"));
    expect(r.steps[3]!.problems[0]).toMatch(/; first difference at byte 59 \(0x3b\) of 60 got \/ 59 expected: got …(41 ){8}\[41\], expected …41 41 41 41 41 41 41 41 \[\(end\)\]$/);
  });
});
