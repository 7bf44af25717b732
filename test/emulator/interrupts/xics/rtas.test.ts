// XICS RTAS calls: ibm,set-xive / get-xive / int-off / int-on (spec/spapr-platform.md §4.5).
import { describe, expect, it } from "vitest";
import { RTAS_TOKENS } from "../../../../emulator/rtas/tokens.js";
import { Xics } from "../../../../emulator/interrupts/xics/xics.js";
import { cppr, directCall, eoi, getXive, intOff, intOn, rtas, setXive, statusOf, xirr, type XicsRtasName } from "./helpers.js";

const A = 0x1000;

function xics(servers = 1, nrIrqs?: number): Xics {
  const x = new Xics({ servers, nrIrqs });
  x.claim(A);
  return x;
}

describe("tokens", () => {
  it("the four functions have QEMU's fixed tokens", () => {
    // §4.5 token column.
    expect(xics().rtasFunctions().map((f) => [f.name, RTAS_TOKENS[f.name as XicsRtasName]])).toEqual([
      ["ibm,set-xive", 0x200a],
      ["ibm,get-xive", 0x200b],
      ["ibm,int-off", 0x200c],
      ["ibm,int-on", 0x200d],
    ]);
  });
});

describe("ibm,set-xive / ibm,get-xive", () => {
  it("get-xive returns server and current priority in rets[1], rets[2]", () => {
    const x = xics(4);
    expect(getXive(x, A)).toEqual([0, 0, 0xff]); // reset: server 0, masked
    expect(setXive(x, A, 3, 7)).toEqual([0]);
    expect(getXive(x, A)).toEqual([0, 3, 7]);
    expect(x.inspect().sources[0]).toMatchObject({ server: 3, priority: 7, savedPriority: 7 }); // saved = prio
  });

  it("set-xive argument checks answer -3 and change nothing", () => {
    const x = xics(2);
    const before = x.inspect();
    expect(rtas(x, "ibm,set-xive", [A, 0, 5], 2, 1)).toEqual([-3]); // nargs 2 ≠ 3
    expect(rtas(x, "ibm,set-xive", [A, 0, 5, 0], 4, 1)).toEqual([-3]); // nargs 4 ≠ 3
    expect(rtas(x, "ibm,set-xive", [A, 0, 5], 3, 2)).toEqual([-3, 0]); // nret 2 ≠ 1
    expect(rtas(x, "ibm,set-xive", [A, 0, 5], 3, 0)).toEqual([]); // nret 0: no status word to write
    expect(setXive(x, 0xfff, 0, 5)).toEqual([-3]); // below 0x1000
    expect(setXive(x, 0x2000, 0, 5)).toEqual([-3]); // 0x1000 + nrIrqs is out
    expect(setXive(x, 0, 0, 5)).toEqual([-3]); // IPI/zero is not an ICS source
    expect(setXive(x, A, 2, 5)).toEqual([-3]); // server 2 does not exist (2 servers)
    expect(setXive(x, A, 0xffffffff, 5)).toEqual([-3]); // u32 -1 is no server
    expect(setXive(x, A, 0, 0x100)).toEqual([-3]); // priority > 0xff
    expect(setXive(x, A, 0, 0xffffffff)).toEqual([-3]); // priority u32 max
    expect(x.inspect()).toEqual(before);
  });

  it("set-xive accepts the edges of the ranges, claimed or not", () => {
    // The range check does not require the source to be claimed.
    const x = xics(2);
    expect(setXive(x, 0x1fff, 1, 0xff)).toEqual([0]);
    expect(getXive(x, 0x1fff)).toEqual([0, 1, 0xff]);
    expect(setXive(x, A, 1, 0)).toEqual([0]);
    expect(getXive(x, A)).toEqual([0, 1, 0]);
  });

  it("the range follows nrIrqs", () => {
    // [0x1000, 0x1000 + nrIrqs).
    const x = xics(1, 16);
    expect(setXive(x, 0x100f, 0, 5)).toEqual([0]);
    expect(setXive(x, 0x1010, 0, 5)).toEqual([-3]);
    expect(getXive(x, 0x1010)).toEqual([-3, 0, 0]);
  });

  it("get-xive argument checks answer -3", () => {
    const x = xics();
    expect(rtas(x, "ibm,get-xive", [A], 1, 1)).toEqual([-3]); // nret 1 ≠ 3
    expect(rtas(x, "ibm,get-xive", [A], 1, 2)).toEqual([-3, 0]); // nret 2 ≠ 3
    expect(rtas(x, "ibm,get-xive", [A, 0], 2, 3)).toEqual([-3, 0, 0]); // nargs 2 ≠ 1
    expect(getXive(x, 0xfff)).toEqual([-3, 0, 0]);
    expect(getXive(x, 0x2000)).toEqual([-3, 0, 0]);
  });
});

