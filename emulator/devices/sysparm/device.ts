// System parameters (spec/spapr-platform.md §1.7): the get/set RTAS calls and the parameters the
// platform itself has; other devices define theirs through the systemParameters service.
import { defineDevice } from "../device.js";
import { SystemParameters } from "./parameters.js";

const SYSPARM_SPLPAR_CHARACTERISTICS = 20;
const SYSPARM_DIAGNOSTICS_RUN_MODE = 42;
const SYSPARM_UUID = 48;

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export const systemParametersDevice = defineDevice({
  name: "sysparm",
  policies: {},
  create(ctx) {
    const parameters = new SystemParameters(ctx.memory);
    const mib = Math.floor(ctx.ramBytes / (1024 * 1024));
    const n = ctx.cpus;
    parameters.define(SYSPARM_SPLPAR_CHARACTERISTICS, { read: () => text(`MaxEntCap=${n},DesMem=${mib},DesProcs=${n},MaxPlatProcs=${n}\0`) });
    parameters.define(SYSPARM_DIAGNOSTICS_RUN_MODE, { read: () => Uint8Array.of(0) });
    // No UUID configured: length 0.
    parameters.define(SYSPARM_UUID, { read: () => new Uint8Array(0) });
    return {
      model: parameters,
      rtas: parameters.rtasFunctions(),
      provides: { systemParameters: parameters },
      inspect: () => parameters.inspect(),
    };
  },
});
