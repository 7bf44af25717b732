// ibm,get-system-parameter and ibm,set-system-parameter (spec/spapr-platform.md §1.7,
// spec/hvpipe-driver.md §8): a table of parameters other devices add to (hvpipe defines 64).
// Values travel as a BE16 length followed by the value bytes.
import type { GuestMemory } from "../../guest-memory.js";
import { RtasStatus, type RtasCall, type RtasFunction } from "../../rtas/types.js";

export interface SystemParameter {
  /** The current value. */
  read(): Uint8Array;
  /** Sets it from the guest's buffer at `buf` (BE16 length, value); returns the RTAS status. Absent: read-only. */
  write?(buf: number): number;
}

export class SystemParameters {
  private readonly table = new Map<number, SystemParameter>();

  constructor(private readonly memory: GuestMemory) {}

  define(parameter: number, p: SystemParameter): void {
    if (this.table.has(parameter)) throw new Error(`system parameter ${parameter} is defined twice`);
    this.table.set(parameter, p);
  }

  /** Every defined parameter with its current value's length and whether the OS may set it, by number. */
  inspect(): { parameter: number; length: number; writable: boolean }[] {
    return [...this.table].sort(([a], [b]) => a - b)
      .map(([parameter, p]) => ({ parameter, length: p.read().length, writable: p.write !== undefined }));
  }

  rtasFunctions(): RtasFunction[] {
    return [
      { name: "ibm,get-system-parameter", handler: (c) => this.get(c) },
      { name: "ibm,set-system-parameter", handler: (c) => this.set(c) },
    ];
  }

  /** args: (parameter, buffer, length); rets: (status). */
  private get(call: RtasCall): void {
    if (call.nargs !== 3 || call.nret !== 1) return call.answer(RtasStatus.PARAM_ERROR);
    const [parameter, buf, len] = call.args as [number, number, number];
    if (len < 2) return call.answer(RtasStatus.SYSPARM_PARAM_ERROR);
    const value = this.table.get(parameter)?.read();
    if (!value) return call.answer(RtasStatus.PARAM_ERROR);
    const copied = Math.min(len - 2, value.length);
    if (!this.memory.contains(buf, 2 + copied)) return call.answer(RtasStatus.PARAM_ERROR);
    // The length prefix is the full value length even when the copy is truncated.
    this.memory.bytes[buf] = value.length >> 8;
    this.memory.bytes[buf + 1] = value.length & 0xff;
    this.memory.bytes.set(value.subarray(0, copied), buf + 2);
    call.answer(RtasStatus.SUCCESS);
  }

  /** args: (parameter, buffer); rets: (status). */
  private set(call: RtasCall): void {
    if (call.nargs !== 2 || call.nret !== 1) return call.answer(RtasStatus.PARAM_ERROR);
    const [parameter, buf] = call.args as [number, number];
    const p = this.table.get(parameter);
    if (!p) return call.answer(RtasStatus.PARAM_ERROR);
    call.answer(p.write ? p.write(buf) : RtasStatus.NOT_AUTHORIZED);
  }
}
