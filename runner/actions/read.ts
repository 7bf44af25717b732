// `read` — {fd, size}: the byte count, with the header's flags and the payload split out for `expect`.
import { describeBytes, errnoText, flagNames } from "../format.js";
import { USER_FAULTS, type FdRef, type StepBase, type UserFault } from "../scenario/model.js";
import { readSize } from "../scenario/payload.js";
import type { GuestAction, StepArgs } from "./action.js";
import { faultNote, placement, readUserFault } from "./guest-common.js";

export interface ReadStep extends StepBase {
  action: "read";
  fd: FdRef;
  size: number;
  userFault?: UserFault;
}

export const read: GuestAction<ReadStep> = {
  name: "read",
  kind: "guest",
  keys: ["fd", "size", "user-fault"],
  expects: ["ret", "errno", "flags", "payload", "header"],
  reference: {
    argument: "`{fd, size}`",
    does: "read(2) of `size` bytes (≥ 0); the result is the byte count, with the header's flags and the payload split out",
  },
  parse(arg, { r, fd }) {
    const fields = r.map(arg, read.keys, "read key", "{fd, size}");
    const ref = fd(r.required(arg, fields, "fd"));
    const step: StepArgs<ReadStep> = { fd: ref, size: readSize(r, r.required(arg, fields, "size")) };
    const fault = readUserFault(r, fields, USER_FAULTS);
    if (fault) step.userFault = fault;
    return step;
  },
  call: (session, s) => session.sys.readPlan(session.pid(s.proc), session.fd(s.proc, s.fd), s.size, placement(s.userFault)),
  summary(s, o) {
    const detail = o.flags === undefined ? "" : ` flags=[${flagNames(o.flags).join(", ")}] payload=${describeBytes(o.payload ?? new Uint8Array(0))}`;
    return `read(${s.fd}, ${s.size})${faultNote(s.userFault)} = ${errnoText(o.ret)}${detail}`;
  },
};
