// What a hypervisor policy is: a named choice the public spec leaves open (spec/hvpipe-driver.md §16),
// with its accepted values, default and documentation. Each device declares its own table of them;
// ./policy.ts gathers every device's into the machine's.

export interface PolicyDefinition {
  /** The accepted values, or any integer from 1 to `max`. */
  readonly values: readonly (string | number | boolean)[] | "positive-integer";
  /** Largest accepted value of a positive-integer policy. */
  readonly max?: number;
  readonly default: string | number | boolean;
  /** What the policy decides. */
  readonly meaning: string;
  /** Why the default is what it is (the spec section it rests on). */
  readonly reason: string;
}

export type PolicyTable = Readonly<Record<string, PolicyDefinition>>;

type PolicyValue<D> = D extends { values: "positive-integer" } ? number : D extends { values: readonly (infer V)[] } ? V : never;
/** The resolved values of a policy table. */
export type PolicyValues<T extends PolicyTable> = { -readonly [K in keyof T]: PolicyValue<T[K]> };

export class PolicyError extends Error {
  constructor(readonly policy: string, message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

/** Fills in defaults and rejects unknown names and values, naming the policy and what it accepts. */
export function resolvePolicies<T extends PolicyTable>(table: T, given: Record<string, unknown>): PolicyValues<T> {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(table)) out[name] = def.default;
  for (const [name, value] of Object.entries(given)) {
    const def = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!def) {
      throw new PolicyError(name, `unknown policy "${name}" (known: ${Object.keys(table).join(", ")})`);
    }
    if (def.values === "positive-integer") {
      const max = def.max ?? Number.MAX_SAFE_INTEGER;
      if (typeof value !== "number" || !Number.isInteger(value) || value <= 0 || value > max) {
        const range = def.max === undefined ? "a positive integer" : `an integer from 1 to ${def.max}`;
        throw new PolicyError(name, `policy "${name}" takes ${range}, not ${JSON.stringify(value)}`);
      }
    } else if (!def.values.includes(value as string | number | boolean)) {
      throw new PolicyError(name, `policy "${name}" takes one of ${def.values.join(", ")}, not ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out as PolicyValues<T>;
}
