// `repeat`: the body N times, results aggregated per repeated step (never one per iteration),
// stopping at the first iteration in which a step fails.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../runner/harness/run-scenario.js";
import { parseScenario } from "../../../runner/scenario/parse.js";

const ROUND_TRIP = [
  "name: round trips",
  "steps:",
  "  - open: /dev/papr-hvpipe",
  "    as: dev",
  "  - ioctl: { fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001 }",
  "    as: h1",
  "  - repeat:",
  "      times: 200",
  "      steps:",
  "        - hmc-send: { source: 0x02000001, payload: ping }",
  "        - read: { fd: h1, size: 4096 }",
  "          expect: { ret: 52, payload: ping }",
  "        - write: { fd: h1, payload: pong }",
  "          expect: { ret: 52 }",
  "  - expect-hmc: { source: 0x02000001, received: [] }",
];

describe("repeat", () => {
  it("reports each repeated step once, with how many of the iterations passed", () => {
    // expect-hmc lists what the HMC received so far: 200 pongs, so [] fails after the repeat.
    const r = runScenario(parseScenario(ROUND_TRIP.join("\n") + "\n", "r.yaml"));
    expect(r.steps.map((s) => [s.line, s.action, s.status])).toEqual([
      [3, "open", "pass"], [5, "ioctl", "pass"],
      [10, "hmc-send", "pass"], [11, "read", "pass"], [13, "write", "pass"],
      [15, "expect-hmc", "fail"],
    ]);
    expect(r.steps[3]!.summary).toBe('200/200 of 200 iteration(s) passed; last: read(h1, 4096) = 52 flags=[HVPIPE_MSG_AVAILABLE] payload="ping"');
    expect(r.steps[5]!.problems[0]).toMatch(/^received 200 payload\(s\)/);
  });

  it("stops at the first failing iteration and names it", () => {
    // The pipe holds 2 payloads and the HMC's outbox 1 more: the 4th send without a read is refused.
    const r = runScenario(parseScenario([
      "name: fills up",
      "machine: { policy: { fifo-depth: 2, hmc-queue-depth: 1 } }",
      "steps:",
      "  - open: /dev/papr-hvpipe",
      "    as: dev",
      "  - ioctl: { fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001 }",
      "    as: h1",
      "  - repeat: { times: 1000, steps: [{ hmc-send: { source: 0x02000001, payload: x } }] }",
    ].join("\n") + "\n", "f.yaml"));
    const rep = r.steps[2]!;
    expect(rep.status).toBe("error");
    expect(rep.problems).toEqual([expect.stringMatching(/^iteration 4: the pipe is full \(policy fifo-depth 2\)/)]);
  });

  it("binds fds in its body for the steps after it; its times are bounded", () => {
    const s = parseScenario("name: b\nsteps:\n  - repeat: {times: 2, steps: [{open: /dev/papr-hvpipe, as: d}]}\n  - close: d\n", "b.yaml");
    expect(s.steps.map((x) => x.action)).toEqual(["repeat", "close"]);
    expect(() => parseScenario("name: b\nsteps:\n  - repeat: {times: 100000001, steps: [{close: 3}]}\n", "b.yaml")).toThrow(
      'b.yaml:3:21: "times" must be an integer from 1 to 100000000, got the number 100000001',
    );
    expect(() => parseScenario("name: b\nsteps:\n  - repeat: {times: 2, steps: []}\n", "b.yaml")).toThrow('b.yaml:3:31: "repeat" needs at least one step');
  });
});
