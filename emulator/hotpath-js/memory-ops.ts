// The JavaScript build's memory-ops: the same helpers as ../assembly/memory-ops.ts (which the
// wasm build inlines to load/store/bswap/memory.copy/memory.fill), over a DataView and a Uint8Array
// of the host's memory. Each instance of the JS build has its own copy of this module's state
// (scripts/build-hotpath-js.mjs wraps the bundle in a factory). Guest data is big-endian ("be");
// "host" order is little-endian, as in wasm, so both builds lay the FIFO headers out alike.

let view = new DataView(new ArrayBuffer(0));
let bytes = new Uint8Array(0);

/** Points the helpers at the instance's memory (the whole buffer: guest RAM, then the hypervisor area). */
export function attachMemory(buffer: ArrayBuffer): void {
  view = new DataView(buffer);
  bytes = new Uint8Array(buffer);
}

export function ldU32be(addr: number): number {
  return view.getUint32(addr, false);
}
export function ldU32host(addr: number): number {
  return view.getUint32(addr, true);
}
export function stU8(addr: number, v: number): void {
  view.setUint8(addr, v);
}
export function stU16be(addr: number, v: number): void {
  view.setUint16(addr, v, false);
}
export function stU32be(addr: number, v: number): void {
  view.setUint32(addr, v, false);
}
export function stU32host(addr: number, v: number): void {
  view.setUint32(addr, v, true);
}
/** memmove, as wasm's memory.copy: the ranges may overlap. */
export function copyBytes(dst: number, src: number, len: number): void {
  bytes.copyWithin(dst, src, src + len);
}
export function fillBytes(dst: number, value: number, len: number): void {
  bytes.fill(value, dst, dst + len);
}
