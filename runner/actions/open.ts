// `open` — a path, or {path}. Returns an fd.
import { errnoText } from "../format.js";
import type { StepBase } from "../scenario/model.js";
import type { GuestAction } from "./action.js";
import { plain } from "./guest-common.js";

export interface OpenStep extends StepBase {
  action: "open";
  path: string;
}

export const open: GuestAction<OpenStep> = {
  name: "open",
  kind: "guest",
  keys: ["path"],
  expects: ["ret", "errno"],
  returnsFd: true,
  reference: { argument: "a path, or `{path}`", does: "open(2) with O_RDWR; returns an fd" },
  parse(arg, { r }) {
    if (r.isMap(arg)) {
      const fields = r.map(arg, open.keys, "open key");
      return { path: r.string(r.required(arg, fields, "path")) };
    }
    return { path: r.string(arg, "a path or {path}") };
  },
  call: (session, s) => plain(session.sys.openPlan(session.pid(s.proc), s.path)),
  summary: (s, o) => `open("${s.path}") = ${errnoText(o.ret)}`,
};
