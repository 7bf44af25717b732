// The scenario parser on 1 MB files (the case: one map of ~57k keys, which the YAML
// library's own duplicate-key check made quadratic), and a long repeat on the runner's side.
import { runScenario } from "../runner/harness/run-scenario.js";
import { parseScenario } from "../runner/scenario/parse.js";
import { check, type Bench, type Workload } from "./harness.js";

const MB = 1_000_000;

/** `name`, then lines from `line(i)` until the text is 1 MB, then `tail`. */
function megabyte(head: string, line: (i: number) => string, tail: string): string {
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < MB; i++) {
    const l = line(i);
    parts.push(l);
    size += l.length;
  }
  parts.push(tail);
  return parts.join("");
}

const KEYS = megabyte("name: keys\nmachine:\n  policy:\n", (i) => `    key-${i}: ${i}\n`, "steps: []\n");
const STEPS = megabyte("name: steps\nsteps:\n", () => "  - open: /dev/papr-hvpipe\n", "");

function parsing(text: string): Workload {
  return {
    run(n) {
      for (let i = 0; i < n; i++) check(parseScenario(text, "bench.yaml").name !== "", () => "no name");
    },
  };
}

const ROUND_TRIPS = 5000;
const REPEAT = `name: repeat
steps:
  - open: /dev/papr-hvpipe
    as: dev
  - ioctl: { fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001 }
    as: h1
  - repeat:
      times: ${ROUND_TRIPS}
      steps:
        - hmc-send: { source: 0x02000001, payload: ping }
        - read: { fd: h1, size: 4096 }
          expect: { ret: 52, payload: ping }
        - write: { fd: h1, payload: pong }
          expect: { ret: 52 }
`;

function repeated(): Workload {
  let traceRecords = 0;
  let results = 0;
  return {
    run(n) {
      for (let i = 0; i < n; i++) {
        const r = runScenario(parseScenario(REPEAT, "repeat.yaml"));
        check(r.passed, () => `the repeat failed: ${r.fault ?? r.steps.flatMap((s) => s.problems).join("; ")}`);
        traceRecords = r.trace.length;
        results = r.steps.length;
      }
    },
    // The runner keeps one result per repeated step; the kernel-shim's trace grows per round trip.
    figures: () => ({ "step results": results, "trace records per round trip": Math.round(traceRecords / ROUND_TRIPS) }),
  };
}

export const PARSE_BENCHES: Bench[] = [
  { id: "p-keys", title: `parse a 1 MB scenario: one policy map of ${KEYS.split("\n").length - 5} keys`, op: "files", opsPerRun: 1, runs: 5, make: () => parsing(KEYS) },
  { id: "p-steps", title: `parse a 1 MB scenario: ${STEPS.split("\n").length - 3} open steps`, op: "files", opsPerRun: 1, runs: 5, make: () => parsing(STEPS) },
  { id: "p-repeat", title: `repeat: ${ROUND_TRIPS} round trips (hmc-send → read, write) in one scenario`, op: "scenarios", opsPerRun: 1, runs: 3, make: repeated },
];
