// The one RTAS handler convention: the dispatcher (rtas/dispatch.ts) decodes the big-endian argument
// block once and hands every function the same RtasCall — nargs, the args, nret, the address of its
// rets and a rets writer that stores straight into guest memory.

/** One decoded RTAS call. args are u32 values. */
export interface RtasCall {
  readonly token: number;
  readonly nargs: number;
  readonly nret: number;
  readonly args: readonly number[];
  /** Guest real address of rets[0] (the hot path writes its rets there itself). */
  readonly retsAddr: number;
  /** The CPU (server number) that made the call. */
  readonly cpu: number;
  /** rets[i] = value (as a 32-bit big-endian word); ignored for i >= nret. */
  ret(i: number, value: number): void;
  /** rets[0] = status (when nret >= 1); the other rets are left as the caller's block has them. */
  status(status: number): void;
  /** The whole reply: rets[i] = values[i], and 0 for every further ret up to nret. */
  answer(...values: number[]): void;
}

export type RtasHandler = (call: RtasCall) => void;

/** What a device declares: the function's /rtas name (its token comes from rtas/tokens.ts) and handler. */
export interface RtasFunction {
  /** The /rtas property name, e.g. "ibm,set-xive". */
  readonly name: string;
  readonly handler: RtasHandler;
  /**
   * Told when the dispatcher's fault injection answered a call with `status` instead of running the
   * handler, for a function whose model must know that a call failed (check-exception's re-raise policy).
   */
  readonly injected?: (args: readonly number[], status: number) => void;
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
