// rtasd: the kernel thread that calls event-scan at the rate /rtas asks for ("rtas-event-scan-rate",
// scans per minute; spec/spapr-platform.md §2, §3.4). Optional (machine.rtasd): it shows what a real
// kernel's periodic event-scan does to an event the hvpipe interrupt handler failed to take.
import { Layout } from "../memory.js";
import type { OfTree } from "../of.js";
import type { Printk } from "../printk.js";
import type { RtasCalls } from "../rtas-client.js";
import type { Scheduler } from "../sched/scheduler.js";
import type { KStep } from "../sched/types.js";
import { msleep } from "../sched/waitqueue.js";

/** RTAS_EVENT_SCAN_ALL_EVENTS (spec/hvpipe-driver.md §15). */
const RTAS_EVENT_SCAN_ALL_EVENTS = 0xffffffff;
const RTAS_NO_ERRORS_FOUND = 1;

export interface RtasdDeps {
  readonly sched: Scheduler;
  readonly rtas: RtasCalls;
  readonly of: OfTree;
  readonly printk: Printk;
}

/** Starts rtasd on `cpu` if /rtas has event-scan and a non-zero scan rate; returns the scan period in ms, or 0. */
export function startRtasd(k: RtasdDeps, cpu: number): number {
  const rate = k.of.readU32("/rtas", "rtas-event-scan-rate") ?? 0;
  if (rate === 0 || !k.rtas.implemented("event-scan")) return 0;
  const periodMs = 60_000 / rate;
  const t = k.sched.spawn("rtasd", "kthread", scanLoop(k, periodMs));
  t.affinity = cpu;
  t.daemon = true;
  return periodMs;
}

function* scanLoop(k: RtasdDeps, periodMs: number): KStep {
  for (;;) {
    yield* msleep(k.sched, periodMs);
    const r = yield* k.rtas.call("event-scan", 1, [RTAS_EVENT_SCAN_ALL_EVENTS, 0, Layout.rtasdLogBuf, k.rtas.errorLogMax]);
    // An event handed back here is only logged (rtasd prints type 0xE6 as a Hypervisor Pipe Notification).
    if (r.status !== RTAS_NO_ERRORS_FOUND && r.status !== 0) yield* k.printk("err", `event-scan failed ${r.status}`);
  }
}
