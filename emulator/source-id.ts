// The one way the emulator prints an HMC source id (0xCCRRQQQQ, spec/hvpipe-driver.md §3).

export function formatSourceId(id: number): string {
  return `0x${(id >>> 0).toString(16).padStart(8, "0")}`;
}
