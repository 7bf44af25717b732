// Hypercall numbers and return codes (spec/spapr-platform.md §1.1, §1.4, §4.4).

export const H_SUCCESS = 0;
export const H_HARDWARE = -1;
export const H_FUNCTION = -2;
export const H_PARAMETER = -4;

export const H_EOI = 0x64;
export const H_CPPR = 0x68;
export const H_IPI = 0x6c;
export const H_IPOLL = 0x70;
export const H_XIRR = 0x74;
export const H_XIRR_X = 0x2fc;
/** QEMU-private: enter RTAS with the argument block's real address in r4. */
export const KVMPPC_H_RTAS = 0xf000;

/** Result of one hypercall: r3, then the output registers r4, r5, … */
export interface HcallResult {
  ret: number;
  outs: number[];
}
