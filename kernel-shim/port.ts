// All the kernel-shim knows of the machine it runs on — what a real kernel knows of PowerVM:
// the flattened device tree it was booted with, hypercalls, guest real memory and each CPU's
// external-interrupt line. Nothing of the emulator is imported here; the runner wires a machine
// that has this shape.

export interface HypercallResult {
  /** r3: H_SUCCESS (0) or a negative H_* code. */
  ret: number;
  /** r4, r5, … */
  outs: number[];
}

/** `sc 1` as a subsystem receives it: from a CPU, opcode in r3, arguments in r4… */
export type Hypercall = (cpu: number, opcode: number, args: readonly number[]) => HypercallResult;

export interface MachinePort {
  /** The FDT blob the kernel is booted with. */
  readonly dtb: Uint8Array;
  /** Guest real memory, big-endian data; index = real address. */
  readonly ram: Uint8Array;
  /** Size of guest real memory in bytes (ram may be longer; the rest is not the guest's). */
  readonly ramSize: number;
  /** `sc 1` from a CPU: opcode in r3, arguments in r4… */
  hcall(cpu: number, opcode: number, args: readonly number[]): HypercallResult;
  /** The CPU's external-interrupt input (vector 0x500). */
  externalInterruptPending(cpu: number): boolean;
}

// Hypercall numbers the kernel issues (PAPR; QEMU's private H_RTAS).
export const H_RTAS = 0xf000;
export const H_CPPR = 0x68;
export const H_IPI = 0x6c;
export const H_XIRR = 0x74;
export const H_EOI = 0x64;
