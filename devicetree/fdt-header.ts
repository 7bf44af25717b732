// Reading and checking the fixed parts of a DTB: the 40-byte header, the block bounds it
// declares, and the memory reservation map. Everything is checked against totalsize before
// any read, so a hostile blob yields an FdtFormatError and never a RangeError.

import { Parser } from "binary-parser";
import { FdtFormatError, hex } from "./errors.js";
import {
  FDT_HEADER_SIZE,
  FDT_MAGIC,
  FDT_MIN_VERSION,
  FDT_RSV_ENTRY_SIZE,
  FDT_VERSION,
  HDR,
} from "./fdt-format.js";
import type { FdtHeader } from "./layout.js";
import type { MemoryReservation } from "./model.js";

const headerParser = new Parser()
  .endianness("big")
  .uint32("magic")
  .uint32("totalSize")
  .uint32("offDtStruct")
  .uint32("offDtStrings")
  .uint32("offMemRsvmap")
  .uint32("version")
  .uint32("lastCompVersion")
  .uint32("bootCpuidPhys")
  .uint32("sizeDtStrings")
  .uint32("sizeDtStruct");


/** Header plus the checked bounds of the blocks it declares. */
export interface CheckedHeader {
  header: FdtHeader;
  /** Where the structure block may extend to: its declared end (v17) or totalsize (v16). */
  structLimit: number;
}

export function readHeader(blob: Uint8Array): CheckedHeader {
  if (blob.length < FDT_HEADER_SIZE) {
    throw new FdtFormatError(blob.length, `blob is ${blob.length} bytes, shorter than the ${FDT_HEADER_SIZE}-byte header`);
  }
  const h = headerParser.parse(blob.subarray(0, FDT_HEADER_SIZE)) as FdtHeader;
  if (h.magic !== FDT_MAGIC) {
    throw new FdtFormatError(HDR.magic, `bad magic ${hex(h.magic)} (expected ${hex(FDT_MAGIC)})`);
  }
  if (h.totalSize > blob.length) {
    throw new FdtFormatError(HDR.totalSize, `totalsize ${hex(h.totalSize)} is larger than the blob (${hex(blob.length)} bytes)`);
  }
  if (h.totalSize < FDT_HEADER_SIZE) {
    throw new FdtFormatError(HDR.totalSize, `totalsize ${hex(h.totalSize)} is smaller than the ${FDT_HEADER_SIZE}-byte header`);
  }
  if (h.version < FDT_MIN_VERSION) {
    throw new FdtFormatError(HDR.version, `version ${h.version} is not supported (need ${FDT_MIN_VERSION} or later)`);
  }
  if (h.lastCompVersion > FDT_VERSION) {
    throw new FdtFormatError(
      HDR.lastCompVersion,
      `last_comp_version ${h.lastCompVersion} is newer than ${FDT_VERSION}: a version ${FDT_VERSION} reader cannot read it`,
    );
  }
  const total = h.totalSize;
  checkBlockStart(h.offMemRsvmap, HDR.offMemRsvmap, "off_mem_rsvmap", total, 8);
  checkBlockStart(h.offDtStruct, HDR.offDtStruct, "off_dt_struct", total, 4);
  checkBlockStart(h.offDtStrings, HDR.offDtStrings, "off_dt_strings", total, 1);
  checkBlockEnd(h.offDtStrings, h.sizeDtStrings, HDR.sizeDtStrings, "size_dt_strings", total);
  let structLimit = total;
  if (h.version >= 17) {
    checkBlockEnd(h.offDtStruct, h.sizeDtStruct, HDR.sizeDtStruct, "size_dt_struct", total);
    if (h.sizeDtStruct % 4 !== 0) {
      throw new FdtFormatError(
        HDR.sizeDtStruct,
        `size_dt_struct ${hex(h.sizeDtStruct)} is not a multiple of 4: tokens must be 4-byte aligned`,
      );
    }
    structLimit = h.offDtStruct + h.sizeDtStruct;
  }
  return { header: h, structLimit };
}

function checkBlockStart(off: number, field: number, name: string, total: number, alignment: number): void {
  if (off < FDT_HEADER_SIZE) {
    throw new FdtFormatError(field, `${name} ${hex(off)} overlaps the ${FDT_HEADER_SIZE}-byte header`);
  }
  if (off > total) {
    throw new FdtFormatError(field, `${name} ${hex(off)} is beyond totalsize ${hex(total)}`);
  }
  if (off % alignment !== 0) {
    throw new FdtFormatError(field, `${name} ${hex(off)} is not ${alignment}-byte aligned`);
  }
}

function checkBlockEnd(off: number, size: number, field: number, name: string, total: number): void {
  if (off + size > total) {
    throw new FdtFormatError(field, `${name} ${hex(size)} from ${hex(off)} runs past totalsize ${hex(total)}`);
  }
}

/** The reservation entries before the (0,0) terminator, and the map's size including it. */
export function readReservations(blob: Uint8Array, h: FdtHeader): { entries: MemoryReservation[]; size: number } {
  const entries: MemoryReservation[] = [];
  // A DataView, not a parser call per entry: a map can have a million entries (issue 14).
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let at = h.offMemRsvmap; ; at += FDT_RSV_ENTRY_SIZE) {
    if (at + FDT_RSV_ENTRY_SIZE > h.totalSize) {
      throw new FdtFormatError(
        at,
        `memory reservation map at ${hex(h.offMemRsvmap)} has no terminating (0,0) entry before totalsize ${hex(h.totalSize)}`,
      );
    }
    const address = dv.getBigUint64(at);
    const size = dv.getBigUint64(at + 8);
    if (address === 0n && size === 0n) return { entries, size: at + FDT_RSV_ENTRY_SIZE - h.offMemRsvmap };
    entries.push({ address, size });
  }
}
