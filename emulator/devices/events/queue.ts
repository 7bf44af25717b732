// Platform event sources and their queue: what check-exception hands out and which IRQ says so
// (spec/spapr-platform.md §3, spec/hvpipe-driver.md §7).
import type { GuestMemory } from "../../guest-memory.js";
import { RtasStatus, type RtasCall, type RtasFunction } from "../../rtas/types.js";
import type { EventsPolicy } from "./policies.js";

export interface EventClass {
  readonly name: string;
  /** check-exception event-mask bit: 1 << (31 - index). */
  readonly mask: number;
  /** The IRQ of the machine's own tree; a tree booted from a blob may say otherwise (EventIrqs). */
  readonly irq: number;
}

export const EVENT_CLASSES = {
  epow: { name: "epow-events", mask: 0x40000000, irq: 0x1000 },
  hotplug: { name: "hot-plug-events", mask: 0x10000000, irq: 0x1001 },
  hvpipe: { name: "ibm,hvpipe-msg-events", mask: 0x04000000, irq: 0x1002 },
} as const satisfies Record<string, EventClass>;

export type EventClassKey = keyof typeof EVENT_CLASSES;
/** The IRQ each class signals; null when the device tree gives the class no interrupt (queued, never signalled). */
export type EventIrqs = Record<EventClassKey, number | null>;

export interface PendingEvent {
  readonly eventClass: EventClass;
  /** Short text for traces and inspection. */
  readonly description: string;
  /** Writes at most bufLen bytes of the log at buf; returns false if the buffer is outside RAM. */
  write(buf: number, bufLen: number): boolean;
  /** Called once the guest has taken the event. */
  delivered?(): void;
}

export class EventQueue {
  private readonly pending: PendingEvent[] = [];
  /** IRQ by class name; EVENT_CLASSES' numbers unless the machine's tree routes a class elsewhere. */
  private readonly irqs = new Map<string, number | null>();

  constructor(
    private readonly memory: GuestMemory,
    /** Raises an edge on an event source's IRQ. */
    private readonly pulse: (irq: number) => void,
    irqs: Partial<EventIrqs> = {},
    private readonly policy: EventsPolicy = { "reraise-after-failed-check-exception": false },
  ) {
    for (const [key, c] of Object.entries(EVENT_CLASSES)) {
      const routed = irqs[key as EventClassKey];
      this.irqs.set(c.name, routed === undefined ? c.irq : routed);
    }
  }

  /** The IRQ a class signals (null: none). */
  irqOf(eventClass: EventClass): number | null {
    const irq = this.irqs.get(eventClass.name);
    return irq === undefined ? eventClass.irq : irq;
  }

  /** Queues an event and signals its class's interrupt. */
  post(event: PendingEvent): void {
    this.pending.push(event);
    const irq = this.irqOf(event.eventClass);
    if (irq !== null) this.pulse(irq);
  }

  /** Removes queued events that no longer stand (e.g. announcements of a pipe that is gone). */
  withdraw(predicate: (e: PendingEvent) => boolean): PendingEvent[] {
    const gone = this.pending.filter(predicate);
    for (const e of gone) this.pending.splice(this.pending.indexOf(e), 1);
    return gone;
  }

  list(): readonly PendingEvent[] {
    return this.pending;
  }

  rtasFunctions(): RtasFunction[] {
    return [
      {
        name: "check-exception",
        handler: (c) => this.checkException(c),
        injected: (args, status) => this.checkExceptionFailed(args[2] ?? 0, status),
      },
      { name: "event-scan", handler: (c) => this.eventScan(c) },
    ];
  }

  /** args: (vector, info, mask, critical, buffer, length[, extended info]); rets: (status). */
  private checkException(call: RtasCall): void {
    if ((call.nargs !== 6 && call.nargs !== 7) || call.nret !== 1) return this.fail(call, RtasStatus.PARAM_ERROR);
    const mask = call.args[2]!;
    const buf = call.args[4]!;
    const len = call.args[5]!;
    const index = this.pending.findIndex((e) => (e.eventClass.mask & mask) !== 0);
    if (index < 0) return call.answer(RtasStatus.NO_ERRORS_FOUND);
    const event = this.pending[index]!;
    // A log that does not fit is cut at the buffer length; a buffer outside RAM leaves the event queued.
    if (len < 8 || !this.memory.contains(buf, 8) || !event.write(buf, len)) {
      return this.fail(call, RtasStatus.PARAM_ERROR);
    }
    this.pending.splice(index, 1);
    call.answer(RtasStatus.SUCCESS);
    event.delivered?.();
    this.repulse();
  }

  private fail(call: RtasCall, status: number): void {
    call.answer(status);
    this.checkExceptionFailed(call.args[2] ?? 0, status);
  }

  /**
   * A check-exception answered an error (by its handler or by fault injection). With the policy
   * reraise-after-failed-check-exception, the classes of `mask` that still have events queued are
   * signalled again; success (0) and nothing found (1) are not failures.
   */
  private checkExceptionFailed(mask: number, status: number): void {
    if (!this.policy["reraise-after-failed-check-exception"]) return;
    if (status === RtasStatus.SUCCESS || status === RtasStatus.NO_ERRORS_FOUND) return;
    this.repulse((e) => (e.eventClass.mask & mask) !== 0);
  }

  /** args: (mask, critical, buffer, length); rets: (status). Events come only via check-exception. */
  private eventScan(call: RtasCall): void {
    if (call.nargs !== 4 || call.nret !== 1) return call.answer(RtasStatus.PARAM_ERROR);
    this.repulse();
    call.answer(RtasStatus.NO_ERRORS_FOUND);
  }

  /** Edge-triggered sources: re-edge every class that still has events queued. */
  private repulse(which: (e: PendingEvent) => boolean = () => true): void {
    const irqs = new Set(this.pending.filter(which).map((e) => this.irqOf(e.eventClass)));
    for (const irq of irqs) if (irq !== null) this.pulse(irq);
  }
}
