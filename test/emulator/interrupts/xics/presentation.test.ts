// XICS delivery: ICS → ICP → hypercalls (spec/spapr-platform.md §4.2–§4.4, §4.9).
import { describe, expect, it } from "vitest";
import { H_CPPR, H_EOI, H_IPI, H_IPOLL, H_PARAMETER, H_SUCCESS, H_XIRR, H_XIRR_X, KVMPPC_H_RTAS } from "../../../../emulator/hcall-numbers.js";
import { XICS_DT, xicsInterruptServerRanges } from "../../../../emulator/interrupts/xics/constants.js";
import { Xics, formatXicsSnapshot } from "../../../../emulator/interrupts/xics/xics.js";
import { cppr, eoi, hc, ipi, ipoll, setXive, statusOf, xirr } from "./helpers.js";

const A = 0x1000;
const B = 0x1001;
const L = 0x1200;

function xics(servers = 1, onOutput?: (server: number, raised: boolean) => void): Xics {
  const x = new Xics({ servers, onOutput });
  x.claim(A);
  x.claim(B);
  x.claim(L, true);
  return x;
}

describe("reset state", () => {
  it("ICP starts with CPPR 0, nothing pending, no IPI, output low", () => {
    // §4.2 reset values: xirr 0, pending 0xff, mfrr 0xff.
    const x = xics();
    expect(x.inspect().icps).toEqual([
      { server: 0, xirr: 0, cppr: 0, xisr: 0, pendingPriority: 0xff, mfrr: 0xff, owner: "none", output: false },
    ]);
  });

  it("sources start masked at 0xff with saved 0xff and no status", () => {
    // §4.2: priority = saved_priority = 0xff, status 0, flags kept.
    const x = xics();
    expect(x.inspect().sources).toEqual([
      { irq: A, type: "MSI", server: 0, priority: 0xff, savedPriority: 0xff, status: [] },
      { irq: B, type: "MSI", server: 0, priority: 0xff, savedPriority: 0xff, status: [] },
      { irq: L, type: "LSI", server: 0, priority: 0xff, savedPriority: 0xff, status: [] },
    ]);
  });

  it("CPPR 0 masks even priority 0: the pulse is rejected, not presented", () => {
    // present() rejects when prio >= CPPR, and 0 >= 0.
    const x = xics();
    setXive(x, A, 0, 0);
    x.pulse(A);
    expect(x.outputRaised(0)).toBe(false);
    expect(statusOf(x, A)).toEqual(["REJECTED"]);
  });

  it("a priority-0xff MSI is held MASKED_PENDING even with CPPR 0xff", () => {
    // set_irq MSI: MASKED_PENDING when priority == 0xff.
    const x = xics();
    cppr(x, 0, 0xff);
    x.pulse(A);
    expect(statusOf(x, A)).toEqual(["MASKED_PENDING"]);
    expect(x.outputRaised(0)).toBe(false);
  });
});

