// Two error kinds: misuse of the in-memory model (a program bug or bad caller input) and a
// malformed DTB blob (hostile or corrupt guest-visible data, located by byte offset).

/** Misuse of the node/property model: missing property, wrong length, bad name, duplicate. */
export class DtError extends Error {
  override name = "DtError";
}

/** A malformed flattened device tree; `offset` is the byte offset into the blob. */
export class FdtFormatError extends Error {
  override name = "FdtFormatError";
  readonly offset: number;
  /** The message without the "DTB offset 0x..:" prefix. */
  readonly detail: string;

  constructor(offset: number, detail: string) {
    super(`DTB offset ${hex(offset)}: ${detail}`);
    this.offset = offset;
    this.detail = detail;
  }
}

/** Lower-case hex with a 0x prefix, as used in every message of this module. */
export function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}
