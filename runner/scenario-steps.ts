// Steps: one action key per step, its argument, `proc`, `as`, `expect`, and the fd names that
// `as` binds. The `parallel` extension has its own section at the end.

import { Errno, HvpipeFlag, IoctlCmd, Poll, type ErrnoName, type HvpipeFlagName, type PollName } from "../kernel-shim/uapi.js";
import type { Field, Located, NodeReader } from "./scenario-nodes.js";
import { readPayload, readRtasName, readSize, readStatus, readU32 } from "./scenario-payload.js";
import {
  ALL_ACTIONS,
  GUEST_ACTIONS,
  MIGRATE_PHASES,
  OUTSIDE_ACTIONS,
  type Expect,
  type FdRef,
  type MigratePhase,
  type ParallelBranch,
  type Step,
  type StepAction,
  type StepBase,
  type UserFault,
  type WriteStep,
  USER_FAULTS,
} from "./scenario-types.js";

export const DEFAULT_PROC = "p1";
const STEP_KEYS = ["proc", "as", "expect"] as const;
const EXPECT_KEYS = ["ret", "errno", "flags", "payload", "revents", "header"] as const;
type ExpectKey = (typeof EXPECT_KEYS)[number];
/** Which expectation keys a guest action's result has. */
const EXPECT_APPLIES: Record<ExpectKey, readonly StepAction[]> = {
  ret: GUEST_ACTIONS,
  errno: GUEST_ACTIONS,
  flags: ["read"],
  payload: ["read"],
  revents: ["poll"],
  header: ["read"],
};
/** Process names and fd names: a letter or _, then letters, digits, _ . - */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const NAME_RULE = "a name (a letter or _, then letters, digits, _, . or -)";

/** Which fd names are bound, in which processes (fds belong to a process). */
class FdScope {
  private readonly bound = new Map<string, Set<string>>();
  /** Bindings made through this scope, in order (a parallel branch's are merged after it). */
  readonly log: { name: string; proc: string; at: Located }[] = [];

  constructor(from?: FdScope) {
    if (from) for (const [name, procs] of from.bound) this.bound.set(name, new Set(procs));
  }

  bind(name: string, proc: string, at: Located): void {
    let procs = this.bound.get(name);
    if (procs === undefined) this.bound.set(name, (procs = new Set()));
    procs.add(proc);
    this.log.push({ name, proc, at });
  }

  procsOf(name: string): Set<string> | undefined {
    return this.bound.get(name);
  }
}

/** Where a list of steps sits: at top level, or in a `parallel` branch (of a process, or of the outside world). */
type Place = { kind: "top" } | { kind: "process"; proc: string } | { kind: "outside" };

export function readSteps(r: NodeReader, list: Located): Step[] {
  return readStepList(r, list, new FdScope(), { kind: "top" });
}

function readStepList(r: NodeReader, list: Located, scope: FdScope, place: Place): Step[] {
  return r.seq(list, "a list of steps").map((item) => readStep(r, item, scope, place));
}

function readStep(r: NodeReader, v: Located, scope: FdScope, place: Place): Step {
  const fields = r.map(v, null, "step key", "a map with one action key");
  const actions: Field[] = [];
  for (const f of fields.values()) {
    if ((ALL_ACTIONS as readonly string[]).includes(f.name)) {
      if (actions.length > 0) {
        r.source.fail(f.keyOffset, f.path, `a step has exactly one action, this one has "${actions[0]!.name}" and "${f.name}"`);
      }
      actions.push(f);
    } else if (!(STEP_KEYS as readonly string[]).includes(f.name)) {
      r.source.fail(
        f.keyOffset,
        f.path,
        `unknown action or step key "${f.name}" (actions: ${ALL_ACTIONS.join(", ")}; step keys: ${STEP_KEYS.join(", ")})`,
      );
    }
  }
  const actionField = actions[0];
  if (actionField === undefined) r.fail(v, `the step has no action (one of: ${ALL_ACTIONS.join(", ")})`);
  const action = actionField.name as StepAction;
  const isGuest = (GUEST_ACTIONS as readonly string[]).includes(action);
  const isOutside = (OUTSIDE_ACTIONS as readonly string[]).includes(action);

  if (place.kind === "process" && !isGuest) {
    r.source.fail(
      actionField.keyOffset,
      actionField.path,
      action === "parallel"
        ? `"parallel" cannot be nested in a parallel branch`
        : `outside-world action "${action}" is not allowed in the branch of process ${place.proc}; put it in the {outside: [...]} branch`,
    );
  }
  if (place.kind === "outside" && !isOutside) {
    r.source.fail(
      actionField.keyOffset,
      actionField.path,
      action === "parallel"
        ? `"parallel" cannot be nested in a parallel branch`
        : `guest action "${action}" is not allowed in the outside branch; put it in a {proc: ..., steps: [...]} branch`,
    );
  }

  const { line, column } = r.source.position(actionField.keyOffset);
  const base: StepBase = { line, column, proc: place.kind === "process" ? place.proc : DEFAULT_PROC };

  const procField = fields.get("proc");
  if (procField !== undefined) {
    if (!isGuest) r.source.fail(procField.keyOffset, procField.path, `"proc" does not apply to "${action}", which no guest process issues`);
    const proc = readName(r, procField);
    if (place.kind === "process" && proc !== place.proc) {
      r.fail(procField, `a step in the branch of process ${place.proc} cannot name process ${proc}`);
    }
    base.proc = proc;
  }
  const asField = fields.get("as");
  let asName: string | undefined;
  if (asField !== undefined) {
    if (action !== "open" && action !== "ioctl") {
      r.source.fail(asField.keyOffset, asField.path, `"as" names a returned fd, and only open and ioctl return one (not "${action}")`);
    }
    asName = readName(r, asField);
  }

  const expectField = fields.get("expect");
  if (expectField !== undefined && !isGuest) {
    r.source.fail(expectField.keyOffset, expectField.path, `"expect" does not apply to "${action}"; only guest process actions have a result`);
  }

  const step = readAction(r, action, actionField, base, scope);
  if (expectField !== undefined) step.expect = readExpect(r, expectField, action);
  if (asName !== undefined) {
    step.as = asName;
    scope.bind(asName, step.proc, asField!);
  }
  return step;
}

