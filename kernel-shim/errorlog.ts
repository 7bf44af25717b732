// Parsing RTAS event logs as Linux does (spec/hvpipe-driver.md §6): the fixed header, the v6
// extended header and get_pseries_errorlog's walk over the sections.
import { KernelFault } from "./sched/fault.js";

export const RTAS_TYPE_HVPIPE = 0xe6;
export const PSERIES_ELOG_SECT_ID_HVPIPE_EVENT = 0x5045; // 'PE'
const IBM_COMPANY_ID = 0x49424d00;
const LOG_FORMAT_PLATFORM_EVENT = 14;
/** C sizeof(struct rtas_ext_event_log_v6). */
const EXT_V6_SIZE = 20;

export function rtasErrorType(log: Uint8Array): number {
  return log[3]!;
}

/** The data of the first section with this id (offset into `log`), or null as Linux returns NULL. */
export function getPseriesErrorlog(log: Uint8Array, sectionId: number): { offset: number; length: number } | null {
  const dv = new DataView(log.buffer, log.byteOffset, log.byteLength);
  const extLength = dv.getUint32(4, false);
  if (extLength < EXT_V6_SIZE) return null;
  if ((log[10]! & 0x0f) !== LOG_FORMAT_PLATFORM_EVENT) return null;
  if (dv.getUint32(20, false) !== IBM_COMPANY_ID) return null;
  const end = 8 + extLength;
  let p = 24;
  while (p < end) {
    // Linux does not bound-check the walk; the buffer is RTAS_ERROR_LOG_MAX bytes.
    if (p + 4 > log.length) throw new KernelFault("oops", `BUG: get_pseries_errorlog reads past the log buffer at offset ${p}`);
    const id = dv.getUint16(p, false);
    const length = dv.getUint16(p + 2, false);
    if (id === sectionId) return { offset: p, length };
    // A zero-length section makes Linux loop forever: report it instead of hanging.
    if (length === 0) throw new KernelFault("soft-lockup", `soft lockup: get_pseries_errorlog loops on a zero-length section at offset ${p}`);
    p += length;
  }
  return null;
}
