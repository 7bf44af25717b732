// A partition that cannot be built at all (the hot path not built, say) is a setup problem: exit 2
// before any scenario runs, with the builder's message, which says what to run.
import type { HotPathBuild } from "../../emulator/hotpath.js";
import { Machine } from "../../emulator/machine.js";
import { UsageError } from "./usage.js";

export function checkSetup(hotPath: HotPathBuild | undefined, build: (h: HotPathBuild | undefined) => unknown = (h) => new Machine({ hotPath: h })): void {
  try {
    build(hotPath);
  } catch (e) {
    throw new UsageError(`setup problem: ${(e as Error).message}`);
  }
}
