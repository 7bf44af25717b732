// Constants of the flattened device tree format (devicetree specification v0.4, chapter 5)
// shared by the decoder and the encoder.

export const FDT_MAGIC = 0xd00dfeed;
/** Size of the version 17 header: ten big-endian u32 fields. */
export const FDT_HEADER_SIZE = 40;
/** The version this module writes, and the oldest reader version it claims compatibility with. */
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;
/** Oldest version whose layout we read: 16 has full-path-free node names and no size_dt_struct. */
export const FDT_MIN_VERSION = 16;

export const FDT_BEGIN_NODE = 0x1;
export const FDT_END_NODE = 0x2;
export const FDT_PROP = 0x3;
export const FDT_NOP = 0x4;
export const FDT_END = 0x9;

/**
 * Longest property name read, in bytes. The devicetree specification allows 31 characters;
 * real firmware exceeds that (QEMU's "ibm,associativity-reference-points" is 34), libfdt sets no
 * limit. Without one, n names pointing into one run of n bytes are n²/2 characters to print.
 */
export const FDT_MAX_PROPERTY_NAME = 255;

/** Each memory reservation entry is two big-endian u64: address and size. */
export const FDT_RSV_ENTRY_SIZE = 16;

/** Header field offsets, used to point errors at the field that is wrong. */
export const HDR = {
  magic: 0x00,
  totalSize: 0x04,
  offDtStruct: 0x08,
  offDtStrings: 0x0c,
  offMemRsvmap: 0x10,
  version: 0x14,
  lastCompVersion: 0x18,
  bootCpuidPhys: 0x1c,
  sizeDtStrings: 0x20,
  sizeDtStruct: 0x24,
} as const;

export function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
