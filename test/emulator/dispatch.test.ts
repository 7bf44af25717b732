// H_RTAS dispatch (spec/spapr-platform.md §1.1-§1.5) and the token table (§1.3).
import { describe, expect, it } from "vitest";
import { decodeFdt } from "../../devicetree/index.js";
import { H_PARAMETER, H_SUCCESS, KVMPPC_H_RTAS } from "../../emulator/hcall-numbers.js";
import { RTAS_TOKEN_BASE, TokenTable } from "../../emulator/rtas/token-table.js";
import { ownTreeTokens } from "../../emulator/rtas/tokens.js";
import {
  ARGS, HMC1, RAM, RECV_BUF, SENTINEL, SENTINEL_WORD, SYSPARM_BUF, bytesAt, checkException, enableHvpipe, fill,
  machine, pattern, readRets, receive, rtas, rtasToken, setSysparm, tokenOf, writeBlock,
} from "./helpers.js";

describe("H_RTAS dispatch", () => {
  it("an unknown token answers rets[0] = -3 and r3 = H_PARAMETER", () => {
    const m = machine();
    const r = rtasToken(m, 0x2001, [1, 2], 1);
    // §1.5 step 3: no handler → rets[0] = RTAS_OUT_PARAM_ERROR and H_PARAMETER (-4).
    expect(r).toEqual({ r3: H_PARAMETER, rets: [-3] });
    expect(rtasToken(m, 0xdeadbeef, [], 1)).toEqual({ r3: -4, rets: [-3] });
  });

  it("a known token answers H_SUCCESS, with the function's status only in rets[0]", () => {
    const m = machine();
    // §1.5 step 1: any error is only in rets[0]; r3 is H_SUCCESS. Parameter 99 is unknown → -3.
    expect(rtas(m, "ibm,get-system-parameter", [99, SYSPARM_BUF, 64], 1)).toEqual({ r3: H_SUCCESS, rets: [-3] });
    expect(rtas(m, "ibm,get-system-parameter", [42, SYSPARM_BUF, 64], 1)).toEqual({ r3: 0, rets: [0] });
  });

  it("an argument block outside RAM answers H_PARAMETER and writes nothing", () => {
    const m = machine();
    const before = bytesAt(m, RAM - 64, 64);
    // The header itself outside RAM, or straddling its end: nothing can be read, nothing is written.
    for (const at of [RAM, RAM + 100, RAM - 8, 0xfffffff0, 2 ** 40, -4, 1.5]) {
      expect(m.hcall(0, KVMPPC_H_RTAS, [at]).ret).toBe(H_PARAMETER);
    }
    // Header inside, args and rets past the end (rets[0] would be at RAM + 4): nothing is written.
    const at = RAM - 16;
    writeBlock(m, at, tokenOf(m, "event-scan"), 0, 0, []);
    m.memory.setU32(at + 4, 1); // nargs 1: args[0] at RAM-4, rets[0] at RAM
    m.memory.setU32(at + 8, 1);
    m.memory.setU32(at + 12, 0x12345678);
    const block = bytesAt(m, RAM - 64, 64);
    expect(block.slice(0, 48)).toEqual(before.slice(0, 48));
    expect(m.hcall(0, KVMPPC_H_RTAS, [at]).ret).toBe(H_PARAMETER);
    expect(bytesAt(m, RAM - 64, 64)).toEqual(block);
    expect(m.rtas.callCounts.get("event-scan")).toBeUndefined();
  });

  it("a block whose later rets run past RAM gets -3 in rets[0] where that fits, and H_PARAMETER", () => {
    const m = machine();
    // Left as implemented: like QEMU's rtas_st, the status is stored where it lands inside RAM.
    const at = RAM - 16; // nargs 0, nret 3: rets[0] at RAM-4 is inside, rets[1..2] are not
    writeBlock(m, at, tokenOf(m, "event-scan"), 0, 1, []);
    m.memory.setU32(at + 8, 3);
    expect(m.hcall(0, KVMPPC_H_RTAS, [at]).ret).toBe(H_PARAMETER);
    expect(m.memory.u32(RAM - 4) | 0).toBe(-3);
  });

  it("nargs + nret > 16 answers H_PARAMETER without running the function", () => {
    const m = machine();
    // §5.1: Linux's rtas_args has 16 cells shared by args and rets.
    for (const [nargs, nret] of [[10, 7], [16, 1], [17, 0], [0, 17], [0xffffffff, 1], [1, 0xffffffff]] as const) {
      writeBlock(m, ARGS, tokenOf(m, "event-scan"), Math.min(nargs, 20), Math.min(nret, 20), []);
      m.memory.setU32(ARGS + 4, nargs);
      m.memory.setU32(ARGS + 8, nret);
      expect(m.hcall(0, KVMPPC_H_RTAS, [ARGS]).ret).toBe(H_PARAMETER);
    }
    expect(m.rtas.callCounts.get("event-scan")).toBeUndefined();
    // Exactly 16 cells is accepted (event-scan then answers -3 for its own shape check).
    expect(rtas(m, "event-scan", new Array(15).fill(0), 1)).toEqual({ r3: H_SUCCESS, rets: [-3] });
  });

  it("nret 0 on a known function writes no status word", () => {
    const m = machine();
    writeBlock(m, ARGS, tokenOf(m, "event-scan"), 4, 0, [0xffffffff, 0, SYSPARM_BUF, 16]);
    m.memory.setU32(ARGS + 12 + 16, SENTINEL_WORD);
    expect(m.hcall(0, KVMPPC_H_RTAS, [ARGS]).ret).toBe(H_SUCCESS);
    // rets start after the 4 args; with nret 0 that word belongs to the caller.
    expect(m.memory.u32(ARGS + 28) | 0).toBe(SENTINEL_WORD);
  });
});