function readName(r: NodeReader, v: Located): string {
  const name = r.string(v, NAME_RULE);
  if (!NAME.test(name)) r.expected(v, NAME_RULE);
  return name;
}

function readAction(r: NodeReader, action: StepAction, arg: Field, base: StepBase, scope: FdScope): Step {
  const fd = (fields: Map<string, Field>) => readFdRef(r, r.required(arg, fields, "fd"), base.proc, scope);
  switch (action) {
    case "open": {
      if (r.isMap(arg)) {
        const fields = r.map(arg, ["path"], "open key");
        return { action, ...base, path: r.string(r.required(arg, fields, "path")) };
      }
      return { action, ...base, path: r.string(arg, "a path or {path}") };
    }
    case "ioctl": {
      const fields = r.map(arg, ["fd", "cmd", "src", "user-fault"], "ioctl key", "{fd, cmd, src}");
      const ref = fd(fields);
      const cmd = readIoctlCmd(r, r.required(arg, fields, "cmd"));
      const step: Step = { action, ...base, fd: ref, cmd, src: readU32(r, r.required(arg, fields, "src")) };
      const fault = readUserFault(r, fields, ["buffer"]);
      if (fault) step.userFault = fault;
      return step;
    }
    case "write": {
      const fields = r.map(arg, ["fd", "payload", "raw", "size", "user-fault"], "write key", "{fd, payload} or {fd, raw}");
      const ref = fd(fields);
      const payload = fields.get("payload");
      const raw = fields.get("raw");
      if (payload !== undefined && raw !== undefined) {
        const second = payload.keyOffset > raw.keyOffset ? payload : raw;
        r.source.fail(second.keyOffset, second.path, `"write" takes "payload" or "raw", not both`);
      }
      if (payload === undefined && raw === undefined) {
        r.fail(arg, `"write" needs "payload" (the runner prepends the header) or "raw" (bytes written as given)`);
      }
      const step: WriteStep = { action, ...base, fd: ref };
      if (payload !== undefined) step.payload = readPayload(r, payload);
      if (raw !== undefined) step.raw = readPayload(r, raw);
      const size = fields.get("size");
      if (size !== undefined) step.size = readSize(r, size);
      const fault = readUserFault(r, fields, USER_FAULTS);
      if (fault) step.userFault = fault;
      return step;
    }
    case "read": {
      const fields = r.map(arg, ["fd", "size", "user-fault"], "read key", "{fd, size}");
      const ref = fd(fields);
      const step: Step = { action, ...base, fd: ref, size: readSize(r, r.required(arg, fields, "size")) };
      const fault = readUserFault(r, fields, USER_FAULTS);
      if (fault) step.userFault = fault;
      return step;
    }
    case "poll": {
      const fields = r.map(arg, ["fd", "timeout"], "poll key", "{fd, timeout}");
      const ref = fd(fields);
      const timeout = r.integer(
        r.required(arg, fields, "timeout"),
        "milliseconds: 0 (do not wait), a positive integer, or -1 (no time limit)",
        -1,
        0x7fffffff,
      );
      return { action, ...base, fd: ref, timeout };
    }
    case "close": {
      if (r.isMap(arg)) {
        const fields = r.map(arg, ["fd"], "close key");
        return { action, ...base, fd: fd(fields) };
      }
      return { action, ...base, fd: readFdRef(r, arg, base.proc, scope) };
    }
    case "hmc-send": {
      const fields = r.map(arg, ["source", "payload"], "hmc-send key", "{source, payload}");
      const source = readU32(r, r.required(arg, fields, "source"));
      return { action, ...base, source, payload: readPayload(r, r.required(arg, fields, "payload")) };
    }
    case "hmc-close":
    case "hmc-open": {
      const fields = r.map(arg, ["source"], `${action} key`, "{source}");
      return { action, ...base, source: readU32(r, r.required(arg, fields, "source")) };
    }
    case "migrate": {
      if (r.isMissing(arg)) return { action, ...base, phase: "both" };
      const fields = r.map(arg, ["phase"], "migrate key", "{} or {phase: suspend | resume | both}");
      const phaseField = fields.get("phase");
      let phase: MigratePhase = "both";
      if (phaseField !== undefined) {
        const name = r.scalar(phaseField);
        if (typeof name !== "string" || !(MIGRATE_PHASES as readonly string[]).includes(name)) {
          r.expected(phaseField, `one of ${MIGRATE_PHASES.join(", ")}`);
        }
        phase = name as MigratePhase;
      }
      return { action, ...base, phase };
    }
    case "fault": {
      const fields = r.map(arg, ["rtas", "status", "times"], "fault key", "{rtas, status, times}");
      const rtas = readRtasName(r, r.required(arg, fields, "rtas"));
      const status = readStatus(r, r.required(arg, fields, "status"));
      const timesField = fields.get("times");
      const times = timesField === undefined ? 1 : r.integer(timesField, "a positive integer", 1, 0x7fffffff);
      return { action, ...base, rtas, status, times };
    }
    case "expect-hmc": {
      const fields = r.map(arg, ["source", "received"], "expect-hmc key", "{source, received}");
      const source = readU32(r, r.required(arg, fields, "source"));
      const received = r
        .seq(r.required(arg, fields, "received"), "a list of payloads")
        .map((item) => readPayload(r, item));
      return { action, ...base, source, received };
    }
    case "expect-dmesg": {
      const fields = r.map(arg, ["contains", "lacks"], "expect-dmesg key", "{contains: TEXT} or {lacks: TEXT}");
      if (fields.size === 0) r.fail(arg, `"expect-dmesg" needs "contains" or "lacks"`);
      const step: Step = { action, ...base };
      const contains = fields.get("contains");
      const lacks = fields.get("lacks");
      if (contains !== undefined) step.contains = r.string(contains, "text to find in a kernel log line");
      if (lacks !== undefined) step.lacks = r.string(lacks, "text no kernel log line may contain");
      return step;
    }
    case "parallel":
      return { action, ...base, branches: readParallel(r, arg, scope) };
  }
}