describe("MSI delivery", () => {
  it("masked-pending MSI is delivered by ibm,set-xive; accept and EOI move CPPR exactly", () => {
    const x = xics();
    x.pulse(A);
    cppr(x, 0, 0xff);
    expect(x.outputRaised(0)).toBe(false); // MASKED_PENDING is not resent by H_CPPR
    expect(setXive(x, A, 0, 5)).toEqual([0]);
    // write_xive clears MASKED_PENDING and presents at prio 5 < CPPR 0xff.
    expect(x.outputRaised(0)).toBe(true);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff001000, pendingPriority: 5, owner: "ics" });
    // accept returns (old CPPR 0xff << 24) | 0x1000 and sets CPPR = 5.
    expect(hc(x, 0, H_XIRR)).toEqual({ ret: H_SUCCESS, outs: [0xff001000] });
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0x05000000, cppr: 5, pendingPriority: 0xff, output: false });
    // EOI restores CPPR from the XIRR it is given.
    expect(hc(x, 0, H_EOI, 0xff001000)).toEqual({ ret: H_SUCCESS, outs: [] });
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff000000, cppr: 0xff, xisr: 0, output: false });
    expect(statusOf(x, A)).toEqual([]);
  });

  it("an MSI rejected at CPPR 0 is resent when H_CPPR opens the CPU", () => {
    // set_cppr with c >= old and XISR empty resends; resend_msi clears REJECTED and presents.
    const x = xics();
    setXive(x, A, 0, 5);
    x.pulse(A);
    expect(statusOf(x, A)).toEqual(["REJECTED"]);
    cppr(x, 0, 0xff);
    expect(x.inspect().icps[0]!.xirr).toBe(0xff001000);
    expect(statusOf(x, A)).toEqual([]);
  });

  it("H_XIRR_X returns the accepted XIRR in r4 and the timebase in r5", () => {
    // §4.4: r4 = XIRR, r5 = host timebase (from the timebase option).
    const x = new Xics({ servers: 1, timebase: () => 123456789 });
    x.claim(A);
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 3);
    x.pulse(A);
    expect(hc(x, 0, H_XIRR_X)).toEqual({ ret: H_SUCCESS, outs: [0xff001000, 123456789] });
    // Default timebase is 0; a fresh ICP (CPPR 0, nothing pending) accepts XIRR 0.
    expect(new Xics({ servers: 1 }).hcall(0, H_XIRR_X, [])).toEqual({ ret: H_SUCCESS, outs: [0, 0] });
  });

  it("H_XIRR with nothing pending returns XISR 0 and leaves CPPR at 0xff", () => {
    // accept sets CPPR = pending priority, which is 0xff when nothing is pending.
    const x = xics();
    cppr(x, 0, 5);
    expect(xirr(x, 0)).toBe(0x05000000);
    expect(x.inspect().icps[0]!.cppr).toBe(0xff);
  });
});

describe("priority ordering", () => {
  it("a more favoured source preempts a pending one, which is re-presented once after EOI", () => {
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 6);
    setXive(x, B, 0, 3);
    x.pulse(A);
    expect(x.inspect().icps[0]!.xisr).toBe(A);
    x.pulse(B);
    // present(B, 3): 3 < pending 6, so A is rejected back to the ICS and B takes XISR.
    expect(x.inspect().icps[0]).toMatchObject({ xisr: B, pendingPriority: 3 });
    expect(statusOf(x, A)).toEqual(["REJECTED"]);
    expect(xirr(x, 0)).toBe(0xff001001);
    // accept does not resend: A waits while B is in service at CPPR 3.
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0x03000000, output: false });
    eoi(x, 0, 0xff001001);
    // EOI with XISR empty resends: A comes back exactly once.
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff001000, pendingPriority: 6, output: true });
    expect(xirr(x, 0)).toBe(0xff001000);
    eoi(x, 0, 0xff001000);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff000000, output: false });
    expect(statusOf(x, A)).toEqual([]);
  });

  it("a less favoured source arriving while a more favoured one is pending is rejected", () => {
    // present rejects when pending_priority <= prio.
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 6);
    setXive(x, B, 0, 3);
    x.pulse(B);
    x.pulse(A);
    expect(x.inspect().icps[0]).toMatchObject({ xisr: B, pendingPriority: 3 });
    expect(statusOf(x, A)).toEqual(["REJECTED"]);
  });

  it("a source at prio >= CPPR waits until H_CPPR raises CPPR above it", () => {
    const x = xics();
    cppr(x, 0, 5);
    setXive(x, A, 0, 5);
    x.pulse(A);
    expect(x.outputRaised(0)).toBe(false); // 5 >= CPPR 5
    cppr(x, 0, 5);
    expect(x.outputRaised(0)).toBe(false); // resend at the same CPPR rejects again
    cppr(x, 0, 6);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0x06001000, output: true });
  });

  it("lowering CPPR to the pending priority withdraws it; raising again re-presents", () => {
    // set_cppr: c < old and c <= pending → clear XISR, lower output, reject to the ICS.
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 5);
    x.pulse(A);
    cppr(x, 0, 5);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0x05000000, pendingPriority: 0xff, output: false });
    expect(statusOf(x, A)).toEqual(["REJECTED"]);
    cppr(x, 0, 0xff);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff001000, output: true });
  });

  it("lowering CPPR but staying above the pending priority keeps it", () => {
    // set_cppr withdraws only when c <= pending.
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 5);
    x.pulse(A);
    cppr(x, 0, 6);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0x06001000, output: true });
  });

  it("H_EOI restoring a CPPR below the pending priority does not withdraw it", () => {
    // eoi only sets CPPR; it never withdraws (as in QEMU).
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 5);
    x.pulse(A);
    eoi(x, 0, 0x02000000);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0x02001000, output: true });
  });
});

