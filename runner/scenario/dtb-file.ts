// Reading a device-tree blob named by a scenario (machine.dtb) or the command line (--dtb).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** Larger than any device tree a partition is booted with; a bound so /dev/zero cannot hang a run. */
const MAX_DTB_FILE_BYTES = 16 * 1024 * 1024;

/** The file's bytes; throws an Error whose message says why it cannot be read. */
export function readDtbFile(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error("not a regular file");
    if (st.size > MAX_DTB_FILE_BYTES) throw new Error(`${st.size} bytes, more than the ${MAX_DTB_FILE_BYTES} a DTB file may have`);
    const out = new Uint8Array(st.size);
    let at = 0;
    while (at < out.length) {
      const n = readSync(fd, out, at, out.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return out.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}
