// Wires an emulated machine to the kernel-shim through the only surface they share.
import type { Machine } from "../../emulator/machine.js";
import type { MachinePort } from "../../kernel-shim/port.js";

export function machinePort(machine: Machine): MachinePort {
  return {
    dtb: machine.dtb,
    ram: machine.memory.bytes,
    ramSize: machine.memory.size,
    hcall: (cpu, opcode, args) => machine.hcall(cpu, opcode, args),
    externalInterruptPending: (cpu) => machine.externalInterruptPending(cpu),
  };
}
