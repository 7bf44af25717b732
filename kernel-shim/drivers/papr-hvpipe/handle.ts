// The file operations of a source handle ("[papr-hvpipe]" anon inode): read, write, poll, release
// (spec/hvpipe-driver.md §4.4-§4.7; 6.18 differences from §4.11).
import type { DriverServices } from "../../driver-services.js";
import type { File, FileOps, PollTable } from "../../file.js";
import { hex } from "../../hex.js";
import type { Process } from "../../process.js";
import { KernelFault } from "../../sched/fault.js";
import { mutexLock, mutexUnlock, Mutex, SpinLock, spinLock, spinLockIrqsave, spinUnlock, spinUnlockIrqrestore } from "../../sched/locks.js";
import { step, type KStep } from "../../sched/types.js";
import {
  Errno, HVPIPE_HDR_LEN, HVPIPE_LOST_CONNECTION, HVPIPE_MAX_WRITE_BUFFER_SIZE, HVPIPE_MSG_AVAILABLE, Poll,
} from "../../uapi.js";
import type { Consumed } from "./ledger.js";
import type { HvpipeQuirks } from "./quirks.js";
import { recvMsg, sendMsg } from "./rtas.js";
import type { HvpipeSource } from "./source.js";

const MAX_IO = HVPIPE_HDR_LEN + HVPIPE_MAX_WRITE_BUFFER_SIZE; // 4096

/** What 6.18 left in the header's reserved bytes: stale stack, made deterministic and easy to spot. */
const STALE_STACK_PATTERN = new TextEncoder().encode("stale kernel stack ");

/** The driver state the handle operations share with the device. */
export interface HvpipeHandleState {
  readonly feature: boolean;
  readonly quirks: HvpipeQuirks;
  readonly srcListLock: SpinLock;
  readonly sendLock: Mutex;
  unlink(src: HvpipeSource): void;
  free(src: HvpipeSource): void;
  account(c: Consumed): KStep;
}

type K = DriverServices;
type D = HvpipeHandleState;

export function handleOps(k: K, d: D): FileOps {
  return {
    write: (f, buf, size) => write(k, d, k.files.current(), f, buf, size),
    read: (f, buf, size) => read(k, d, k.files.current(), f, buf, size),
    poll: (f, pt) => poll(d, f, pt),
    release: (f) => release(k, d, f),
  };
}

function source(f: File): HvpipeSource | null {
  const src = f.privateData as HvpipeSource | null;
  if (src?.freed) throw new KernelFault("use-after-free", `BUG: use after free of hvpipe source ${hex(src.srcID)} (file ${f.name})`);
  return src;
}

function* write(k: K, d: D, p: Process, f: File, buf: number, size: number): KStep<number> {
  if (!d.feature) return -Errno.ENXIO;
  const src = source(f);
  if (!src) return -Errno.EIO;
  if (size <= HVPIPE_HDR_LEN || size > MAX_IO) return -Errno.EINVAL;
  // The user's header is skipped, never inspected.
  yield* mutexLock(k.sched, d.sendLock);
  const ret = yield* sendMsg(k, p, src.srcID, buf + HVPIPE_HDR_LEN, size - HVPIPE_HDR_LEN);
  yield* mutexUnlock(k.sched, d.sendLock);
  return ret < 0 ? ret : size;
}

function header(q: HvpipeQuirks, flags: number): Uint8Array {
  const hdr = new Uint8Array(HVPIPE_HDR_LEN);
  if (!q.zeroedHeaderReserved) {
    // version and flags are written; reserved[3] and reserved2[40] keep whatever the stack held.
    for (let i = 1; i < HVPIPE_HDR_LEN; i++) hdr[i] = STALE_STACK_PATTERN[i % STALE_STACK_PATTERN.length]!;
  }
  hdr[0] = 0;
  // __u32 flags in the CPU's byte order: ppc64le.
  new DataView(hdr.buffer).setUint32(4, flags, true);
  return hdr;
}

function* read(k: K, d: D, p: Process, f: File, buf: number, size: number): KStep<number> {
  if (!d.feature) return -Errno.ENXIO;
  const src = source(f);
  if (!src) return -Errno.EIO;
  if (size < HVPIPE_HDR_LEN || size > MAX_IO) return -Errno.EINVAL;
  if (src.hvpipeStatus === 0) return 0;
  // A pending message always goes before a lost-connection notice.
  const flags = src.hvpipeStatus & HVPIPE_MSG_AVAILABLE ? HVPIPE_MSG_AVAILABLE
    : src.hvpipeStatus & HVPIPE_LOST_CONNECTION ? HVPIPE_LOST_CONNECTION : 0;
  if (flags === 0) return -Errno.EIO;
  const notCopied = yield* k.files.copyToUser(p, buf, header(d.quirks, flags));
  if (notCopied > 0) return d.quirks.copyFaultIsEfault ? -Errno.EFAULT : notCopied;

  if (flags === HVPIPE_MSG_AVAILABLE) {
    const r = yield* recvMsg(k, d.quirks, { p, buf: buf + HVPIPE_HDR_LEN, size: size - HVPIPE_HDR_LEN });
    let userRet: number;
    if (!d.quirks.clearOnZeroOrFault) {
      if (r.ret > 0) src.hvpipeStatus &= ~HVPIPE_MSG_AVAILABLE;
      userRet = r.ret > 0 ? r.ret + HVPIPE_HDR_LEN : r.ret;
    } else {
      // The payload left the hypervisor on success and on a copy fault alike.
      if (r.ret >= 0 || r.ret === -Errno.EFAULT) src.hvpipeStatus &= ~HVPIPE_MSG_AVAILABLE;
      userRet = r.ret >= 0 ? r.ret + HVPIPE_HDR_LEN : r.ret;
    }
    if (r.consumed) yield* d.account({ ...r.consumed, path: "read", handleSrc: src.srcID, userRet });
    return userRet;
  }
  src.hvpipeStatus &= ~HVPIPE_LOST_CONNECTION;
  return HVPIPE_HDR_LEN;
}

function* poll(d: D, f: File, pt: PollTable | null): KStep<number> {
  if (!d.feature) return Poll.POLLRDHUP;
  const src = source(f);
  if (!src) return Poll.POLLNVAL;
  pt?.wait(src.recvWqh);
  yield* step({ kind: "state", what: `hvpipe poll ${hex(src.srcID)} status=${src.hvpipeStatus}` });
  return src.hvpipeStatus !== 0 ? Poll.POLLIN | Poll.POLLRDNORM : 0;
}

function* release(k: K, d: D, f: File): KStep {
  const src = source(f);
  if (!src) return;
  const irqsave = d.quirks.srcListLockIrqsave;
  yield* (irqsave ? spinLockIrqsave : spinLock)(k.sched, d.srcListLock);
  d.unlink(src);
  f.privateData = null;
  yield* (irqsave ? spinUnlockIrqrestore : spinUnlock)(k.sched, d.srcListLock);
  // A pending message is drained so the pipe unblocks; a pending lost-connection notice is dropped.
  if (src.hvpipeStatus & HVPIPE_MSG_AVAILABLE) {
    src.hvpipeStatus = 0;
    const r = yield* recvMsg(k, d.quirks, null);
    if (r.consumed) yield* d.account({ ...r.consumed, path: "drain-release" });
  }
  d.free(src);
}
