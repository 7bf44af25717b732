// The kernel log: each printk is a line with the emulated time, and a step in the trace.
import type { Scheduler } from "./sched/scheduler.js";
import { step, type KStep } from "./sched/types.js";

export type LogLevel = "info" | "warn" | "err";

export interface LogLine {
  timeNs: number;
  level: LogLevel;
  text: string;
}

/** printk as a subsystem receives it. */
export type Printk = (level: LogLevel, text: string) => KStep;

export function kernelLog(sched: Scheduler, lines: LogLine[]): Printk {
  return function* printk(level, text) {
    lines.push({ timeNs: sched.nowNs, level, text });
    yield* step({ kind: "printk", level, text });
  };
}
