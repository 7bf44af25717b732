// The per-message hot path of the hypervisor, on guest memory.
//
// Linear memory (imported, owned by the host) is laid out as:
//   [0, ramSize)                 guest real memory, big-endian data as the guest sees it
//   [fifoBase, +slots*slotSize)  the pipe's inbound FIFO (hypervisor-private)
//   [outBase, +maxPayload)       the payload gathered by the last send
//   [logBase, +LOG_CAPACITY)     the event log built by the last check-exception
// Every function does one whole RTAS call's worth of work; none traps on guest input:
// addresses and lengths are checked against ramSize before any access.
//
// The same source is also built as plain JavaScript (scripts/build-hotpath-js.mjs), so it keeps to
// what means the same in both: memory only through ./memory-ops, u32/i32 wrapping and integer
// division written as the portable conversions u32(…)/i32(…), never as <T> casts.

import { copyBytes, fillBytes, ldU32be, ldU32host, stU16be, stU32be, stU32host, stU8 } from "./memory-ops";

const PARAM_ERROR: i32 = -3;
const SUCCESS: i32 = 0;

const SLOT_HEADER: u32 = 8; // u32 source id, u32 length (host order: private to the hypervisor)
const LOG_CAPACITY: u32 = 256;

let ramSize: u32 = 0;
let maxPayload: u32 = 0;
let slotSize: u32 = 0;
let slotCount: u32 = 0;
let fifoBase: u32 = 0;
let head: u32 = 0;
let count: u32 = 0;
let outBase: u32 = 0;
let logBase: u32 = 0;
let lastSendSource: u32 = 0;

// ---- guest memory: every access goes through memory-ops (AssemblyScript or the JS shim) ----

/** The high word of a big-endian u64; the callers require it to be 0 (guest memory is below 4 GiB). */
@inline function ld64hi(addr: u32): u32 {
  return ldU32be(addr);
}
/** True when [addr, addr+len) lies inside guest memory (no wrap-around). */
@inline function inRam(addr: u32, len: u32): bool {
  return addr <= ramSize && len <= ramSize - addr;
}

/** Sets up the hypervisor area after guest memory; returns its end (the memory the host must provide). */
export function init(guestRamSize: u32, payloadLimit: u32, fifoSlots: u32): u32 {
  ramSize = guestRamSize;
  maxPayload = payloadLimit;
  slotSize = u32((SLOT_HEADER + payloadLimit + 7) & ~7);
  slotCount = fifoSlots;
  fifoBase = u32((guestRamSize + 7) & ~7);
  outBase = fifoBase + slotSize * slotCount;
  logBase = u32((outBase + payloadLimit + 7) & ~7);
  head = 0;
  count = 0;
  return logBase + LOG_CAPACITY;
}

// ---- the inbound FIFO ----

/** Address where the host writes the next inbound payload, or 0 when the FIFO is full. */
export function fifoReserve(): u32 {
  if (count >= slotCount) return 0;
  return fifoBase + ((head + count) % slotCount) * slotSize + SLOT_HEADER;
}

/** Appends the message whose payload the host has just written at fifoReserve(). */
export function fifoCommit(source: u32, length: u32): bool {
  if (count >= slotCount || length > maxPayload) return false;
  const slot = fifoBase + ((head + count) % slotCount) * slotSize;
  stU32host(slot, source);
  stU32host(slot + 4, length);
  count++;
  return true;
}

export function fifoCount(): u32 {
  return count;
}
function slotAt(i: u32): u32 {
  return fifoBase + ((head + i) % slotCount) * slotSize;
}
export function fifoSource(i: u32): u32 {
  return i < count ? ldU32host(slotAt(i)) : 0;
}
export function fifoLength(i: u32): u32 {
  return i < count ? ldU32host(slotAt(i) + 4) : 0;
}
export function fifoPayloadAddr(i: u32): u32 {
  return i < count ? slotAt(i) + SLOT_HEADER : 0;
}
/** Gives a queued payload a new source id (a migration renumbered its HMC). */
export function fifoSetSource(i: u32, source: u32): void {
  if (i < count) stU32host(slotAt(i), source);
}
/** Removes the head without delivering it (a policy drop, or a new pipe after migration). */
export function fifoDropHead(): void {
  if (count == 0) return;
  head = (head + 1) % slotCount;
  count--;
}
export function fifoClear(): void {
  head = 0;
  count = 0;
}

// ---- ibm,receive-hvpipe-msg: args (buffer, size), rets (status, source id, bytes written) ----

/**
 * Copies the head payload into the guest buffer, pops it and writes all three rets.
 * The caller has checked nargs == 2, nret == 3, the block's bounds and that a head is announced.
 * A buffer outside guest memory, or smaller than the payload, is a parameter error and leaves the head.
 */