describe("LSI", () => {
  it("an asserted level is re-presented after EOI; a cleared one is not", () => {
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, L, 0, 5);
    x.setIrq(L, 1);
    expect(statusOf(x, L)).toEqual(["ASSERTED", "SENT"]);
    expect(xirr(x, 0)).toBe(0xff001200);
    eoi(x, 0, 0xff001200);
    // ICS eoi clears SENT; the ICP resend sees ASSERTED and presents again.
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff001200, output: true });
    expect(xirr(x, 0)).toBe(0xff001200);
    x.setIrq(L, 0);
    eoi(x, 0, 0xff001200);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff000000, output: false });
    expect(statusOf(x, L)).toEqual([]);
  });

  it("an LSI pulse is presented once and not again after EOI", () => {
    // pulse = set 1 then 0: SENT stays until EOI, ASSERTED is gone.
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, L, 0, 5);
    x.pulse(L);
    expect(statusOf(x, L)).toEqual(["SENT"]);
    expect(xirr(x, 0)).toBe(0xff001200);
    eoi(x, 0, 0xff001200);
    expect(x.outputRaised(0)).toBe(false);
  });

  it("a masked asserted LSI is presented when set-xive unmasks it", () => {
    // write_xive on an LSI runs resend_lsi.
    const x = xics();
    cppr(x, 0, 0xff);
    x.setIrq(L, 1);
    expect(statusOf(x, L)).toEqual(["ASSERTED"]);
    setXive(x, L, 0, 4);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff001200, pendingPriority: 4 });
  });
});