describe("fault injection", () => {
  it("answers the injected status N times without touching the function's state, then runs it", () => {
    const m = machine();
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(100));
    expect(checkException(m)).toBe(0);
    m.outside.faults.inject("ibm,receive-hvpipe-msg", -2, 2);
    fill(m, RECV_BUF, 200);
    for (let i = 0; i < 2; i++) {
      const r = rtas(m, "ibm,receive-hvpipe-msg", [RECV_BUF, 4096], 3);
      // An injected status replaces the call: r3 is H_SUCCESS, only rets[0] is written.
      expect(r).toEqual({ r3: H_SUCCESS, rets: [-2, SENTINEL_WORD, SENTINEL_WORD] });
      expect(bytesAt(m, RECV_BUF, 200)).toEqual(new Array(200).fill(SENTINEL));
      expect(m.inspect().hvpipe.queued).toEqual([{ source: HMC1, length: 100, announced: true }]);
    }
    expect(m.inspect().faults).toEqual([]);
    expect(receive(m)).toEqual([0, HMC1, 100]);
    expect(m.inspect().hvpipe.queued).toEqual([]);
  });

  it("set-system-parameter under a fault does not enable the pipe", () => {
    const m = machine();
    m.outside.faults.inject("ibm,set-system-parameter", -9002, 1);
    expect(m.inspect().faults).toEqual([{ name: "ibm,set-system-parameter", status: -9002, remaining: 1 }]);
    expect(setSysparm(m, 64, [0, 1, 1])).toBe(-9002);
    expect(m.devices.hvpipe.model.isEnabled()).toBe(false);
    expect(setSysparm(m, 64, [0, 1, 1])).toBe(0);
    expect(m.devices.hvpipe.model.isEnabled()).toBe(true);
  });

  it("times <= 0 removes a fault; a fault writes nothing when nret is 0", () => {
    const m = machine();
    m.outside.faults.inject("event-scan", -1, 3);
    m.outside.faults.inject("event-scan", -1, 0);
    expect(m.inspect().faults).toEqual([]);
    m.outside.faults.inject("event-scan", -1, 1);
    writeBlock(m, ARGS, tokenOf(m, "event-scan"), 4, 0, [0, 0, 0, 0]);
    m.memory.setU32(ARGS + 28, SENTINEL_WORD);
    expect(m.hcall(0, KVMPPC_H_RTAS, [ARGS]).ret).toBe(H_SUCCESS);
    expect(readRets(m, ARGS, 4, 1)).toEqual([SENTINEL_WORD]);
  });

  it("injecting on a name that is not in the token table throws a clear error", () => {
    const m = machine({ omitRtas: ["event-scan"] });
    expect(() => m.outside.faults.inject("ibm,no-such-call", -1, 1)).toThrow('fault: no RTAS function "ibm,no-such-call" in the token table');
    expect(() => m.outside.faults.inject("event-scan", -1, 1)).toThrow(/no RTAS function "event-scan"/);
  });
});

