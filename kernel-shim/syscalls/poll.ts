// poll and ppoll over an array of struct pollfd { int fd; short events; short revents; } (8 bytes, LE).
import type { File, PollTable } from "../file.js";
import { RLIMIT_NOFILE } from "../process.js";
import type { KStep } from "../sched/types.js";
import { WaitQueue, addWaiter, removeWaiter, sleep } from "../sched/waitqueue.js";
import { Errno, Poll } from "../uapi.js";
import type { SyscallContext } from "./context.js";
import { copyFromUser, copyToUser, le64 } from "./usercopy.js";

const POLLFD_SIZE = 8;
/** A file without a poll operation is always ready (DEFAULT_POLLMASK). */
const DEFAULT_POLLMASK = Poll.POLLIN | Poll.POLLOUT | Poll.POLLRDNORM | Poll.POLLWRNORM;
const SIGSET_SIZE = 8;

export function* poll(c: SyscallContext, [ufds = 0, nfds = 0, timeoutMs = 0]: readonly number[]): KStep<number> {
  const t = timeoutMs | 0;
  return yield* doPoll(c, ufds, nfds >>> 0, t < 0 ? undefined : t * 1e6);
}

/** ppoll(ufds, nfds, tsp, sigmask, sigsetsize): a NULL tsp waits forever; the signal mask is checked, not used. */
export function* ppoll(c: SyscallContext, [ufds = 0, nfds = 0, tsp = 0, sigmask = 0, sigsetsize = 0]: readonly number[]): KStep<number> {
  let timeoutNs: number | undefined;
  if (tsp !== 0) {
    const ts = copyFromUser(c.p, tsp, 16);
    if (!ts) return -Errno.EFAULT;
    const sec = le64(ts, 0);
    const nsec = le64(ts, 8);
    if (sec < 0 || nsec < 0 || nsec >= 1e9) return -Errno.EINVAL;
    timeoutNs = sec * 1e9 + nsec;
  }
  if (sigmask !== 0) {
    if (sigsetsize !== SIGSET_SIZE) return -Errno.EINVAL;
    if (!copyFromUser(c.p, sigmask, SIGSET_SIZE)) return -Errno.EFAULT;
  }
  return yield* doPoll(c, ufds, nfds >>> 0, timeoutNs);
}

/** `timeoutNs` undefined: no timeout; 0: do not wait. Returns how many entries have revents. */
function* doPoll(c: SyscallContext, ufds: number, nfds: number, timeoutNs: number | undefined): KStep<number> {
  if (nfds > RLIMIT_NOFILE) return -Errno.EINVAL;
  const raw = copyFromUser(c.p, ufds, nfds * POLLFD_SIZE);
  if (!raw) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const entries = Array.from({ length: nfds }, (_, i) => {
    const fd = dv.getInt32(i * POLLFD_SIZE, true);
    const events = dv.getUint16(i * POLLFD_SIZE + 4, true);
    const file = fd < 0 ? undefined : c.p.fds.get(fd)?.file;
    return { fd, filter: events | Poll.POLLERR | Poll.POLLHUP, file, revents: 0 };
  });
  // Each polled file is held for the whole call, as the poll table's references hold it.
  for (const e of entries) if (e.file) e.file.refs++;
  const queues = new Set<WaitQueue>();
  const pt: PollTable = { wait: (wq) => { addWaiter(c.sched, wq); queues.add(wq); } };
  const deadline = timeoutNs === undefined ? undefined : c.sched.nowNs + timeoutNs;
  let ready = yield* pollAll(entries, pt);
  while (ready === 0 && timeoutNs !== 0) {
    const timedOut = yield* sleep(c.sched, "poll", deadline);
    ready = yield* pollAll(entries, null);
    if (timedOut) break;
  }
  for (const wq of queues) removeWaiter(c.sched, wq);
  for (const e of entries) if (e.file) yield* c.vfs.fput(e.file);
  const out = new Uint8Array(2);
  for (let i = 0; i < entries.length; i++) {
    new DataView(out.buffer).setUint16(0, entries[i]!.revents, true);
    if (!copyToUser(c.p, ufds + i * POLLFD_SIZE + 6, out)) return -Errno.EFAULT;
  }
  return ready;
}

interface Entry { fd: number; filter: number; file: File | undefined; revents: number }

function* pollAll(entries: Entry[], pt: PollTable | null): KStep<number> {
  let ready = 0;
  for (const e of entries) {
    if (e.fd < 0) e.revents = 0;
    else if (!e.file) e.revents = Poll.POLLNVAL;
    else e.revents = (e.file.ops.poll ? yield* e.file.ops.poll(e.file, pt) : DEFAULT_POLLMASK) & e.filter;
    if (e.revents) ready++;
  }
  return ready;
}
