// A guest process's step: the system call it makes, what it observed, and the comparison with
// the step's expectation.
import { Errno, HvpipeFlag, Poll, pollNames, type HvpipeFlagName } from "../kernel-shim/uapi.js";
import { withHeader, type BufferPlacement, type SyscallPlan } from "./guest-syscalls.js";
import { describeBytes, errnoText } from "./format.js";
import type { Expect, GuestStep, UserFault } from "./scenario-types.js";
import type { Session } from "./session.js";

/** What a guest step observed, compared against its expectation. */
export interface Observed {
  ret: number;
  flags?: number;
  payload?: Uint8Array;
  header?: Uint8Array;
  revents?: number;
}

export interface GuestOutcome {
  summary: string;
  problems: string[];
}

/** The call a guest step makes, and how to judge its result. */
export interface GuestCall {
  plan: SyscallPlan<Observed>;
  /** Records fd bindings and compares with the expectation, once the call returned. */
  finish(observed: Observed): GuestOutcome;
}

function placement(fault: UserFault | undefined): BufferPlacement {
  return fault ?? "mapped";
}

export function guestCall(session: Session, s: GuestStep): GuestCall {
  const sys = session.sys;
  const pid = session.pid(s.proc);
  const judge = (summary: string, o: Observed): GuestOutcome => ({ summary, problems: s.expect ? compare(s.expect, o) : [] });
  const plain = (plan: SyscallPlan<number>): SyscallPlan<Observed> => ({ ...plan, result: (ret) => ({ ret: plan.result(ret) }) });
  const faultNote = "userFault" in s && s.userFault ? ` [user-fault: ${s.userFault}]` : "";
  switch (s.action) {
    case "open":
      return {
        plan: plain(sys.openPlan(pid, s.path)),
        finish: (o) => {
          if (s.as && o.ret >= 0) session.bind(s.proc, s.as, o.ret);
          return judge(`open("${s.path}") = ${errnoText(o.ret)}`, o);
        },
      };
    case "ioctl":
      return {
        plan: plain(sys.ioctlPlan(pid, session.fd(s.proc, s.fd), s.cmd, s.src, placement(s.userFault))),
        finish: (o) => {
          if (s.as && o.ret >= 0) session.bind(s.proc, s.as, o.ret);
          return judge(`ioctl(${s.fd}, 0x${(s.cmd >>> 0).toString(16)}, &0x${(s.src >>> 0).toString(16)})${faultNote} = ${errnoText(o.ret)}`, o);
        },
      };
    case "write": {
      const bytes = s.raw ?? withHeader(s.payload ?? new Uint8Array(0));
      const size = s.size ?? bytes.length;
      const what = s.raw ? describeBytes(s.raw) : `header + ${describeBytes(s.payload!)}`;
      return {
        plan: plain(sys.writePlan(pid, session.fd(s.proc, s.fd), bytes, size, placement(s.userFault))),
        finish: (o) => judge(`write(${s.fd}, ${what}, ${size})${faultNote} = ${errnoText(o.ret)}`, o),
      };
    }
    case "read":
      return {
        plan: sys.readPlan(pid, session.fd(s.proc, s.fd), s.size, placement(s.userFault)),
        finish: (o) => {
          const detail = o.flags === undefined ? "" : ` flags=[${flagNames(o.flags).join(", ")}] payload=${describeBytes(o.payload ?? new Uint8Array(0))}`;
          return judge(`read(${s.fd}, ${s.size})${faultNote} = ${errnoText(o.ret)}${detail}`, o);
        },
      };
    case "poll": {
      const inner = sys.pollPlan(pid, session.fd(s.proc, s.fd), s.timeout);
      return {
        plan: { ...inner, result: (ret) => ({ ret, revents: ret < 0 ? 0 : inner.result(ret) }) },
        finish: (o) => judge(`poll(${s.fd}, ${s.timeout}) = ${o.ret} revents=[${pollNames(o.revents ?? 0).join(", ")}]`, o),
      };
    }
    case "close":
      return {
        plan: plain(sys.closePlan(session.fd(s.proc, s.fd))),
        // The name stays bound to the number, so a later use gets EBADF as a program would.
        finish: (o) => judge(`close(${s.fd}) = ${errnoText(o.ret)}`, o),
      };
  }
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
    const got = o.payload ?? new Uint8Array(0);
    if (!equalBytes(got, expect.payload)) problems.push(`payload: got ${describeBytes(got)}, expected ${describeBytes(expect.payload)}`);
  }
  if (expect.header !== undefined) {
    const got = o.header ?? new Uint8Array(0);
    if (!equalBytes(got, expect.header)) problems.push(`header: got ${describeBytes(got, 96)}, expected ${describeBytes(expect.header, 96)}`);
  }
  if (expect.revents !== undefined) {
    const want = expect.revents.reduce((m, n) => m | Poll[n], 0);
    if ((o.revents ?? 0) !== want) {
      problems.push(`revents: got [${pollNames(o.revents ?? 0).join(", ")}], expected [${pollNames(want).join(", ")}]`);
    }
  }
  return problems;
}

export function flagNames(flags: number): string[] {
  const names = (Object.keys(HvpipeFlag) as HvpipeFlagName[]).filter((n) => flags & HvpipeFlag[n]);
  const unknown = flags & ~(HvpipeFlag.HVPIPE_MSG_AVAILABLE | HvpipeFlag.HVPIPE_LOST_CONNECTION);
  return unknown ? [...names, `0x${(unknown >>> 0).toString(16)}`] : names;
}

function byFlag(a: HvpipeFlagName, b: HvpipeFlagName): number {
  return HvpipeFlag[a] - HvpipeFlag[b];
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
