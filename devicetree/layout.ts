// What a decoded blob looked like on the byte level, beyond the tree itself. Keeping it lets
// the encoder give back the very bytes it was handed (dtc's layout, libfdt's sequential-write
// layout with its reversed strings table, free space at the end, NOPs), so a tree read from a
// blob and written back unchanged is bit-identical.

/** The 40-byte FDT header as found in the blob (all big-endian u32). */
export interface FdtHeader {
  magic: number;
  totalSize: number;
  offDtStruct: number;
  offDtStrings: number;
  offMemRsvmap: number;
  version: number;
  lastCompVersion: number;
  bootCpuidPhys: number;
  sizeDtStrings: number;
  /** Only defined from version 17; for version 16 this is whatever the blob held at 0x24. */
  sizeDtStruct: number;
}

export type FdtBlock = "memRsvmap" | "struct" | "strings";

export interface FdtLayout {
  /** The original header; the encoder takes version and last_comp_version from it. */
  header: FdtHeader;
  /** The three blocks in the order of their offsets in the blob. */
  blockOrder: FdtBlock[];
  /**
   * Bytes not in any block: gaps[i] precedes blockOrder[i] (gaps[0] starts right after the
   * 40-byte header), gaps[3] runs from the end of the last block to totalsize (free space).
   */
  gaps: Uint8Array[];
  /** The original strings block; new property names are appended to it. */
  strings: Uint8Array;
  /** The strings-block offset each property used, in structure-block order. */
  propNameOffsets: number[];
  /** One entry per FDT_NOP: how many non-NOP tokens preceded it. */
  nops: number[];
  /**
   * Padding after a node name or property value that is not all zero (libfdt leaves old bytes
   * there when a property shrinks in place; QEMU's pseries tree has some). `token` numbers the
   * non-NOP tokens from 0, as in `nops`.
   */
  padding: Array<{ token: number; bytes: Uint8Array }>;
  /** Bytes of the structure block after FDT_END (version 17 blocks can be longer). */
  structTail: Uint8Array;
}
