// fstat into the powerpc64 struct stat (arch/powerpc/include/uapi/asm/stat.h), 144 bytes, LE.
import type { File } from "../file.js";
import type { KStep } from "../sched/types.js";
import { Errno, S_IFCHR } from "../uapi.js";
import type { SyscallContext } from "./context.js";
import { copyToUser } from "./usercopy.js";

export const STAT_SIZE = 144;
/** Model values: the device numbers of devtmpfs and of the anon-inode mount, and their inode numbers. */
const DEVTMPFS_DEV = 0x05;
const ANON_INODE_DEV = 0x0e;
const ANON_INODE_INO = 1;
const DEV_INO_BASE = 1000;
const BLKSIZE = 4096;

/** new_encode_dev: the 32-bit dev_t a struct stat carries. */
function encodeDev(major: number, minor: number): number {
  return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
}

/** The struct stat bytes for a file. */
function statOf(f: File): Uint8Array {
  const out = new Uint8Array(STAT_SIZE);
  const dv = new DataView(out.buffer);
  const u64 = (at: number, v: number): void => dv.setBigUint64(at, BigInt(v), true);
  const ino = f.inode;
  u64(0, ino.kind === "chardev" ? DEVTMPFS_DEV : ANON_INODE_DEV); // st_dev
  u64(8, ino.kind === "chardev" ? DEV_INO_BASE + encodeDev(ino.major, ino.minor) : ANON_INODE_INO); // st_ino
  u64(16, 1); // st_nlink
  // Device nodes: S_IFCHR, 0600 as devtmpfs creates them; anon inodes: 0600 without type bits.
  dv.setUint32(24, ino.kind === "chardev" ? S_IFCHR | (ino.perm ?? 0o600) : 0o600, true); // st_mode
  dv.setUint32(28, 0, true); // st_uid
  dv.setUint32(32, 0, true); // st_gid (then 4 bytes of padding)
  u64(40, ino.kind === "chardev" ? encodeDev(ino.major, ino.minor) : 0); // st_rdev
  u64(48, 0); // st_size
  u64(56, BLKSIZE); // st_blksize
  u64(64, 0); // st_blocks; atime, mtime, ctime (sec, nsec) and 3 unused words stay 0
  return out;
}

export function* fstat(c: SyscallContext, [fd = 0, statbuf = 0]: readonly number[]): KStep<number> {
  const entry = c.p.fds.get(fd | 0);
  if (!entry) return -Errno.EBADF;
  return copyToUser(c.p, statbuf, statOf(entry.file)) ? 0 : -Errno.EFAULT;
}