describe("IPIs", () => {
  it("H_IPI(server, 4) with CPPR 5 presents XISR 2 at priority 4", () => {
    // set_mfrr: 4 < CPPR 5 → check_ipi.
    const x = xics();
    cppr(x, 0, 5);
    expect(ipi(x, 0, 0, 4)).toEqual({ ret: H_SUCCESS, outs: [] });
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0x05000002, pendingPriority: 4, mfrr: 4, owner: "ipi", output: true });
  });

  it("H_IPI with MFRR equal to CPPR is not presented", () => {
    // check_ipi only when mfrr < CPPR.
    const x = xics();
    cppr(x, 0, 5);
    ipi(x, 0, 0, 5);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0x05000000, mfrr: 5, output: false });
  });

  it("H_IPI and H_IPOLL to a server that does not exist answer H_PARAMETER", () => {
    // §4.4: H_PARAMETER if there is no such server.
    const x = xics(2);
    for (const bad of [2, -1, 0.5, 0x100000000, NaN]) {
      expect(x.hcall(0, H_IPI, [bad, 4])).toEqual({ ret: H_PARAMETER, outs: [] });
      expect(x.hcall(0, H_IPOLL, [bad])).toEqual({ ret: H_PARAMETER, outs: [] });
    }
    expect(x.inspect().icps.map((c) => c.mfrr)).toEqual([0xff, 0xff]);
  });

  it("the kvm-unit-tests sequence of §4.9 runs end to end between two CPUs", () => {
    const events: [number, boolean][] = [];
    const x = xics(2, (s, r) => events.push([s, r]));
    expect(cppr(x, 1, 5).ret).toBe(H_SUCCESS); // 1. enable
    expect(ipi(x, 0, 1, 4).ret).toBe(H_SUCCESS); // 2. IPI to CPU 1
    expect(events).toEqual([[1, true]]);
    const v = xirr(x, 1); // 3. 0x500 handler
    expect(v).toBe(0x05000002);
    expect(v & 0xffffff).toBe(2);
    expect(x.inspect().icps[1]).toMatchObject({ cppr: 4, output: false });
    ipi(x, 1, 1, 0xff); // clear the IPI
    expect(eoi(x, 1, (v | (5 << 24)) >>> 0).ret).toBe(H_SUCCESS); // 4.
    expect(x.inspect().icps[1]).toMatchObject({ xirr: 0x05000000, mfrr: 0xff, output: false });
    expect(cppr(x, 1, 0).ret).toBe(H_SUCCESS); // 5. disable
    expect(x.inspect().icps[1]).toMatchObject({ xirr: 0, pendingPriority: 0xff, mfrr: 0xff, output: false });
    expect(events).toEqual([[1, true], [1, false]]);
  });

  it("H_IPOLL returns XIRR and MFRR with no side effects", () => {
    const x = xics(2);
    cppr(x, 1, 5);
    ipi(x, 0, 1, 4);
    const before = x.inspect();
    expect(ipoll(x, 0, 1)).toEqual({ ret: H_SUCCESS, outs: [0x05000002, 4] });
    expect(ipoll(x, 1, 1)).toEqual({ ret: H_SUCCESS, outs: [0x05000002, 4] });
    expect(ipoll(x, 1, 0)).toEqual({ ret: H_SUCCESS, outs: [0, 0xff] });
    expect(x.inspect()).toEqual(before);
  });

  it("setting MFRR back to 0xff does not withdraw a pending IPI", () => {
    // [quirk] §4.3 set_mfrr.
    const x = xics();
    cppr(x, 0, 5);
    ipi(x, 0, 0, 4);
    ipi(x, 0, 0, 0xff);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0x05000002, pendingPriority: 4, mfrr: 0xff, output: true });
  });

  it("an IPI displaced by a more favoured source is re-presented after that source's EOI", () => {
    // §4.3: MFRR stays below CPPR, so the resend in EOI re-presents it.
    const x = xics();
    cppr(x, 0, 0xff);
    ipi(x, 0, 0, 6);
    setXive(x, A, 0, 3);
    x.pulse(A);
    expect(x.inspect().icps[0]).toMatchObject({ xisr: A, pendingPriority: 3 });
    expect(statusOf(x, A)).toEqual([]);
    expect(xirr(x, 0)).toBe(0xff001000);
    eoi(x, 0, 0xff001000);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff000002, pendingPriority: 6, owner: "ipi" });
  });

  it("a more favoured IPI displaces a pending source, which is rejected to the ICS", () => {
    // check_ipi rejects the pending ICS source.
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 6);
    x.pulse(A);
    ipi(x, 0, 0, 2);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff000002, pendingPriority: 2 });
    expect(statusOf(x, A)).toEqual(["REJECTED"]);
  });
});

