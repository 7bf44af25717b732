// Hypervisor choices the public spec leaves open (spec/hvpipe-driver.md §16), each a named policy
// with a documented default. A scenario sets them under machine.policy.

export interface PolicyDefinition {
  readonly values: readonly (string | number | boolean)[] | "positive-integer";
  readonly default: string | number | boolean;
  readonly reason: string;
}

export const POLICIES = {
  "receive-when-empty": {
    values: ["hardware-error", "empty-success"],
    default: "hardware-error",
    reason: "ibm,receive-hvpipe-msg with no announced payload: -1, or status 0 with 0 bytes",
  },
  "send-to-unknown-source": {
    values: ["closed", "param-error"],
    default: "closed",
    reason: "a send to a source id that no HMC has: -4 (no pipe to it), or -3",
  },
  "event-log": {
    values: ["minimal", "with-main-sections"],
    default: "minimal",
    reason: "the 0xE6 log holds only the 'PE' section (spec §6.4), or Main-A/Main-B before it",
  },
  "migration-pending": {
    values: ["discard", "keep"],
    default: "discard",
    reason: "after migration the partition has a new pipe: undelivered payloads are dropped, or kept and re-announced",
  },
  "payload-limit": {
    values: "positive-integer",
    default: 4048,
    reason: "largest payload the hypervisor accepts in one send or delivers in one receive",
  },
  "buffer-list-entries": {
    values: "positive-integer",
    default: 1,
    reason: "(address, length) pairs a send's buffer list may hold; each entry at most 4096 bytes",
  },
  "fifo-depth": {
    values: "positive-integer",
    default: 64,
    reason: "inbound payloads the pipe holds before an HMC's send is refused",
  },
} as const satisfies Record<string, PolicyDefinition>;

export type PolicyName = keyof typeof POLICIES;
export type Policy = { -readonly [K in PolicyName]: (typeof POLICIES)[K]["default"] extends number ? number : string };

export class PolicyError extends Error {
  constructor(readonly policy: string, message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

/** Fills in defaults and rejects unknown names and values, naming the policy and what it accepts. */
export function resolvePolicy(given: Record<string, unknown> = {}): Policy {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(POLICIES) as [PolicyName, PolicyDefinition][]) out[name] = def.default;
  for (const [name, value] of Object.entries(given)) {
    const def = (POLICIES as Record<string, PolicyDefinition>)[name];
    if (!def) {
      throw new PolicyError(name, `unknown policy "${name}" (known: ${Object.keys(POLICIES).join(", ")})`);
    }
    if (def.values === "positive-integer") {
      if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
        throw new PolicyError(name, `policy "${name}" takes a positive integer, not ${JSON.stringify(value)}`);
      }
    } else if (!def.values.includes(value as string)) {
      throw new PolicyError(name, `policy "${name}" takes one of ${def.values.join(", ")}, not ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out as Policy;
}