export function receiveCall(argsAddr: u32): i32 {
  const buf = ldU32be(argsAddr + 12);
  const size = ldU32be(argsAddr + 16);
  const rets = argsAddr + 20;
  if (count == 0) {
    stU32be(rets, u32(PARAM_ERROR));
    return PARAM_ERROR;
  }
  const slot = slotAt(0);
  const len = ldU32host(slot + 4);
  if (!inRam(buf, size) || size < len) {
    stU32be(rets, u32(PARAM_ERROR));
    return PARAM_ERROR;
  }
  copyBytes(buf, slot + SLOT_HEADER, len);
  stU32be(rets, SUCCESS);
  stU32be(rets + 4, ldU32host(slot));
  stU32be(rets + 8, len);
  head = (head + 1) % slotCount;
  count--;
  return SUCCESS;
}

// ---- ibm,send-hvpipe-msg: args (source id, buffer-list address), rets (status) ----

/**
 * Walks the buffer list (be64 list length = 8 + 16·n, then n (be64 address, be64 length) pairs) and
 * gathers the payload into the outbound area. Returns the payload length, or a negative RTAS status.
 * The caller has checked nargs == 2, nret == 1 and the block's bounds; it decides the source's fate.
 */
export function sendGather(argsAddr: u32, maxEntries: u32, entryLimit: u32): i32 {
  lastSendSource = ldU32be(argsAddr + 12);
  const list = ldU32be(argsAddr + 16);
  if (!inRam(list, 8)) return PARAM_ERROR;
  // Every 64-bit value must fit in 32 bits: guest memory is below 4 GiB.
  if (ld64hi(list) != 0) return PARAM_ERROR;
  const listLen = ldU32be(list + 4);
  if (listLen < 24 || (listLen - 8) % 16 != 0) return PARAM_ERROR;
  const entries = u32((listLen - 8) / 16);
  if (entries > maxEntries || !inRam(list, listLen)) return PARAM_ERROR;
  let total: u32 = 0;
  for (let i: u32 = 0; i < entries; i++) {
    const e = list + 8 + i * 16;
    if (ld64hi(e) != 0 || ld64hi(e + 8) != 0) return PARAM_ERROR;
    const addr = ldU32be(e + 4);
    const len = ldU32be(e + 12);
    if (len == 0 || len > entryLimit || !inRam(addr, len)) return PARAM_ERROR;
    if (len > maxPayload - total) return PARAM_ERROR;
    total += len;
  }
  let at = outBase;
  for (let i: u32 = 0; i < entries; i++) {
    const e = list + 8 + i * 16;
    const len = ldU32be(e + 12);
    copyBytes(at, ldU32be(e + 4), len);
    at += len;
  }
  return i32(total);
}

export function sendSource(): u32 {
  return lastSendSource;
}
export function outboundAddr(): u32 {
  return outBase;
}

// ---- the hvpipe event log (spec/hvpipe-driver.md §6, spec/spapr-platform.md §3.5) ----

const RTAS_TYPE_HVPIPE: u32 = 0xe6;

function section(at: u32, id: u32, length: u32, version: u32): void {
  stU16be(at, id);
  stU16be(at + 2, length);
  stU8(at + 4, version);
  stU8(at + 5, 0);
  stU16be(at + 6, 0);
}

/**
 * Builds a v6 event log of type 0xE6 with a 'PE' section {source, event type}, optionally preceded
 * by Main-A ('PH') and Main-B ('UH'), and copies at most bufLen bytes of it to the guest buffer.
 * Returns the whole log's length, or PARAM_ERROR if the buffer lies outside guest memory.
 */
export function writeEventLog(
  buf: u32, bufLen: u32, source: u32, eventType: u32,
  withMainSections: bool, plid: u32, bcdDate: u32, bcdTime: u32,
): i32 {
  const mainBytes: u32 = withMainSections ? 48 + 24 : 0;
  const extLen: u32 = 16 + mainBytes + 16;
  const total: u32 = 8 + extLen;
  const n = bufLen < total ? bufLen : total;
  if (!inRam(buf, n)) return PARAM_ERROR;
  fillBytes(logBase, 0, total);
  // Summary: version 6, severity EVENT, extended log present, type 0xE6.
  stU32be(logBase, 0x06000000 | 0x00200000 | 0x00040000 | RTAS_TYPE_HVPIPE);
  stU32be(logBase + 4, extLen);
  // v6 extended header: valid | new log | big-endian; PowerPC format, log format 14; "IBM\0".
  stU8(logBase + 8, 0x86);
  stU8(logBase + 10, 0x8e);
  stU32be(logBase + 20, 0x49424d00);
  let at = logBase + 24;
  if (withMainSections) {
    section(at, 0x5048, 48, 1); // 'PH' Main-A
    stU32be(at + 8, bcdDate);
    stU32be(at + 12, bcdTime);
    stU8(at + 24, 0x48); // creator: 'H' hypervisor
    stU8(at + 27, 3); // section count: PH, UH, PE
    stU32be(at + 40, plid);
    at += 48;
    section(at, 0x5548, 24, 1); // 'UH' Main-B: informational, no action
    at += 24;
  }
  section(at, 0x5045, 16, 1); // 'PE': be32 source id, u8 event type, 3 bytes pad
  stU32be(at + 8, source);
  stU8(at + 12, eventType);
  copyBytes(buf, logBase, n);
  return i32(total);
}
