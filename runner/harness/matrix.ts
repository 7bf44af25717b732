// The runs a selection makes: every scenario on each profile of `--driver a,b` and under each seed
// of `--seeds a..b`, scenario by scenario (then profile, then seed), so the order never depends on
// how many workers run them.
import type { DriverProfile } from "../../kernel-shim/profile.js";
import type { Scenario } from "../scenario/scenario.js";

interface MatrixAxes {
  /** Each scenario on each of these profiles; absent: the scenario's own `machine.driver`. */
  drivers?: readonly DriverProfile[];
  /** Each scenario under each of these seeds; absent: the scenario's own `machine.seed`. */
  seeds?: readonly number[];
}

/** One scenario per cell; the steps are shared, each cell has its own machine. */
export function expandMatrix(scenarios: readonly Scenario[], axes: MatrixAxes): Scenario[] {
  const out: Scenario[] = [];
  for (const s of scenarios) {
    for (const driver of axes.drivers ?? [s.machine.driver]) {
      for (const seed of axes.seeds ?? [s.machine.seed]) {
        out.push({ ...s, machine: { ...s.machine, driver, seed } });
      }
    }
  }
  return out;
}
