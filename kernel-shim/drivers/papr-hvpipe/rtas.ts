// hvpipe_rtas_send_msg and hvpipe_rtas_recv_msg: the two RTAS calls and their status mapping
// (spec/hvpipe-driver.md §4.4, §4.5).
import type { DriverServices } from "../../driver-services.js";
import type { Process } from "../../process.js";
import { RtasWorkAreas } from "../../pseries/work-area.js";
import type { KStep } from "../../sched/types.js";
import { Errno } from "../../uapi.js";
import type { HvpipeQuirks } from "./quirks.js";

const RTAS_HVPIPE_CLOSED = -4;
const RTAS_FUNC_NOT_SUPPORTED = -5;

function recvStatusToErrno(status: number): number {
  switch (status) {
    case 0: return 0;
    case -1: return -Errno.EIO;
    case -3: return -Errno.EINVAL;
    case RTAS_FUNC_NOT_SUPPORTED: return -Errno.EOPNOTSUPP;
    default: return -Errno.EIO; // -4 is not special on receive
  }
}

function sendStatusToErrno(status: number): number {
  switch (status) {
    case 0: return 0;
    case -1: return -Errno.EIO;
    case -3: return -Errno.EINVAL;
    case RTAS_HVPIPE_CLOSED: return -Errno.EPIPE;
    case RTAS_FUNC_NOT_SUPPORTED: return -Errno.EOPNOTSUPP;
    default: return -Errno.EIO;
  }
}

export interface RecvResult {
  /** Bytes copied, or -errno (6.18: a copy fault returns the bytes not copied). */
  ret: number;
  /** Set when the firmware handed over a payload (it is then acknowledged to its source). */
  consumed?: { firmwareSrc: number; length: number; copied: number };
}

/**
 * Receives the pending payload into a 4 KiB work area, then copies it to user memory.
 * `user` null drains (the payload is acknowledged and dropped).
 */
export function* recvMsg(k: DriverServices, q: HvpipeQuirks, user: { p: Process; buf: number; size: number } | null): KStep<RecvResult> {
  if (!k.rtas.implemented("ibm,receive-hvpipe-msg")) return { ret: -Errno.ENOENT };
  const area = k.workAreas.alloc();
  try {
    const r = yield* k.rtas.callRetrying("ibm,receive-hvpipe-msg", 3, [area, RtasWorkAreas.BLOCK]);
    const err = recvStatusToErrno(r.status);
    if (err < 0) {
      yield* k.printk("err", `ibm,receive-hvpipe-msg failed with ${err}`);
      return { ret: err };
    }
    // outputs[0] is the source id of the data: the driver ignores it and trusts the last event.
    const firmwareSrc = r.outputs[0] ?? 0;
    const length = r.outputs[1] ?? 0;
    if (!user) return { ret: 0, consumed: { firmwareSrc, length, copied: 0 } };
    let bytes = length;
    if (user.size < bytes) {
      yield* k.printk("err", `Received the payload size = ${bytes}, but the buffer size = ${user.size}`);
      bytes = user.size;
    }
    const notCopied = yield* k.files.copyToUser(user.p, user.buf, k.mem.bytes(area, Math.min(bytes, RtasWorkAreas.BLOCK)));
    const consumed = { firmwareSrc, length, copied: bytes - notCopied };
    if (notCopied > 0) return { ret: q.copyFaultIsEfault ? -Errno.EFAULT : notCopied, consumed };
    return { ret: bytes, consumed };
  } finally {
    k.workAreas.free(area);
  }
}

/** Builds the one-entry buffer list and sends `size - 48` payload bytes from user memory. */
export function* sendMsg(k: DriverServices, p: Process, srcID: number, payloadAddr: number, payloadLen: number): KStep<number> {
  const list = k.workAreas.alloc();
  const data = k.workAreas.alloc();
  try {
    // be64 list length (8 + one 16-byte pair), be64 data address, be64 length.
    k.mem.setU64(list, 24);
    k.mem.setU64(list + 8, data);
    k.mem.setU64(list + 16, payloadLen);
    const notCopied = yield* k.files.copyFromUser(p, data, payloadAddr, payloadLen);
    if (notCopied > 0) return -Errno.EPERM;
    if (!k.rtas.implemented("ibm,send-hvpipe-msg")) return -Errno.ENOENT;
    const r = yield* k.rtas.callRetrying("ibm,send-hvpipe-msg", 1, [srcID, list]);
    const err = sendStatusToErrno(r.status);
    if (err < 0 && ![-1, -3, RTAS_HVPIPE_CLOSED, RTAS_FUNC_NOT_SUPPORTED].includes(r.status)) {
      // The driver's message names the wrong RTAS function (spec §13.6); kept as Linux prints it.
      yield* k.printk("err", `unexpected ibm,receive-hvpipe-msg status ${r.status}`);
    }
    return err;
  } finally {
    k.workAreas.free(data);
    k.workAreas.free(list);
  }
}
