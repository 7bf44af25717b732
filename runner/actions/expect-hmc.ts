// `expect-hmc` — {source, received}: the payloads this HMC has received so far, in order.
import { describeBytes, sourceIdText } from "../format.js";
import { bytesProblem } from "../harness/byte-diff.js";
import type { StepBase } from "../scenario/model.js";
import { readPayload, readU32 } from "../scenario/payload.js";
import type { OutsideAction } from "./action.js";
import { world } from "./outside-common.js";

export interface ExpectHmcStep extends StepBase {
  action: "expect-hmc";
  source: number;
  received: Uint8Array[];
}

/** How many payloads the HMC had received. */
type Count = number;

export const expectHmc: OutsideAction<ExpectHmcStep, Count> = {
  name: "expect-hmc",
  kind: "outside",
  keys: ["source", "received"],
  expects: [],
  reference: { argument: "`{source, received}`", does: "checks the payloads this HMC has received so far, in order" },
  parse(arg, { r }) {
    const fields = r.map(arg, expectHmc.keys, "expect-hmc key", "{source, received}");
    const source = readU32(r, r.required(arg, fields, "source"));
    const received = r
      .seq(r.required(arg, fields, "received"), "a list of payloads")
      .map((item) => readPayload(r, item));
    return { source, received };
  },
  act(session, s) {
    const { machine } = session.part;
    const got = world(() => machine.outside.hmc.inbox(s.source));
    const problems: string[] = [];
    if (got.length !== s.received.length) {
      problems.push(`received ${got.length} payload(s) [${got.map((b) => describeBytes(b)).join(", ")}], expected ${s.received.length} [${s.received.map((b) => describeBytes(b)).join(", ")}]`);
    } else {
      s.received.forEach((want, i) => {
        const problem = bytesProblem(`payload ${i + 1}`, got[i]!, want);
        if (problem !== undefined) problems.push(problem);
      });
    }
    return { detail: got.length, problems };
  },
  summary: (s, count) => `HMC ${sourceIdText(s.source)} has received ${count} payload(s)`,
};
