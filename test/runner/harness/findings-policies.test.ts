// Findings 1 and 2 (docs/findings.md) under the two policies issue 10 asked for (docs/policies.md):
// source-in-flight 1 leaves finding 1's lost wakeup as it is (the next payload arrives at the ACK,
// inside the same window); reraise-after-failed-check-exception true lifts finding 2's
// unsignalled event (the re-pulsed interrupt's check-exception takes it and the read gets it).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DriverProfile } from "../../../kernel-shim/profile.js";
import { runScenario } from "../../../runner/harness/run-scenario.js";
import { ScenarioError } from "../../../runner/scenario/errors.js";
import { parseScenario, loadScenarioFile } from "../../../runner/scenario/parse.js";
import type { PolicyValue } from "../../../runner/scenario/model.js";

const ROOT = new URL("../../../conformance/", import.meta.url).pathname;

async function run(file: string, driver: DriverProfile, policy: Record<string, PolicyValue>, keepExpectFault = true) {
  const sc = await loadScenarioFile(join(ROOT, file));
  sc.machine.driver = driver;
  Object.assign(sc.machine.policy, policy);
  if (!keepExpectFault) delete sc.expectFault;
  return runScenario(sc);
}

describe("finding 1 with source-in-flight: 1", () => {
  it.each(["mainline", "v6.18"] as const)("two-payloads-one-source.yaml still ends in its declared lost-wakeup on %s", async (driver) => {
    const r = await run("findings/two-payloads-one-source.yaml", driver, { "source-in-flight": 1 });
    expect(r.faultKind).toBe("lost-wakeup");
    expect(r.fault).toContain("status bits 0x0 while the hypervisor has announced the payload of 6 bytes from 0x02000001");
    expect(r.passed).toBe(true);
  });

  it("the policy scenario meets the same lost wakeup with the default (unlimited)", async () => {
    const r = await run("policy/source-in-flight-1.yaml", "mainline", { "source-in-flight": "unlimited" });
    expect(r.passed).toBe(false);
    expect(r.faultKind).toBe("lost-wakeup");
  });
});

describe("finding 2 with reraise-after-failed-check-exception", () => {
  it.each(["mainline", "v6.18"] as const)("true: failed-check-exception.yaml has no fault and its poll sees the payload on %s", async (driver) => {
    const r = await run("findings/failed-check-exception.yaml", driver, { "reraise-after-failed-check-exception": true }, false);
    expect(r.faultKind).toBeUndefined();
    // The file's own poll expects the wedge (revents []): with the policy it sees POLLIN at once.
    const poll = r.steps.find((s) => s.summary.startsWith("poll("))!;
    expect(poll.summary).toBe("poll(h1, 5000) = 1 revents=[POLLIN, POLLRDNORM]");
  });

  it.each(["mainline", "v6.18"] as const)("false (default): the policy scenario ends in unsignalled-event on %s", async (driver) => {
    const r = await run("policy/reraise-after-failed-check-exception-true.yaml", driver, { "reraise-after-failed-check-exception": false });
    expect(r.passed).toBe(false);
    expect(r.faultKind).toBe("unsignalled-event");
  });
});

describe("parse-time validation of the two policies", () => {
  it.each([
    ["source-in-flight: 2", 'policy "source-in-flight" takes one of unlimited, 1, not 2'],
    ["reraise-after-failed-check-exception: yes", 'policy "reraise-after-failed-check-exception" takes one of false, true, not "yes"'],
  ])("%s is refused naming the policy and what it takes", (setting, message) => {
    const text = `name: x\nmachine: { policy: { ${setting} } }\nsteps:\n  - open: /dev/papr-hvpipe\n`;
    expect(() => parseScenario(text, "bad.yaml", { platform: true })).toThrow(ScenarioError);
    expect(() => parseScenario(text, "bad.yaml", { platform: true })).toThrow(message);
  });
});
