// `expect-dmesg` (extension) — {contains: TEXT} and/or {lacks: TEXT}: a check of the kernel log.
import type { StepBase } from "../scenario/model.js";
import type { OutsideAction, StepArgs } from "./action.js";

export interface ExpectDmesgStep extends StepBase {
  action: "expect-dmesg";
  contains?: string;
  lacks?: string;
}

export const expectDmesg: OutsideAction<ExpectDmesgStep> = {
  name: "expect-dmesg",
  kind: "outside",
  keys: ["contains", "lacks"],
  expects: [],
  reference: {
    argument: "`{contains: TEXT}` and/or `{lacks: TEXT}`",
    does: "extension: checks that some kernel log line contains TEXT, or that none does",
  },
  parse(arg, { r }) {
    const fields = r.map(arg, expectDmesg.keys, "expect-dmesg key", "{contains: TEXT} or {lacks: TEXT}");
    if (fields.size === 0) r.fail(arg, `"expect-dmesg" needs "contains" or "lacks"`);
    const step: StepArgs<ExpectDmesgStep> = {};
    const contains = fields.get("contains");
    const lacks = fields.get("lacks");
    if (contains !== undefined) step.contains = r.string(contains, "text to find in a kernel log line");
    if (lacks !== undefined) step.lacks = r.string(lacks, "text no kernel log line may contain");
    return step;
  },
  act(session, s) {
    const { kernel } = session.part;
    const lines = kernel.log.map((l) => l.text);
    const problems: string[] = [];
    if (s.contains !== undefined && !lines.some((l) => l.includes(s.contains!))) problems.push(`no kernel log line contains "${s.contains}"`);
    if (s.lacks !== undefined) {
      const hit = lines.find((l) => l.includes(s.lacks!));
      if (hit !== undefined) problems.push(`kernel log has "${hit}"`);
    }
    return { detail: undefined, problems };
  },
  summary: (s) => `kernel log ${s.contains !== undefined ? `has "${s.contains}"` : `lacks "${s.lacks}"`}`,
};
