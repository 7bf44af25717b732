// Policy reraise-after-failed-check-exception (docs/policies.md): after a check-exception that answers
// an error — its own -3 or a status injected by the dispatcher's fault injection — the classes it asked
// for that still have events queued are pulsed again (true), or nothing re-signals them (false, QEMU's
// behaviour: spec/spapr-platform.md §3.3 re-edges only after a successful call, §3.4 at event-scan).
import { describe, expect, it } from "vitest";
import { H_EOI, H_XIRR } from "../../../../emulator/hcall-numbers.js";
import type { Machine } from "../../../../emulator/machine.js";
import { HMC1, RAM, checkException, enableEventIrq, enableHvpipe, machine, pattern } from "../../helpers.js";

/** The pipe enabled, its IRQ set up, one payload announced and its interrupt accepted and EOId unhandled. */
function announcedAndAccepted(reraise: boolean): Machine {
  const m = machine({ policy: { "reraise-after-failed-check-exception": reraise } });
  enableHvpipe(m);
  enableEventIrq(m);
  m.outside.hmc.send(HMC1, pattern(8));
  expect(m.externalInterruptPending(0)).toBe(true);
  return m;
}

/** The kernel's 0x500 entry around one check-exception: H_XIRR, the call, H_EOI; returns its status. */
function handle(m: Machine, call: () => number): number {
  const xirr = m.hcall(0, H_XIRR, []).outs[0]!;
  const status = call();
  m.hcall(0, H_EOI, [xirr]);
  return status;
}

describe("reraise-after-failed-check-exception", () => {
  for (const reraise of [false, true]) {
    it(`${reraise}: an injected busy (-2) leaves the event queued and ${reraise ? "re-signals it" : "nothing re-signals it"}`, () => {
      const m = announcedAndAccepted(reraise);
      m.outside.faults.inject("check-exception", -2, 1);
      expect(handle(m, () => checkException(m))).toBe(-2);
      expect(m.inspect().events).toEqual(["hvpipe message available from 0x02000001"]);
      expect(m.externalInterruptPending(0)).toBe(reraise);
      if (reraise) {
        // The re-signalled interrupt's check-exception (the fault is used up) takes the event.
        expect(handle(m, () => checkException(m))).toBe(0);
        expect(m.inspect().events).toEqual([]);
        expect(m.externalInterruptPending(0)).toBe(false);
      }
    });

    it(`${reraise}: the handler's own -3 (buffer outside RAM) ${reraise ? "re-signals" : "does not re-signal"} the queued class`, () => {
      const m = announcedAndAccepted(reraise);
      expect(handle(m, () => checkException(m, { buf: RAM }))).toBe(-3);
      expect(m.inspect().events).toHaveLength(1);
      expect(m.externalInterruptPending(0)).toBe(reraise);
    });
  }

  it("true: only the classes the failed call asked for are re-signalled", () => {
    const m = announcedAndAccepted(true);
    m.outside.faults.inject("check-exception", -1, 1);
    // EPOW's mask (0x40000000) does not select the hvpipe class (0x04000000).
    expect(handle(m, () => checkException(m, { mask: 0x40000000 }))).toBe(-1);
    expect(m.externalInterruptPending(0)).toBe(false);
  });

  it("true: an injected 1 (no errors found) is no failure and re-signals nothing", () => {
    const m = announcedAndAccepted(true);
    m.outside.faults.inject("check-exception", 1, 1);
    expect(handle(m, () => checkException(m))).toBe(1);
    expect(m.externalInterruptPending(0)).toBe(false);
  });

  it("true: a failed call with nothing queued re-signals nothing", () => {
    const m = machine({ policy: { "reraise-after-failed-check-exception": true } });
    enableHvpipe(m);
    enableEventIrq(m);
    m.outside.faults.inject("check-exception", -2, 1);
    expect(checkException(m)).toBe(-2);
    expect(m.externalInterruptPending(0)).toBe(false);
  });
});
