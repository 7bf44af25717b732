// Every error a command can meet, in its documented form (README "Exit codes"): bad usage and
// invalid input exit 2 with one line naming what is wrong; anything else is papr-emu's own
// defect, reported as an internal error with a hint to report it, exit 70 (EX_SOFTWARE).
// A stack trace reaching the user is a defect, so none is printed here.
import { CommanderError } from "commander";
import { DtError, FdtFormatError } from "../../devicetree/index.js";
import { MachineTreeError } from "../../emulator/base-tree.js";
import { ScheduleFileError } from "../explore/schedule-file.js";
import { ScenarioError } from "../scenario/errors.js";
import { UsageError } from "./usage.js";

const EXIT_INVALID_INPUT = 2;
const EXIT_INTERNAL_ERROR = 70;

/** Prints `e` through `printErr` and gives the exit code. */
export function reportError(e: unknown, printErr: (line: string) => void = (l) => console.error(l)): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_INVALID_INPUT;
  if (e instanceof UsageError || e instanceof ScenarioError || e instanceof ScheduleFileError) {
    printErr(`papr-emu: ${e.message}`);
    return EXIT_INVALID_INPUT;
  }
  if (e instanceof FdtFormatError) {
    printErr(`papr-emu: not a valid DTB: ${e.message}`);
    return EXIT_INVALID_INPUT;
  }
  if (e instanceof MachineTreeError) {
    printErr(`papr-emu: the blob cannot serve as the partition's tree: ${e.message}`);
    return EXIT_INVALID_INPUT;
  }
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  // A DtError here is the emulator misusing its own tree model, not a bad blob (those are
  // FdtFormatError or MachineTreeError before any tree is built).
  const kind = e instanceof DtError ? "device-tree model misuse" : "failed invariant";
  printErr(`papr-emu: internal error (${kind}): ${what}`);
  printErr("papr-emu: this is a bug in papr-emu, not in your input; please report it with the command line and the files it read");
  return EXIT_INTERNAL_ERROR;
}
