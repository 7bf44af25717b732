// Where the modelled kernel versions of papr-hvpipe differ (spec/hvpipe-driver.md §4.11): one named
// field per difference. The driver receives one row and never looks at the version itself.
import type { DriverProfile } from "../../profile.js";

export interface HvpipeQuirks {
  /** ioctl and release take hvpipe_src_list_lock with spin_lock_irqsave (6.18: plain spin_lock, can deadlock). */
  srcListLockIrqsave: boolean;
  /** The read header's reserved bytes are zeroed (6.18: stale stack data). */
  zeroedHeaderReserved: boolean;
  /** A header or payload copy fault returns -EFAULT (6.18: the positive count of bytes not copied). */
  copyFaultIsEfault: boolean;
  /** MSG_AVAILABLE is cleared when recv returns >= 0 or -EFAULT, and read returns recv + 48 for >= 0 (6.18: only > 0). */
  clearOnZeroOrFault: boolean;
  /** Create-handle allocates, checks and links under one lock (6.18: check, make the file, re-check: fput + double free on a duplicate). */
  atomicCreateHandle: boolean;
  /** Init registers /dev/papr-hvpipe before enabling the pipe, deregistering on failure (6.18: sysparm first). */
  registerBeforeEnable: boolean;
  /** enable_hvpipe_IRQ's message when /event-sources/ibm,hvpipe-msg-events is missing. */
  noEventNodeMessage: string;
}

export const HVPIPE_QUIRKS: Record<DriverProfile, HvpipeQuirks> = {
  mainline: {
    srcListLockIrqsave: true,
    zeroedHeaderReserved: true,
    copyFaultIsEfault: true,
    clearOnZeroOrFault: true,
    atomicCreateHandle: true,
    registerBeforeEnable: true,
    noEventNodeMessage: "No device node found, could not enable hvpipe event IRQ",
  },
  "v6.18": {
    srcListLockIrqsave: false,
    zeroedHeaderReserved: false,
    copyFaultIsEfault: false,
    clearOnZeroOrFault: false,
    atomicCreateHandle: false,
    registerBeforeEnable: false,
    noEventNodeMessage: "Can not enable hvpipe event IRQ",
  },
};
