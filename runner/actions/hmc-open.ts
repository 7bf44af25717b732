// `hmc-open` — {source}: that source is connected (again).
import { sourceIdText } from "../format.js";
import type { StepBase } from "../scenario/model.js";
import { readU32 } from "../scenario/payload.js";
import type { OutsideAction } from "./action.js";
import { world } from "./outside-common.js";

export interface HmcOpenStep extends StepBase {
  action: "hmc-open";
  source: number;
}

export const hmcOpen: OutsideAction<HmcOpenStep> = {
  name: "hmc-open",
  kind: "outside",
  keys: ["source"],
  expects: ["refused"],
  reference: { argument: "`{source}`", does: "that source is connected (again)" },
  parse(arg, { r }) {
    const fields = r.map(arg, hmcOpen.keys, "hmc-open key", "{source}");
    return { source: readU32(r, r.required(arg, fields, "source")) };
  },
  act(session, s) {
    const { machine } = session.part;
    world(() => machine.outside.hmc.connect(s.source));
    return { detail: undefined };
  },
  summary: (s) => `HMC ${sourceIdText(s.source)} connected`,
};
