// One top-level step, executed as its action's kind says: a guest system call run to completion,
// an outside-world action followed by the kernel settling, or a compound step's sub-steps.
import type { StepOutcome } from "../actions/action.js";
import { actionOf } from "../actions/index.js";
import type { AnyStep } from "../scenario/model.js";
import { guestCall } from "./guest.js";
import { outsideStart } from "./outside.js";
import type { StepResult, StepStatus } from "./results.js";
import { StepError, type Session } from "./session.js";

export function result(s: AnyStep, status: StepStatus, summary: string, problems: string[]): StepResult {
  return { line: s.line, column: s.column, action: s.action, proc: s.proc, summary, status, problems };
}

/** The steps a step's results are about: itself, or a compound step's sub-steps. */
export function subSteps(s: AnyStep): AnyStep[] {
  const action = actionOf(s);
  return action.kind === "compound" ? action.steps(s) : [s];
}

const judged = (s: AnyStep, o: StepOutcome): StepResult => result(s, o.problems.length ? "fail" : "pass", o.summary, o.problems);

/** Messages the kernel's accounting lost during a step: the run ends with a lost-message fault. */
export class LostMessage extends Error {
  constructor(readonly lost: string[], readonly line: number) {
    super(`lost message: ${lost.join("; ")} (at line ${line})`);
  }
}

/** Throws LostMessage when the step at `line` lost a message. */
export function checkLost(session: Session, line: number): void {
  const lost = session.part.kernel.lostMessages();
  if (lost.length) throw new LostMessage(lost, line);
}

/** A step run inside a compound step as a top-level one runs: a step it cannot carry out is an error result. */
function nestedStep(session: Session, x: AnyStep): StepResult[] {
  let results: StepResult[];
  try {
    results = runStep(session, x);
  } catch (e) {
    if (!(e instanceof StepError)) throw e;
    return subSteps(x).map((leaf) => result(leaf, "error", "", [e.message]));
  }
  checkLost(session, x.line);
  return results;
}

export function runStep(session: Session, s: AnyStep): StepResult[] {
  const { kernel } = session.part;
  const action = actionOf(s);
  if (action.kind === "compound") {
    const sub = {
      guest: (x: AnyStep) => guestCall(session, x),
      outside: (x: AnyStep) => outsideStart(session, x),
      step: (x: AnyStep) => nestedStep(session, x),
    };
    return action
      .run(session, s, sub)
      .map((r) => (r.outcome ? judged(r.step, r.outcome) : result(r.step, "error", "", [r.error ?? "did not run"])))
      .sort((a, b) => a.line - b.line);
  }
  if (action.kind === "guest") {
    const call = guestCall(session, s);
    const pid = session.pid(s.proc);
    const t = kernel.syscalls.enter(pid, call.plan.name, call.plan.args);
    if (t.state !== "done") throw new StepError(`${call.plan.name} did not return: ${t.label} is ${t.state} (${t.blockReason})`);
    return [judged(s, call.finish(call.plan.result(t.result as number)))];
  }
  const o = outsideStart(session, s);
  kernel.settle();
  const stuck = o.threads.filter((t) => t.state !== "done");
  if (stuck.length) throw new StepError(`${stuck.map((t) => t.label).join(", ")} did not finish (${stuck.map((t) => t.blockReason).join(", ")})`);
  return [judged(s, o.finish())];
}
