// The per-message hot path of the hypervisor, on guest memory: the one export list of its units,
// split by what they model (as WasmBoy splits its core by hardware unit). layout.ts says where each
// unit's memory sits. Every function does one whole RTAS call's worth of work; none traps on guest
// input: addresses and lengths are checked against guest RAM before any access.
// The host's side of the contract (docs/reliability.md, checked by test/emulator/hotpath-preconditions):
// - the memory holds at least what init() returns (guest RAM plus the hypervisor area);
// - receiveCall's retsAddr has its 12 bytes in guest RAM (the dispatcher has checked the block);
// - at most fifoReserve()'s slot, payloadLimit bytes, is written before fifoCommit.
// Every other address an export takes comes from the guest and is checked by the export itself.
//
// The same source is also built as plain JavaScript (scripts/build-hotpath-js.mjs), so it keeps to
// what means the same in both: memory only through ./memory-ops, u32/i32 wrapping and integer
// division written as the portable conversions u32(…)/i32(…), never as <T> casts.
// emulator/hotpath-exports.ts describes these exports to both loaders (checked against each build).

import { layOut } from "./layout";
import { fifoReset } from "./fifo";

/** Lays the hypervisor area out after guest memory, empty; returns its end (the memory the host must provide). */
export function init(guestRamSize: u32, payloadLimit: u32, fifoSlots: u32): u32 {
  const end = layOut(guestRamSize, payloadLimit, fifoSlots);
  fifoReset();
  return end;
}

export {
  fifoReserve, fifoCommit, fifoCount, fifoSource, fifoLength, fifoPayloadAddr, fifoSetSource, fifoDropHead,
} from "./fifo";
export { receiveCall } from "./receive";
export { sendGather, outboundAddr } from "./send";
export { writeEventLog } from "./event-log";
