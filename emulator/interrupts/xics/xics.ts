// XICS: one ICS and one ICP per CPU, with its hypercalls and RTAS calls (spec/spapr-platform.md §4),
// the machine's interrupt controller (../interrupts/controller.ts).
// Deterministic and synchronous. Nothing a guest passes throws: bad arguments get H_PARAMETER or RTAS -3.
import type { DtNode } from "../../../devicetree/index.js";
import {
  H_CPPR,
  H_EOI,
  H_HARDWARE,
  H_IPI,
  H_IPOLL,
  H_PARAMETER,
  H_SUCCESS,
  H_XIRR,
  H_XIRR_X,
  type HcallResult,
} from "../../hcall-numbers.js";
import type { HcallHandler, HcallRows } from "../../hcall-table.js";
import type { InterruptController } from "../controller.js";
import { RtasStatus, type RtasCall, type RtasFunction } from "../../rtas/types.js";
import {
  PRIORITY_MASKED,
  XICS_DT,
  XICS_FLAGS_IRQ_LSI,
  XICS_FLAGS_IRQ_MSI,
  XICS_STATUS_ASSERTED,
  XICS_STATUS_MASKED_PENDING,
  XICS_STATUS_REJECTED,
  XICS_STATUS_SENT,
  xicsInterruptServerRanges,
} from "./constants.js";
import { Ics } from "./ics.js";
import { Icp } from "./icp.js";

export interface XicsOptions {
  /** Number of CPUs; servers are 0..servers-1. */
  servers: number;
  /** Sources in the ICS (default 0x1000, i.e. IRQs 0x1000..0x1fff). */
  nrIrqs?: number;
  /** Called after an operation when a CPU's external-interrupt output changed. */
  onOutput?: (server: number, raised: boolean) => void;
  /** The host timebase returned in r5 by H_XIRR_X (default 0). */
  timebase?: () => number;
}

export interface IcpSnapshot {
  server: number;
  xirr: number;
  cppr: number;
  xisr: number;
  pendingPriority: number;
  mfrr: number;
  /** "ics" when XISR is an ICS source, "ipi" when it is the IPI, "none" when XISR is 0. */
  owner: "ics" | "ipi" | "none";
  output: boolean;
}

export type XicsStatusName = "ASSERTED" | "SENT" | "REJECTED" | "MASKED_PENDING";

export interface SourceSnapshot {
  irq: number;
  type: "LSI" | "MSI" | "unclaimed";
  server: number;
  priority: number;
  savedPriority: number;
  status: XicsStatusName[];
}

export interface XicsSnapshot {
  icps: IcpSnapshot[];
  /** First and one-past-last interrupt number of the ICS. */
  icsRange: [number, number];
  /** Claimed sources, plus any unclaimed one whose state is not the reset state. */
  sources: SourceSnapshot[];
}

/** A register argument as a u32 (missing or non-number registers read as 0). */
function u32(value: unknown): number {
  return typeof value === "number" ? value >>> 0 : 0;
}

function statusNames(status: number): XicsStatusName[] {
  const names: XicsStatusName[] = [];
  if (status & XICS_STATUS_ASSERTED) names.push("ASSERTED");
  if (status & XICS_STATUS_SENT) names.push("SENT");
  if (status & XICS_STATUS_REJECTED) names.push("REJECTED");
  if (status & XICS_STATUS_MASKED_PENDING) names.push("MASKED_PENDING");
  return names;
}

export class Xics implements InterruptController {
  readonly name = "xics";
  /** OV5 byte 23 = 0x00: XICS only (spec/spapr-platform.md §2). */
  readonly ov5InterruptModes = 0x00;
  /** For inspection and tests: changes made directly on these bypass onOutput. */
  readonly ics: Ics;
  readonly icps: readonly Icp[];
  private readonly onOutput?: (server: number, raised: boolean) => void;
  private readonly timebase: () => number;
  /** Output state last reported through onOutput, per server. */
  private readonly reported: boolean[];
  /** The XICS hypercalls (§4.4); a calling server that does not exist gets H_HARDWARE. */
  readonly hcalls: HcallRows;

