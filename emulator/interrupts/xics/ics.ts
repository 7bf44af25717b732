// The interrupt source controller (spec/spapr-platform.md §4.2, §4.3 "Source").
// Sources are addressed by their global interrupt number (offset 0x1000 + srcno).
import {
  PRIORITY_MASKED,
  XICS_FLAGS_IRQ_LSI,
  XICS_FLAGS_IRQ_MASK,
  XICS_FLAGS_IRQ_MSI,
  XICS_IRQ_BASE,
  XICS_NR_IRQS_DEFAULT,
  XICS_STATUS_ASSERTED,
  XICS_STATUS_MASKED_PENDING,
  XICS_STATUS_REJECTED,
  XICS_STATUS_SENT,
  XISR_MASK,
} from "./constants.js";

/** One source's state (ICSIRQState). */
export interface IcsSource {
  server: number;
  priority: number;
  savedPriority: number;
  status: number;
  /** XICS_FLAGS_IRQ_LSI or XICS_FLAGS_IRQ_MSI; 0 while unclaimed. */
  flags: number;
}

/** Hands source `irq` at `priority` to the presenter of `server` (icp_irq). */
export type IcsPresent = (ics: Ics, server: number, irq: number, priority: number) => void;

export interface IcsOptions {
  nrIrqs?: number;
  offset?: number;
  present: IcsPresent;
}

export class Ics {
  readonly nrIrqs: number;
  readonly offset: number;
  private readonly irqs: IcsSource[];
  private readonly present: IcsPresent;

  constructor(options: IcsOptions) {
    const nrIrqs = options.nrIrqs ?? XICS_NR_IRQS_DEFAULT;
    const offset = options.offset ?? XICS_IRQ_BASE;
    if (!Number.isInteger(offset) || offset <= 0 || offset > XISR_MASK) {
      throw new RangeError(`Ics: offset ${offset} must be an integer in [1, 0xffffff]`);
    }
    if (!Number.isInteger(nrIrqs) || nrIrqs < 1 || offset + nrIrqs - 1 > XISR_MASK) {
      throw new RangeError(`Ics: nrIrqs ${nrIrqs} must be a positive integer with offset + nrIrqs <= 0x1000000`);
    }
    this.nrIrqs = nrIrqs;
    this.offset = offset;
    this.present = options.present;
    this.irqs = [];
    for (let i = 0; i < nrIrqs; i++) {
      this.irqs.push({ server: 0, priority: PRIORITY_MASKED, savedPriority: PRIORITY_MASKED, status: 0, flags: 0 });
    }
  }

  /** True when `irq` is a number this ICS owns, claimed or not (ics_valid_irq). */
  validIrq(irq: number): boolean {
    return Number.isInteger(irq) && irq >= this.offset && irq < this.offset + this.nrIrqs;
  }

  /** A read-only view of one source. Throws RangeError for a number outside the ICS. */
  source(irq: number): Readonly<IcsSource> {
    return this.at(irq, "source");
  }

  isLsi(irq: number): boolean {
    return (this.at(irq, "isLsi").flags & XICS_FLAGS_IRQ_LSI) !== 0;
  }

  isClaimed(irq: number): boolean {
    return (this.at(irq, "isClaimed").flags & XICS_FLAGS_IRQ_MASK) !== 0;
  }

  /** Allocates a source as LSI or MSI. Throws if it is outside the ICS or already claimed. */
  claim(irq: number, options: { lsi: boolean }): void {
    const src = this.at(irq, "claim");
    if (src.flags & XICS_FLAGS_IRQ_MASK) throw new RangeError(`Ics.claim: IRQ 0x${irq.toString(16)} is not free`);
    src.flags = options.lsi ? XICS_FLAGS_IRQ_LSI : XICS_FLAGS_IRQ_MSI;
  }

