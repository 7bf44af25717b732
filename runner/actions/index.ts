// The registry of scenario actions: adding an action is its file and one row here. Everything
// that lists, parses, validates, runs or documents actions reads this table, in this order
// (the order messages list them in).
import type { AnyStep, ExpectKey } from "../scenario/model.js";
import type { Action, CompoundAction, GuestAction, OutsideAction } from "./action.js";
import { close } from "./close.js";
import { expectDmesg } from "./expect-dmesg.js";
import { expectHmc } from "./expect-hmc.js";
import { fault } from "./fault.js";
import { hmcClose } from "./hmc-close.js";
import { hmcOpen } from "./hmc-open.js";
import { hmcSend } from "./hmc-send.js";
import { ioctl } from "./ioctl.js";
import { migrate } from "./migrate.js";
import { open } from "./open.js";
import { parallel } from "./parallel.js";
import { poll } from "./poll.js";
import { read } from "./read.js";
import { repeat } from "./repeat.js";
import { write } from "./write.js";

const ACTIONS = [
  open,
  ioctl,
  write,
  read,
  poll,
  close,
  hmcSend,
  hmcClose,
  hmcOpen,
  migrate,
  fault,
  expectHmc,
  expectDmesg,
  parallel,
  repeat,
] as const;

type StepOf<A> = A extends Action<infer S> ? S : never;
/** A step of any registered action, discriminated on `action`. */
export type Step = StepOf<(typeof ACTIONS)[number]>;

/** Any registered action; its methods take the steps it parsed. */
type AnyAction = GuestAction<AnyStep> | OutsideAction<AnyStep, unknown> | CompoundAction<AnyStep>;

const BY_NAME = new Map<string, AnyAction>(ACTIONS.map((a): [string, AnyAction] => [a.name, a]));

/** Every action key, in registry order. */
export const ACTION_NAMES: readonly string[] = ACTIONS.map((a) => a.name);

export function actionNamed(name: string): AnyAction | undefined {
  return BY_NAME.get(name);
}

/** The action of a parsed step (the parser only makes steps of registered actions). */
export function actionOf(step: AnyStep): AnyAction {
  const action = BY_NAME.get(step.action);
  if (action === undefined) throw new Error(`no action "${step.action}" is registered`);
  return action;
}

/** The actions whose result an expectation key applies to, in registry order. */
export function actionsExpecting(key: ExpectKey): string[] {
  return ACTIONS.filter((a) => (a.expects as readonly ExpectKey[]).includes(key)).map((a) => a.name);
}

/** The action table of docs/scenario-format.md (action, argument, what it does), one row per action. */
export function referenceRows(): string[] {
  return ACTIONS.map((a) => `| \`${a.name}\` | ${a.reference.argument} | ${a.reference.does} |`);
}
