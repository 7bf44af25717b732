// ibm,receive-hvpipe-msg's copy: args (buffer, size), rets (status, source id, bytes written).
import { copyBytes, ldU32host, stU32be } from "./memory-ops";
import { PARAM_ERROR, SLOT_HEADER, SUCCESS, inRam } from "./layout";
import { fifoCount, fifoDropHead, slotAt } from "./fifo";

/**
 * Copies the head payload into the guest buffer [buf, +size), pops it and writes the three rets at
 * retsAddr. The dispatcher has decoded the block and checked nargs == 2, nret == 3 and its bounds;
 * the pipe has checked that a head is announced. A buffer outside guest memory, or smaller than
 * the payload, is a parameter error (rets[0] only) and leaves the head.
 *
 * Precondition (not checked here): [retsAddr, retsAddr + 12) lies in guest RAM. The dispatcher
 * guarantees it (the whole block is in RAM before any handler runs); a direct call that breaks it
 * writes outside guest memory, which traps in wasm and throws RangeError in the JS build.
 */
export function receiveCall(buf: u32, size: u32, retsAddr: u32): i32 {
  if (fifoCount() == 0) {
    stU32be(retsAddr, u32(PARAM_ERROR));
    return PARAM_ERROR;
  }
  const slot = slotAt(0);
  const len = ldU32host(slot + 4);
  if (!inRam(buf, size) || size < len) {
    stU32be(retsAddr, u32(PARAM_ERROR));
    return PARAM_ERROR;
  }
  copyBytes(buf, slot + SLOT_HEADER, len);
  stU32be(retsAddr, SUCCESS);
  stU32be(retsAddr + 4, ldU32host(slot));
  stU32be(retsAddr + 8, len);
  fifoDropHead();
  return SUCCESS;
}
