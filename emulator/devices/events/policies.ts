// The event sources' hypervisor policy: what the public spec leaves open about re-signalling an
// event that a failed check-exception left queued (docs/policies.md lists every policy).
import type { PolicyDefinition, PolicyValues } from "../../policy-definition.js";

export const EVENTS_POLICIES = {
  "reraise-after-failed-check-exception": {
    values: [false, true],
    default: false,
    meaning: "when a check-exception answers an error status (its own or an injected one) while events of the classes it asked for stay queued: nothing, or those classes' interrupts are pulsed again",
    reason: "spapr-platform.md §3: event sources are edge-triggered and QEMU re-raises only at event-scan or after a successful check-exception; hvpipe-driver.md §16: what PowerVM does is not public",
  },
} as const satisfies Record<string, PolicyDefinition>;

export type EventsPolicy = PolicyValues<typeof EVENTS_POLICIES>;
