// expect-fault and per-profile expectations (docs/scenario-format.md "Expected faults"): a run
// passes when exactly the declared fault ends it after every earlier expectation held, and fails
// without it or with another. The scenarios are the conformance ones whose 6.18 bug is a fault.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../runner/harness/run-scenario.js";
import type { ScenarioResult } from "../../../runner/harness/results.js";
import { parseScenario } from "../../../runner/scenario/parse.js";
import type { DriverProfile } from "../../../kernel-shim/profile.js";

const conformance = (f: string): string => readFileSync(new URL(`../fixtures/profile-differences/${f}`, import.meta.url), "utf8");
// On 6.18 under seed 7, the ioctl holds hvpipe_src_list_lock when the interrupt spins on it (spec/hvpipe-driver.md §4.11).
const DEADLOCK = conformance("race-ioctl-irq-deadlock.yaml");
// On 6.18 the message bit stays set after a 48-byte read: the kernel's accounting reports a lost payload.
const LOST = conformance("message-bit-cleared.yaml");

function run(text: string, driver: DriverProfile): ScenarioResult {
  const sc = parseScenario(text, "f.yaml", { platform: true });
  sc.machine.driver = driver;
  return runScenario(sc);
}

describe("expect-fault", () => {
  const perProfile = `${DEADLOCK}expect-fault: {v6.18: {kind: deadlock, contains: hvpipe_src_list_lock}, mainline: none}\n`;

  it("passes on the profile whose run ends in exactly that fault, and on the one declared none", () => {
    const on618 = run(perProfile, "v6.18");
    expect(on618.passed).toBe(true);
    expect(on618.faultKind).toBe("deadlock");
    expect(on618.expectedFault).toEqual({ kind: "deadlock", contains: "hvpipe_src_list_lock" });
    expect(on618.fault).toMatch(/^kernel deadlock: irq@cpu0 spins on hvpipe_src_list_lock/);
    const onMainline = run(perProfile, "mainline");
    expect(onMainline.passed).toBe(true);
    expect(onMainline.fault).toBeUndefined();
    expect(onMainline.expectedFault).toBeUndefined();
  });

  it("fails when the run ends without the fault", () => {
    const r = run(`${DEADLOCK}expect-fault: {kind: deadlock}\n`, "mainline");
    expect(r.passed).toBe(false);
    expect(r.fault).toBe("expected fault deadlock, but the run ended without a fault");
  });

  it("fails when another fault ends the run, or the text differs", () => {
    const other = run(`${DEADLOCK}expect-fault: {kind: oops}\n`, "v6.18");
    expect(other.passed).toBe(false);
    expect(other.fault).toMatch(/^expected fault oops, but the run ended in deadlock: kernel deadlock: irq@cpu0 spins/);
    const text = run(`${DEADLOCK}expect-fault: {kind: deadlock, contains: "event_sources_lock"}\n`, "v6.18");
    expect(text.passed).toBe(false);
    expect(text.fault).toMatch(/^expected fault deadlock containing "event_sources_lock", but the run ended in deadlock: /);
  });

  it("fails when an expectation before the fault did not hold", () => {
    const bad = DEADLOCK.replace("  - open: /dev/papr-hvpipe\n    as: dev\n", "  - open: /dev/papr-hvpipe\n    as: dev\n    expect: { ret: 9 }\n");
    expect(bad).not.toBe(DEADLOCK);
    const r = run(`${bad}expect-fault: {kind: deadlock}\n`, "v6.18");
    expect(r.faultKind).toBe("deadlock");
    expect(r.steps[0]!.problems).toEqual(["ret: got 3, expected 9"]);
    expect(r.passed).toBe(false);
  });

  it("lost-message is a fault kind: 6.18's lost payload can be stated", () => {
    const r = run(`${LOST}expect-fault: {v6.18: {kind: lost-message, contains: "payload of 5 bytes"}}\n`, "v6.18");
    expect(r.faultKind).toBe("lost-message");
    expect(r.passed).toBe(true);
    expect(run(`${LOST}expect-fault: {v6.18: {kind: lost-message}}\n`, "mainline").passed).toBe(true);
  });

  it("a kind the kernel model may add is accepted; a near miss of a known kind is an error with a hint", () => {
    expect(parseScenario("name: a\nexpect-fault: {kind: stranded-payload}\nsteps: []\n", "a.yaml").expectFault?.mainline).toEqual({ kind: "stranded-payload" });
    expect(() => parseScenario("name: a\nexpect-fault: {kind: deadlok}\nsteps: []\n", "a.yaml")).toThrow(
      'a.yaml:2:22: unknown fault kind "deadlok" (did you mean "deadlock"?) (known: deadlock, oops, bug, livelock, stuck, soft-lockup, use-after-free, lost-message)',
    );
    expect(() => parseScenario("name: a\nexpect-fault: {v6.19: none}\nsteps: []\n", "a.yaml")).toThrow(
      'a.yaml:2:16: unknown driver profile "v6.19" (allowed: mainline, v6.18)',
    );
  });
});

describe("per-profile expectations", () => {
  // 6.18 returns 0 from a 48-byte read with a message pending, and so loses the payload; mainline
  // returns 48 (conformance/zero-length-read-return.yaml). Both profiles' results are stated.
  const text = conformance("zero-length-read-return.yaml").replace(
    "expect: { ret: 48, flags: [HVPIPE_MSG_AVAILABLE], payload: \"\" }",
    "expect: { mainline: { ret: 48, flags: [HVPIPE_MSG_AVAILABLE] }, v6.18: { ret: 0 } }",
  ) + 'expect-fault: {v6.18: {kind: lost-message, contains: "read returned 0"}}\n';

  it("each profile is judged by its own expectation", () => {
    expect(run(text, "mainline").passed).toBe(true);
    expect(run(text, "v6.18").passed).toBe(true);
    const wrong = run(text.replace("v6.18: { ret: 0 }", "v6.18: { ret: 48 }"), "v6.18");
    expect(wrong.steps.at(-1)!.problems).toEqual(["ret: got 0, expected 48"]);
  });

  it("a profile not named checks nothing; profile and expectation keys do not mix", () => {
    expect(run(text.replace(", v6.18: { ret: 0 }", ""), "v6.18").passed).toBe(true);
    expect(() => parseScenario(text.replace("v6.18: { ret: 0 }", "ret: 0"), "z.yaml")).toThrow(
      /^z\.yaml:9:69: unknown driver profile "ret" \(allowed: mainline, v6\.18\)$/,
    );
  });
});
