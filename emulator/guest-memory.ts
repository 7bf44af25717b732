// Guest real memory as the hypervisor reads it: big-endian, bounds-checked.

export class GuestMemory {
  readonly view: DataView;

  constructor(
    /** The backing bytes; guest RAM is [0, size). May be longer (hypervisor-private area). */
    readonly bytes: Uint8Array,
    readonly size: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Whether [addr, addr + length) lies inside guest RAM. */
  contains(addr: number, length: number): boolean {
    return Number.isInteger(addr) && Number.isInteger(length) && addr >= 0 && length >= 0 &&
      addr <= this.size && length <= this.size - addr;
  }

  u32(addr: number): number {
    this.check(addr, 4);
    return this.view.getUint32(addr, false);
  }

  setU32(addr: number, value: number): void {
    this.check(addr, 4);
    this.view.setUint32(addr, value >>> 0, false);
  }

  u16(addr: number): number {
    this.check(addr, 2);
    return this.view.getUint16(addr, false);
  }

  read(addr: number, length: number): Uint8Array {
    this.check(addr, length);
    return this.bytes.slice(addr, addr + length);
  }

  write(addr: number, data: Uint8Array): void {
    this.check(addr, data.length);
    this.bytes.set(data, addr);
  }

  private check(addr: number, length: number): void {
    if (!this.contains(addr, length)) {
      throw new RangeError(`guest access [0x${addr.toString(16)}, +${length}) outside RAM (0x${this.size.toString(16)} bytes)`);
    }
  }
}
