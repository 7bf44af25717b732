// The interrupt presentation controller of one CPU ("server") (spec/spapr-platform.md §4.2, §4.3 "Presenter").
import { CPPR_MASK, PRIORITY_MASKED, XICS_IPI, XISR_MASK } from "./constants.js";
import type { Ics } from "./ics.js";

/** What a presenter needs from the rest of the interrupt fabric. */
export interface XicsFabric {
  /** The ICS that owns interrupt number `irq`, if any (IPI 2 has none). */
  icsFor(irq: number): Ics | undefined;
  /** Every ICS offers its rejected / asserted sources again. */
  resendSources(): void;
}

export class Icp {
  /** CPPR in bits 31..24, XISR in bits 23..0; always a u32 (non-negative) number. */
  xirr = 0;
  /** Priority of what is in XISR; 0xff = nothing. */
  pendingPriority = PRIORITY_MASKED;
  /** IPI request priority; 0xff = none. */
  mfrr = PRIORITY_MASKED;
  /** The ICS that owns the source in XISR; null for an IPI or when nothing is pending. */
  owner: Ics | null = null;
  private raised = false;

  constructor(
    readonly server: number,
    private readonly fabric: XicsFabric,
    /** Called on every change of the external-interrupt output line. */
    private readonly onOutputChange?: (raised: boolean) => void,
  ) {}

  get cppr(): number {
    return this.xirr >>> 24;
  }

  get xisr(): number {
    return this.xirr & XISR_MASK;
  }

  /** The CPU external-interrupt input (vector 0x500 when MSR[EE]=1). */
  get output(): boolean {
    return this.raised;
  }

  /** An ICS offers source `irq` at `priority` (icp_irq). */
  present(ics: Ics, irq: number, priority: number): void {
    if (priority >= this.cppr || (this.xisr !== 0 && this.pendingPriority <= priority)) {
      ics.reject(irq);
      return;
    }
    if (this.xisr !== 0 && this.owner) this.owner.reject(this.xisr);
    this.setXisr(irq);
    this.owner = ics;
    this.pendingPriority = priority;
    this.setOutput(true);
  }

  /** Presents the IPI at MFRR unless something at least as favoured is pending. */
  checkIpi(): void {
    if (this.xisr !== 0 && this.pendingPriority <= this.mfrr) return;
    // A displaced IPI (owner null) is not rejected anywhere: MFRR still asks for it.
    if (this.xisr !== 0 && this.owner) this.owner.reject(this.xisr);
    this.setXisr(XICS_IPI);
    this.pendingPriority = this.mfrr;
    this.owner = null;
    this.setOutput(true);
  }

  /** Re-offers the IPI if MFRR is below CPPR, then asks every ICS to resend. */
  resend(): void {
    if (this.mfrr < this.cppr) this.checkIpi();
    // [quirk] No per-server filter: this CPU's resend retries sources routed to any server.
    this.fabric.resendSources();
  }

  /** H_CPPR. Only the low 8 bits of `cppr` are used. */
  setCppr(cppr: number): void {
    const c = cppr & 0xff;
    const old = this.cppr;
    this.xirr = (((c << 24) >>> 0) | this.xisr) >>> 0;
    if (c < old) {
      if (this.xisr !== 0 && c <= this.pendingPriority) {
        const oldXisr = this.xisr;
        this.setXisr(0);
        this.pendingPriority = PRIORITY_MASKED;
        this.setOutput(false);
        if (this.owner) {
          this.owner.reject(oldXisr);
          this.owner = null;
        }
      }
    } else if (this.xisr === 0) {
      this.resend();
    }
  }

  /** H_IPI on this server. Only the low 8 bits of `mfrr` are used. */
  setMfrr(mfrr: number): void {
    this.mfrr = mfrr & 0xff;
    // [quirk] MFRR = 0xff does not withdraw an IPI that is already pending in XISR.
    if (this.mfrr < this.cppr) this.checkIpi();
  }

  /**
   * H_XIRR: returns the XIRR, then CPPR = pending priority and XISR is cleared.
   * Note (follows from §4.3, as in QEMU): with nothing pending this sets CPPR to 0xff without a resend.
   */
  accept(): number {
    const xirr = this.xirr;
    this.setOutput(false);
    this.xirr = (this.pendingPriority << 24) >>> 0;
    this.pendingPriority = PRIORITY_MASKED;
    this.owner = null;
    return xirr;
  }

  /**
   * H_EOI: CPPR = xirr >> 24, EOI to the ICS owning the source number, resend if XISR is empty.
   * Note (follows from §4.3, as in QEMU): a pending interrupt the restored CPPR no longer allows is not withdrawn.
   */
  eoi(xirr: number): void {
    const x = xirr >>> 0;
    this.xirr = ((x & CPPR_MASK) | this.xisr) >>> 0;
    const irq = x & XISR_MASK;
    this.fabric.icsFor(irq)?.eoi(irq);
    if (this.xisr === 0) this.resend();
  }

  /** H_IPOLL: no side effects. */
  ipoll(): { xirr: number; mfrr: number } {
    return { xirr: this.xirr, mfrr: this.mfrr };
  }

  /** Machine reset: CPPR 0 (everything masked), nothing pending, no IPI, output low. */
  reset(): void {
    this.xirr = 0;
    this.pendingPriority = PRIORITY_MASKED;
    this.mfrr = PRIORITY_MASKED;
    this.owner = null;
    this.setOutput(false);
  }

  private setXisr(xisr: number): void {
    this.xirr = ((this.xirr & CPPR_MASK) | (xisr & XISR_MASK)) >>> 0;
  }

  private setOutput(raised: boolean): void {
    if (this.raised === raised) return;
    this.raised = raised;
    this.onOutputChange?.(raised);
  }
}