describe("two servers and the output line", () => {
  it("a source routed to server 1 raises only server 1's output", () => {
    const events: [number, boolean][] = [];
    const x = xics(2, (s, r) => events.push([s, r]));
    cppr(x, 0, 0xff);
    cppr(x, 1, 0xff);
    setXive(x, A, 1, 5);
    x.pulse(A);
    expect([x.outputRaised(0), x.outputRaised(1)]).toEqual([false, true]);
    expect(events).toEqual([[1, true]]);
    expect(xirr(x, 0)).toBe(0xff000000); // nothing for CPU 0
    expect(xirr(x, 1)).toBe(0xff001000);
    expect(events).toEqual([[1, true], [1, false]]);
  });

  it("a resend on one CPU retries sources routed to the other (no per-server filter)", () => {
    // [quirk] §4.3 resend; a spurious H_XIRR opens CPU 1 to CPPR 0xff without a resend.
    const x = xics(2);
    setXive(x, A, 1, 5);
    x.pulse(A); // CPU 1 is at CPPR 0: rejected
    expect(xirr(x, 1)).toBe(0); // nothing pending; CPPR becomes 0xff, no resend
    expect(x.inspect().icps[1]).toMatchObject({ xirr: 0xff000000, output: false });
    expect(statusOf(x, A)).toEqual(["REJECTED"]);
    cppr(x, 0, 0xff); // CPU 0's resend delivers A to CPU 1
    expect(x.inspect().icps[1]).toMatchObject({ xirr: 0xff001000, output: true });
    expect(x.outputRaised(0)).toBe(false);
  });

  it("onOutput reports only changes, once per operation", () => {
    const events: [number, boolean][] = [];
    const x = xics(1, (s, r) => events.push([s, r]));
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 6);
    setXive(x, B, 0, 3);
    x.pulse(A);
    x.pulse(B); // still raised: no event
    expect(events).toEqual([[0, true]]);
  });

  it("a calling CPU that does not exist gets H_HARDWARE; unknown opcodes are not handled", () => {
    // Policy: hcall() never throws; opcodes XICS does not own return undefined.
    const x = xics();
    expect(x.hcall(3, H_CPPR, [0xff])).toEqual({ ret: -1, outs: [] });
    expect(x.hcall(0, KVMPPC_H_RTAS, [0])).toBeUndefined();
    expect(x.hcall(0, 0x4, [])).toBeUndefined();
  });

  it("hypercall registers use their low bits like QEMU's uint8/uint32 parameters", () => {
    // CPPR and MFRR are uint8_t, the EOI XIRR is uint32_t.
    const x = xics();
    cppr(x, 0, 0x1ff);
    expect(x.inspect().icps[0]!.cppr).toBe(0xff);
    ipi(x, 0, 0, 0x304);
    expect(x.inspect().icps[0]).toMatchObject({ mfrr: 4, xisr: 2 });
    eoi(x, 0, 0x1_0500_0000);
    expect(x.inspect().icps[0]!.cppr).toBe(5);
  });
});

describe("inspect and DT constants", () => {
  it("formats a readable snapshot", () => {
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 5);
    x.pulse(A);
    expect(formatXicsSnapshot(x.inspect())).toBe(
      [
        "CPU 0 XIRR=ff001000 (ics) CPPR=ff XISR=001000 PP=05 MFRR=ff output=raised",
        "ICS 1000..1fff",
        "  1000 MSI       server=0 prio=05 saved=05 status=-",
        "  1001 MSI       server=0 prio=ff saved=ff status=-",
        "  1200 LSI       server=0 prio=ff saved=ff status=-",
      ].join("\n"),
    );
  });

  it("XICS_DT carries the §4.6 property values", () => {
    expect(XICS_DT).toMatchObject({
      device_type: "PowerPC-External-Interrupt-Presentation",
      compatible: "IBM,ppc-xicp",
      "#interrupt-cells": 2,
      phandle: 0x1111,
      "linux,phandle": 0x1111,
    });
    expect(xicsInterruptServerRanges(4)).toEqual([0, 4]);
  });

  it("reset returns every ICP and source to the reset state, keeping claims", () => {
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 5);
    x.pulse(A);
    x.reset();
    expect(x.inspect()).toEqual(xics().inspect());
  });

  it("claim rejects numbers outside the ICS and double claims", () => {
    // Machine-assembly errors, not guest input: they throw RangeError.
    const x = xics();
    expect(() => x.claim(0xfff)).toThrow(RangeError);
    expect(() => x.claim(0x2000)).toThrow(RangeError);
    expect(() => x.claim(A)).toThrow(/not free/);
    expect(() => x.pulse(0x2000)).toThrow(RangeError);
  });
});
