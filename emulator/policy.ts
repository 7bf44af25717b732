// The machine's hypervisor policies: every device's table (devices/*/device.ts) gathered into one.
// A scenario sets them under machine.policy; docs/policies.md is the table of all of them
// (test/emulator-policy-docs.test.ts keeps it in step with the devices).
import { DEVICES, type MachineDevice } from "./devices/table.js";
import { PolicyError, resolvePolicies, type PolicyDefinition, type PolicyValues } from "./policy-definition.js";

export type { PolicyDefinition } from "./policy-definition.js";

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AllPolicies = UnionToIntersection<MachineDevice["policies"]>;

function gather(): AllPolicies {
  const all: Record<string, PolicyDefinition> = {};
  for (const device of DEVICES) {
    for (const [name, def] of Object.entries(device.policies as Record<string, PolicyDefinition>)) {
      if (Object.hasOwn(all, name)) throw new PolicyError(name, `policy "${name}" of ${device.name} is declared twice`);
      all[name] = def;
    }
  }
  return all as AllPolicies;
}

export const POLICIES: AllPolicies = gather();

export type PolicyName = keyof AllPolicies & string;
/** Every policy of the machine, resolved. */
export type HypervisorPolicy = PolicyValues<AllPolicies>;

/** Fills in defaults and rejects unknown names, values and combinations, naming the policy and what it accepts. */
export function resolvePolicy(given: Record<string, unknown> = {}): HypervisorPolicy {
  const policy = resolvePolicies(POLICIES, given);
  for (const device of DEVICES) device.checkPolicy?.(policy as never);
  return policy;
}
