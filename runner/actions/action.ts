// What an action is: its keys, parser, executor, summary and reference line. One file per action
// implements one of these; runner/actions/index.ts registers them, and nothing else in the runner
// names an action.
import type { Thread } from "../../kernel-shim/sched/context.js";
import type { SyscallPlan } from "../harness/guest-syscalls.js";
import type { Observed } from "../harness/expectations.js";
import type { StepResult } from "../harness/results.js";
import type { Session } from "../harness/session.js";
import type { FdScope } from "../scenario/fd-scope.js";
import type { AnyStep, ExpectKey, FdRef, MachineConfig, StepBase } from "../scenario/model.js";
import type { Field, Located, NodeReader } from "../scenario/nodes.js";

/** The row of the action table in docs/scenario-format.md. */
interface ActionReference {
  /** The argument's forms, e.g. "`{fd, size}`". */
  argument: string;
  /** What the action does, in one sentence. */
  does: string;
}

/** A step's own arguments: what its action's parser returns (the common fields are added around it). */
export type StepArgs<S extends AnyStep> = Omit<S, keyof StepBase | "action">;

/** What a parser gets besides its argument. */
export interface ParseContext {
  readonly r: NodeReader;
  /** The fd names bound so far. */
  readonly scope: FdScope;
  /** An fd argument: a name bound earlier in the step's process, or a number. */
  fd(v: Located): FdRef;
  /** A nested list of steps: a process's branch (`proc` given) or the outside world's; bindings go to `scope`. */
  readBranch(list: Located, scope: FdScope, proc: string | undefined): AnyStep[];
  /** A nested list of steps where this step stands (a `repeat` body); bindings go to `scope`. */
  readSteps(list: Located): AnyStep[];
  /** The steps results are reported for: each step, or a compound step's sub-steps. */
  leaves(steps: readonly AnyStep[]): AnyStep[];
  /** The scenario's machine, read before its steps. */
  readonly machine: MachineConfig;
  /** Whether names are checked against the emulator's tables (ParseOptions.platform). */
  readonly platform: boolean;
}

interface ActionCommon<S extends AnyStep> {
  /** The action key. */
  readonly name: S["action"];
  /** Keys of its argument map. */
  readonly keys: readonly string[];
  /** Which `expect` keys apply (none for actions without a result). */
  readonly expects: readonly ExpectKey[];
  /** Whether it returns an fd (so `as` may name it). */
  readonly returnsFd?: boolean;
  readonly reference: ActionReference;
  parse(arg: Field, ctx: ParseContext): StepArgs<S>;
}

/** A system call made by a guest process. */
export interface GuestAction<S extends AnyStep> extends ActionCommon<S> {
  readonly kind: "guest";
  /** The call: user buffers placed now, the kernel path, the result read back. Throws StepError. */
  call(session: Session, s: S): SyscallPlan<Observed>;
  /** What the report prints once the call returned. */
  summary(s: S, o: Observed): string;
}

/** What an outside-world action did; `detail` is what its summary needs. */
interface OutsideDone<D> {
  detail: D;
  problems?: string[];
  /** Kernel threads it started (migration), which must finish for the step to complete. */
  threads?: Thread[];
}

/** Something the world outside the partition does (the HMC, migration, firmware), or a check of it. */
export interface OutsideAction<S extends AnyStep, D = undefined> extends ActionCommon<S> {
  readonly kind: "outside";
  /** Performs the action now, without running the kernel (the caller decides when it runs). Throws StepError. */
  act(session: Session, s: S): OutsideDone<D>;
  /** What the report prints; `detail` may still be filled by the threads the action started. */
  summary(s: S, detail: D): string;
}

/** A judged step: what it did and each expectation that did not hold. */
export interface StepOutcome {
  summary: string;
  problems: string[];
}

/** A guest step ready to run: the call, and its judgement once it returned. */
export interface GuestCall {
  plan: SyscallPlan<Observed>;
  /** Records fd bindings and compares with the expectation. */
  finish(observed: Observed): StepOutcome;
}

/** An outside step that has acted: the threads it started, and its judgement. */
export interface OutsideStarted {
  threads: Thread[];
  finish(): StepOutcome;
}

/** How a compound action's executor runs its sub-steps (the harness provides it). */
export interface SubStepRunner {
  guest(s: AnyStep): GuestCall;
  outside(s: AnyStep): OutsideStarted;
  /** Runs a step as a top-level step runs (a `repeat` body): one result per reported sub-step. */
  step(s: AnyStep): StepResult[];
}

/** One sub-step's result in a compound step. */
export interface SubResult {
  step: AnyStep;
  outcome?: StepOutcome;
  error?: string;
}

/** A step made of steps (`parallel`). */
export interface CompoundAction<S extends AnyStep> extends ActionCommon<S> {
  readonly kind: "compound";
  /** Its sub-steps in file order (what is skipped when the run stopped before it). */
  steps(s: S): AnyStep[];
  /** Runs every sub-step; one result per sub-step. */
  run(session: Session, s: S, sub: SubStepRunner): SubResult[];
}

export type Action<S extends AnyStep> = GuestAction<S> | OutsideAction<S, unknown> | CompoundAction<S>;
