// `poll` — {fd, timeout}: milliseconds of emulated time; 0 does not wait, -1 waits without a limit.
import { pollNames } from "../../kernel-shim/uapi.js";
import type { FdRef, StepBase } from "../scenario/model.js";
import type { GuestAction } from "./action.js";

export interface PollStep extends StepBase {
  action: "poll";
  fd: FdRef;
  /** Milliseconds of emulated time; 0 = do not wait; -1 = wait without a time limit. */
  timeout: number;
}

export const poll: GuestAction<PollStep> = {
  name: "poll",
  kind: "guest",
  keys: ["fd", "timeout"],
  expects: ["ret", "errno", "revents"],
  reference: {
    argument: "`{fd, timeout}`",
    does: "poll(2) on one fd for `timeout` ms of emulated time (0: do not wait, -1: no time limit); the result is revents",
  },
  parse(arg, { r, fd }) {
    const fields = r.map(arg, poll.keys, "poll key", "{fd, timeout}");
    const ref = fd(r.required(arg, fields, "fd"));
    const timeout = r.integer(
      r.required(arg, fields, "timeout"),
      "milliseconds: 0 (do not wait), a positive integer, or -1 (no time limit)",
      -1,
      0x7fffffff,
    );
    return { fd: ref, timeout };
  },
  call(session, s) {
    const inner = session.sys.pollPlan(session.pid(s.proc), session.fd(s.proc, s.fd), s.timeout);
    return { ...inner, result: (ret) => ({ ret, revents: ret < 0 ? 0 : inner.result(ret) }) };
  },
  summary: (s, o) => `poll(${s.fd}, ${s.timeout}) = ${o.ret} revents=[${pollNames(o.revents ?? 0).join(", ")}]`,
};
