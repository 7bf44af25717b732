// Steps: one action key per step, its argument (read by the action, runner/actions/), and the
// step keys every action shares — `proc`, `as`, `expect` — with the fd names that `as` binds.
import { ACTION_NAMES, actionNamed, type Step } from "../actions/index.js";
import type { ParseContext } from "../actions/action.js";
import { readStepExpect } from "./expect.js";
import { FdScope, isName, readName } from "./fd-scope.js";
import type { AnyStep, FdRef, MachineConfig, StepBase } from "./model.js";
import type { Field, Located, NodeReader } from "./nodes.js";

const DEFAULT_PROC = "p1";
const STEP_KEYS = ["proc", "as", "expect"] as const;

/** Where a list of steps sits: at top level, or in a `parallel` branch (of a process, or of the outside world). */
type Place = { kind: "top" } | { kind: "process"; proc: string } | { kind: "outside" };

/** What steps are read against: the scenario's machine, and whether names are checked against the emulator. */
interface StepsContext {
  machine: MachineConfig;
  platform: boolean;
}

export function readSteps(r: NodeReader, list: Located, c: StepsContext): Step[] {
  // Every step is made by its registered action's parser, so it is one of the registry's steps.
  return readStepList(r, list, new FdScope(), { kind: "top" }, c) as Step[];
}

function readStepList(r: NodeReader, list: Located, scope: FdScope, place: Place, c: StepsContext): AnyStep[] {
  return r.seq(list, "a list of steps").map((item) => readStep(r, item, scope, place, c));
}

function readStep(r: NodeReader, v: Located, scope: FdScope, place: Place, c: StepsContext): AnyStep {
  const fields = r.map(v, null, "step key", "a map with one action key");
  const actions: Field[] = [];
  for (const f of fields.values()) {
    if (actionNamed(f.name) !== undefined) {
      if (actions.length > 0) {
        r.source.fail(f.keyOffset, f.path, `a step has exactly one action, this one has "${actions[0]!.name}" and "${f.name}"`);
      }
      actions.push(f);
    } else if (!(STEP_KEYS as readonly string[]).includes(f.name)) {
      r.source.fail(
        f.keyOffset,
        f.path,
        `unknown action or step key "${f.name}" (actions: ${ACTION_NAMES.join(", ")}; step keys: ${STEP_KEYS.join(", ")})`,
      );
    }
  }
  const actionField = actions[0];
  if (actionField === undefined) r.fail(v, `the step has no action (one of: ${ACTION_NAMES.join(", ")})`);
  const action = actionNamed(actionField.name)!;
  const name = action.name;
  const isGuest = action.kind === "guest";

  if (place.kind === "process" && !isGuest) {
    r.source.fail(
      actionField.keyOffset,
      actionField.path,
      action.kind === "compound"
        ? `"${name}" cannot be nested in a parallel branch`
        : `outside-world action "${name}" is not allowed in the branch of process ${place.proc}; put it in the {outside: [...]} branch`,
    );
  }
  if (place.kind === "outside" && action.kind !== "outside") {
    r.source.fail(
      actionField.keyOffset,
      actionField.path,
      action.kind === "compound"
        ? `"${name}" cannot be nested in a parallel branch`
        : `guest action "${name}" is not allowed in the outside branch; put it in a {proc: ..., steps: [...]} branch`,
    );
  }

  const { line, column } = r.source.position(actionField.keyOffset);
  const base: StepBase = { line, column, proc: place.kind === "process" ? place.proc : DEFAULT_PROC };

  const procField = fields.get("proc");
  if (procField !== undefined) {
    if (!isGuest) r.source.fail(procField.keyOffset, procField.path, `"proc" does not apply to "${name}", which no guest process issues`);
    const proc = readName(r, procField);
    if (place.kind === "process" && proc !== place.proc) {
      r.fail(procField, `a step in the branch of process ${place.proc} cannot name process ${proc}`);
    }
    base.proc = proc;
  }
  const asField = fields.get("as");
  let asName: string | undefined;
  if (asField !== undefined) {
    if (!action.returnsFd) {
      r.source.fail(asField.keyOffset, asField.path, `"as" names a returned fd, and only ${fdReturning(" and ")} return one (not "${name}")`);
    }
    asName = readName(r, asField);
  }

  const expectField = fields.get("expect");
  if (expectField !== undefined && action.expects.length === 0) {
    const why = isGuest ? "it has no result to compare" : "only guest process actions have a result";
    r.source.fail(expectField.keyOffset, expectField.path, `"expect" does not apply to "${name}"; ${why}`);
  }

  const ctx: ParseContext = {
    r,
    scope,
    machine: c.machine,
    platform: c.platform,
    fd: (at) => readFdRef(r, at, base.proc, scope),
    readBranch: (list, branchScope, proc) =>
      readStepList(r, list, branchScope, proc === undefined ? { kind: "outside" } : { kind: "process", proc }, c),
    readSteps: (list) => readStepList(r, list, scope, place, c),
    leaves: (steps) => steps.flatMap((x) => {
      const a = actionNamed(x.action)!;
      return a.kind === "compound" ? a.steps(x) : [x];
    }),
  };
  const step: AnyStep = { action: name, ...base, ...action.parse(actionField, ctx) };
  if (expectField !== undefined) Object.assign(step, readStepExpect(r, expectField, name));
  if (asName !== undefined) {
    step.as = asName;
    scope.bind(asName, step.proc, asField!);
  }
  return step;
}

/** The actions that return an fd, as a message lists them. */
function fdReturning(conjunction: string): string {
  return ACTION_NAMES.filter((n) => actionNamed(n)!.returnsFd).join(conjunction);
}

/** An fd argument of a step of `proc`: a name bound earlier in that process, or a number. */
function readFdRef(r: NodeReader, v: Located, proc: string, scope: FdScope): FdRef {
  const value = r.scalar(v);
  if (typeof value === "string" && isName(value)) {
    const procs = scope.procsOf(value);
    if (procs === undefined) {
      r.fail(v, `fd name "${value}" is not bound by an earlier step (bind it with "as" on ${fdReturning(" or ")})`);
    }
    if (!procs.has(proc)) {
      r.fail(v, `fd name "${value}" is bound in process ${[...procs].join(", ")}, not in ${proc} (fds belong to a process)`);
    }
    return value;
  }
  return r.integer(v, "an fd name bound by \"as\" or an fd number", -0x80000000, 0x7fffffff);
}
