// The kernel's RTAS client: tokens found by name in /rtas, rtas_call through H_RTAS under the
// global rtas_lock, and the busy / extended-delay retry loop (spec/hvpipe-driver.md §5).
import { Layout, type KernelMemory } from "./memory.js";
import type { OfTree } from "./of.js";
import { H_RTAS, type Hypercall } from "./port.js";
import type { Scheduler } from "./sched/scheduler.js";
import { SpinLock, spinLockIrqsave, spinUnlockIrqrestore } from "./sched/locks.js";
import { cpuOf } from "./sched/context.js";
import { step, type KStep } from "./sched/types.js";
import { msleep } from "./sched/waitqueue.js";

/** The function names this kernel knows (Linux's rtas_function_table); others in /rtas are ignored. */
const RTAS_FUNCTION_TABLE = [
  "check-exception", "display-character", "event-scan", "get-time-of-day", "ibm,get-system-parameter",
  "ibm,get-xive", "ibm,int-off", "ibm,int-on", "ibm,os-term", "ibm,receive-hvpipe-msg", "ibm,send-hvpipe-msg",
  "ibm,set-system-parameter", "ibm,set-xive", "power-off", "rtas-last-error", "set-time-of-day", "system-reboot",
] as const;

const RTAS_UNKNOWN_SERVICE = -1;
const RTAS_ERROR_LOG_MAX = 2048;

export interface RtasResult {
  status: number;
  outputs: number[];
}

/** What the RTAS client uses: the scheduler (lock, current CPU), kernel memory, the OF tree, H_RTAS. */
export interface RtasClientDeps {
  readonly sched: Scheduler;
  readonly mem: KernelMemory;
  readonly of: OfTree;
  readonly hcall: Hypercall;
}

/** RTAS as drivers and the IRQ core call it. */
export interface RtasCalls {
  readonly errorLogMax: number;
  implemented(name: string): boolean;
  call(name: string, nret: number, args: readonly number[]): KStep<RtasResult>;
  callRetrying(name: string, nret: number, args: readonly number[]): KStep<RtasResult>;
}

export class RtasClient implements RtasCalls {
  readonly tokens = new Map<string, number>();
  readonly lock = new SpinLock("rtas_lock");
  readonly errorLogMax: number;

  constructor(private readonly k: RtasClientDeps) {
    const rtas = k.of.findNodeByPath("/rtas");
    const known = new Set<string>(RTAS_FUNCTION_TABLE);
    // rtas_function_table_init: only properties of exactly 4 bytes can be tokens.
    for (const p of rtas?.properties ?? []) {
      if (p.value.length === 4 && known.has(p.name)) {
        this.tokens.set(p.name, new DataView(p.value.buffer, p.value.byteOffset, 4).getUint32(0, false));
      }
    }
    const max = k.of.readU32("/rtas", "rtas-error-log-max");
    this.errorLogMax = max === undefined ? RTAS_ERROR_LOG_MAX : Math.min(max, RTAS_ERROR_LOG_MAX);
  }

  private token(name: string): number {
    return this.tokens.get(name) ?? RTAS_UNKNOWN_SERVICE;
  }

  implemented(name: string): boolean {
    return this.tokens.has(name);
  }

  /** rtas_call: one call, no retry. A missing token answers -1 without entering firmware. */
  *call(name: string, nret: number, args: readonly number[]): KStep<RtasResult> {
    const k = this.k;
    const token = this.token(name);
    if (token === RTAS_UNKNOWN_SERVICE) {
      yield* step({ kind: "rtas", name, args, status: -1, outputs: [] });
      return { status: -1, outputs: [] };
    }
    yield* spinLockIrqsave(k.sched, this.lock);
    const mem = k.mem;
    const a = Layout.rtasArgs;
    mem.setU32(a, token);
    mem.setU32(a + 4, args.length);
    mem.setU32(a + 8, nret);
    args.forEach((v, i) => mem.setU32(a + 12 + 4 * i, v));
    const rets = a + 12 + 4 * args.length;
    for (let i = 0; i < nret; i++) mem.setU32(rets + 4 * i, 0);
    const cpu = cpuOf(k.sched.running!).index;
    k.hcall(cpu, H_RTAS, [a]);
    const status = nret > 0 ? mem.u32(rets) | 0 : 0;
    const outputs: number[] = [];
    for (let i = 1; i < nret; i++) outputs.push(mem.u32(rets + 4 * i));
    yield* step({ kind: "rtas", name, args, status, outputs });
    yield* spinUnlockIrqrestore(k.sched, this.lock);
    return { status, outputs };
  }

  /** do { rtas_call } while (rtas_busy_delay(status)): -2 reschedules, 990x sleeps, anything else returns. */
  *callRetrying(name: string, nret: number, args: readonly number[]): KStep<RtasResult> {
    for (;;) {
      const r = yield* this.call(name, nret, args);
      const delay = busyDelayMs(r.status);
      if (delay === undefined) return r;
      if (delay === 0) yield* step({ kind: "state", what: "cond_resched (RTAS busy)" });
      else yield* msleep(this.k.sched, delay);
    }
  }
}

/** rtas_busy_delay after boot: undefined = stop; 0 = cond_resched; else the sleep in ms (usleep_range's upper bound). */
function busyDelayMs(status: number): number | undefined {
  if (status === -2) return 0;
  if (status >= 9900 && status <= 9905) return Math.min(10 ** (status - 9900), 1000);
  return undefined;
}
