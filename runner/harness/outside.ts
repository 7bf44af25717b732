// An outside-world step: the action happens now; its judgement is read once the threads it started ran.
import type { OutsideStarted } from "../actions/action.js";
import { actionOf } from "../actions/index.js";
import type { AnyStep } from "../scenario/model.js";
import { RefusedStep } from "../actions/outside-common.js";
import { expectationOf } from "./guest.js";
import type { Session } from "./session.js";

export function outsideStart(session: Session, s: AnyStep): OutsideStarted {
  const action = actionOf(s);
  if (action.kind !== "outside") throw new Error(`"${s.action}" is not an outside-world action`);
  const refused = expectationOf(session, s)?.refused;
  let done;
  try {
    done = action.act(session, s);
  } catch (e) {
    if (!(e instanceof RefusedStep) || refused === undefined) throw e;
    const problems = e.code === refused ? [] : [`refused: got ${e.code} (${e.message}), expected ${refused}`];
    // Only actions without a detail can be refused (their `expects` lists "refused").
    return { threads: [], finish: () => ({ summary: `${action.summary(s, undefined)}: refused (${e.code})`, problems }) };
  }
  const accepted = refused === undefined ? [] : [`refused: the hypervisor accepted it, expected ${refused}`];
  return {
    threads: done.threads ?? [],
    finish: () => ({ summary: action.summary(s, done.detail), problems: [...accepted, ...(done.problems ?? [])] }),
  };
}
