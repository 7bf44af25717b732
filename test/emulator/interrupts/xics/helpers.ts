// Shared helpers for the XICS tests: hypercalls by name and RTAS calls built directly.
import { H_CPPR, H_EOI, H_IPI, H_IPOLL, H_XIRR, type HcallResult } from "../../../../emulator/hcall-numbers.js";
import { RTAS_TOKENS } from "../../../../emulator/rtas/tokens.js";
import type { RtasCall } from "../../../../emulator/rtas/types.js";
import { Xics } from "../../../../emulator/interrupts/xics/xics.js";

export type XicsRtasName = "ibm,set-xive" | "ibm,get-xive" | "ibm,int-off" | "ibm,int-on";

/** An RtasCall built directly (no guest memory): its rets writer fills `rets`, which starts as nret zeros. */
export function directCall(name: keyof typeof RTAS_TOKENS, nargs: number, nret: number, args: readonly number[]): { call: RtasCall; rets: number[] } {
  const rets = new Array<number>(nret).fill(0);
  const ret = (i: number, value: number): void => {
    if (i >= 0 && i < nret) rets[i] = value;
  };
  const call: RtasCall = {
    token: RTAS_TOKENS[name], nargs, nret, args, retsAddr: 0, cpu: 0, ret,
    status: (s) => ret(0, s),
    answer: (...values) => {
      for (let i = 0; i < nret; i++) rets[i] = values[i] ?? 0;
    },
  };
  return { call, rets };
}

/** Calls an XICS hypercall the Xics must own. */
export function hc(x: Xics, server: number, opcode: number, ...args: number[]): HcallResult {
  const r = x.hcall(server, opcode, args);
  if (!r) throw new Error(`opcode 0x${opcode.toString(16)} not handled by Xics`);
  return r;
}

export const cppr = (x: Xics, server: number, c: number) => hc(x, server, H_CPPR, c);
export const ipi = (x: Xics, from: number, to: number, mfrr: number) => hc(x, from, H_IPI, to, mfrr);
/** H_XIRR: returns r4 (the accepted XIRR). */
export const xirr = (x: Xics, server: number): number => hc(x, server, H_XIRR).outs[0]!;
export const eoi = (x: Xics, server: number, value: number) => hc(x, server, H_EOI, value);
export const ipoll = (x: Xics, caller: number, server: number) => hc(x, caller, H_IPOLL, server);

/** Runs one XICS RTAS function with an RtasCall built directly; returns the rets. */
export function rtas(x: Xics, name: XicsRtasName, args: number[], nargs = args.length, nret?: number): number[] {
  const fn = x.rtasFunctions().find((f) => f.name === name);
  if (!fn) throw new Error(`no RTAS function ${name}`);
  const n = nret ?? (name === "ibm,get-xive" ? 3 : 1);
  const { call, rets } = directCall(name, nargs, n, args);
  fn.handler(call);
  return rets;
}

export const setXive = (x: Xics, irq: number, server: number, prio: number) => rtas(x, "ibm,set-xive", [irq, server, prio]);
export const getXive = (x: Xics, irq: number) => rtas(x, "ibm,get-xive", [irq]);
export const intOff = (x: Xics, irq: number) => rtas(x, "ibm,int-off", [irq]);
export const intOn = (x: Xics, irq: number) => rtas(x, "ibm,int-on", [irq]);

export const statusOf = (x: Xics, irq: number): string[] =>
  x.inspect().sources.find((s) => s.irq === irq)?.status ?? [];
