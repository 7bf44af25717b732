// A parsed scenario file: its machine and its steps (each a `Step` of a registered action).
import type { Step } from "../actions/index.js";
import type { MachineConfig } from "./model.js";

export interface Scenario {
  /** The file name as given to the parser (used in every message). */
  file: string;
  name: string;
  machine: MachineConfig;
  steps: Step[];
  /** Labels `papr-emu run --tag` selects on (read by the scenario parser). */
  tags?: string[];
}
