// `fault` — {rtas, status, times}: the next `times` calls of an RTAS function answer `status`.
import type { StepBase } from "../scenario/model.js";
import { readRtasName, readStatus } from "../scenario/payload.js";
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
  expects: [],
  reference: {
    argument: "`{rtas, status, times}`",
    does: "the next `times` calls (default 1) of the RTAS function `rtas` answer `status` (a signed 32-bit integer)",
  },
  parse(arg, { r }) {
    const fields = r.map(arg, fault.keys, "fault key", "{rtas, status, times}");
    const rtas = readRtasName(r, r.required(arg, fields, "rtas"));
    const status = readStatus(r, r.required(arg, fields, "status"));
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