/** The `user-fault` extension: which part of the user buffer is unmapped. */
function readUserFault(r: NodeReader, fields: Map<string, Field>, allowed: readonly UserFault[]): UserFault | undefined {
  const f = fields.get("user-fault");
  if (f === undefined) return undefined;
  const value = r.scalar(f);
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    r.expected(f, `one of ${allowed.join(", ")}`);
  }
  return value as UserFault;
}

function readFdRef(r: NodeReader, v: Located, proc: string, scope: FdScope): FdRef {
  const value = r.scalar(v);
  if (typeof value === "string" && NAME.test(value)) {
    const procs = scope.procsOf(value);
    if (procs === undefined) {
      r.fail(v, `fd name "${value}" is not bound by an earlier step (bind it with "as" on open or ioctl)`);
    }
    if (!procs.has(proc)) {
      r.fail(v, `fd name "${value}" is bound in process ${[...procs].join(", ")}, not in ${proc} (fds belong to a process)`);
    }
    return value;
  }
  return r.integer(v, "an fd name bound by \"as\" or an fd number", -0x80000000, 0x7fffffff);
}

function readIoctlCmd(r: NodeReader, v: Located): number {
  const value = r.scalar(v);
  if (typeof value === "string" && !/^[-+]0x/i.test(value)) {
    if (!Object.hasOwn(IoctlCmd, value)) {
      r.fail(v, `unknown ioctl command "${value}" (allowed: ${Object.keys(IoctlCmd).join(", ")}, or a number)`);
    }
    return IoctlCmd[value as keyof typeof IoctlCmd];
  }
  return readU32(r, v);
}