describe("ibm,int-off / ibm,int-on", () => {
  it("int-off saves the priority and masks; int-on restores it", () => {
    const x = xics(2);
    setXive(x, A, 1, 5);
    expect(intOff(x, A)).toEqual([0]);
    expect(getXive(x, A)).toEqual([0, 1, 0xff]); // server kept, masked
    expect(x.inspect().sources[0]).toMatchObject({ savedPriority: 5 });
    expect(intOn(x, A)).toEqual([0]);
    expect(getXive(x, A)).toEqual([0, 1, 5]);
    expect(x.inspect().sources[0]).toMatchObject({ savedPriority: 5 });
  });

  it("an MSI pulsed while off is delivered on int-on exactly once", () => {
    const x = xics();
    cppr(x, 0, 0xff);
    setXive(x, A, 0, 5);
    intOff(x, A);
    x.pulse(A);
    x.pulse(A); // one MASKED_PENDING bit: two pulses while masked coalesce
    expect(statusOf(x, A)).toEqual(["MASKED_PENDING"]);
    expect(x.outputRaised(0)).toBe(false);
    intOn(x, A);
    expect(x.outputRaised(0)).toBe(true);
    expect(xirr(x, 0)).toBe(0xff001000);
    eoi(x, 0, 0xff001000);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff000000, output: false });
    expect(statusOf(x, A)).toEqual([]);
    cppr(x, 0, 0xff); // another resend finds nothing
    expect(x.outputRaised(0)).toBe(false);
  });

  it("int-off twice saves 0xff, so int-on leaves the source masked", () => {
    // §4.5: int-off saves the *current* priority (QEMU behaviour).
    const x = xics();
    setXive(x, A, 0, 5);
    intOff(x, A);
    intOff(x, A);
    intOn(x, A);
    expect(getXive(x, A)).toEqual([0, 0, 0xff]);
  });

  it("a rejected MSI that is masked before the resend is dropped", () => {
    // [quirk] resend_msi clears REJECTED and presents only when priority != 0xff.
    const x = xics();
    setXive(x, A, 0, 5);
    x.pulse(A); // CPPR 0: rejected
    intOff(x, A);
    expect(statusOf(x, A)).toEqual(["REJECTED"]); // masking does not turn it into MASKED_PENDING
    cppr(x, 0, 0xff); // resend drops it
    expect(statusOf(x, A)).toEqual([]);
    intOn(x, A);
    expect(x.outputRaised(0)).toBe(false);
  });

  it("a rejected MSI survives int-off/int-on if no resend ran in between", () => {
    // int-on only looks at MASKED_PENDING; the REJECTED bit waits for the next resend.
    const x = xics();
    setXive(x, A, 0, 5);
    x.pulse(A);
    intOff(x, A);
    intOn(x, A);
    expect(statusOf(x, A)).toEqual(["REJECTED"]);
    cppr(x, 0, 0xff);
    expect(x.inspect().icps[0]).toMatchObject({ xirr: 0xff001000 });
  });

  it.each(["ibm,int-off", "ibm,int-on"] as const)("%s argument checks answer -3", (name) => {
    const x = xics();
    setXive(x, A, 0, 5);
    const before = x.inspect();
    expect(rtas(x, name, [A, 0], 2, 1)).toEqual([-3]); // nargs 2 ≠ 1
    expect(rtas(x, name, [], 0, 1)).toEqual([-3]); // nargs 0 ≠ 1
    expect(rtas(x, name, [A], 1, 2)).toEqual([-3, 0]); // nret 2 ≠ 1
    expect(rtas(x, name, [0xfff])).toEqual([-3]); // below the ICS
    expect(rtas(x, name, [0x2000])).toEqual([-3]); // past the ICS
    expect(x.inspect()).toEqual(before);
  });
});

describe("robustness", () => {
  it("garbage argument values never throw", () => {
    // Handlers read args as u32; anything else is a -3 or a defined result.
    const x = xics();
    for (const fn of x.rtasFunctions()) {
      for (const args of [[NaN, NaN, NaN], [-1, -1, -1], [1e300, 0.5, -0.5], [undefined as unknown as number]]) {
        for (const [nargs, nret] of [[3, 1], [1, 3], [1, 1], [0, 0], [16, 16]] as const) {
          const { call, rets } = directCall(fn.name as XicsRtasName, nargs, nret, args);
          expect(() => fn.handler(call)).not.toThrow();
          expect(rets.length).toBe(nret);
          if (nret > 0) expect([0, -3]).toContain(rets[0]);
        }
      }
    }
  });
});
