// `repeat` (extension) — {times: N, steps: [...]}: the steps, N times in a row, for stress runs.
// Results are aggregated per repeated step (how many iterations passed, the first that did not),
// never kept per iteration, so a million round trips take the memory of one. The run stops
// repeating at the first iteration in which a step fails.
import type { AnyStep, StepBase } from "../scenario/model.js";
import type { CompoundAction, SubResult } from "./action.js";

/** Most iterations of one repeat (a million round trips is the stress case; see docs/scenario-format.md). */
export const MAX_REPEAT_TIMES = 100_000_000;

export interface RepeatStep extends StepBase {
  action: "repeat";
  times: number;
  steps: AnyStep[];
  /** The steps results are reported for (a nested compound step's sub-steps), in file order. */
  leaves: AnyStep[];
}

/** One repeated step's tally. */
interface Tally {
  step: AnyStep;
  passed: number;
  last?: string;
  /** The first iteration that did not pass, and why. */
  failure?: { iteration: number; problems: string[]; error: boolean };
}

export const repeat: CompoundAction<RepeatStep> = {
  name: "repeat",
  kind: "compound",
  keys: ["times", "steps"],
  expects: [],
  reference: {
    argument: "`{times: N, steps: [...]}`",
    does: `extension: runs the steps N times (1..${MAX_REPEAT_TIMES}); each repeated step reports how many iterations passed and the first that failed`,
  },
  parse(arg, { r, readSteps, leaves }) {
    const fields = r.map(arg, repeat.keys, "repeat key", "{times: N, steps: [...]}");
    const times = r.integer(r.required(arg, fields, "times"), `an integer from 1 to ${MAX_REPEAT_TIMES}`, 1, MAX_REPEAT_TIMES);
    const stepsField = r.required(arg, fields, "steps");
    const steps = readSteps(stepsField);
    if (steps.length === 0) r.fail(stepsField, `"repeat" needs at least one step`);
    return { times, steps, leaves: leaves(steps) };
  },
  steps: (s) => s.leaves,
  run(_session, s, sub) {
    const tallies = new Map<string, Tally>(s.leaves.map((step) => [at(step), { step, passed: 0 }]));
    let done = 0;
    for (let i = 1; i <= s.times; i++) {
      let failed = false;
      for (const step of s.steps) {
        for (const res of sub.step(step)) {
          const t = tallies.get(`${res.line}:${res.column}`);
          if (t === undefined) continue;
          t.last = res.summary;
          if (res.status === "pass") t.passed++;
          else if (t.failure === undefined) t.failure = { iteration: i, problems: res.problems, error: res.status !== "fail" };
          if (res.status !== "pass") failed = true;
        }
        if (failed) break;
      }
      done = i;
      if (failed) break;
    }
    return [...tallies.values()].map((t): SubResult => {
      const summary = `${t.passed}/${done} of ${s.times} iteration(s) passed${t.last ? `; last: ${t.last}` : ""}`;
      if (t.failure === undefined) return { step: t.step, outcome: { summary, problems: [] } };
      const problems = t.failure.problems.map((p) => `iteration ${t.failure!.iteration}: ${p}`);
      if (t.failure.error) return { step: t.step, error: problems.join("; ") || `iteration ${t.failure.iteration}: did not run` };
      return { step: t.step, outcome: { summary, problems } };
    });
  },
};

const at = (s: AnyStep): string => `${s.line}:${s.column}`;
