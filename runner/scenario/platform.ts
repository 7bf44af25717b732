// The emulator's own tables as the parser checks a scenario against them: the policies (with
// their accepted values) and the RTAS functions the machine implements. Nothing is copied: the
// names are read from the emulator, so a new policy or RTAS function is known here at once.
import { Machine } from "../../emulator/machine.js";
import { PolicyError } from "../../emulator/policy-definition.js";
import { POLICIES, resolvePolicy, type PolicyDefinition } from "../../emulator/policy.js";

const policyTable: Readonly<Record<string, PolicyDefinition>> = POLICIES;

/** Every policy name, in the emulator's order. */
export const POLICY_NAMES: readonly string[] = Object.keys(policyTable);

/** A policy's definition; undefined for a name that is not a policy (own names only, so not "constructor"). */
export function policyDefinition(name: string): PolicyDefinition | undefined {
  return Object.hasOwn(policyTable, name) ? policyTable[name] : undefined;
}

/** The emulator's whole check of a policy map (values and combinations): the policy at fault and why, or undefined. */
export function policyProblem(given: Record<string, unknown>): { policy: string; message: string } | undefined {
  try {
    resolvePolicy(given);
    return undefined;
  } catch (e) {
    if (e instanceof PolicyError) return { policy: e.policy, message: e.message };
    throw e;
  }
}

let implemented: readonly string[] | null | undefined;

/**
 * The RTAS functions the emulator implements, read from the token table of a default machine
 * (built once). Undefined when no hot-path build exists to build one: the run checks them then.
 */
export function implementedRtasFunctions(): readonly string[] | undefined {
  if (implemented === undefined) {
    implemented = null;
    for (const hotPath of ["js", "wasm"] as const) {
      try {
        implemented = new Machine({ hotPath }).tokens.entries().map((e) => e.name);
        break;
      } catch {
        // that build is missing; try the other
      }
    }
  }
  return implemented ?? undefined;
}
