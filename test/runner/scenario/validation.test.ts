// Parse-time validation against the emulator's own tables (ParseOptions.platform, on for
// loadScenarioFile): each error names file:line:col and, for a near miss, the name meant.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../../runner/scenario/errors.js";
import { loadScenarioFile, parseScenario } from "../../../runner/scenario/parse.js";

const RTAS = "ibm,get-system-parameter, ibm,set-system-parameter, ibm,set-xive, ibm,get-xive, ibm,int-off, ibm,int-on, check-exception, event-scan, ibm,receive-hvpipe-msg, ibm,send-hvpipe-msg";

function problem(text: string): string {
  try {
    parseScenario(text, "v.yaml", { platform: true });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).message;
  }
  throw new Error("parsed without an error");
}

describe("validation at parse time", () => {
  const cases: [string, string, string][] = [
    ["policy name typo", "name: a\nmachine:\n  policy: {fifo-dept: 4}\nsteps: []\n",
      'v.yaml:3:12: unknown policy "fifo-dept" (did you mean "fifo-depth"?) (allowed: '],
    ["policy value typo", "name: a\nmachine:\n  policy: {migration-source-ids: renumbr}\nsteps: []\n",
      'v.yaml:3:34: policy "migration-source-ids" takes one of '],
    ["policy value out of range", "name: a\nmachine:\n  policy: {fifo-depth: 0}\nsteps: []\n",
      'v.yaml:3:24: policy "fifo-depth" takes a positive integer, not 0'],
    ["policy combination (fifo-depth × payload-limit over 64 MiB)", "name: a\nmachine:\n  policy: {fifo-depth: 100000}\nsteps: []\n",
      "v.yaml:3:24: policies fifo-depth (100000) × payload-limit (4048)"],
    ["omit-rtas typo", "name: a\nmachine:\n  omit-rtas: [event-scna]\nsteps: []\n",
      `v.yaml:3:15: unknown RTAS function "event-scna" (did you mean "event-scan"?) (the emulator implements: ${RTAS})`],
    ["fault.rtas typo", 'name: a\nsteps:\n  - fault: {rtas: "ibm,send-hvpipe-mgs", status: -1}\n',
      'v.yaml:3:19: unknown RTAS function "ibm,send-hvpipe-mgs" (did you mean "ibm,send-hvpipe-msg"?)'],
    ["fault on an omitted function", "name: a\nmachine: {omit-rtas: [event-scan]}\nsteps:\n  - fault: {rtas: event-scan, status: -1}\n",
      'v.yaml:4:19: "event-scan" is left out of /rtas by machine.omit-rtas, so no call of it can be faulted'],
    ["fault status 0", "name: a\nsteps:\n  - fault: {rtas: event-scan, status: 0}\n",
      'v.yaml:3:39: "status" 0 would fake a success the function never performed'],
    ["kernel-faults typo", "name: a\nmachine:\n  kernel-faults: [misc_registr]\nsteps: []\n",
      'v.yaml:3:19: "kernel-faults[0]" must be one of misc_register, got a string "misc_registr" (did you mean "misc_register"?)'],
    ["driver typo", "name: a\nmachine: {driver: mainlin}\nsteps: []\n",
      'v.yaml:2:19: "driver" must be one of mainline, v6.18, got a string "mainlin" (did you mean "mainline"?)'],
    ["refusal code typo", "name: a\nsteps:\n  - hmc-send: {source: 1, payload: x}\n    expect: {refused: pipefull}\n",
      'v.yaml:4:23: "refused" must be one of unknown-source, not-connected, payload-size, pipe-full, unknown-rtas-function, got a string "pipefull" (did you mean "pipe-full"?)'],
    ["duplicate tag", "name: a\ntags: [rtas, rtas]\nsteps: []\n", 'v.yaml:2:14: tag "rtas" is listed twice'],
  ];
  it.each(cases)("%s", (_what, text, message) => {
    expect(problem(text).startsWith(message), problem(text)).toBe(true);
  });

  it("names that exist on JavaScript objects are plain unknown names, never TypeErrors", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(problem(`name: a\nmachine:\n  policy: {${name}: 1}\nsteps: []\n`)).toMatch(new RegExp(`^v\\.yaml:3:12: unknown policy "${name}"`));
      expect(problem(`name: a\nmachine: {omit-rtas: [${name.toLowerCase().replace(/_/g, "")}]}\nsteps: []\n`)).toMatch(/^v\.yaml:2:23: unknown RTAS function/);
      expect(problem(`name: a\nmachine: {driver: ${name}}\nsteps: []\n`)).toMatch(/^v\.yaml:2:19: "driver" must be one of/);
    }
  });

  it("loadScenarioFile checks by default; parseScenario only when asked (or with platform: false)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "papr-emu-v-"));
    const file = join(dir, "typo.yaml");
    writeFileSync(file, "name: a\nmachine:\n  policy: {fifo-dept: 4}\nsteps: []\n");
    await expect(loadScenarioFile(file)).rejects.toThrow(`${file}:3:12: unknown policy "fifo-dept"`);
    expect((await loadScenarioFile(file, { platform: false })).machine.policy).toEqual({ "fifo-dept": 4 });
  });

  it("accepts description and tags, and the policies, RTAS names and statuses the emulator has", () => {
    const s = parseScenario(
      'name: a\ndescription: "§4: EINVAL"\ntags: [errno, "rtas:send"]\nmachine:\n  policy: {fifo-depth: 2, migration-source-ids: renumber}\n  omit-rtas: [event-scan]\nsteps:\n  - fault: {rtas: check-exception, status: -2}\n',
      "a.yaml", { platform: true });
    expect([s.description, s.tags, s.machine.policy]).toEqual(["§4: EINVAL", ["errno", "rtas:send"], { "fifo-depth": 2, "migration-source-ids": "renumber" }]);
  });
});
