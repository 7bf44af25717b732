// How a run's ending is judged against the scenario's `expect-fault` for the profile it ran on.
import type { ExpectedFault } from "../scenario/expect-fault.js";
import type { StepResult } from "./results.js";

interface Ending {
  /** What stopped the run, as the result reports it. */
  fault?: string;
  /** The fault's kind (a KernelFault kind, or lost-message); absent for other faults. */
  faultKind?: string;
}

function describe(f: ExpectedFault): string {
  return `${f.kind}${f.contains === undefined ? "" : ` containing ${JSON.stringify(f.contains)}`}`;
}

/**
 * Without an expected fault, a run passes when no fault stopped it and every step passed. With
 * one, it passes when exactly that fault (kind, and text if given) ended it and every step
 * before the one it ended at passed; `fault` then says what was expected and what happened.
 */
export function judgeEnding(expected: ExpectedFault | null, end: Ending, steps: readonly StepResult[], beforeFault: number): { passed: boolean; fault?: string } {
  if (expected === null) return { passed: end.fault === undefined && steps.every((s) => s.status === "pass"), fault: end.fault };
  if (end.fault === undefined) return { passed: false, fault: `expected fault ${describe(expected)}, but the run ended without a fault` };
  const matches = end.faultKind === expected.kind && (expected.contains === undefined || end.fault.includes(expected.contains));
  if (!matches) {
    return { passed: false, fault: `expected fault ${describe(expected)}, but the run ended in ${end.faultKind ?? "a fault"}: ${end.fault}` };
  }
  return { passed: steps.slice(0, beforeFault).every((s) => s.status === "pass"), fault: end.fault };
}
