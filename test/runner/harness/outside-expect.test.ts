// `expect: {refused: CODE}` on outside-world actions (docs/scenario-format.md): the hypervisor's
// refusal is the result a scenario states; accepted or refused otherwise, the step fails.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../runner/harness/run-scenario.js";
import { parseScenario } from "../../../runner/scenario/parse.js";

const run = (...lines: string[]) => runScenario(parseScenario(lines.join("\n") + "\n", "o.yaml", { platform: true }));

describe("expect refused on outside-world actions", () => {
  it("a full pipe refuses the next send: pipe-full (fifo-depth 1 and hmc-queue-depth 1 hold two payloads)", () => {
    // With a handle, the driver leaves a pending payload in the pipe until it is read.
    const r = run(
      "name: full pipe",
      "machine: { policy: { fifo-depth: 1, hmc-queue-depth: 1 } }",
      "steps:",
      "  - open: /dev/papr-hvpipe",
      "    as: dev",
      "  - ioctl: { fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001 }",
      "    as: h1",
      "  - hmc-send: { source: 0x02000001, payload: one }",
      "  - hmc-send: { source: 0x02000001, payload: two }",
      "  - hmc-send: { source: 0x02000001, payload: three }",
      "    expect: { refused: pipe-full }",
    );
    expect(r.steps.map((s) => s.status)).toEqual(["pass", "pass", "pass", "pass", "pass"]);
    expect(r.steps[4]!.summary).toBe('HMC 0x02000001 sends "three": refused (pipe-full)');
    expect(r.passed).toBe(true);
  });

  it("an oversize send is refused: payload-size (payload-limit 4048 by default, spec/hvpipe-driver.md §4)", () => {
    const r = run("name: big", "steps:", "  - hmc-send: { source: 0x02000001, payload: { size: 4049 } }", "    expect: { refused: payload-size }");
    expect(r.passed).toBe(true);
  });

  it("fails when accepted, or refused with another code; without expect a refusal is an error as before", () => {
    const accepted = run("name: a", "steps:", "  - hmc-send: { source: 0x02000001, payload: x }", "    expect: { refused: pipe-full }");
    expect(accepted.steps[0]!.problems).toEqual(["refused: the hypervisor accepted it, expected pipe-full"]);
    const other = run("name: b", "steps:", "  - hmc-send: { source: 0x02000009, payload: x }", "    expect: { refused: pipe-full }");
    expect(other.steps[0]!.status).toBe("fail");
    expect(other.steps[0]!.problems[0]).toMatch(/^refused: got unknown-source \(.*\), expected pipe-full$/);
    const plain = run("name: c", "steps:", "  - hmc-send: { source: 0x02000009, payload: x }");
    expect(plain.steps[0]!.status).toBe("error");
    expect(plain.passed).toBe(false);
  });

  it("a fault can be refused too; actions that are never refused take no expect", () => {
    // A fault on a function the token table lacks (parsed without the name check, so the emulator refuses it).
    const fault = parseScenario('name: d\nsteps:\n  - fault: { rtas: "ibm,no-such", status: -1 }\n    expect: { refused: unknown-rtas-function }\n', "d.yaml");
    expect(runScenario(fault).passed).toBe(true);
    expect(() => parseScenario("name: e\nsteps:\n  - migrate:\n    expect: { refused: pipe-full }\n", "e.yaml")).toThrow(
      'e.yaml:4:5: "expect" does not apply to "migrate"; only guest process actions have a result',
    );
    expect(() => parseScenario("name: e\nsteps:\n  - hmc-send: {source: 1, payload: x}\n    expect: { ret: 0 }\n", "e.yaml")).toThrow(
      'e.yaml:4:15: expectation key "ret" does not apply to "hmc-send" (it applies to: open, ioctl, write, read, poll, close)',
    );
  });
});
