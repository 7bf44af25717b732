// A run of several scenarios: front ends (the CLI's reporters, later a debugger) subscribe to its events.
import type { SchedulingPolicy } from "../../kernel-shim/sched/policy.js";
import type { Scenario } from "../scenario/scenario.js";
import type { RunEvent, RunListener } from "./events.js";
import type { ScenarioResult } from "./results.js";
import { runScenario } from "./run-scenario.js";

export class Run {
  private readonly results: ScenarioResult[] = [];
  private invalid = 0;

  constructor(
    private readonly listeners: readonly RunListener[],
    /** Emit each scenario's trace records. */
    private readonly trace = false,
  ) {}

  start(): void {
    this.emit({ type: "run-start" });
  }

  /** `policy` (a replayed schedule) takes every decision instead of the seed's or the default one. */
  scenario(scenario: Scenario, policy?: SchedulingPolicy): ScenarioResult {
    const r = runScenario(scenario, { listener: (e) => this.emit(e), trace: this.trace, policy });
    this.results.push(r);
    return r;
  }

  /** A scenario that cannot run; `message` says where and why. */
  refuse(message: string): void {
    this.invalid++;
    this.emit({ type: "invalid", message });
  }

  /** Emits run-end; the exit status: 0 all passed, 1 a scenario failed, 2 a file was invalid. */
  end(): number {
    this.emit({ type: "run-end", results: this.results, invalid: this.invalid });
    if (this.invalid) return 2;
    return this.results.every((r) => r.passed) ? 0 : 1;
  }

  private emit(e: RunEvent): void {
    for (const l of this.listeners) l(e);
  }
}
