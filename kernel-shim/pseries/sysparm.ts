// papr_sysparm_set: one system parameter written through ibm,set-system-parameter, with the
// RTAS status mapped to an errno (spec/hvpipe-driver.md §4.2).
import { Layout, type KernelMemory } from "../memory.js";
import type { RtasCalls } from "../rtas-client.js";
import type { KStep } from "../sched/types.js";
import { Errno } from "../uapi.js";

const RTAS_NOT_AUTHORIZED = -9002;
const RTAS_INVALID_PARAMETER = -9999;

export class SysparmClient {
  constructor(private readonly k: { readonly rtas: RtasCalls; readonly mem: KernelMemory }) {}

  /** Sets `param` to `data` (a be16 length, then the bytes, in the sysparm buffer): 0 or -errno. */
  *set(param: number, data: Uint8Array): KStep<number> {
    const { rtas, mem } = this.k;
    if (!rtas.implemented("ibm,set-system-parameter")) return -Errno.ENOENT;
    const buf = Layout.sysparmBuf;
    mem.bytes(buf, 2).set([data.length >> 8, data.length & 0xff]);
    mem.bytes(buf + 2, data.length).set(data);
    const r = yield* rtas.callRetrying("ibm,set-system-parameter", 1, [param, buf]);
    switch (r.status) {
      case 0: return 0;
      case -3: return -Errno.EOPNOTSUPP;
      case RTAS_NOT_AUTHORIZED: return -Errno.EPERM;
      case RTAS_INVALID_PARAMETER: return -Errno.EINVAL;
      default: return -Errno.EIO;
    }
  }
}