  constructor(options: XicsOptions) {
    const { servers } = options;
    if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`Xics: servers ${servers} must be a positive integer`);
    this.onOutput = options.onOutput;
    this.timebase = options.timebase ?? (() => 0);
    this.ics = new Ics({
      nrIrqs: options.nrIrqs,
      present: (ics, server, irq, priority) => this.icps[server]?.present(ics, irq, priority),
    });
    const fabric = {
      icsFor: (irq: number) => (this.ics.validIrq(irq) ? this.ics : undefined),
      resendSources: () => this.ics.resend(),
    };
    const icps: Icp[] = [];
    for (let s = 0; s < servers; s++) icps.push(new Icp(s, fabric));
    this.icps = icps;
    this.reported = icps.map(() => false);
    this.hcalls = this.hcallRows();
  }

  get servers(): number {
    return this.icps.length;
  }

  /** The ICP of `server`, or undefined if there is no such server. */
  icp(server: number): Icp | undefined {
    return this.serverExists(server) ? this.icps[server] : undefined;
  }

  serverExists(server: number): boolean {
    return Number.isInteger(server) && server >= 0 && server < this.icps.length;
  }

  /** Allocates a source. Throws RangeError for a number outside the ICS or one already claimed. */
  claim(irq: number, lsi = false): void {
    this.ics.claim(irq, { lsi });
  }

  /** A device drives a source (level for LSI, 1 = edge for MSI). Throws RangeError outside the ICS. */
  setIrq(irq: number, level: boolean | number): void {
    this.run(() => this.ics.setIrq(irq, level));
  }

  /** setIrq(irq, 1) then setIrq(irq, 0). */
  pulse(irq: number): void {
    this.run(() => this.ics.pulse(irq));
  }

  outputRaised(server: number): boolean {
    return this.icp(server)?.output ?? false;
  }

  /** Machine reset of every ICP and source (claims are kept). */
  reset(): void {
    this.run(() => {
      for (const icp of this.icps) icp.reset();
      this.ics.reset();
    });
  }

  /** One XICS hypercall made by CPU `server` (args r4, r5, …); undefined for opcodes XICS does not own. */
  hcall(server: number, opcode: number, args: readonly number[]): HcallResult | undefined {
    return this.hcalls.get(opcode)?.(server, args);
  }

  private hcallRows(): HcallRows {
    const ok = (...outs: number[]): HcallResult => ({ ret: H_SUCCESS, outs });
    const onIcp = (op: (icp: Icp, args: readonly number[]) => HcallResult): HcallHandler => (server, args) => {
      const icp = this.icp(server);
      if (!icp) return { ret: H_HARDWARE, outs: [] };
      return this.run(() => op(icp, args));
    };
    const onTarget = (op: (target: Icp, args: readonly number[]) => HcallResult) => onIcp((_, args) => {
      const target = this.icpFromRegister(args[0]);
      return target ? op(target, args) : { ret: H_PARAMETER, outs: [] };
    });
    return new Map<number, HcallHandler>([
      [H_CPPR, onIcp((icp, args) => (icp.setCppr(u32(args[0])), ok()))],
      [H_IPI, onTarget((target, args) => (target.setMfrr(u32(args[1])), ok()))],
      [H_XIRR, onIcp((icp) => ok(icp.accept()))],
      [H_XIRR_X, onIcp((icp) => {
        const xirr = icp.accept();
        return ok(xirr, this.timebase());
      })],
      [H_EOI, onIcp((icp, args) => (icp.eoi(u32(args[0])), ok()))],
      [H_IPOLL, onTarget((target) => {
        const { xirr, mfrr } = target.ipoll();
        return ok(xirr, mfrr);
      })],
    ]);
  }

  /** ibm,set-xive, ibm,get-xive, ibm,int-off, ibm,int-on (tokens: ../rtas/tokens.ts). */
  rtasFunctions(): RtasFunction[] {
    return [
      { name: "ibm,set-xive", handler: (call) => this.rtasSetXive(call) },
      { name: "ibm,get-xive", handler: (call) => this.rtasGetXive(call) },
      { name: "ibm,int-off", handler: (call) => this.rtasIntOff(call) },
      { name: "ibm,int-on", handler: (call) => this.rtasIntOn(call) },
    ];
  }

  /** The /interrupt-controller node (§4.6): the presentation controller with one server per CPU. */
  addToTree(root: DtNode): void {
    const icp = root.addChild(XICS_DT.nodeName);
    icp.setString("device_type", XICS_DT.device_type);
    icp.setString("compatible", XICS_DT.compatible);
    icp.setEmpty("interrupt-controller");
    icp.setU32List("ibm,interrupt-server-ranges", xicsInterruptServerRanges(this.servers));
    icp.setU32("#address-cells", 0);
    icp.setU32("#interrupt-cells", XICS_DT["#interrupt-cells"]);
    icp.setU32("linux,phandle", XICS_DT["linux,phandle"]);
    icp.setU32("phandle", XICS_DT.phandle);
  }

  /** A plain-object snapshot of every ICP and every claimed source. */
  inspect(): XicsSnapshot {
    const icps = this.icps.map((icp): IcpSnapshot => ({
      server: icp.server,
      xirr: icp.xirr,
      cppr: icp.cppr,
      xisr: icp.xisr,
      pendingPriority: icp.pendingPriority,
      mfrr: icp.mfrr,
      owner: icp.xisr === 0 ? "none" : icp.owner ? "ics" : "ipi",
      output: icp.output,
    }));
    const sources: SourceSnapshot[] = [];
    const { offset, nrIrqs } = this.ics;
    for (let irq = offset; irq < offset + nrIrqs; irq++) {
      const src = this.ics.source(irq);
      const type = src.flags & XICS_FLAGS_IRQ_LSI ? "LSI" : src.flags & XICS_FLAGS_IRQ_MSI ? "MSI" : "unclaimed";
      const untouched = src.status === 0 && src.priority === PRIORITY_MASKED && src.savedPriority === PRIORITY_MASKED && src.server === 0;
      if (type === "unclaimed" && untouched) continue;
      sources.push({
        irq,
        type,
        server: src.server,
        priority: src.priority,
        savedPriority: src.savedPriority,
        status: statusNames(src.status),
      });
    }
    return { icps, icsRange: [offset, offset + nrIrqs], sources };
  }

  // --- RTAS (§4.5). All mismatches and range errors answer -3 in rets[0]. ---

  private rtasSetXive(call: RtasCall): void {
    if (call.nargs !== 3 || call.nret !== 1) return paramError(call);
    const irq = u32(call.args[0]);
    const server = u32(call.args[1]);
    const priority = u32(call.args[2]);
    if (!this.ics.validIrq(irq) || !this.serverExists(server) || priority > PRIORITY_MASKED) return paramError(call);
    this.run(() => this.ics.writeXive(irq, server, priority, priority));
    call.answer(RtasStatus.SUCCESS);
  }

  private rtasGetXive(call: RtasCall): void {
    if (call.nargs !== 1 || call.nret !== 3) return paramError(call);
    const irq = u32(call.args[0]);
    if (!this.ics.validIrq(irq)) return paramError(call);
    const src = this.ics.source(irq);
    call.answer(RtasStatus.SUCCESS, src.server, src.priority);
  }

  private rtasIntOff(call: RtasCall): void {
    if (call.nargs !== 1 || call.nret !== 1) return paramError(call);
    const irq = u32(call.args[0]);
    if (!this.ics.validIrq(irq)) return paramError(call);
    const src = this.ics.source(irq);
    // As in QEMU, the saved priority is the current one: a second int-off saves 0xff.
    this.run(() => this.ics.writeXive(irq, src.server, PRIORITY_MASKED, src.priority));
    call.answer(RtasStatus.SUCCESS);
  }

  private rtasIntOn(call: RtasCall): void {
    if (call.nargs !== 1 || call.nret !== 1) return paramError(call);
    const irq = u32(call.args[0]);
    if (!this.ics.validIrq(irq)) return paramError(call);
    const src = this.ics.source(irq);
    this.run(() => this.ics.writeXive(irq, src.server, src.savedPriority, src.savedPriority));
    call.answer(RtasStatus.SUCCESS);
  }

  private icpFromRegister(value: unknown): Icp | undefined {
    return typeof value === "number" ? this.icp(value) : undefined;
  }

  /** Runs one operation, then reports each output line whose state differs from the last report. */
  private run<T>(operation: () => T): T {
    const result = operation();
    for (const icp of this.icps) {
      if (icp.output !== this.reported[icp.server]) {
        this.reported[icp.server] = icp.output;
        this.onOutput?.(icp.server, icp.output);
      }
    }
    return result;
  }
}

