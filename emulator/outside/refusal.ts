// What the outside world asked for and the partition's hypervisor refused: a typed answer, so a
// front end can tell a refusal (the scenario step fails, or an `expect` matches it) from a bug.

export type OutsideWorldRefusalCode =
  /** No HMC source with that id is attached. */
  | "unknown-source"
  /** The source's pipe is closed (hmc-open it first). */
  | "not-connected"
  /** The payload is empty or longer than policy payload-limit. */
  | "payload-size"
  /** The pipe and the HMC's outbox are both full (policies fifo-depth, hmc-queue-depth). */
  | "pipe-full"
  /** A fault was asked for on an RTAS function the token table lacks. */
  | "unknown-rtas-function";

export class OutsideWorldRefusal extends Error {
  override name = "OutsideWorldRefusal";
  constructor(
    readonly code: OutsideWorldRefusalCode,
    message: string,
  ) {
    super(message);
  }
}
