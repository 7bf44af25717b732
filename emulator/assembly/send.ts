// ibm,send-hvpipe-msg's gather: walks the guest's buffer list and copies the payload out.
import { copyBytes, ldU32be } from "./memory-ops";
import { PARAM_ERROR, inRam, maxPayload, outBase } from "./layout";

/** The high word of a big-endian u64; the callers require it to be 0 (guest memory is below 4 GiB). */
@inline function ld64hi(addr: u32): u32 {
  return ldU32be(addr);
}

/**
 * Walks the buffer list at `list` (be64 list length = 8 + 16·n, then n (be64 address, be64 length)
 * pairs) and gathers the payload into the outbound area. Returns the payload length, or a negative
 * RTAS status. The dispatcher has decoded the block; the pipe decides the source's fate.
 */
export function sendGather(list: u32, maxEntries: u32, entryLimit: u32): i32 {
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

/** Where sendGather put the payload. */
export function outboundAddr(): u32 {
  return outBase;
}
