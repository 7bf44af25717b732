// RTAS work areas: buffers below the RTAS limit that drivers hand to firmware by real address.
import { KernelFault } from "../sched/fault.js";
import { hex } from "../hex.js";

/** rtas_work_area_alloc: 4 KiB-aligned blocks from a fixed arena, not zeroed. */
export class RtasWorkAreas {
  private readonly used: boolean[];
  static readonly BLOCK = 4096;

  constructor(private readonly base: number, size: number) {
    this.used = new Array<boolean>(size / RtasWorkAreas.BLOCK).fill(false);
  }

  /** First fit. Linux blocks until space frees up; with 64 blocks and at most two per caller it never has to. */
  /** rtas_work_area_alloc(4096). */
  alloc(): number {
    const i = this.used.indexOf(false);
    if (i < 0) throw new Error("rtas work-area arena exhausted");
    this.used[i] = true;
    return this.base + i * RtasWorkAreas.BLOCK;
  }

  /** rtas_work_area_free. */
  free(addr: number): void {
    const i = (addr - this.base) / RtasWorkAreas.BLOCK;
    if (!Number.isInteger(i) || !this.used[i]) throw new KernelFault("bug", `rtas_work_area_free of ${hex(addr)}: not allocated`);
    this.used[i] = false;
  }

  inUse(): number {
    return this.used.filter(Boolean).length;
  }
}
