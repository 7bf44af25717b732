// The Linux versions whose drivers the kernel can model (spec/hvpipe-driver.md §4.11).
export const DRIVER_PROFILES = ["mainline", "v6.18"] as const;
export type DriverProfile = (typeof DRIVER_PROFILES)[number];
