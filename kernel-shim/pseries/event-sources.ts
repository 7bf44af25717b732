// request_event_sources_irqs: the interrupts of an /event-sources/<node>, mapped and requested
// (at most 16); failures are only warned about, as Linux does.
import type { IrqHandler, IrqRequests } from "../irq.js";
import type { OfTree } from "../of.js";
import type { Printk } from "../printk.js";
import type { KStep } from "../sched/types.js";

const MAX_EVENT_IRQS = 16;

export class EventSources {
  constructor(private readonly k: { readonly of: OfTree; readonly irq: IrqRequests; readonly printk: Printk }) {}

  /** `path` names a node under /event-sources, whose parent gives #interrupt-cells. */
  *requestIrqs(path: string, handler: IrqHandler, name: string): KStep {
    const { of, irq, printk } = this.k;
    const np = of.findNodeByPath(path);
    const parent = path.slice(0, path.lastIndexOf("/")) || "/";
    const cells = of.readU32(parent, "#interrupt-cells");
    const specs = !np || cells === undefined ? [] : of.interrupts(np, cells).slice(0, MAX_EVENT_IRQS);
    if (specs.length === 0) yield* printk("warn", `WARNING: ${path}: no interrupts to request`);
    for (const spec of specs) {
      const virq = irq.createMapping(spec[0]!);
      const r = yield* irq.requestIrq(virq, handler, name);
      if (r !== 0) {
        yield* printk("warn", `WARNING: request_irq(${virq}) for ${name} failed ${r}`);
        break;
      }
    }
  }
}
