// `expect-fault`: the fault a run must end in — for every driver profile, or per profile:
//   expect-fault: {kind: deadlock, contains: "papr_hvpipe"}
//   expect-fault: {v6.18: {kind: lost-message, contains: "0x02000001"}, mainline: none}
// A profile not named (or `none`) must end without a fault.
import type { KernelFaultKind } from "../../kernel-shim/sched/fault.js";
import { DRIVER_PROFILES, type DriverProfile } from "../../kernel-shim/profile.js";
import { hint } from "./near-miss.js";
import type { Located, NodeReader } from "./nodes.js";

/** A fault that ends the run: its kind, and text its message must contain. */
export interface ExpectedFault {
  kind: string;
  contains?: string;
}

/** Per profile: the fault its run must end in, or null for none. */
export type FaultExpectation = { readonly [P in DriverProfile]: ExpectedFault | null };

/** The kinds the kernel model raises today, and the runner's own `lost-message` (for near-miss hints). */
const KNOWN_FAULT_KINDS = [
  "deadlock", "oops", "bug", "livelock", "stuck", "soft-lockup", "use-after-free", "lost-message",
] as const satisfies readonly (KernelFaultKind | "lost-message")[];
/** A fault kind: lower-case words joined by "-" (the kernel model may add kinds). */
export const FAULT_KIND = /^[a-z]+(?:-[a-z]+)*$/;
const FAULT_KEYS = ["kind", "contains"] as const;

export function readFaultExpectation(r: NodeReader, v: Located): FaultExpectation {
  if (r.isMap(v) && !r.map(v, null, "key").has("kind")) {
    const fields = r.map(v, DRIVER_PROFILES, "driver profile", "{kind, contains} or a map of driver profiles to {kind, contains} or none");
    const out = Object.fromEntries(DRIVER_PROFILES.map((p) => [p, null])) as Record<DriverProfile, ExpectedFault | null>;
    for (const f of fields.values()) out[f.name as DriverProfile] = readOne(r, f);
    return out;
  }
  const one = readOne(r, v);
  return Object.fromEntries(DRIVER_PROFILES.map((p) => [p, one])) as FaultExpectation;
}

function readOne(r: NodeReader, v: Located): ExpectedFault | null {
  if (r.scalar(v) === "none") return null;
  const fields = r.map(v, FAULT_KEYS, "expect-fault key", "{kind: K, contains: TEXT} or none");
  const kindField = r.required(v, fields, "kind");
  const kind = r.string(kindField, "a fault kind (like deadlock or lost-message)");
  if (!FAULT_KIND.test(kind)) r.expected(kindField, "a fault kind (lower-case words joined by -, like lost-message)");
  if (!(KNOWN_FAULT_KINDS as readonly string[]).includes(kind)) {
    const near = hint(kind, KNOWN_FAULT_KINDS);
    if (near !== "") r.fail(kindField, `unknown fault kind "${kind}"${near} (known: ${KNOWN_FAULT_KINDS.join(", ")})`);
  }
  const out: ExpectedFault = { kind };
  const contains = fields.get("contains");
  if (contains !== undefined) out.contains = r.string(contains, "text the fault's message contains");
  return out;
}
