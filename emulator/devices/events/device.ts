// Platform event sources (spec/spapr-platform.md §3): the event queue check-exception and
// event-scan serve, the IRQ each class signals, and /event-sources.
import type { DtNode } from "../../../devicetree/index.js";
import { defineDevice } from "../device.js";
import { EVENTS_POLICIES } from "./policies.js";
import { EVENT_CLASSES, EventQueue } from "./queue.js";

/** /event-sources with one child per class, each an edge source at its IRQ (§3.1). */
function addEventSources(root: DtNode): void {
  const events = root.addChild("event-sources");
  const classes = Object.values(EVENT_CLASSES);
  events.setEmpty("interrupt-controller");
  // #address-cells keeps dtc's interrupt-provider check quiet; Linux does not read it here.
  events.setU32("#address-cells", 0);
  events.setU32("#interrupt-cells", 2);
  events.setU32List("interrupt-ranges", classes.flatMap((c) => [c.irq, 1]));
  for (const c of classes) {
    // Second cell 0: edge (MSI-type) source.
    events.addChild(c.name).setU32List("interrupts", [c.irq, 0]);
  }
}

export const eventSourcesDevice = defineDevice({
  name: "events",
  policies: EVENTS_POLICIES,
  create(ctx) {
    // The event classes signal the IRQs the tree gives them (EVENT_CLASSES' numbers in the machine's own tree).
    const queue = new EventQueue(ctx.memory, (irq) => ctx.interrupts.pulse(irq), ctx.base?.eventIrqs, ctx.policy);
    const irqs = new Set(Object.values(EVENT_CLASSES).map((c) => queue.irqOf(c)));
    for (const irq of irqs) if (irq !== null) ctx.interrupts.claim(irq, false);
    return {
      model: queue,
      rtas: queue.rtasFunctions(),
      tree: ({ root }: { root: DtNode }) => addEventSources(root),
      provides: { events: queue },
      inspect: () => queue.list().map((e) => e.description),
    };
  },
});
