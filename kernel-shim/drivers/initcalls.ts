// The initcall table: every driver the kernel brings up at boot, in order, as Linux's
// machine_device_initcall(pseries, …) entries do. Adding a driver is a folder and one row here.
import type { DriverServices } from "../driver-services.js";
import type { KStep } from "../sched/types.js";
import { HvpipeDriver } from "./papr-hvpipe/driver.js";
import { HVPIPE_QUIRKS } from "./papr-hvpipe/quirks.js";

export type InitcallLevel = "machine_device";

export interface Initcall {
  /** The init function's Linux name; the kernel records its result (0 or -errno) under it. */
  readonly name: string;
  readonly level: InitcallLevel;
  init(services: DriverServices): KStep<number>;
}

export const INITCALLS: readonly Initcall[] = [
  {
    name: "papr_hvpipe_init",
    level: "machine_device",
    // The one place the driver's quirks are chosen from the modelled version.
    init: (s) => new HvpipeDriver(s, HVPIPE_QUIRKS[s.profile]).init(),
  },
];
