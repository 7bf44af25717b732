// The liveness oracle: at quiescence the kernel model and the hypervisor are looked at together, so
// a payload nothing will ever receive, a wakeup that was lost, a poller asleep with data ready or an
// event no interrupt will ever announce fails the run instead of passing silently (issue 10).
// It reads only inspection surfaces: machine.inspect() and the driver's kernel.inspection entry.
import type { TraceRecord } from "../../kernel-shim/sched/context.js";
import { HVPIPE_MSG_AVAILABLE } from "../../kernel-shim/uapi.js";
import { formatSourceId as hex } from "../../emulator/source-id.js";
import type { Partition } from "./partition.js";

export type LivenessKind = "stranded-payload" | "lost-wakeup" | "sleeping-poller" | "unsignalled-event";

export interface LivenessFinding {
  kind: LivenessKind;
  message: string;
  /** The trace records that led here (the pipe's RTAS calls, interrupts, wakeups, reads), oldest first. */
  chain: string[];
}

/** The part of the papr-hvpipe driver's exposed state the oracle reads. */
interface HvpipeDriverView {
  feature: boolean;
  srcList: readonly { srcID: number; owner: string; hvpipeStatus: number; recvWqh: { waiters: ReadonlySet<{ state: string; label: string }> } }[];
  work: { pending: boolean } | null;
}

const CHAIN_LENGTH = 14;

/** The records that say how the pipe got where it is. */
function chainOf(trace: readonly TraceRecord[]): string[] {
  const relevant = trace.filter((r) => {
    const e = r.event;
    switch (e.kind) {
      case "rtas": return e.name === "check-exception" || e.name === "event-scan" || e.name.includes("hvpipe");
      case "irq-entry": case "wake": case "ledger": case "outside": case "work": return true;
      case "syscall-exit": return e.name === "read" || e.name === "poll" || e.name === "ioctl" || e.name === "close";
      case "printk": return e.level === "err";
      default: return false;
    }
  });
  return relevant.slice(-CHAIN_LENGTH).map((r) => `${(r.timeNs / 1e9).toFixed(6)} ${r.context}: ${describe(r)}`);
}

function describe(r: TraceRecord): string {
  const e = r.event;
  switch (e.kind) {
    case "rtas": return `${e.name} = ${e.status}${e.outputs.length ? ` [${e.outputs.map((o) => hex(o >>> 0)).join(", ")}]` : ""}`;
    case "irq-entry": return `irq entry hwirq 0x${e.hwirq.toString(16)}`;
    case "wake": return `wake_up ${e.queue} (${e.woken} woken)`;
    case "syscall-exit": return `${e.name} returned ${e.ret}`;
    case "work": return `work ${e.op} ${e.name}`;
    case "printk": return `printk: ${e.text}`;
    case "outside": return `${e.actor}: ${e.what}`;
    case "ledger": return e.what;
    default: return e.kind;
  }
}

function driverView(part: Partition): HvpipeDriverView | undefined {
  return part.kernel.inspection.get("papr-hvpipe") as HvpipeDriverView | undefined;
}

export interface LivenessOptions {
  /** An rtasd thread scans periodically: a queued event is re-signalled at the next scan. */
  rtasd: boolean;
}

/** Checks the partition at quiescence (no context can run without time passing or new input). */
export function checkQuiescent(part: Partition, options: LivenessOptions): LivenessFinding | null {
  const driver = driverView(part);
  if (!driver?.feature) return null;
  const pipe = part.machine.inspect().hvpipe;
  const chain = (): string[] => chainOf(part.kernel.sched.trace);
  const a = pipe.announcement;
  if (a?.kind === "payload") {
    const head = pipe.queued[0];
    const what = `the payload of ${head?.length ?? 0} bytes from ${hex(a.source)}`;
    if (!a.taken) {
      if (options.rtasd) return null;
      return { kind: "unsignalled-event", chain: chain(),
        message: `the hypervisor holds the event announcing ${what} (check-exception has not taken it) and no interrupt will announce it again: nothing re-signals a queued event (no rtasd event-scan); the pipe is blocked for every source` };
    }
    const src = driver.srcList.find((s) => s.srcID === a.source);
    if (src) {
      if (src.hvpipeStatus & HVPIPE_MSG_AVAILABLE) return null;
      return { kind: "lost-wakeup", chain: chain(),
        message: `source ${hex(a.source)} is held (handle of ${src.owner}) with status bits 0x${src.hvpipeStatus.toString(16)} while the hypervisor has announced ${what}: read and poll return 0 for ever and the pipe is blocked for every source` };
    }
    if (driver.work?.pending) return null;
    return { kind: "stranded-payload", chain: chain(),
      message: `${what} was announced and handed to the OS, no handle holds ${hex(a.source)} and no drain work is queued: nothing will ever receive it and the pipe is blocked for every source` };
  }
  if (a === null && pipe.enabled && pipe.queued.length > 0) {
    return { kind: "stranded-payload", chain: chain(),
      message: `${pipe.queued.length} payload(s) wait in the pipe (head from ${hex(pipe.queued[0]!.source)}) and the hypervisor announces none of them` };
  }
  return null;
}

/** At an idle point inside a step (the clock is about to move): a poller asleep on a source with data ready. */
export function checkIdle(part: Partition): LivenessFinding | null {
  const driver = driverView(part);
  if (!driver?.feature) return null;
  for (const src of driver.srcList) {
    if (src.hvpipeStatus === 0) continue;
    const asleep = [...src.recvWqh.waiters].filter((t) => t.state === "blocked");
    if (asleep.length === 0) continue;
    return { kind: "sleeping-poller", chain: chainOf(part.kernel.sched.trace),
      message: `${asleep.map((t) => t.label).join(", ")} sleeps on source ${hex(src.srcID)} whose status bits are 0x${src.hvpipeStatus.toString(16)}: data is ready and no wakeup will come` };
  }
  return null;
}

export function formatFinding(f: LivenessFinding, line: number): string {
  return `${f.kind}: ${f.message} (at line ${line}); chain:\n    ${f.chain.join("\n    ")}`;
}
