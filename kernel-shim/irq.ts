// The IRQ core with the XICS hypervisor backend (icp-hv + ics-rtas): mapping of device-tree
// interrupt specifiers, request_irq unmasking through ibm,set-xive/ibm,int-on, and the hard-IRQ
// entry path H_XIRR → handler → H_EOI.
import { hex } from "./hex.js";
import { H_CPPR, H_EOI, H_IPI, H_XIRR, type Hypercall } from "./port.js";
import type { Printk } from "./printk.js";
import type { RtasCalls } from "./rtas-client.js";
import type { Scheduler } from "./sched/scheduler.js";
import { cpuOf } from "./sched/context.js";
import { step, type KStep } from "./sched/types.js";

const XICS_IPI = 2;
/** Priority Linux gives every device interrupt. */
const DEFAULT_PRIORITY = 5;
const LOWEST_PRIORITY = 0xff;
const XISR_MASK = 0x00ffffff;

export type IrqHandler = (virq: number, hwirq: number) => KStep<unknown>;

interface IrqDesc {
  hwirq: number;
  handler?: IrqHandler;
  name?: string;
  count: number;
}

/** What the IRQ core uses: the scheduler (current CPU), RTAS for the source, hypercalls for the presentation. */
export interface IrqCoreDeps {
  readonly sched: Scheduler;
  readonly rtas: Pick<RtasCalls, "call">;
  readonly hcall: Hypercall;
  readonly printk: Printk;
  readonly bootCpu: number;
}

/** The IRQ API drivers (and the pseries event-source helper) use. */
export interface IrqRequests {
  createMapping(hwirq: number): number;
  requestIrq(virq: number, handler: IrqHandler, name: string): KStep<number>;
}

export class IrqCore implements IrqRequests {
  private readonly byVirq = new Map<number, IrqDesc>();
  private readonly byHwirq = new Map<number, number>();
  private nextVirq = 16;
  spurious = 0;

  constructor(private readonly k: IrqCoreDeps) {}

  /** irq_create_mapping: the Linux number for a hardware interrupt. */
  createMapping(hwirq: number): number {
    const known = this.byHwirq.get(hwirq);
    if (known !== undefined) return known;
    const virq = this.nextVirq++;
    this.byVirq.set(virq, { hwirq, count: 0 });
    this.byHwirq.set(hwirq, virq);
    return virq;
  }

  /** request_irq: install the handler, then unmask at the source (route to the boot CPU, priority 5). */
  *requestIrq(virq: number, handler: IrqHandler, name: string): KStep<number> {
    const desc = this.byVirq.get(virq);
    if (!desc) return -22;
    if (desc.handler) return -16; // EBUSY: not shared
    desc.handler = handler;
    desc.name = name;
    const rtas = this.k.rtas;
    const set = yield* rtas.call("ibm,set-xive", 1, [desc.hwirq, this.k.bootCpu, DEFAULT_PRIORITY]);
    if (set.status !== 0) yield* this.k.printk("err", `xics: ibm,set-xive irq=${desc.hwirq} returns ${set.status}`);
    const on = yield* rtas.call("ibm,int-on", 1, [desc.hwirq]);
    if (on.status !== 0) yield* this.k.printk("err", `xics: ibm,int-on irq=${desc.hwirq} returns ${on.status}`);
    return 0;
  }

  /** xics_setup_cpu: accept interrupts of every priority on this CPU. */
  *setupCpu(): KStep {
    yield* this.hcall(H_CPPR, [LOWEST_PRIORITY]);
  }

  /** The 0x500 vector: accept, dispatch, end of interrupt. */
  *entry(): KStep {
    const xirr = (yield* this.hcall(H_XIRR, [])).outs[0] ?? 0;
    const hwirq = xirr & XISR_MASK;
    const cpu = cpuOf(this.k.sched.running!).index;
    if (hwirq === 0) {
      this.spurious++;
      return;
    }
    yield* step({ kind: "irq-entry", hwirq, xirr });
    if (hwirq === XICS_IPI) {
      yield* this.hcall(H_IPI, [cpu, LOWEST_PRIORITY]);
    } else {
      const virq = this.byHwirq.get(hwirq);
      const desc = virq === undefined ? undefined : this.byVirq.get(virq);
      if (desc?.handler) {
        desc.count++;
        yield* desc.handler(virq!, hwirq);
      } else {
        this.spurious++;
        yield* this.k.printk("warn", `irq: no handler for hwirq ${hex(hwirq)}`);
      }
    }
    // EOI restores the priority the CPU had before it accepted (the top byte of XIRR).
    yield* this.hcall(H_EOI, [xirr]);
    yield* step({ kind: "irq-exit", hwirq });
  }

  private *hcall(opcode: number, args: number[]): KStep<{ ret: number; outs: number[] }> {
    const cpu = cpuOf(this.k.sched.running!).index;
    const r = this.k.hcall(cpu, opcode, args);
    yield* step({ kind: "hcall", opcode, args, ret: r.ret, outs: r.outs });
    return r;
  }
}