/** rets[0] = -3 (the rest 0). With nret 0 there is no status word to write. */
function paramError(call: RtasCall): void {
  call.answer(RtasStatus.PARAM_ERROR);
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** A readable text form of a snapshot, in the spirit of QEMU's `info pic`. */
export function formatXicsSnapshot(snapshot: XicsSnapshot): string {
  const lines: string[] = [];
  for (const c of snapshot.icps) {
    lines.push(
      `CPU ${c.server} XIRR=${hex(c.xirr, 8)} (${c.owner}) CPPR=${hex(c.cppr, 2)} XISR=${hex(c.xisr, 6)} ` +
        `PP=${hex(c.pendingPriority, 2)} MFRR=${hex(c.mfrr, 2)} output=${c.output ? "raised" : "low"}`,
    );
  }
  const [first, end] = snapshot.icsRange;
  lines.push(`ICS ${hex(first, 4)}..${hex(end - 1, 4)}`);
  for (const s of snapshot.sources) {
    lines.push(
      `  ${hex(s.irq, 4)} ${s.type.padEnd(9)} server=${s.server} prio=${hex(s.priority, 2)} ` +
        `saved=${hex(s.savedPriority, 2)} status=${s.status.length ? s.status.join("|") : "-"}`,
    );
  }
  return lines.join("\n");
}
