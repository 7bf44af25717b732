// Which errors are papr-emu's own defects rather than something the input did. Input problems
// have their own typed errors (ScenarioError, FdtFormatError, MachineTreeError, StepError,
// KernelFault, RTAS statuses); these built-in kinds only come from a broken invariant in our
// code — a wasm trap included — and must reach the user as an internal error, never as a
// scenario that failed.

export function isInternalError(e: unknown): e is Error {
  return (
    e instanceof TypeError ||
    e instanceof RangeError ||
    e instanceof ReferenceError ||
    e instanceof SyntaxError ||
    e instanceof WebAssembly.RuntimeError
  );
}
