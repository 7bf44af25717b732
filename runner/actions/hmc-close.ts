// `hmc-close` — {source}: the pipe to that source is lost.
import { sourceIdText } from "../format.js";
import type { StepBase } from "../scenario/model.js";
import { readU32 } from "../scenario/payload.js";
import type { OutsideAction } from "./action.js";
import { world } from "./outside-common.js";

export interface HmcCloseStep extends StepBase {
  action: "hmc-close";
  source: number;
}

export const hmcClose: OutsideAction<HmcCloseStep> = {
  name: "hmc-close",
  kind: "outside",
  keys: ["source"],
  expects: [],
  reference: { argument: "`{source}`", does: "the pipe to that source is lost (LOST_CONNECTION; sends to it fail)" },
  parse(arg, { r }) {
    const fields = r.map(arg, hmcClose.keys, "hmc-close key", "{source}");
    return { source: readU32(r, r.required(arg, fields, "source")) };
  },
  act(session, s) {
    const { machine } = session.part;
    world(() => machine.outside.hmc.close(s.source));
    return { detail: undefined };
  },
  summary: (s) => `pipe to HMC ${sourceIdText(s.source)} lost`,
};