  /**
   * A device drives the source's input. LSI: the level. MSI: only a 1 (an edge) does anything.
   * An unclaimed source (flags 0) behaves as an MSI, as in QEMU.
   */
  setIrq(irq: number, level: boolean | number): void {
    const srcno = this.srcno(irq, "setIrq");
    const src = this.irqs[srcno]!;
    if (src.flags & XICS_FLAGS_IRQ_LSI) {
      if (level) src.status |= XICS_STATUS_ASSERTED;
      else src.status &= ~XICS_STATUS_ASSERTED;
      this.resendLsi(srcno);
    } else if (level) {
      if (src.priority === PRIORITY_MASKED) src.status |= XICS_STATUS_MASKED_PENDING;
      else this.present(this, src.server, irq, src.priority);
    }
  }

  /** setIrq(irq, 1) then setIrq(irq, 0). */
  pulse(irq: number): void {
    this.setIrq(irq, 1);
    this.setIrq(irq, 0);
  }

  /** The presenter could not take (or gave back) this source. Numbers outside the ICS are ignored. */
  reject(irq: number): void {
    if (!this.validIrq(irq)) return;
    const src = this.irqs[irq - this.offset]!;
    if (src.flags & XICS_FLAGS_IRQ_LSI) src.status &= ~XICS_STATUS_SENT;
    else src.status |= XICS_STATUS_REJECTED;
  }

  /**
   * Offers every rejected MSI and every asserted, unsent LSI again.
   * [quirk] There is no per-server filter: a resend on any CPU retries all sources.
   */
  resend(): void {
    for (let srcno = 0; srcno < this.nrIrqs; srcno++) {
      if (this.irqs[srcno]!.flags & XICS_FLAGS_IRQ_LSI) this.resendLsi(srcno);
      else this.resendMsi(srcno);
    }
  }

  /** End of interrupt from a presenter. Numbers outside the ICS are ignored. */
  eoi(irq: number): void {
    if (!this.validIrq(irq)) return;
    const src = this.irqs[irq - this.offset]!;
    if (src.flags & XICS_FLAGS_IRQ_LSI) src.status &= ~XICS_STATUS_SENT;
  }

  /** Sets routing and priorities (the callers validate server and priority), then delivers what was held back. */
  writeXive(irq: number, server: number, priority: number, savedPriority: number): void {
    const srcno = this.srcno(irq, "writeXive");
    const src = this.irqs[srcno]!;
    src.server = server;
    src.priority = priority;
    src.savedPriority = savedPriority;
    if (src.flags & XICS_FLAGS_IRQ_LSI) {
      this.resendLsi(srcno);
    } else if ((src.status & XICS_STATUS_MASKED_PENDING) && priority !== PRIORITY_MASKED) {
      src.status &= ~XICS_STATUS_MASKED_PENDING;
      this.present(this, server, irq, priority);
    }
  }

  /** Machine reset: every source masked, server 0, no status; claims are kept. */
  reset(): void {
    for (const src of this.irqs) {
      src.server = 0;
      src.priority = PRIORITY_MASKED;
      src.savedPriority = PRIORITY_MASKED;
      src.status = 0;
    }
  }

  private resendLsi(srcno: number): void {
    const src = this.irqs[srcno]!;
    if (src.priority !== PRIORITY_MASKED && (src.status & XICS_STATUS_ASSERTED) && !(src.status & XICS_STATUS_SENT)) {
      src.status |= XICS_STATUS_SENT;
      this.present(this, src.server, srcno + this.offset, src.priority);
    }
  }

  private resendMsi(srcno: number): void {
    const src = this.irqs[srcno]!;
    if (src.status & XICS_STATUS_REJECTED) {
      src.status &= ~XICS_STATUS_REJECTED;
      // [quirk] A rejected MSI whose source is now masked is dropped, not made MASKED_PENDING.
      if (src.priority !== PRIORITY_MASKED) this.present(this, src.server, srcno + this.offset, src.priority);
    }
  }

  private srcno(irq: number, what: string): number {
    if (!this.validIrq(irq)) {
      throw new RangeError(
        `Ics.${what}: IRQ ${String(irq)} is outside [0x${this.offset.toString(16)}, 0x${(this.offset + this.nrIrqs).toString(16)})`,
      );
    }
    return irq - this.offset;
  }

  private at(irq: number, what: string): IcsSource {
    return this.irqs[this.srcno(irq, what)]!;
  }
}
