// A guest process's step: the system call its action makes, and the judgement of what it observed.
import type { GuestCall } from "../actions/action.js";
import { actionOf } from "../actions/index.js";
import type { AnyStep, Expect } from "../scenario/model.js";
import { compare } from "./expectations.js";
import type { Session } from "./session.js";

export function guestCall(session: Session, s: AnyStep): GuestCall {
  const action = actionOf(s);
  if (action.kind !== "guest") throw new Error(`"${s.action}" is not a guest action`);
  // The process exists from its first step on, even when the step then cannot run (unbound fd).
  session.pid(s.proc);
  const plan = action.call(session, s);
  return {
    plan,
    finish: (o) => {
      if (action.returnsFd && s.as && o.ret >= 0) session.bind(s.proc, s.as, o.ret);
      const expect = expectationOf(session, s);
      return { summary: action.summary(s, o), problems: expect ? compare(expect, o) : [] };
    },
  };
}

/** The step's expectation on the profile the kernel runs: the plain one, or its profile's. */
export function expectationOf(session: Session, s: AnyStep): Expect | undefined {
  return s.expectFor ? s.expectFor[session.part.kernel.profile] : s.expect;
}