describe("token table", () => {
  const handler = () => {};

  it("the machine's tokens are QEMU's fixed numbers from 0x2000", () => {
    const m = machine();
    // §1.3 token table; hvpipe takes the next slots after fadump (§6.2: 0x202E onwards).
    expect(Object.fromEntries(m.tokens.entries().map((e) => [e.name, e.token]))).toEqual({
      "ibm,get-system-parameter": 0x2008,
      "ibm,set-system-parameter": 0x2009,
      "ibm,set-xive": 0x200a,
      "ibm,get-xive": 0x200b,
      "ibm,int-off": 0x200c,
      "ibm,int-on": 0x200d,
      "check-exception": 0x200e,
      "event-scan": 0x200f,
      "ibm,receive-hvpipe-msg": 0x202e,
      "ibm,send-hvpipe-msg": 0x202f,
    });
    expect(m.tokens.entries().map((e) => e.token)).toEqual([...m.tokens.entries().map((e) => e.token)].sort((a, b) => a - b));
  });

  it("gives a function with no row a token after QEMU's and hvpipe's numbers, never one QEMU uses", () => {
    // QEMU's table ends at 0x202d and hvpipe has 0x202e/0x202f (§1.3, §6.2): new functions start at 0x2030.
    const tokens = ownTreeTokens(["ibm,get-vpd", "check-exception", "ibm,get-indices", "ibm,send-hvpipe-msg"]);
    expect([...tokens]).toEqual([
      ["ibm,get-vpd", 0x2030], ["check-exception", 0x200e], ["ibm,get-indices", 0x2031], ["ibm,send-hvpipe-msg", 0x202f],
    ]);
    // A name that only exists on Object.prototype is no row either.
    expect(ownTreeTokens(["constructor"]).get("constructor")).toBe(0x2030);
  });

  it("takes the next free token from 0x2000 when none is fixed", () => {
    const t = new TokenTable();
    // §1.3: tokens are dense from RTAS_TOKEN_BASE.
    expect(RTAS_TOKEN_BASE).toBe(0x2000);
    expect(t.register({ name: "b", token: 0x2001, handler }).token).toBe(0x2001);
    expect(t.register({ name: "a", handler }).token).toBe(0x2000);
    expect(t.register({ name: "c", handler }).token).toBe(0x2002);
    expect(t.lookup(0x2002)?.name).toBe("c");
    expect(t.tokenOf("a")).toBe(0x2000);
    expect(t.tokenOf("z")).toBeUndefined();
  });

  it("rejects a duplicate name, a duplicate token and a token outside 0x2000..0xffffffff", () => {
    const t = new TokenTable();
    t.register({ name: "check-exception", token: 0x200e, handler });
    // §1.3: spapr_rtas_register asserts the slot has no name yet.
    expect(() => t.register({ name: "check-exception", token: 0x2010, handler })).toThrow('RTAS function "check-exception" is already registered');
    expect(() => t.register({ name: "event-scan", token: 0x200e, handler })).toThrow('RTAS token 0x200e for "event-scan" is taken by "check-exception"');
    expect(() => t.register({ name: "low", token: 0x1fff, handler })).toThrow('RTAS token 0x1fff for "low" is outside 0x2000..0xffffffff');
    expect(() => t.register({ name: "high", token: 0x100000000, handler })).toThrow('RTAS token 0x100000000 for "high" is outside 0x2000..0xffffffff');
    expect(t.entries().map((e) => e.name)).toEqual(["check-exception"]);
  });

  it("omitRtas leaves a function out of the table and /rtas; the other tokens do not move", () => {
    const m = machine({ omitRtas: ["ibm,send-hvpipe-msg", "check-exception"] });
    expect(m.tokens.tokenOf("ibm,send-hvpipe-msg")).toBeUndefined();
    expect(m.tokens.tokenOf("check-exception")).toBeUndefined();
    expect(m.tokens.tokenOf("ibm,receive-hvpipe-msg")).toBe(0x202e);
    expect(m.tokens.tokenOf("event-scan")).toBe(0x200f);
    const rtasNode = decodeFdt(m.dtb).lookup("/rtas")!;
    expect(rtasNode.hasProperty("ibm,send-hvpipe-msg")).toBe(false);
    expect(rtasNode.hasProperty("check-exception")).toBe(false);
    expect(rtasNode.u32("ibm,receive-hvpipe-msg")).toBe(0x202e);
    // The omitted token is now unknown to H_RTAS.
    expect(rtasToken(m, 0x202f, [HMC1, 0], 1)).toEqual({ r3: H_PARAMETER, rets: [-3] });
  });

  it("omitRtas naming an unknown function throws", () => {
    expect(() => machine({ omitRtas: ["ibm,nope"] })).toThrow(/omit-rtas: no RTAS function "ibm,nope"/);
  });
});

describe("H_XIRR_X", () => {
  it("returns the 512 MHz timebase of the emulated clock in r5", async () => {
    const { Machine } = await import("../../emulator/machine.js");
    let now = 2_000_000; // 2 ms
    const m = new Machine({ now: () => now });
    // 2 ms × 512 ticks/µs = 1,024,000 ticks.
    expect(m.hcall(0, 0x2fc, []).outs[1]).toBe(1_024_000);
    now = 1e9;
    expect(m.hcall(0, 0x2fc, []).outs[1]).toBe(512_000_000);
  });
});
