// An outside-world step: the action happens now; its judgement is read once the threads it started ran.
import type { OutsideStarted } from "../actions/action.js";
import { actionOf } from "../actions/index.js";
import type { AnyStep } from "../scenario/model.js";
import type { Session } from "./session.js";

export function outsideStart(session: Session, s: AnyStep): OutsideStarted {
  const action = actionOf(s);
  if (action.kind !== "outside") throw new Error(`"${s.action}" is not an outside-world action`);
  const done = action.act(session, s);
  return {
    threads: done.threads ?? [],
    finish: () => ({ summary: action.summary(s, done.detail), problems: done.problems ?? [] }),
  };
}
