// Shared helpers for the emulator tests: RTAS argument blocks, buffer lists and event logs built
// in big-endian guest memory, the way a guest kernel lays them out (spec/hvpipe-driver.md §5.1).
import { H_CPPR, KVMPPC_H_RTAS } from "../../emulator/hcall-numbers.js";
import { Machine, type MachineOptions } from "../../emulator/machine.js";

/** Default guest RAM of a Machine (16 MiB). */
export const RAM = 16 * 1024 * 1024;
/** Where the tests put their argument block, buffers and work areas (all inside RAM). */
export const ARGS = 0x1000;
export const SYSPARM_BUF = 0x2000;
export const LOG_BUF = 0x3000;
export const RECV_BUF = 0x4000;
export const LIST_BUF = 0x6000;
export const DATA_BUF = 0x7000;
/** Fill byte for "untouched" checks. */
export const SENTINEL = 0xa5;
export const SENTINEL_WORD = 0xdeadbeef | 0;

export const HMC1 = 0x02000001;
export const HMC2 = 0x02000002;
export const HVPIPE_EVENT_MASK = 0x04000000;
export const HVPIPE_IRQ = 0x1002;

/** What one H_RTAS hypercall gave back (the kernel-shim has its own RtasResult: status and outputs). */
export interface HRtasResult {
  /** r3 of the H_RTAS hypercall. */
  r3: number;
  /** rets as signed 32-bit values (rets[0] is the RTAS status). */
  rets: number[];
}

export function machine(options: MachineOptions = {}): Machine {
  return new Machine(options);
}

export function tokenOf(m: Machine, name: string): number {
  const t = m.tokens.tokenOf(name);
  if (t === undefined) throw new Error(`test: no token for ${name}`);
  return t;
}

/** Writes token, nargs, nret, args at `at`; fills the rets with SENTINEL_WORD. */
export function writeBlock(m: Machine, at: number, token: number, nargs: number, nret: number, args: readonly number[]): void {
  const mem = m.memory;
  mem.setU32(at, token);
  mem.setU32(at + 4, nargs);
  mem.setU32(at + 8, nret);
  for (let i = 0; i < nargs; i++) mem.setU32(at + 12 + 4 * i, args[i] ?? 0);
  for (let i = 0; i < nret; i++) mem.setU32(at + 12 + 4 * (nargs + i), SENTINEL_WORD);
}

/** Reads nret signed rets of the block at `at`. */
export function readRets(m: Machine, at: number, nargs: number, nret: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < nret; i++) out.push(m.memory.u32(at + 12 + 4 * (nargs + i)) | 0);
  return out;
}

/** Enters RTAS through H_RTAS with a block at `at` (default ARGS); nargs defaults to args.length. */
export function rtasToken(
  m: Machine, token: number, args: readonly number[], nret: number,
  opts: { nargs?: number; at?: number; cpu?: number } = {},
): HRtasResult {
  const at = opts.at ?? ARGS;
  const nargs = opts.nargs ?? args.length;
  writeBlock(m, at, token, nargs, nret, args);
  const { ret } = m.hcall(opts.cpu ?? 0, KVMPPC_H_RTAS, [at]);
  return { r3: ret, rets: readRets(m, at, nargs, nret) };
}

export function rtas(
  m: Machine, name: string, args: readonly number[], nret: number,
  opts: { nargs?: number; at?: number; cpu?: number } = {},
): HRtasResult {
  return rtasToken(m, tokenOf(m, name), args, nret, opts);
}

export function fill(m: Machine, at: number, length: number, byte = SENTINEL): void {
  m.memory.bytes.fill(byte, at, at + length);
}

export function bytesAt(m: Machine, at: number, length: number): number[] {
  return [...m.memory.read(at, length)];
}

export function writeBytes(m: Machine, at: number, data: readonly number[] | Uint8Array): void {
  m.memory.write(at, Uint8Array.from(data));
}

export function setBe64(m: Machine, at: number, value: bigint | number): void {
  m.memory.view.setBigUint64(at, BigInt(value), false);
}

/** ibm,set-system-parameter(parameter, SYSPARM_BUF) with the buffer bytes given. */
export function setSysparm(m: Machine, parameter: number, buffer: readonly number[]): number {
  writeBytes(m, SYSPARM_BUF, buffer);
  return rtas(m, "ibm,set-system-parameter", [parameter, SYSPARM_BUF], 1).rets[0]!;
}

