// The typed model of a scenario file (spec/scenario-format.md, version 1, plus extensions): the
// machine, expectations and what every step has. Each action's own step type is in its file in
// runner/actions/; the union of them is `Step` (runner/actions/index.ts). Everything here is plain
// data: positions are 1-based lines and columns in the scenario file, payloads are bytes (UTF-8
// for text), numbers are already resolved (hex, names).

import type { HotPathBuild } from "../../emulator/hotpath.js";
import type { KernelFaultPoint } from "../../kernel-shim/fault-points.js";
import type { DriverProfile } from "../../kernel-shim/profile.js";
import type { OutsideWorldRefusalCode } from "../../emulator/outside/refusal.js";
import type { ErrnoName, HvpipeFlagName, PollName } from "../../kernel-shim/uapi.js";

/** A hypervisor policy value (the choices the public spec leaves open), by policy name. */
export type PolicyValue = string | number | boolean;

export interface MachineConfig {
  /** Number of CPUs, 1..64; default 1. */
  cpus: number;
  /** HMC source ids connected to the partition (u32); default [0x02000001]. */
  sources: number[];
  /** Default "mainline". */
  driver: DriverProfile;
  /** Whether /rtas/ibm,hypervisor-pipe-capable is present; default true. */
  hvpipeCapable: boolean;
  /** RTAS function names left out of /rtas; default []. */
  omitRtas: string[];
  /** Hypervisor policies by name; default {}. Checked against the emulator's table by loadScenarioFile (ParseOptions.platform), else when the machine is built. */
  policy: Record<string, PolicyValue>;
  /** Seed of the random scheduling policy; absent = the default deterministic policy. */
  seed?: number;
  /** Extension: run rtasd, the kernel's periodic event-scan thread (kernel-shim/pseries/rtasd.ts); default false. */
  rtasd?: boolean;
  /** Extension: kernel services that fail when the driver calls them (e.g. misc_register at init). */
  kernelFaults?: KernelFaultPoint[];
  /** Extension: boot from this device-tree blob (emulator/machine-dt-merge.ts); `path` as resolved, for messages. */
  dtb?: { path: string; blob: Uint8Array };
  /** Whether the file gave `cpus`: with a dtb it must then equal the blob's CPU threads, else the blob's count is used. */
  cpusExplicit?: boolean;
  /** Not from the file: which build of the emulator's hot path runs (CLI --hot-path, benchmarks); default wasm. */
  hotPath?: HotPathBuild;
}

/** An fd: a name bound earlier by `as` (a string), or a literal fd number (possibly negative, e.g. -1). */
export type FdRef = string | number;

export const EXPECT_KEYS = ["ret", "errno", "flags", "payload", "revents", "header", "refused"] as const;
export type ExpectKey = (typeof EXPECT_KEYS)[number];

/** What a step's result must be; every present key is compared exactly. */
export interface Expect {
  ret?: number;
  errno?: ErrnoName;
  flags?: HvpipeFlagName[];
  payload?: Uint8Array;
  revents?: PollName[];
  /** Extension: the papr_hvpipe_hdr bytes a read copied (48, or fewer if it returned less). */
  header?: Uint8Array;
  /** Outside-world actions: the hypervisor refuses the action with this code. */
  refused?: OutsideWorldRefusalCode;
}

// Every code the emulator's outside-world port refuses with (emulator/outside/refusal.ts); a
// record, so a code the emulator adds fails to compile until it is listed here.
const REFUSALS: Record<OutsideWorldRefusalCode, true> = {
  "unknown-source": true,
  "not-connected": true,
  "payload-size": true,
  "pipe-full": true,
  "unknown-rtas-function": true,
};
export const REFUSAL_CODES = Object.keys(REFUSALS) as OutsideWorldRefusalCode[];

/**
 * Extension: hand the driver a user pointer that faults. `buffer`: nothing of it is mapped;
 * `payload`: only its first 48 bytes (the header) are mapped.
 */
export type UserFault = "buffer" | "payload";
export const USER_FAULTS: readonly UserFault[] = ["buffer", "payload"];

export interface StepBase {
  /** 1-based line of the step's action key. */
  line: number;
  /** 1-based column of the step's action key. */
  column: number;
  /** The guest process issuing the step; default "p1". Outside-world steps and `parallel` always carry "p1" (a `proc` key is rejected on them). */
  proc: string;
  /** Name bound to the returned fd (only actions that return one: open and ioctl). */
  as?: string;
  /** On guest process actions, and `refused` on outside-world actions that can be refused. */
  expect?: Expect;
  /** Per-profile expectations instead of `expect` (a profile not named checks nothing). */
  expectFor?: Partial<Record<DriverProfile, Expect>>;
}

/** A step of some action; each action's file (runner/actions/) declares its own step type. */
export interface AnyStep extends StepBase {
  readonly action: string;
}

