// The pipe's inbound FIFO: slots of (source id, length, payload) after guest memory (layout.ts).
import { ldU32host, stU32host } from "./memory-ops";
import { SLOT_HEADER, fifoBase, maxPayload, slotCount, slotSize } from "./layout";

let head: u32 = 0;
let count: u32 = 0;

/** Empties the FIFO (a fresh layout). */
export function fifoReset(): void {
  head = 0;
  count = 0;
}

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
/** The header address of the i-th queued message (i < count). */
export function slotAt(i: u32): u32 {
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
/** Removes the head: delivered (receive), dropped by policy, or a new pipe after migration. */
export function fifoDropHead(): void {
  if (count == 0) return;
  head = (head + 1) % slotCount;
  count--;
}
