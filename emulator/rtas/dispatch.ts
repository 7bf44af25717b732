// H_RTAS: decode the guest's argument block once, run the function for its token with the decoded
// call, and trace what it answered. A bad block never throws: it answers an RTAS status in rets[0]
// and/or an hcall error in r3.
import type { GuestMemory } from "../guest-memory.js";
import { H_PARAMETER, H_SUCCESS } from "../hcall-numbers.js";
import { OutsideWorldRefusal } from "../outside/refusal.js";
import type { TokenTable } from "./token-table.js";
import { RtasStatus, type RtasCall } from "./types.js";

/** Linux's rtas_args has 16 cells shared by args and rets. */
const RTAS_MAX_CELLS = 16;

export interface RtasFault {
  status: number;
  remaining: number;
}

/** One record of what a call did, for traces and the debugger. */
export interface RtasTrace {
  cpu: number;
  token: number;
  name: string | undefined;
  args: number[];
  rets: number[];
  injected: boolean;
}

/** The decoded call: the rets writer stores into the block's rets in guest memory at once. */
class DecodedCall implements RtasCall {
  constructor(
    private readonly memory: GuestMemory,
    readonly token: number,
    readonly nargs: number,
    readonly nret: number,
    readonly args: readonly number[],
    readonly retsAddr: number,
    readonly cpu: number,
  ) {}

  ret(i: number, value: number): void {
    if (i >= 0 && i < this.nret) this.memory.setU32(this.retsAddr + 4 * i, value);
  }

  status(status: number): void {
    this.ret(0, status);
  }

  answer(...values: number[]): void {
    for (let i = 0; i < this.nret; i++) this.memory.setU32(this.retsAddr + 4 * i, values[i] ?? 0);
  }
}

export class RtasDispatcher {
  private readonly faults = new Map<string, RtasFault>();
  /** Calls per function name, for inspection. */
  readonly callCounts = new Map<string, number>();
  onCall?: (trace: RtasTrace) => void;

  constructor(
    private readonly memory: GuestMemory,
    readonly tokens: TokenTable,
  ) {}

  /** The next `times` calls of `name` answer `status` without running the function (an outside-world action). */
  injectFault(name: string, status: number, times: number): void {
    if (this.tokens.tokenOf(name) === undefined) {
      throw new OutsideWorldRefusal("unknown-rtas-function", `fault: no RTAS function "${name}" in the token table`);
    }
    if (times <= 0) this.faults.delete(name);
    else this.faults.set(name, { status, remaining: times });
  }

  pendingFaults(): Map<string, RtasFault> {
    return new Map(this.faults);
  }

  /** The KVMPPC_H_RTAS hypercall: r4 = real address of the argument block. Returns r3. */
  call(cpu: number, argsAddr: number): number {
    const mem = this.memory;
    if (!mem.contains(argsAddr, 12)) return H_PARAMETER;
    const token = mem.u32(argsAddr);
    const nargs = mem.u32(argsAddr + 4);
    const nret = mem.u32(argsAddr + 8);
    // The block must hold its args and rets; firmware never reads past the 16 shared cells.
    if (nargs > RTAS_MAX_CELLS || nret > RTAS_MAX_CELLS || nargs + nret > RTAS_MAX_CELLS ||
        !mem.contains(argsAddr, 12 + 4 * (nargs + nret))) {
      if (nret >= 1 && mem.contains(argsAddr + 12 + 4 * nargs, 4)) mem.setU32(argsAddr + 12 + 4 * nargs, RtasStatus.PARAM_ERROR);
      return H_PARAMETER;
    }
    const entry = this.tokens.lookup(token);
    const args: number[] = [];
    for (let i = 0; i < nargs; i++) args.push(mem.u32(argsAddr + 12 + 4 * i));
    const retsAddr = argsAddr + 12 + 4 * nargs;
    if (!entry) {
      // Unknown token: rets[0] = -3 (written even when nret is 0, as QEMU does, if it fits) and H_PARAMETER.
      if (mem.contains(retsAddr, 4)) mem.setU32(retsAddr, RtasStatus.PARAM_ERROR);
      this.onCall?.({ cpu, token, name: undefined, args, rets: [RtasStatus.PARAM_ERROR], injected: false });
      return H_PARAMETER;
    }
    this.callCounts.set(entry.name, (this.callCounts.get(entry.name) ?? 0) + 1);
    const fault = this.faults.get(entry.name);
    if (fault) {
      if (--fault.remaining <= 0) this.faults.delete(entry.name);
      if (nret >= 1) mem.setU32(retsAddr, fault.status);
      entry.injected?.(args, fault.status);
      if (this.onCall) {
        const rets = new Array<number>(nret).fill(0);
        rets[0] = fault.status;
        this.onCall({ cpu, token, name: entry.name, args, rets, injected: true });
      }
      return H_SUCCESS;
    }
    entry.handler(new DecodedCall(mem, token, nargs, nret, args, retsAddr, cpu));
    if (this.onCall) {
      const rets: number[] = [];
      for (let i = 0; i < nret; i++) rets.push(mem.u32(retsAddr + 4 * i) | 0);
      this.onCall({ cpu, token, name: entry.name, args, rets, injected: false });
    }
    return H_SUCCESS;
  }
}
