// Footprints for partial-order reduction: what one step touched, read from the decision and the
// trace records it produced. Two steps are independent (they commute and neither enables or
// disables the other) only if neither is global and their resources are disjoint.
//
// Lock and mutex operations name their lock; a user copy names the process's memory; sleeps and
// wait-queue registration are the context's own. Everything else — system-call entry and exit (the
// code around them installs fds and files: with them local, sleep sets lost 8 of the 72 end states
// of create-handle-duplicate-race), an RTAS call or hypercall (the hypervisor), an interrupt, a
// wakeup, work queued, printk, driver state, the outside world — is global. The rule trusts the kernel model's lock discipline: code
// between two preemption points that touches shared state either holds the lock whose operation
// ends the step or ends in a global event (docs/exploring.md says where this can miss a race).
import type { TraceRecord } from "../../kernel-shim/sched/context.js";
import type { Decision } from "../../kernel-shim/sched/policy.js";

export const GLOBAL = "*";

export type Footprint = readonly string[];

function processOf(context: string): string {
  const colon = context.indexOf(":");
  return colon > 0 ? context.slice(0, colon) : context;
}

function eventResources(r: TraceRecord, out: Set<string>): void {
  const e = r.event;
  switch (e.kind) {
    case "lock":
    case "mutex":
      out.add(`lock:${e.lock}`);
      return;
    case "copy":
      out.add(`user:${processOf(r.context)}`);
      return;
    case "sleep":
    case "wait":
      return;
    default:
      out.add(GLOBAL);
  }
}

/** The resources of a decision and the records its step produced. */
export function footprintOf(d: Decision, records: readonly TraceRecord[]): Footprint {
  const out = new Set<string>();
  switch (d.kind) {
    case "irq":
    case "external":
      out.add(GLOBAL);
      break;
    case "run":
      out.add(`cpu:${d.cpu}`);
      out.add(`ctx:${d.context}`);
      break;
    case "place":
    case "preempt":
      out.add(`cpu:${d.cpu}`);
      out.add(`ctx:${d.thread}`);
      break;
  }
  for (const r of records) eventResources(r, out);
  return out.has(GLOBAL) ? [GLOBAL] : [...out].sort();
}

export function independent(a: Footprint, b: Footprint): boolean {
  if (a.includes(GLOBAL) || b.includes(GLOBAL)) return false;
  return !a.some((x) => b.includes(x));
}
