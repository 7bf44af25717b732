// A scenario as an exploration target: every run boots a fresh partition and runs the steps, the
// explorer taking each scheduler decision after boot (boot's are the default policy's).
import type { Decision, SchedulingPolicy } from "../../kernel-shim/sched/policy.js";
import type { Partition } from "../harness/partition.js";
import type { ScenarioResult } from "../harness/results.js";
import { runScenario } from "../harness/run-scenario.js";
import type { Scenario } from "../scenario/scenario.js";
import { footprintOf, type Footprint } from "./footprint.js";
import { StateKeys, hash53 } from "./state-key.js";
import type { ExploreTarget, Picker, RunOutcome } from "./target.js";

/** A failed run's fault kind and text: the run's fault, or the first expectation that did not hold. */
export function outcomeFault(r: ScenarioResult): RunOutcome["fault"] {
  if (r.fault) return { kind: r.faultKind ?? "error", message: r.fault };
  const failed = r.steps.find((s) => s.status !== "pass" && s.status !== "skipped");
  if (failed) return { kind: "expectation", message: `line ${failed.line}: ${failed.summary}: ${failed.problems.join("; ")}` };
  return undefined;
}

export function scenarioTarget(declared: Scenario): ExploreTarget {
  // Exploration reports every fault a schedule reaches, declared or not: a scenario's expect-fault
  // (what its own seed shows) is left out, or every schedule that misses the race would count as one.
  const scenario: Scenario = { ...declared, expectFault: undefined };
  return {
    run(pick: Picker): RunOutcome {
      let part: Partition | undefined;
      let keys: StateKeys | undefined;
      let seen = 0;
      let prev: Decision | null = null;
      let touched: Footprint = [];
      const absorb = (): void => {
        const trace = part!.kernel.sched.trace;
        const records = trace.slice(seen);
        seen = trace.length;
        keys!.absorb(records);
        touched = prev ? footprintOf(prev, records) : [];
      };
      const probe = {
        get booting() { return part === undefined; },
        stateKey: () => keys!.key(),
        touched: () => touched,
      };
      const policy: SchedulingPolicy = (choices) => {
        if (part) absorb();
        const k = pick(choices, probe);
        prev = choices[k]!;
        return k;
      };
      const r = runScenario(scenario, {
        policy,
        onBoot: (p) => {
          part = p;
          keys = new StateKeys(p);
          seen = p.kernel.sched.trace.length;
          prev = null;
        },
      });
      if (part) absorb();
      const fault = outcomeFault(r);
      const end = part ? keys!.key() : "unbooted";
      return { fault, endState: hash53(`${end}|${r.steps.map((s) => `${s.status}:${s.summary}`).join(";")}`), lastTouched: touched };
    },
  };
}
