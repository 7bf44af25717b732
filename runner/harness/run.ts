// A run of several scenarios: front ends (the CLI's reporters, later a debugger) subscribe to its events.
// Whether scenarios run here or on worker threads, the events come in the scenarios' order, so
// every reporter prints the same thing for one worker as for many.
import type { SchedulingPolicy } from "../../kernel-shim/sched/policy.js";
import type { Scenario } from "../scenario/scenario.js";
import type { RunEvent, RunListener } from "./events.js";
import { runInWorkers } from "./pool/pool.js";
import type { ScenarioResult } from "./results.js";
import { runScenario } from "./run-scenario.js";

interface RunAllOptions {
  /** Worker threads; 1 (or a single scenario) runs them on this thread. */
  workers?: number;
  /** Stop after the first failing scenario (in the scenarios' order). */
  bail?: boolean;
}

export class Run {
  private readonly results: ScenarioResult[] = [];
  private invalid = 0;
  private bailed = false;

  constructor(
    private readonly listeners: readonly RunListener[],
    /** Emit each scenario's trace records. */
    private readonly trace = false,
  ) {}

  /** `total`: how many scenario runs are to come, when known (a progress line shows it). */
  start(total?: number): void {
    this.emit(total === undefined ? { type: "run-start" } : { type: "run-start", total });
  }

  /** `policy` (a replayed schedule) takes every decision instead of the seed's or the default one. */
  scenario(scenario: Scenario, policy?: SchedulingPolicy): ScenarioResult {
    const r = runScenario(scenario, {
      listener: (e) => {
        if (e.type === "scenario-end") e.result.driver = scenario.machine.driver;
        this.emit(e);
      },
      trace: this.trace,
      policy,
    });
    this.results.push(r);
    return r;
  }

  /** Runs every scenario, here or on worker threads; the events are the same either way. */
  async all(units: readonly Scenario[], options: RunAllOptions = {}): Promise<void> {
    const workers = options.workers ?? 1;
    if (workers <= 1 || units.length <= 1) {
      for (const u of units) {
        if (!this.scenario(u).passed && options.bail) return this.bail();
      }
      return;
    }
    const arrived = new Map<number, ScenarioResult>();
    let flushed = 0;
    await runInWorkers(units, workers, (index, result) => {
      arrived.set(index, result);
      for (let r = arrived.get(flushed); r !== undefined; r = arrived.get(flushed)) {
        arrived.delete(flushed);
        this.replay(units[flushed++]!, r);
        if (!r.passed && options.bail) {
          this.bail();
          return false;
        }
      }
      return true;
    });
  }

  /** A scenario that cannot run; `message` says where and why. */
  refuse(message: string, file?: string): void {
    this.invalid++;
    this.emit(file === undefined ? { type: "invalid", message } : { type: "invalid", message, file });
  }

  /** Emits run-end; the exit status: 0 all passed, 1 a scenario failed, 2 a file was invalid. */
  end(): number {
    this.emit({ type: "run-end", results: this.results, invalid: this.invalid, ...(this.bailed ? { bailed: true } : {}) });
    if (this.invalid) return 2;
    return this.results.every((r) => r.passed) ? 0 : 1;
  }

  private bail(): void {
    this.bailed = true;
  }

  /** A worker's result, told as the events running it here would have emitted. */
  private replay(scenario: Scenario, r: ScenarioResult): void {
    r.driver = scenario.machine.driver;
    this.emit({ type: "scenario-start", scenario });
    for (const result of r.steps) this.emit({ type: "step", scenario, result });
    if (this.trace) for (const record of r.trace) this.emit({ type: "trace", scenario, record });
    this.emit({ type: "scenario-end", result: r });
    this.results.push(r);
  }

  private emit(e: RunEvent): void {
    for (const l of this.listeners) l(e);
  }
}
