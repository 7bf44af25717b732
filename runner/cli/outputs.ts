// Where each reporter writes: stdout (through console.log) or its own file, with colours decided
// per destination, and the progress line on a terminal.
import { closeSync, openSync, writeSync } from "node:fs";
import type { ProgressLine } from "../reporters/reporter.js";
import { UsageError } from "./usage.js";

export interface Output {
  print(text: string): void;
  color: boolean;
  progress?: ProgressLine;
  close(): void;
}

/**
 * Colours: FORCE_COLOR (set and not "0"/"false") turns them on anywhere, even in a file, and takes
 * precedence over NO_COLOR (set and not empty), which turns them off; otherwise a terminal has them.
 */
export function colorFor(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY;
}

/** Stdout; on a terminal with a progress line, which any reporter's output first takes away. */
export function stdoutOutput(): Output {
  const tty = process.stdout.isTTY === true;
  let shown = false;
  const clear = (): void => {
    if (shown) process.stdout.write("\r\x1b[2K");
    shown = false;
  };
  const show = (text: string): void => {
    process.stdout.write(`\r\x1b[2K${text.slice(0, Math.max(20, (process.stdout.columns ?? 80) - 1))}`);
    shown = true;
  };
  const print = (text: string): void => {
    clear();
    console.log(text);
  };
  return { print, color: colorFor(tty), progress: tty ? { show, clear } : undefined, close: clear };
}

export function fileOutput(path: string): Output {
  let fd: number;
  try {
    fd = openSync(path, "w");
  } catch (e) {
    throw new UsageError(`--reporter …:${path}: cannot write the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return { print: (text) => void writeSync(fd, `${text}\n`), color: colorFor(false), close: () => closeSync(fd) };
}
