// The hypercall table: one handler per opcode, filled from the devices and the interrupt controller
// (and H_RTAS from the RTAS dispatcher) when the Machine is assembled. Unknown opcodes answer H_FUNCTION.
import { H_FUNCTION, type HcallResult } from "./hcall-numbers.js";

/** One hypercall made by CPU `cpu`; args are r4, r5, … */
export type HcallHandler = (cpu: number, args: readonly number[]) => HcallResult;

/** What a device or controller declares: its hypercalls by opcode. */
export type HcallRows = ReadonlyMap<number, HcallHandler>;

export class HcallTable {
  private readonly byOpcode = new Map<number, { owner: string; handler: HcallHandler }>();

  /** Adds `owner`'s rows; an opcode two owners claim is a bug in the device table. */
  add(owner: string, rows: HcallRows): void {
    for (const [opcode, handler] of rows) {
      const taken = this.byOpcode.get(opcode);
      if (taken) throw new Error(`hypercall 0x${opcode.toString(16)} of ${owner} is already ${taken.owner}'s`);
      this.byOpcode.set(opcode, { owner, handler });
    }
  }

  call(cpu: number, opcode: number, args: readonly number[]): HcallResult {
    const row = this.byOpcode.get(opcode);
    return row ? row.handler(cpu, args) : { ret: H_FUNCTION, outs: [] };
  }
}
