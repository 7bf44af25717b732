// What a guest step observed, and its comparison with the step's expectation.
import { Errno, HvpipeFlag, Poll, pollNames, type HvpipeFlagName } from "../../kernel-shim/uapi.js";
import { errnoText, flagNames } from "../format.js";
import { bytesProblem } from "./byte-diff.js";
import type { Expect } from "../scenario/model.js";

/** What a guest step observed, compared against its expectation. */
export interface Observed {
  ret: number;
  flags?: number;
  payload?: Uint8Array;
  header?: Uint8Array;
  revents?: number;
}

export function compare(expect: Expect, o: Observed): string[] {
  const problems: string[] = [];
  // As user space sees it: a failing call returns -1 and sets errno.
  const userRet = o.ret < 0 ? -1 : o.ret;
  if (expect.ret !== undefined && userRet !== expect.ret) problems.push(`ret: got ${errnoText(o.ret)}, expected ${expect.ret}`);
  if (expect.errno !== undefined && o.ret !== -Errno[expect.errno]) {
    problems.push(`errno: got ${errnoText(o.ret)}, expected ${expect.errno}`);
  }
  if (expect.flags !== undefined) {
    const got = o.flags === undefined ? "no header" : `[${flagNames(o.flags).join(", ")}]`;
    const want = `[${[...expect.flags].sort(byFlag).join(", ")}]`;
    if (got !== want) problems.push(`flags: got ${got}, expected ${want}`);
  }
  if (expect.payload !== undefined) {
    const problem = bytesProblem("payload", o.payload ?? new Uint8Array(0), expect.payload);
    if (problem !== undefined) problems.push(problem);
  }
  if (expect.header !== undefined) {
    const problem = bytesProblem("header", o.header ?? new Uint8Array(0), expect.header, 96);
    if (problem !== undefined) problems.push(problem);
  }
  if (expect.revents !== undefined) {
    const want = expect.revents.reduce((m, n) => m | Poll[n], 0);
    if ((o.revents ?? 0) !== want) {
      problems.push(`revents: got [${pollNames(o.revents ?? 0).join(", ")}], expected [${pollNames(want).join(", ")}]`);
    }
  }
  return problems;
}

function byFlag(a: HvpipeFlagName, b: HvpipeFlagName): number {
  return HvpipeFlag[a] - HvpipeFlag[b];
}
