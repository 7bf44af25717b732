// The interrupt controllers a machine can have, by name. A new one (e.g. XIVE,
// /work/shared/spec/xive.md) is a folder implementing InterruptController and a row here.
import { Xics } from "./xics/xics.js";
import type { InterruptController } from "./controller.js";

export interface ControllerSetup {
  /** Interrupt servers: one per CPU thread (from a blob: the largest server number + 1). */
  servers: number;
  /** The timebase, for hypercalls that return it. */
  timebase: () => number;
}

export const INTERRUPT_CONTROLLERS = {
  xics: (setup: ControllerSetup) => new Xics({ servers: setup.servers, timebase: setup.timebase }),
} as const satisfies Record<string, (setup: ControllerSetup) => InterruptController>;

export type InterruptControllerName = keyof typeof INTERRUPT_CONTROLLERS;
