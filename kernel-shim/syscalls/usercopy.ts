// The syscall layer's access to the calling process's memory: copy_from_user, copy_to_user and
// strncpy_from_user, all-or-EFAULT as the callers here use them. User data is ppc64le.
import type { Process } from "../process.js";
import { Errno, PATH_MAX } from "../uapi.js";

/** copy_from_user of `len` bytes: the bytes, or null (EFAULT) unless all of them are mapped. */
export function copyFromUser(p: Process, addr: number, len: number): Uint8Array | null {
  if (len === 0) return new Uint8Array(0);
  return p.mappedLength(addr, len) === len ? p.peek(addr, len) : null;
}

/** copy_to_user: false (EFAULT) unless every byte landed; the mapped part is written either way. */
export function copyToUser(p: Process, addr: number, data: Uint8Array): boolean {
  p.poke(addr, data);
  return p.mappedLength(addr, data.length) === data.length;
}

/** A NUL-terminated path: the string, or -EFAULT (unmapped before the NUL) / -ENAMETOOLONG / -ENOENT (empty). */
export function pathFromUser(p: Process, addr: number): string | number {
  const avail = p.mappedLength(addr, PATH_MAX);
  const bytes = p.peek(addr, avail);
  const nul = bytes.indexOf(0);
  if (nul < 0) return avail < PATH_MAX ? -Errno.EFAULT : -Errno.ENAMETOOLONG;
  if (nul === 0) return -Errno.ENOENT;
  return new TextDecoder().decode(bytes.subarray(0, nul));
}

export function le32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(at, true);
}

export function le64(b: Uint8Array, at: number): number {
  return Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigInt64(at, true));
}
