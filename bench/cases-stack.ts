// The whole stack: a booted partition (emulator + kernel-shim) driven through a guest process's
// system calls, as scenarios drive it; and a conformance-style sweep of one race over many seeds.
import { readFileSync } from "node:fs";
import type { HotPathBuild } from "../emulator/hotpath.js";
import { PAPR_HVPIPE_IOC_CREATE_HANDLE } from "../kernel-shim/uapi.js";
import { GuestSyscalls, withHeader } from "../runner/harness/guest-syscalls.js";
import { bootPartition, type Partition } from "../runner/harness/partition.js";
import { runScenario } from "../runner/harness/run-scenario.js";
import { parseScenario } from "../runner/scenario/parse.js";
import type { MachineConfig } from "../runner/scenario/model.js";
import type { Scenario } from "../runner/scenario/scenario.js";
import { check, type Bench, type Workload } from "./harness.js";

const HMC1 = 0x02000001;
const PAYLOAD = Uint8Array.from({ length: 4048 }, (_, i) => (i * 13 + 5) & 0xff);
const WRITE_BYTES = withHeader(PAYLOAD);

interface Booted {
  part: Partition;
  sys: GuestSyscalls;
  fd: number;
}

/** A 1-CPU mainline partition with process 1 holding a handle for HMC1. */
function bootWithHandle(build: HotPathBuild): Booted {
  const config: MachineConfig = {
    cpus: 1, sources: [HMC1], driver: "mainline", hvpipeCapable: true, omitRtas: [], policy: {}, hotPath: build,
  };
  const part = bootPartition(config);
  const sys = new GuestSyscalls(part.kernel);
  const dev = sys.open(1, "/dev/papr-hvpipe");
  const fd = sys.ioctl(1, dev, PAPR_HVPIPE_IOC_CREATE_HANDLE, HMC1);
  check(fd >= 0, () => `create handle answered ${fd}`);
  return { part, sys, fd };
}

/** The HMC sends 4048 bytes; the kernel takes the interrupt (check-exception, the work); read(4096) gets them. */
function inbound(b: Booted): void {
  b.part.machine.outside.hmc.send(HMC1, PAYLOAD);
  b.part.kernel.settle();
  const r = b.sys.read(1, b.fd, 4096);
  if (r.ret !== 4096 || r.payload?.[4047] !== PAYLOAD[4047]) check(false, () => `read returned ${r.ret}`);
}

/** write(4096): 48 header bytes and 4048 payload bytes, sent to the HMC. */
function outbound(b: Booted): void {
  const ret = b.sys.write(1, b.fd, WRITE_BYTES);
  if (ret !== 4096) check(false, () => `write returned ${ret}`);
  const inbox = b.part.machine.devices.hvpipe.model.sources.get(HMC1)!.received;
  if (inbox.length === 256) inbox.length = 0;
}

/**
 * A fresh partition before every timed run (untimed), then n operations. `agedBy` round trips run
 * untimed first: the scheduler keeps every finished thread and trace record for inspection, so a long-lived
 * partition is slower than a fresh one.
 */
function stackWorkload(build: HotPathBuild, op: (b: Booted) => void, agedBy = 0): Workload {
  let b: Booted | undefined;
  let decisions = 0;
  let traced = 0;
  let rtas = new Map<string, number>();
  return {
    reset() {
      b = bootWithHandle(build);
      for (let i = 0; i < agedBy; i++) {
        inbound(b);
        outbound(b);
      }
    },
    run(n) {
      const sched = b!.part.kernel.sched;
      const counts = b!.part.machine.rtas.callCounts;
      const before = new Map(counts);
      decisions = sched.decisions.length;
      traced = sched.trace.length;
      for (let i = 0; i < n; i++) op(b!);
      decisions = sched.decisions.length - decisions;
      traced = sched.trace.length - traced;
      rtas = new Map([...counts].map(([name, c]) => [name, c - (before.get(name) ?? 0)]));
    },
    figures: (n) => ({
      "scheduler steps/op": decisions / n,
      "trace events/op": traced / n,
      ...Object.fromEntries([...rtas].filter(([, c]) => c > 0).map(([name, c]) => [`rtas ${name}/op`, c / n])),
    }),
  };
}

/**
 * Operations per timed run on a fresh partition, and runs. Few, because a partition slows as it
 * ages (see d-aged); many runs, because each is short.
 */
const FRESH_OPS = 100;
const FRESH_RUNS = 12;
/** Round trips d-aged's partition has done before its timed run. */
export const AGED_BY = 2000;

const roundTrip = (b: Booted): void => {
  inbound(b);
  outbound(b);
};

const RACE = new URL("../conformance/create-handle-duplicate-race.yaml", import.meta.url);

/** create-handle-duplicate-race.yaml on its own profile under seeds 0..n-1; each must pass. */
function raceSweep(build: HotPathBuild, bootOnly: boolean, seeds: number): Workload {
  const text = readFileSync(RACE, "utf8");
  let scenarios: Scenario[] = [];
  let decisions = 0;
  return {
    reset() {
      // Parsed untimed, a fresh object per seed and run.
      scenarios = Array.from({ length: seeds }, (_, seed) => {
        const sc = parseScenario(text, RACE.pathname);
        sc.machine.seed = seed;
        sc.machine.hotPath = build;
        return sc;
      });
    },
    run(n) {
      check(n <= seeds, () => `${n} seeds asked, ${seeds} prepared`);
      decisions = 0;
      for (let seed = 0; seed < n; seed++) {
        const sc = scenarios[seed]!;
        if (bootOnly) {
          decisions += bootPartition(sc.machine).kernel.sched.decisions.length;
          continue;
        }
        const r = runScenario(sc);
        if (!r.passed) check(false, () => `${RACE.pathname} failed under seed ${seed}: ${r.fault ?? ""}`);
        decisions += r.decisions;
      }
    },
    figures: (n) => ({ "scheduler steps/op": decisions / n }),
  };
}

export const STACK_BENCHES: Bench[] = [
  { id: "d-in", title: "hmc-send → read(4096) through the kernel-shim", op: "messages", opsPerRun: FRESH_OPS, runs: FRESH_RUNS, make: (b) => stackWorkload(b, inbound) },
  { id: "d-out", title: "write(4096) through the kernel-shim", op: "messages", opsPerRun: FRESH_OPS, runs: FRESH_RUNS, make: (b) => stackWorkload(b, outbound) },
  { id: "d-rt", title: "round trip: hmc-send → read(4096), write(4096)", op: "round trips", opsPerRun: FRESH_OPS, runs: FRESH_RUNS, make: (b) => stackWorkload(b, roundTrip) },
  {
    id: "d-aged", title: "round trip, after 2000 round trips on the same partition", op: "round trips",
    opsPerRun: 300, runs: 1, warmup: false, make: (b) => stackWorkload(b, roundTrip, AGED_BY),
  },
  { id: "e-boot", title: "boot the race scenario's partition (2 CPUs), no steps", op: "boots", opsPerRun: 200, runs: 3, make: (b) => raceSweep(b, true, 200) },
  { id: "e", title: "create-handle-duplicate-race.yaml, seeds 0..199", op: "scenarios", opsPerRun: 200, runs: 3, make: (b) => raceSweep(b, false, 200) },
];
