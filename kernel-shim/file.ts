// Open file descriptions and the file_operations drivers give them.
import type { KStep } from "./sched/types.js";
import type { WaitQueue } from "./sched/waitqueue.js";

export interface PollTable {
  wait(wq: WaitQueue): void;
}

/** A driver's file_operations; each is a kernel path in steps. Missing ones behave as in Linux. */
export interface FileOps {
  read?(file: File, buf: number, size: number): KStep<number>;
  write?(file: File, buf: number, size: number): KStep<number>;
  poll?(file: File, pt: PollTable | null): KStep<number>;
  ioctl?(file: File, cmd: number, arg: number): KStep<number>;
  release?(file: File): KStep<unknown>;
}

/** What fstat reports of the file's inode: a device node (major, minor) or an anonymous inode. */
export type FileInode = { kind: "chardev"; major: number; minor: number; perm?: number } | { kind: "anon" };

/** An open file description: shared by every fd dup'ed from the same open. */
export class File {
  refs = 1;
  constructor(
    readonly name: string,
    readonly ops: FileOps,
    public privateData: unknown,
    /** f_flags: access mode and status flags (F_SETFL changes the status flags). */
    public flags: number,
    readonly inode: FileInode = { kind: "anon" },
  ) {}
}
