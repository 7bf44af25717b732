// A parsed scenario file: its machine and its steps (each a `Step` of a registered action).
import type { Step } from "../actions/index.js";
import type { FaultExpectation } from "./expect-fault.js";
import type { MachineConfig } from "./model.js";

export interface Scenario {
  /** The file name as given to the parser (used in every message). */
  file: string;
  name: string;
  /** What the scenario checks (e.g. the spec section it follows). */
  description?: string;
  /** Labels `papr-emu run --tag` selects scenarios by. */
  tags?: string[];
  machine: MachineConfig;
  /** The fault the run must end in, per driver profile (absent: none for every profile). */
  expectFault?: FaultExpectation;
  steps: Step[];
}
