// What the outside-world actions share: a refusal of the world becomes the step's error.
import { OutsideWorldRefusal, type OutsideWorldRefusalCode } from "../../emulator/outside/refusal.js";
import { StepError } from "../harness/session.js";

/** An outside-world action the hypervisor refused: the step fails, unless its `expect: {refused}` names the code. */
export class RefusedStep extends StepError {
  constructor(readonly code: OutsideWorldRefusalCode, message: string) {
    super(message);
  }
}

/**
 * Runs an outside-world operation through the emulator's port. What the hypervisor refuses (an
 * unknown source, a full pipe) fails the step, not the run; anything else thrown is a bug and propagates.
 */
export function world<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof OutsideWorldRefusal) throw new RefusedStep(e.code, e.message);
    throw e;
  }
}
