// The hvpipe event log (spec/hvpipe-driver.md §6, spec/spapr-platform.md §3.5), built in the log
// scratch area (layout.ts) and copied to the guest's check-exception buffer.
import { copyBytes, fillBytes, stU16be, stU32be, stU8 } from "./memory-ops";
import { PARAM_ERROR, inRam, logBase } from "./layout";

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
