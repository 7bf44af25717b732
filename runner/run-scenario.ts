// Runs a parsed scenario on a freshly booted partition, step by step, checking expectations.
import { KernelFault } from "../kernel-shim/sched/scheduler.js";
import { HVPIPE_SUSPEND, HVPIPE_RESUME } from "../kernel-shim/papr-hvpipe/driver.js";
import type { TraceRecord } from "../kernel-shim/sched/context.js";
import type { LogLine } from "../kernel-shim/kernel.js";
import { GuestSyscalls, SyscallDidNotReturn, withHeader } from "./guest-syscalls.js";
import { Errno, Poll, pollNames, HvpipeFlag, type HvpipeFlagName, type PollName } from "../kernel-shim/uapi.js";
import { bootPartition, type Partition } from "./partition.js";
import type { Expect, FdRef, GuestStep, OutsideStep, Scenario, Step } from "./scenario-types.js";
import { describeBytes, errnoText } from "./format.js";

export type StepStatus = "pass" | "fail" | "error" | "skipped";

export interface StepResult {
  line: number;
  column: number;
  action: string;
  proc: string;
  /** What the step did, e.g. `read(h1, 4096) = 53`. */
  summary: string;
  status: StepStatus;
  /** Each expectation that did not hold, or the error. */
  problems: string[];
}

export interface ScenarioResult {
  file: string;
  name: string;
  passed: boolean;
  steps: StepResult[];
  /** A fault that stopped the run (deadlock, oops, boot failure), with the step it happened at. */
  fault?: string;
  emulatedTimeNs: number;
  kernelLog: LogLine[];
  trace: TraceRecord[];
  wallMs: number;
}

/** What a guest step observed, compared against its expectation. */
interface Observed {
  ret: number;
  flags?: number;
  payload?: Uint8Array;
  revents?: number;
}

class StepError extends Error {}

export function runScenario(scenario: Scenario): ScenarioResult {
  const started = performance.now();
  const steps: StepResult[] = [];
  let fault: string | undefined;
  let part: Partition | undefined;
  try {
    part = bootPartition(scenario.machine);
  } catch (e) {
    fault = `boot failed: ${(e as Error).message}`;
  }
  const fds = new Map<string, Map<string, number>>();
  const pids = new Map<string, number>();
  for (const s of scenario.steps) {
    const base = { line: s.line, column: s.column, action: s.action, proc: s.proc };
    if (fault || !part) {
      steps.push({ ...base, summary: "", status: "skipped", problems: [] });
      continue;
    }
    try {
      const { summary, problems } = runStep(part, s, fds, pids);
      steps.push({ ...base, summary, status: problems.length ? "fail" : "pass", problems });
    } catch (e) {
      const err = e as Error;
      const what = e instanceof KernelFault ? `kernel ${e.fault}: ${e.message}` : err.message;
      steps.push({ ...base, summary: "", status: "error", problems: [what] });
      if (!(e instanceof StepError)) fault = `${what} (at line ${s.line})`;
    }
  }
  return {
    file: scenario.file,
    name: scenario.name,
    passed: !fault && steps.every((s) => s.status === "pass"),
    steps,
    fault,
    emulatedTimeNs: part?.kernel.sched.nowNs ?? 0,
    kernelLog: part?.kernel.log ?? [],
    trace: part?.kernel.sched.trace ?? [],
    wallMs: performance.now() - started,
  };
}

function runStep(part: Partition, s: Step, fds: Map<string, Map<string, number>>, pids: Map<string, number>): { summary: string; problems: string[] } {
  switch (s.action) {
    case "open": case "ioctl": case "write": case "read": case "poll": case "close": {
      const { summary, observed } = guestStep(part, s, fdsOf(fds, s.proc), pidOf(pids, s.proc));
      return { summary, problems: s.expect ? compare(s.expect, observed) : [] };
    }
    case "parallel":
      throw new StepError("parallel steps are not supported by this runner yet");
    default:
      return { summary: outsideStep(part, s), problems: outsideProblems(part, s) };
  }
}

function pidOf(pids: Map<string, number>, proc: string): number {
  let pid = pids.get(proc);
  if (pid === undefined) {
    pid = pids.size + 1;
    pids.set(proc, pid);
  }
  return pid;
}

/** fd names belong to the process that bound them. */
function fdsOf(all: Map<string, Map<string, number>>, proc: string): Map<string, number> {
  let m = all.get(proc);
  if (!m) all.set(proc, (m = new Map()));
  return m;
}

function fdOf(fds: Map<string, number>, ref: FdRef): number {
  if (typeof ref === "number") return ref;
  const fd = fds.get(ref);
  if (fd === undefined) throw new StepError(`fd "${ref}" is not bound: its open or ioctl failed`);
  return fd;
}

