// The kernel's view of real memory: big-endian accessors and the fixed layout of its own data
// (the RTAS work-area arena, the user address spaces of processes).
import { KernelFault } from "./sched/fault.js";
import { hex } from "./hex.js";

/** Where the kernel keeps things in guest real memory (all below the 1 GiB RTAS limit). */
export const Layout = {
  /** struct rtas_args: the one global argument block, under rtas_lock. */
  rtasArgs: 0x10000,
  /** hvpipe_ras_buf[RTAS_ERROR_LOG_MAX]: the IRQ handler's check-exception buffer. */
  hvpipeRasBuf: 0x11000,
  /** papr_sysparm_buf for set-system-parameter (kzalloc'd in Linux; fixed here). */
  sysparmBuf: 0x12000,
  /** rtasd's event-scan log buffer (RTAS_ERROR_LOG_MAX). */
  rtasdLogBuf: 0x13000,
  /** rtas_work_area arena: 256 KiB, 4 KiB-aligned blocks. */
  workAreaArena: 0x20000,
  workAreaArenaSize: 0x40000,
  /** User address spaces: 1 MiB each, from here. */
  userBase: 0x100000,
  userSize: 0x100000,
} as const;

/** Big-endian access to real memory, as kernel code uses it. */
export interface MemoryAccess {
  readonly ram: Uint8Array;
  u32(addr: number): number;
  setU32(addr: number, v: number): void;
  setU64(addr: number, v: number): void;
  bytes(addr: number, length: number): Uint8Array;
}

export class KernelMemory implements MemoryAccess {
  private readonly view: DataView;

  constructor(
    readonly ram: Uint8Array,
    readonly size: number,
  ) {
    this.view = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  }

  u32(addr: number): number {
    this.check(addr, 4);
    return this.view.getUint32(addr, false);
  }
  setU32(addr: number, v: number): void {
    this.check(addr, 4);
    this.view.setUint32(addr, v >>> 0, false);
  }
  setU64(addr: number, v: number): void {
    this.check(addr, 8);
    this.view.setBigUint64(addr, BigInt(v), false);
  }
  bytes(addr: number, length: number): Uint8Array {
    this.check(addr, length);
    return this.ram.subarray(addr, addr + length);
  }

  private check(addr: number, length: number): void {
    if (addr < 0 || length < 0 || addr + length > this.size) {
      throw new KernelFault("oops", `kernel access [${hex(addr)}, +${length}) beyond real memory`);
    }
  }
}
