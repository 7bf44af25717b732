// A problem the kernel model detected (BUG, oops, deadlock…): the run stops and the scenario fails with it.
export type KernelFaultKind = "deadlock" | "oops" | "bug" | "livelock" | "stuck" | "soft-lockup" | "use-after-free";

export class KernelFault extends Error {
  constructor(
    readonly fault: KernelFaultKind,
    message: string,
  ) {
    super(message);
    this.name = "KernelFault";
  }
}