// ---- expect ----

function readExpect(r: NodeReader, v: Located, action: StepAction): Expect {
  const fields = r.map(v, EXPECT_KEYS, "expectation key", "a map of expectations");
  const expect: Expect = {};
  for (const f of fields.values()) {
    const key = f.name as ExpectKey;
    const appliesTo = EXPECT_APPLIES[key];
    if (!appliesTo.includes(action)) {
      r.source.fail(f.keyOffset, f.path, `expectation key "${key}" does not apply to "${action}" (it applies to: ${appliesTo.join(", ")})`);
    }
    switch (key) {
      case "ret":
        expect.ret = r.integer(f, "an integer", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
        break;
      case "errno":
        expect.errno = readNameOf(r, f, Errno, "errno");
        break;
      case "flags":
        expect.flags = readNameList(r, f, HvpipeFlag, "flag");
        break;
      case "payload":
        expect.payload = readPayload(r, f);
        break;
      case "revents":
        expect.revents = readNameList(r, f, Poll, "revents bit");
        break;
      case "header":
        expect.header = readPayload(r, f);
        break;
    }
  }
  const ret = fields.get("ret");
  if (ret !== undefined && expect.errno !== undefined && expect.ret !== -1) {
    r.fail(ret, `"ret" must be -1 when "errno" is expected (a failing call returns -1)`);
  }
  return expect;
}

function readNameOf<N extends string>(r: NodeReader, v: Located, names: Record<N, number>, noun: string): N {
  const value = r.scalar(v);
  if (typeof value !== "string" || !Object.hasOwn(names, value)) {
    const got = typeof value === "string" ? `"${value}"` : r.describe(v);
    r.fail(v, `unknown ${noun} ${got} (allowed: ${Object.keys(names).join(", ")})`);
  }
  return value as N;
}

function readNameList<N extends string>(r: NodeReader, v: Located, names: Record<N, number>, noun: string): N[] {
  const result: N[] = [];
  for (const item of r.seq(v, `a list of names ([] for none)`)) {
    const name = readNameOf(r, item, names, noun);
    if (result.includes(name)) r.fail(item, `${name} is listed twice in "${v.label}"`);
    result.push(name);
  }
  return result;
}

// ---- parallel (extension) ----
//
//   - parallel:
//       - {proc: p1, steps: [...]}    guest actions of one process (two branches of the same
//       - {proc: p2, steps: [...]}    process are two threads sharing its fds)
//       - {outside: [...]}            outside-world actions; at most one such branch
//
// Each branch sees the fd names bound before the parallel step and those bound earlier in the
// same branch; after it, every branch's bindings are visible. Two branches binding the same
// name in the same process is an error (which fd it names would depend on the interleaving).

function readParallel(r: NodeReader, arg: Located, outer: FdScope): ParallelBranch[] {
  const items = r.seq(arg, "a list of branches ({proc, steps} or {outside})");
  if (items.length < 2) r.fail(arg, `"parallel" needs at least two branches`);
  const branches: ParallelBranch[] = [];
  const scopes: FdScope[] = [];
  let outsideSeen = false;
  for (const item of items) {
    const fields = r.map(item, ["proc", "steps", "outside"], "branch key", "{proc: NAME, steps: [...]} or {outside: [...]}");
    const scope = new FdScope(outer);
    const outside = fields.get("outside");
    if (outside !== undefined) {
      for (const other of ["proc", "steps"]) {
        const f = fields.get(other);
        if (f !== undefined) r.source.fail(f.keyOffset, f.path, `"${other}" cannot be combined with "outside" in a branch`);
      }
      if (outsideSeen) r.source.fail(outside.keyOffset, outside.path, `"parallel" has at most one outside branch`);
      outsideSeen = true;
      branches.push({ steps: readStepList(r, outside, scope, { kind: "outside" }) });
    } else {
      const proc = readName(r, r.required(item, fields, "proc"));
      const steps = readStepList(r, r.required(item, fields, "steps"), scope, { kind: "process", proc });
      branches.push({ proc, steps });
    }
    scopes.push(scope);
  }
  const boundBy = new Map<string, number>();
  scopes.forEach((scope, branch) => {
    for (const b of scope.log) {
      const key = `${b.proc}\u0000${b.name}`;
      const earlier = boundBy.get(key);
      if (earlier !== undefined && earlier !== branch) {
        r.fail(b.at, `fd name "${b.name}" is bound in process ${b.proc} by two branches of this parallel step`);
      }
      boundBy.set(key, branch);
      outer.bind(b.name, b.proc, b.at);
    }
  });
  return branches;
}