/** What papr-hvpipe does at init: set-system-parameter(64, {BE16 1, u8 1}) (hvpipe-driver.md §8). */
export function enableHvpipe(m: Machine): void {
  const status = setSysparm(m, 64, [0x00, 0x01, 0x01]);
  if (status !== 0) throw new Error(`test: enabling the pipe answered ${status}`);
}

/** check-exception(0x500, 0x1002, mask, 1, buf, len) as the hvpipe IRQ handler calls it (§4.8). */
export function checkException(
  m: Machine, opts: { mask?: number; buf?: number; len?: number; nargs?: number; nret?: number } = {},
): number {
  const args = [0x500, HVPIPE_IRQ, opts.mask ?? HVPIPE_EVENT_MASK, 1, opts.buf ?? LOG_BUF, opts.len ?? 2048, 0];
  const nargs = opts.nargs ?? 6;
  return rtas(m, "check-exception", args.slice(0, nargs), opts.nret ?? 1, { nargs }).rets[0]!;
}

/** ibm,receive-hvpipe-msg(buf, size): rets (status, srcID, bytes written). */
export function receive(m: Machine, buf = RECV_BUF, size = 4096): number[] {
  return rtas(m, "ibm,receive-hvpipe-msg", [buf, size], 3).rets;
}

/** Writes a buffer list at `at`: be64 length word, then (be64 address, be64 length) pairs (§4.4 step 5). */
export function writeBufferList(
  m: Machine, at: number, entries: readonly (readonly [number | bigint, number | bigint])[], lengthWord?: number | bigint,
): void {
  setBe64(m, at, lengthWord ?? 8 + 16 * entries.length);
  entries.forEach(([addr, len], i) => {
    setBe64(m, at + 8 + 16 * i, addr);
    setBe64(m, at + 16 + 16 * i, len);
  });
}

/** ibm,send-hvpipe-msg(srcID, list): rets[0]. */
export function send(m: Machine, source: number, list = LIST_BUF): number {
  return rtas(m, "ibm,send-hvpipe-msg", [source, list], 1).rets[0]!;
}

/** Puts `payload` at DATA_BUF, a one-entry list at LIST_BUF, and sends it. */
export function sendPayload(m: Machine, source: number, payload: Uint8Array): number {
  writeBytes(m, DATA_BUF, payload);
  writeBufferList(m, LIST_BUF, [[DATA_BUF, payload.length]]);
  return send(m, source);
}

/** A payload of `length` bytes with a recognisable pattern. */
export function pattern(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + seed * 31) & 0xff;
  return out;
}

/** A kernel's set-up of the hvpipe IRQ: H_CPPR(0xff) on the CPU, then ibm,set-xive(irq, 0, 5) and ibm,int-on. */
export function enableEventIrq(m: Machine, irq = HVPIPE_IRQ): void {
  m.hcall(0, H_CPPR, [0xff]);
  if (rtas(m, "ibm,set-xive", [irq, 0, 5], 1).rets[0] !== 0) throw new Error("test: set-xive failed");
  if (rtas(m, "ibm,int-on", [irq], 1).rets[0] !== 0) throw new Error("test: int-on failed");
}

export interface LogSection {
  id: string;
  offset: number;
  length: number;
  data: Uint8Array;
}

/**
 * Linux's get_pseries_errorlog walk (hvpipe-driver.md §6.3): requires ext length >= 20, format 14
 * and "IBM\0", then steps from absolute offset 24 by each section's length while p < 8 + ext length.
 * Throws on a zero length (Linux would loop forever).
 */
export function walkSections(log: Uint8Array): LogSection[] {
  const dv = new DataView(log.buffer, log.byteOffset, log.byteLength);
  const extLen = dv.getUint32(4);
  if (extLen < 20 || (log[10]! & 0x0f) !== 14 || dv.getUint32(20) !== 0x49424d00) return [];
  const out: LogSection[] = [];
  for (let p = 24; p < 8 + extLen;) {
    const length = dv.getUint16(p + 2);
    if (length === 0) throw new Error(`section at ${p} has length 0`);
    out.push({
      id: String.fromCharCode(log[p]!, log[p + 1]!),
      offset: p,
      length,
      data: log.slice(p + 8, p + length),
    });
    p += length;
  }
  return out;
}
