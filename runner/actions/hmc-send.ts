// `hmc-send` — {source, payload}: the HMC with that source id sends a payload.
import { describeBytes, sourceIdText } from "../format.js";
import type { StepBase } from "../scenario/model.js";
import { readPayload, readU32 } from "../scenario/payload.js";
import type { OutsideAction } from "./action.js";
import { world } from "./outside-common.js";

export interface HmcSendStep extends StepBase {
  action: "hmc-send";
  source: number;
  payload: Uint8Array;
}

export const hmcSend: OutsideAction<HmcSendStep> = {
  name: "hmc-send",
  kind: "outside",
  keys: ["source", "payload"],
  expects: ["refused"],
  reference: { argument: "`{source, payload}`", does: "the HMC with that source id sends a payload" },
  parse(arg, { r }) {
    const fields = r.map(arg, hmcSend.keys, "hmc-send key", "{source, payload}");
    const source = readU32(r, r.required(arg, fields, "source"));
    return { source, payload: readPayload(r, r.required(arg, fields, "payload")) };
  },
  act(session, s) {
    const { machine } = session.part;
    world(() => machine.outside.hmc.send(s.source, s.payload));
    return { detail: undefined };
  },
  summary: (s) => `HMC ${sourceIdText(s.source)} sends ${describeBytes(s.payload)}`,
};
