// Blob fuzzer: whatever the bytes, decoding gives a tree or an FdtFormatError whose offset lies
// in the blob; a tree re-encodes to the very same bytes, lays out afresh to the same tree, prints
// within a size linear in the blob, and as a partition's base either serves or is refused with
// a MachineTreeError.
import { FdtFormatError, decodeFdt, encodeFdt, printDts } from "../../devicetree/index.js";
import { MachineTreeError, readBaseDtb } from "../../emulator/base-tree.js";
import { Machine } from "../../emulator/machine.js";
import type { Fuzzer } from "../fuzzer.js";
import type { Rng } from "../rng.js";
import { generateBlob } from "./generate.js";

/** The DTS of a blob is at most this many characters per blob byte (docs/reliability.md). */
const DTS_CHARS_PER_BYTE = 27;

export const blobFuzzer: Fuzzer = {
  name: "blobs",
  runCase(rng: Rng): string | undefined {
    const { blob, fromQemu, what } = generateBlob(rng);
    let tree;
    try {
      tree = decodeFdt(blob);
    } catch (e) {
      if (!(e instanceof FdtFormatError)) throw e;
      if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > blob.length) return `${what}: FdtFormatError offset ${e.offset} outside the ${blob.length}-byte blob`;
      return undefined;
    }
    const total = tree.layout!.header.totalSize;
    if (Buffer.compare(encodeFdt(tree), blob.subarray(0, total)) !== 0) return `${what}: re-encoding is not byte-exact`;
    const dts = printDts(tree);
    if (dts.length > DTS_CHARS_PER_BYTE * blob.length + 64) return `${what}: ${dts.length} characters of DTS for ${blob.length} bytes`;
    if (printDts(decodeFdt(encodeFdt(tree, { layout: null }))) !== dts) return `${what}: the fresh layout decodes to another tree`;
    return fromQemu ? serve(blob, what, rng) : undefined;
  },
};

function serve(blob: Uint8Array, what: string, rng: Rng): string | undefined {
  try {
    readBaseDtb(blob);
    // Booting costs a wasm instance; one in eight servable blobs is booted.
    if (rng.chance(0.125)) new Machine({ baseDtb: blob });
  } catch (e) {
    if (e instanceof MachineTreeError) return undefined;
    return `${what}: as a base tree: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  return undefined;
}
