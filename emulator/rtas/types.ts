// The shape every RTAS function has: it sees its decoded inputs and fills its outputs.
// The dispatcher (rtas/dispatch.ts) reads the big-endian argument block and writes rets back.

/** One decoded RTAS call. args are u32 values; rets[0] is the status (signed), rets.length === nret. */
export interface RtasCall {
  /** Guest real address of the argument block (token, nargs, nret, args…, rets…). */
  readonly argsAddr: number;
  readonly token: number;
  readonly nargs: number;
  readonly nret: number;
  readonly args: readonly number[];
  /** Filled by the handler; values are written back as 32-bit big-endian words. */
  readonly rets: number[];
  /** The CPU (server number) that made the call. */
  readonly cpu: number;
}

export type RtasHandler = (call: RtasCall) => void;

export interface RtasFunction {
  /** The /rtas property name, e.g. "ibm,set-xive". */
  readonly name: string;
  /** Fixed token (QEMU numbering), or undefined to take the next free one. */
  readonly token?: number;
  readonly handler: RtasHandler;
  /** True for hot-path functions that write their rets straight into guest memory themselves. */
  readonly writesRets?: boolean;
}

// RTAS status values (spec/spapr-platform.md §1.4, spec/hvpipe-driver.md §5.2).
export const RtasStatus = {
  SUCCESS: 0,
  NO_ERRORS_FOUND: 1,
  HARDWARE_ERROR: -1,
  BUSY: -2,
  PARAM_ERROR: -3,
  HVPIPE_CLOSED: -4,
  FUNC_NOT_SUPPORTED: -5,
  NOT_AUTHORIZED: -9002,
  SYSPARM_PARAM_ERROR: -9999,
  EXTENDED_DELAY_MIN: 9900,
  EXTENDED_DELAY_MAX: 9905,
} as const;
