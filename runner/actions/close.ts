// `close` — an fd name or number, or {fd}.
import { errnoText } from "../format.js";
import type { FdRef, StepBase } from "../scenario/model.js";
import type { GuestAction } from "./action.js";
import { plain } from "./guest-common.js";

export interface CloseStep extends StepBase {
  action: "close";
  fd: FdRef;
}

export const close: GuestAction<CloseStep> = {
  name: "close",
  kind: "guest",
  keys: ["fd"],
  expects: ["ret", "errno"],
  reference: { argument: "an fd name or number, or `{fd}`", does: "close(2); the name stays bound, so a later use gets EBADF" },
  parse(arg, { r, fd }) {
    if (r.isMap(arg)) {
      const fields = r.map(arg, close.keys, "close key");
      return { fd: fd(r.required(arg, fields, "fd")) };
    }
    return { fd: fd(arg) };
  },
  // The name stays bound to the number, so a later use gets EBADF as a program would.
  call: (session, s) => plain(session.sys.closePlan(session.fd(s.proc, s.fd))),
  summary: (s, o) => `close(${s.fd}) = ${errnoText(o.ret)}`,
};
