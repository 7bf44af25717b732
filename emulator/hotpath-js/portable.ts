// AssemblyScript's portable conversions, for the JavaScript build of the hot path: esbuild injects
// these where ../assembly/index.ts calls u32(…)/i32(…)/… (which AssemblyScript compiles to its own
// wrapping). They are what the wasm build does to a value of that type; assemblyscript's
// std/portable defines them the same way.

export function u32(value: number): number {
  return value >>> 0;
}
export function i32(value: number): number {
  return value | 0;
}
export function u16(value: number): number {
  return value & 0xffff;
}
export function u8(value: number): number {
  return value & 0xff;
}
export function bool(value: unknown): boolean {
  return !!value;
}
