// Every access of the hot path to linear memory, as tiny named helpers. This is the AssemblyScript
// version (each inlined to one load/store, bswap, memory.copy or memory.fill); the JavaScript build
// of the same index.ts swaps in emulator/hotpath-js/memory-ops.ts, which does the same over a
// DataView/Uint8Array of the host's memory. Guest data is big-endian ("be"); the hypervisor-private
// FIFO headers are in the host's order ("host": wasm's little-endian).

@inline export function ldU32be(addr: u32): u32 {
  return bswap<u32>(load<u32>(addr));
}
@inline export function ldU32host(addr: u32): u32 {
  return load<u32>(addr);
}
@inline export function stU8(addr: u32, v: u32): void {
  store<u8>(addr, <u8>v);
}
@inline export function stU16be(addr: u32, v: u32): void {
  store<u16>(addr, bswap<u16>(<u16>v));
}
@inline export function stU32be(addr: u32, v: u32): void {
  store<u32>(addr, bswap<u32>(v));
}
@inline export function stU32host(addr: u32, v: u32): void {
  store<u32>(addr, v);
}
/** memmove: the ranges may overlap. */
@inline export function copyBytes(dst: u32, src: u32, len: u32): void {
  memory.copy(dst, src, len);
}
@inline export function fillBytes(dst: u32, value: u32, len: u32): void {
  memory.fill(dst, <u8>value, len);
}
