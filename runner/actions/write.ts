// `write` — {fd, payload} (the runner prepends the 48-byte header) or {fd, raw} (written as given).
import { withHeader } from "../harness/guest-syscalls.js";
import { describeBytes, errnoText } from "../format.js";
import { USER_FAULTS, type FdRef, type StepBase, type UserFault } from "../scenario/model.js";
import { readPayload, readSize } from "../scenario/payload.js";
import type { GuestAction, StepArgs } from "./action.js";
import { faultNote, placement, plain, readUserFault } from "./guest-common.js";

/** Exactly one of `payload` (the runner prepends the 48-byte header) and `raw` (written as given). */
export interface WriteStep extends StepBase {
  action: "write";
  fd: FdRef;
  payload?: Uint8Array;
  raw?: Uint8Array;
  /** The count passed to write(2), when it differs from the bytes' length. */
  size?: number;
  userFault?: UserFault;
}

const bytesOf = (s: WriteStep): Uint8Array => s.raw ?? withHeader(s.payload ?? new Uint8Array(0));

export const write: GuestAction<WriteStep> = {
  name: "write",
  kind: "guest",
  keys: ["fd", "payload", "raw", "size", "user-fault"],
  expects: ["ret", "errno"],
  reference: {
    argument: "`{fd, payload}` or `{fd, raw}`, optional `size`",
    does: "write(2): `payload` gets the 48-byte header prepended, `raw` is written as given; `size` is a count other than the bytes' length",
  },
  parse(arg, { r, fd }) {
    const fields = r.map(arg, write.keys, "write key", "{fd, payload} or {fd, raw}");
    const ref = fd(r.required(arg, fields, "fd"));
    const payload = fields.get("payload");
    const raw = fields.get("raw");
    if (payload !== undefined && raw !== undefined) {
      const second = payload.keyOffset > raw.keyOffset ? payload : raw;
      r.source.fail(second.keyOffset, second.path, `"write" takes "payload" or "raw", not both`);
    }
    if (payload === undefined && raw === undefined) {
      r.fail(arg, `"write" needs "payload" (the runner prepends the header) or "raw" (bytes written as given)`);
    }
    const step: StepArgs<WriteStep> = { fd: ref };
    if (payload !== undefined) step.payload = readPayload(r, payload);
    if (raw !== undefined) step.raw = readPayload(r, raw);
    const size = fields.get("size");
    if (size !== undefined) step.size = readSize(r, size);
    const fault = readUserFault(r, fields, USER_FAULTS);
    if (fault) step.userFault = fault;
    return step;
  },
  call(session, s) {
    const bytes = bytesOf(s);
    const plan = session.sys.writePlan(session.pid(s.proc), session.fd(s.proc, s.fd), bytes, s.size ?? bytes.length, placement(s.userFault));
    return plain(plan);
  },
  summary(s, o) {
    const what = s.raw ? describeBytes(s.raw) : `header + ${describeBytes(s.payload!)}`;
    return `write(${s.fd}, ${what}, ${s.size ?? bytesOf(s).length})${faultNote(s.userFault)} = ${errnoText(o.ret)}`;
  },
};
