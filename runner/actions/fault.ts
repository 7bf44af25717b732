// `fault` — {rtas, status, times}: the next `times` calls of an RTAS function answer `status`.
import type { StepBase } from "../scenario/model.js";
import { RTAS_TOKEN_NAMES } from "../../emulator/rtas/tokens.js";
import { readImplementedRtas } from "../scenario/machine-section.js";
import { readStatus } from "../scenario/payload.js";
import type { OutsideAction } from "./action.js";
import { world } from "./outside-common.js";

export interface FaultStep extends StepBase {
  action: "fault";
  rtas: string;
  status: number;
  times: number;
}

export const fault: OutsideAction<FaultStep> = {
  name: "fault",
  kind: "outside",
  keys: ["rtas", "status", "times"],
  expects: ["refused"],
  reference: {
    argument: "`{rtas, status, times}`",
    does: "the next `times` calls (default 1) of the RTAS function `rtas` answer `status` (a nonzero signed 32-bit integer)",
  },
  parse(arg, { r, machine, platform }) {
    const fields = r.map(arg, fault.keys, "fault key", "{rtas, status, times}");
    const rtasField = r.required(arg, fields, "rtas");
    // A booted blob's /rtas may name further functions (which answer "not implemented").
    const rtas = readImplementedRtas(r, rtasField, { platform }, machine.dtb ? RTAS_TOKEN_NAMES : []);
    if (machine.omitRtas.includes(rtas)) r.fail(rtasField, `"${rtas}" is left out of /rtas by machine.omit-rtas, so no call of it can be faulted`);
    const statusField = r.required(arg, fields, "status");
    const status = readStatus(r, statusField);
    if (status === 0) r.fail(statusField, `"status" 0 would fake a success the function never performed; a fault answers a nonzero status (e.g. -1 hardware error, -2 busy, 9900 extended delay)`);
    const timesField = fields.get("times");
    const times = timesField === undefined ? 1 : r.integer(timesField, "a positive integer", 1, 0x7fffffff);
    return { rtas, status, times };
  },
  act(session, s) {
    const { machine } = session.part;
    world(() => machine.outside.faults.inject(s.rtas, s.status, s.times));
    return { detail: undefined };
  },
  summary: (s) => `next ${s.times} call(s) of ${s.rtas} answer ${s.status}`,
};