function guestStep(part: Partition, s: GuestStep, fds: Map<string, number>, pid: number): { summary: string; observed: Observed } {
  const sys = new GuestSyscalls(part.kernel);
  try {
    switch (s.action) {
      case "open": {
        const ret = sys.open(pid, s.path);
        if (s.as && ret >= 0) fds.set(s.as, ret);
        return { summary: `open("${s.path}") = ${errnoText(ret)}`, observed: { ret } };
      }
      case "ioctl": {
        const ret = sys.ioctl(pid, fdOf(fds, s.fd), s.cmd, s.src);
        if (s.as && ret >= 0) fds.set(s.as, ret);
        return { summary: `ioctl(${s.fd}, 0x${(s.cmd >>> 0).toString(16)}, &0x${(s.src >>> 0).toString(16)}) = ${errnoText(ret)}`, observed: { ret } };
      }
      case "write": {
        const bytes = s.raw ?? withHeader(s.payload ?? new Uint8Array(0));
        const size = s.size ?? bytes.length;
        const ret = sys.write(pid, fdOf(fds, s.fd), bytes, size);
        const what = s.raw ? describeBytes(s.raw) : `header + ${describeBytes(s.payload!)}`;
        return { summary: `write(${s.fd}, ${what}, ${size}) = ${errnoText(ret)}`, observed: { ret } };
      }
      case "read": {
        const r = sys.read(pid, fdOf(fds, s.fd), s.size);
        const detail = r.flags === undefined ? "" : ` flags=[${flagNames(r.flags).join(", ")}] payload=${describeBytes(r.payload!)}`;
        return { summary: `read(${s.fd}, ${s.size}) = ${errnoText(r.ret)}${detail}`, observed: r };
      }
      case "poll": {
        const revents = sys.poll(pid, fdOf(fds, s.fd), s.timeout);
        return {
          summary: `poll(${s.fd}, ${s.timeout}) = ${revents ? 1 : 0} revents=[${pollNames(revents).join(", ")}]`,
          observed: { ret: revents ? 1 : 0, revents },
        };
      }
      case "close": {
        const ret = sys.close(pid, fdOf(fds, s.fd));
        if (typeof s.fd === "string" && ret === 0) fds.delete(s.fd);
        return { summary: `close(${s.fd}) = ${errnoText(ret)}`, observed: { ret } };
      }
    }
  } catch (e) {
    if (e instanceof SyscallDidNotReturn) throw new StepError(e.message);
    throw e;
  }
}

function outsideStep(part: Partition, s: OutsideStep): string {
  const { machine, kernel } = part;
  const src = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, "0")}`;
  const outside = (fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      throw new StepError((e as Error).message);
    }
  };
  switch (s.action) {
    case "hmc-send":
      outside(() => machine.hvpipe.hmcSend(s.source, s.payload));
      kernel.settle();
      return `HMC ${src(s.source)} sends ${describeBytes(s.payload)}`;
    case "hmc-close":
      outside(() => machine.hvpipe.hmcClose(s.source));
      kernel.settle();
      return `pipe to HMC ${src(s.source)} lost`;
    case "hmc-open":
      outside(() => machine.hvpipe.hmcOpen(s.source));
      kernel.settle();
      return `HMC ${src(s.source)} connected`;
    case "fault":
      outside(() => machine.rtas.injectFault(s.rtas, s.status, s.times));
      return `next ${s.times} call(s) of ${s.rtas} answer ${s.status}`;
    case "migrate": {
      const driver = kernel.hvpipe;
      const phase = (action: 0 | 1): void => {
        if (!driver) return;
        const t = kernel.sched.spawn(`migration/${action ? "resume" : "suspend"}`, "kthread", driver.migrationHandler(action));
        kernel.sched.runUntilQuiescent();
        if (t.state !== "done") throw new StepError(`migration handler did not finish (${t.blockReason})`);
      };
      if (s.phase !== "resume") phase(HVPIPE_SUSPEND);
      if (s.phase !== "suspend") {
        machine.hvpipe.migrate();
        phase(HVPIPE_RESUME);
      }
      return `migration${s.phase === "both" ? "" : ` (${s.phase})`}`;
    }
    case "expect-hmc":
      return `HMC ${src(s.source)} has received ${machine.hvpipe.sources.get(s.source)?.received.length ?? 0} payload(s)`;
  }
}

function outsideProblems(part: Partition, s: OutsideStep): string[] {
  if (s.action !== "expect-hmc") return [];
  const hmc = part.machine.hvpipe.sources.get(s.source);
  if (!hmc) throw new StepError(`no HMC source 0x${(s.source >>> 0).toString(16)} is attached to the partition`);
  const got = hmc.received;
  const problems: string[] = [];
  if (got.length !== s.received.length) {
    problems.push(`received ${got.length} payload(s) [${got.map(describeBytes).join(", ")}], expected ${s.received.length} [${s.received.map(describeBytes).join(", ")}]`);
  } else {
    s.received.forEach((want, i) => {
      if (!equalBytes(want, got[i]!)) problems.push(`payload ${i + 1}: got ${describeBytes(got[i]!)}, expected ${describeBytes(want)}`);
    });
  }
  return problems;
}

function compare(expect: Expect, o: Observed): string[] {
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
  if (expect.revents !== undefined) {
    const want = expect.revents.reduce((m, n) => m | Poll[n], 0);
    if ((o.revents ?? 0) !== want) {
      problems.push(`revents: got [${pollNames(o.revents ?? 0).join(", ")}], expected [${pollNames(want).join(", ")}]`);
    }
  }
  return problems;
}

function flagNames(flags: number): string[] {
  const names = (Object.keys(HvpipeFlag) as HvpipeFlagName[]).filter((n) => flags & HvpipeFlag[n]);
  const unknown = flags & ~(HvpipeFlag.HVPIPE_MSG_AVAILABLE | HvpipeFlag.HVPIPE_LOST_CONNECTION);
  return unknown ? [...names, `0x${unknown.toString(16)}`] : names;
}

function byFlag(a: HvpipeFlagName, b: HvpipeFlagName): number {
  return HvpipeFlag[a] - HvpipeFlag[b];
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export type { PollName };
