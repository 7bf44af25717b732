// Names in steps: process names and the fd names that `as` binds, which belong to a process.
import type { Located, NodeReader } from "./nodes.js";

/** Process names and fd names: a letter or _, then letters, digits, _ . - */
export const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
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

/** Whether a text is a process or fd name. */
export function isName(text: string): boolean {
  return NAME.test(text);
}
