// Schedule files: a run's decisions as values (DESIGN.md), with the scenario and profile they
// belong to and the fault they lead to. `papr-emu run --schedule FILE` replays one exactly.
import { readFile, writeFile } from "node:fs/promises";
import type { Decision } from "../../kernel-shim/sched/policy.js";
import { DRIVER_PROFILES, type DriverProfile } from "../../kernel-shim/profile.js";

export const SCHEDULE_FORMAT = "papr-emu-schedule/1";

export interface ScheduleFile {
  format: typeof SCHEDULE_FORMAT;
  scenario: string;
  driver: DriverProfile;
  fault?: { kind: string; message: string };
  preemptions: number;
  decisions: Decision[];
}

/** A schedule file that cannot be read: names the file and the field. */
export class ScheduleFileError extends Error {}

const CHOICE_FIELDS: Record<Decision["kind"], Record<string, "number" | "string" | "boolean">> = {
  irq: { cpu: "number" },
  run: { cpu: "number", context: "string", spinning: "boolean" },
  place: { thread: "string", cpu: "number" },
  preempt: { thread: "string", cpu: "number" },
  external: { actor: "string" },
};

function checkDecision(file: string, i: number, d: unknown): Decision {
  const where = `${file}: decisions[${i}]`;
  if (typeof d !== "object" || d === null) throw new ScheduleFileError(`${where}: expected an object`);
  const kind = (d as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !Object.hasOwn(CHOICE_FIELDS, kind)) {
    throw new ScheduleFileError(`${where}.kind: expected one of ${Object.keys(CHOICE_FIELDS).join(", ")}, got ${JSON.stringify(kind)}`);
  }
  for (const [field, type] of Object.entries(CHOICE_FIELDS[kind as Decision["kind"]])) {
    const v = (d as Record<string, unknown>)[field];
    if (typeof v !== type) throw new ScheduleFileError(`${where}.${field}: expected a ${type}, got ${JSON.stringify(v)}`);
  }
  return d as Decision;
}

export function parseScheduleFile(text: string, file: string): ScheduleFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ScheduleFileError(`${file}: not JSON (${(e as Error).message})`);
  }
  const o = raw as Partial<Record<keyof ScheduleFile, unknown>>;
  if (typeof raw !== "object" || raw === null || o.format !== SCHEDULE_FORMAT) {
    throw new ScheduleFileError(`${file}: format: expected "${SCHEDULE_FORMAT}"`);
  }
  if (typeof o.scenario !== "string") throw new ScheduleFileError(`${file}: scenario: expected a string`);
  if (typeof o.driver !== "string" || !(DRIVER_PROFILES as readonly string[]).includes(o.driver)) {
    throw new ScheduleFileError(`${file}: driver: expected ${DRIVER_PROFILES.join(" or ")}`);
  }
  if (typeof o.preemptions !== "number") throw new ScheduleFileError(`${file}: preemptions: expected a number`);
  if (!Array.isArray(o.decisions)) throw new ScheduleFileError(`${file}: decisions: expected a list`);
  return { ...(o as ScheduleFile), decisions: o.decisions.map((d, i) => checkDecision(file, i, d)) };
}

export async function readScheduleFile(file: string): Promise<ScheduleFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new ScheduleFileError(`${file}: cannot read the schedule file`);
  }
  return parseScheduleFile(text, file);
}

export async function writeScheduleFile(file: string, s: ScheduleFile): Promise<void> {
  await writeFile(file, `${JSON.stringify(s, null, 1)}\n`);
}
