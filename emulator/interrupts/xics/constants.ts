// XICS constants (spec/spapr-platform.md §4.1, §4.5, §4.6, §4.7).

/** The XISR value used for inter-processor interrupts; not an ICS source. */
export const XICS_IPI = 0x2;
const XICS_BUID = 0x1;
/** First external interrupt number (`XICS_BUID << 12`), the ICS offset. */
export const XICS_IRQ_BASE = 0x1000;
/** Sources in the one ICS (SPAPR_NR_XIRQS): external IRQs are 0x1000..0x1fff. */
export const XICS_NR_IRQS_DEFAULT = 0x1000;

/** XIRR bits 23..0: the interrupt source being presented (0 = none). */
export const XISR_MASK = 0x00ffffff;
/** XIRR bits 31..24: the current processor priority. */
export const CPPR_MASK = 0xff000000;

/** Least favoured priority; a source at this priority is masked, MFRR at this value requests no IPI. */
export const PRIORITY_MASKED = 0xff;

// ICS per-source status bits.
export const XICS_STATUS_ASSERTED = 0x1;
export const XICS_STATUS_SENT = 0x2;
export const XICS_STATUS_REJECTED = 0x4;
export const XICS_STATUS_MASKED_PENDING = 0x8;

// ICS per-source flag bits (0 = source not claimed).
export const XICS_FLAGS_IRQ_LSI = 0x1;
export const XICS_FLAGS_IRQ_MSI = 0x2;
export const XICS_FLAGS_IRQ_MASK = 0x3;

/** PHANDLE_INTC. */
const XICS_PHANDLE = 0x1111;

/**
 * Property values of the `/interrupt-controller` node (§4.6), keyed by property name.
 * A number is one u32 cell, a string is a NUL-terminated string, an empty array is an
 * empty property. `ibm,interrupt-server-ranges` depends on the machine: use
 * `xicsInterruptServerRanges(nrServers)`. Interrupt specifiers are `<irq is_lsi?1:0>`.
 */
export const XICS_DT = {
  nodeName: "interrupt-controller",
  device_type: "PowerPC-External-Interrupt-Presentation",
  compatible: "IBM,ppc-xicp",
  "interrupt-controller": [] as readonly number[],
  "#interrupt-cells": 2,
  "linux,phandle": XICS_PHANDLE,
  phandle: XICS_PHANDLE,
} as const;

/** `ibm,interrupt-server-ranges` cells: `<0 nr_servers>` (max vCPU id + 1). */
export function xicsInterruptServerRanges(nrServers: number): [number, number] {
  return [0, nrServers];
}
