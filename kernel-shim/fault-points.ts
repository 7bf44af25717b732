// Kernel services a scenario can make fail, to reach the driver's error paths.
export const KERNEL_FAULTS = ["misc_register"] as const;
export type KernelFaultPoint = (typeof KERNEL_FAULTS)[number];
