// The kernel's view of real memory: big-endian accessors, the fixed layout of its own data, the
// RTAS work-area arena and the user address spaces of processes.

/** Where the kernel keeps things in guest real memory (all below the 1 GiB RTAS limit). */
export const Layout = {
  /** struct rtas_args: the one global argument block, under rtas_lock. */
  rtasArgs: 0x10000,
  /** hvpipe_ras_buf[RTAS_ERROR_LOG_MAX]: the IRQ handler's check-exception buffer. */
  hvpipeRasBuf: 0x11000,
  /** papr_sysparm_buf for set-system-parameter (kzalloc'd in Linux; fixed here). */
  sysparmBuf: 0x12000,
  /** rtas_work_area arena: 256 KiB, 4 KiB-aligned blocks. */
  workAreaArena: 0x20000,
  workAreaArenaSize: 0x40000,
  /** User address spaces: 1 MiB each, from here. */
  userBase: 0x100000,
  userSize: 0x100000,
} as const;

export class KernelMemory {
  private readonly view: DataView;

  constructor(
    readonly ram: Uint8Array,
    readonly size: number,
  ) {
    this.view = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  }

  u8(addr: number): number {
    this.check(addr, 1);
    return this.ram[addr]!;
  }
  u16(addr: number): number {
    this.check(addr, 2);
    return this.view.getUint16(addr, false);
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
      throw new Error(`kernel access [0x${addr.toString(16)}, +${length}) beyond real memory`);
    }
  }
}

/** rtas_work_area_alloc: 4 KiB-aligned blocks from a fixed arena, not zeroed. */
export class WorkAreaArena {
  private readonly used: boolean[];
  static readonly BLOCK = 4096;

  constructor(private readonly base: number, size: number) {
    this.used = new Array<boolean>(size / WorkAreaArena.BLOCK).fill(false);
  }

  /** First fit. Linux blocks until space frees up; with 64 blocks and at most two per caller it never has to. */
  alloc(): number {
    const i = this.used.indexOf(false);
    if (i < 0) throw new Error("rtas work-area arena exhausted");
    this.used[i] = true;
    return this.base + i * WorkAreaArena.BLOCK;
  }

  free(addr: number): void {
    const i = (addr - this.base) / WorkAreaArena.BLOCK;
    if (!Number.isInteger(i) || !this.used[i]) throw new Error(`rtas_work_area_free of 0x${addr.toString(16)}: not allocated`);
    this.used[i] = false;
  }

  inUse(): number {
    return this.used.filter(Boolean).length;
  }
}
