// Where everything sits in the hot path's linear memory (imported, owned by the host):
//   [0, ramSize)                 guest real memory, big-endian data as the guest sees it
//   [fifoBase, +slots*slotSize)  the pipe's inbound FIFO (hypervisor-private)
//   [outBase, +maxPayload)       the payload gathered by the last send
//   [logBase, +LOG_CAPACITY)     the event log built by the last check-exception
// The units (fifo, receive, send, event-log) read these; only layOut() sets them.

/** Per FIFO slot: u32 source id, u32 length (host order: private to the hypervisor). */
export const SLOT_HEADER: u32 = 8;
export const LOG_CAPACITY: u32 = 256;

export let ramSize: u32 = 0;
export let maxPayload: u32 = 0;
export let slotSize: u32 = 0;
export let slotCount: u32 = 0;
export let fifoBase: u32 = 0;
export let outBase: u32 = 0;
export let logBase: u32 = 0;

/** Places the hypervisor area after guest memory; returns its end (the memory the host must provide). */
export function layOut(guestRamSize: u32, payloadLimit: u32, fifoSlots: u32): u32 {
  ramSize = guestRamSize;
  maxPayload = payloadLimit;
  slotSize = u32((SLOT_HEADER + payloadLimit + 7) & ~7);
  slotCount = fifoSlots;
  fifoBase = u32((guestRamSize + 7) & ~7);
  outBase = fifoBase + slotSize * slotCount;
  logBase = u32((outBase + payloadLimit + 7) & ~7);
  return logBase + LOG_CAPACITY;
}

/** True when [addr, addr+len) lies inside guest memory (no wrap-around). */
@inline export function inRam(addr: u32, len: u32): bool {
  return addr <= ramSize && len <= ramSize - addr;
}

/** RTAS statuses the units answer with (spec/spapr-platform.md §1.4). */
export const PARAM_ERROR: i32 = -3;
export const SUCCESS: i32 = 0;
