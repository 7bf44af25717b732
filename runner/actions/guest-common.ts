// What the guest actions share: results as Observed, and the `user-fault` extension of ioctl,
// write and read (which part of the user buffer is unmapped).
import type { BufferPlacement, SyscallPlan } from "../harness/guest-syscalls.js";
import type { Observed } from "../harness/expectations.js";
import type { UserFault } from "../scenario/model.js";
import type { Field, NodeReader } from "../scenario/nodes.js";

export function readUserFault(r: NodeReader, fields: Map<string, Field>, allowed: readonly UserFault[]): UserFault | undefined {
  const f = fields.get("user-fault");
  if (f === undefined) return undefined;
  const value = r.scalar(f);
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    r.expected(f, `one of ${allowed.join(", ")}`);
  }
  return value as UserFault;
}

export function placement(fault: UserFault | undefined): BufferPlacement {
  return fault ?? "mapped";
}

/** How a summary marks a faulting pointer. */
export function faultNote(fault: UserFault | undefined): string {
  return fault ? ` [user-fault: ${fault}]` : "";
}

/** A call whose whole result is its return value. */
export function plain(plan: SyscallPlan<number>): SyscallPlan<Observed> {
  return { ...plan, result: (ret) => ({ ret: plan.result(ret) }) };
}
