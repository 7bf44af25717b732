// What the outside-world actions share: a refusal of the world becomes the step's error.
import { StepError } from "../harness/session.js";

/** Runs an outside-world operation; whatever it refuses (an unknown source, say) fails the step, not the run. */
export function world(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    throw new StepError((e as Error).message);
  }
}
