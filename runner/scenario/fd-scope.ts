// Names in steps: process names and the fd names that `as` binds, which belong to a process.
import type { Located, NodeReader } from "./nodes.js";
import type { FdRef } from "./model.js";

/** Process names and fd names: a letter or _, then letters, digits, _ . - */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const NAME_RULE = "a name (a letter or _, then letters, digits, _, . or -)";

/** Which fd names are bound, in which processes (fds belong to a process). */
export class FdScope {
  private readonly bound = new Map<string, Set<string>>();
  /** Bindings made through this scope, in order (a parallel branch's are merged after it). */
  readonly log: { name: string; proc: string; at: Located }[] = [];

  constructor(from?: FdScope) {
    if (from) for (const [name, procs] of from.bound) this.bound.set(name, new Set(procs));
  }

  bind(name: string, proc: string, at: Located): void {
    let procs = this.bound.get(name);
    if (procs === undefined) this.bound.set(name, (procs = new Set()));
    procs.add(proc);
    this.log.push({ name, proc, at });
  }

  procsOf(name: string): Set<string> | undefined {
    return this.bound.get(name);
  }
}

export function readName(r: NodeReader, v: Located): string {
  const name = r.string(v, NAME_RULE);
  if (!NAME.test(name)) r.expected(v, NAME_RULE);
  return name;
}

/** An fd argument of a step of `proc`: a name bound earlier in that process, or a number. */
export function readFdRef(r: NodeReader, v: Located, proc: string, scope: FdScope): FdRef {
  const value = r.scalar(v);
  if (typeof value === "string" && NAME.test(value)) {
    const procs = scope.procsOf(value);
    if (procs === undefined) {
      r.fail(v, `fd name "${value}" is not bound by an earlier step (bind it with "as" on open or ioctl)`);
    }
    if (!procs.has(proc)) {
      r.fail(v, `fd name "${value}" is bound in process ${[...procs].join(", ")}, not in ${proc} (fds belong to a process)`);
    }
    return value;
  }
  return r.integer(v, "an fd name bound by \"as\" or an fd number", -0x80000000, 0x7fffffff);
}
