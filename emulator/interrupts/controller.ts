// The interrupt controller as the rest of the machine sees it: devices claim and drive sources, each
// CPU's external-interrupt output is read from it, and it declares its own device-tree fragment,
// hypercalls and RTAS functions. XICS implements it (xics/xics.ts); another controller (XIVE) is a
// new folder and a row in ./controllers.ts. Devices see only InterruptLines.
import type { DtNode } from "../../devicetree/index.js";
import type { HcallRows } from "../hcall-table.js";
import type { RtasFunction } from "../rtas/types.js";

/** What a device may do to interrupt sources. */
export interface InterruptLines {
  /** Allocates a source (an edge/MSI source unless lsi). Throws RangeError for a number it cannot take. */
  claim(irq: number, lsi: boolean): void;
  /** Drives a source: a level for an LSI, 1 = an edge for an MSI. */
  setIrq(irq: number, level: boolean | number): void;
  /** setIrq(irq, 1) then setIrq(irq, 0). */
  pulse(irq: number): void;
}

export interface InterruptController extends InterruptLines {
  /** The controller's name, the key of its inspection in the machine's state (e.g. "xics"). */
  readonly name: string;
  /** Interrupt servers (presentation targets); one per CPU thread. */
  readonly servers: number;
  /** Whether the CPU's external-interrupt input (vector 0x500) is raised. */
  outputRaised(cpu: number): boolean;
  /** Option vector 5 byte 23 of /chosen (the interrupt modes the platform supports: 0x00 XICS, 0x40 XIVE). */
  readonly ov5InterruptModes: number;
  /** Adds the controller's nodes to the machine's own tree (not used when booting from a blob). */
  addToTree(root: DtNode): void;
  /** Its hypercalls by opcode. */
  readonly hcalls: HcallRows;
  rtasFunctions(): RtasFunction[];
  /** A plain-data snapshot. */
  inspect(): unknown;
}
