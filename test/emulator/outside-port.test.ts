// The emulator's tables and doors (issue 7): machine.outside refuses with typed codes, the hypercall
// table answers H_FUNCTION for opcodes nobody declares, the own tree's tokens come from rtas/tokens.ts,
// and a hot-path build out of step with hotpath-exports.ts is refused when loaded.
import { describe, expect, it } from "vitest";
import { H_FUNCTION } from "../../emulator/hcall-numbers.js";
import { checkExportNames } from "../../emulator/hotpath-exports.js";
import { OutsideWorldRefusal } from "../../emulator/outside/refusal.js";
import { RTAS_TOKENS } from "../../emulator/rtas/tokens.js";
import { HMC1, machine, pattern } from "./helpers.js";

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof OutsideWorldRefusal) return e.code;
    throw e;
  }
  throw new Error("not refused");
}

describe("machine.outside", () => {
  it("refuses with a code for each reason", () => {
    const m = machine({ policy: { "fifo-depth": 1, "hmc-queue-depth": 1 } });
    expect(refusal(() => m.outside.hmc.send(0x02000077, pattern(4)))).toBe("unknown-source");
    expect(refusal(() => m.outside.hmc.close(0x02000077))).toBe("unknown-source");
    expect(refusal(() => m.outside.hmc.inbox(0x02000077))).toBe("unknown-source");
    expect(refusal(() => m.outside.hmc.reopen(0x02000077))).toBe("unknown-source");
    expect(refusal(() => m.outside.hmc.send(HMC1, new Uint8Array(0)))).toBe("payload-size");
    expect(refusal(() => m.outside.hmc.send(HMC1, pattern(4049)))).toBe("payload-size");
    m.outside.hmc.send(HMC1, pattern(4)); // into the pipe
    m.outside.hmc.send(HMC1, pattern(4)); // into the HMC's outbox
    expect(refusal(() => m.outside.hmc.send(HMC1, pattern(4)))).toBe("pipe-full");
    m.outside.hmc.close(HMC1);
    expect(refusal(() => m.outside.hmc.send(HMC1, pattern(4)))).toBe("not-connected");
    m.outside.hmc.reopen(HMC1);
    expect(m.inspect().hvpipe.sources[0]!.connected).toBe(true);
    expect(refusal(() => m.outside.faults.inject("ibm,no-such-call", -1, 1))).toBe("unknown-rtas-function");
  });

  it("connect attaches an HMC the partition did not have; its inbox starts empty", () => {
    const m = machine();
    m.outside.hmc.connect(0x02000005);
    expect(m.outside.hmc.inbox(0x02000005)).toEqual([]);
    expect(m.inspect().hvpipe.sources.map((s) => s.id)).toEqual([HMC1, 0x02000005]);
  });
});

describe("tables", () => {
  it("an opcode no device declares answers H_FUNCTION", () => {
    const m = machine();
    for (const opcode of [0, 0x4, 0x2f8, 0xf004, 0xffffffff]) expect(m.hcall(0, opcode, [])).toEqual({ ret: H_FUNCTION, outs: [] });
  });

  it("the machine's own tree advertises every function at its rtas/tokens.ts token", () => {
    const m = machine();
    expect(Object.fromEntries(m.tokens.entries().map((e) => [e.name, e.token]))).toEqual(RTAS_TOKENS);
  });

  it("a hot-path build whose exports differ from hotpath-exports.ts is refused", () => {
    expect(() => checkExportNames("wasm", ["init", "fifoCount", "sendSource"])).toThrow(/missing: fifoReserve.*not listed: sendSource/);
  });
});

describe("inspection", () => {
  it("each device with an inspection has its state under its name, the controller under its own", () => {
    const m = machine();
    expect(Object.keys(m.inspect()).sort()).toEqual(["events", "faults", "hvpipe", "sysparm", "xics"]);
    // System parameter 64 comes from the hvpipe device, the others from the platform's own table.
    expect(m.inspect().sysparm).toEqual([
      { parameter: 20, length: 48, writable: false },
      { parameter: 42, length: 1, writable: false },
      { parameter: 48, length: 0, writable: false },
      { parameter: 64, length: 1, writable: true },
    ]);
  });
});
