// The kernel's one way of printing a hex number (source ids, hwirqs, addresses): 0x, lower case, unpadded.
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}
