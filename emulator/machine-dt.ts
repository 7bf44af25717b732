// The partition's own device tree as the guest kernel is booted with it: the root, /chosen, /memory,
// /cpus and /rtas with every token (spec/spapr-platform.md §2-§4); the interrupt controller and the
// devices add their fragments (the XICS node, /event-sources, hvpipe's capability).
import { DeviceTree, type DtNode } from "../devicetree/index.js";
import type { TokenEntry } from "./rtas/token-table.js";

export const RTAS_ERROR_LOG_MAX = 2048;
/** Size of QEMU's RTAS blob; rtas-size also reserves the error log and per-CPU FWNMI space. */
const RTAS_MIN_SIZE = 20;

/** Where a fragment adds its nodes and properties. */
export interface TreeFragmentTarget {
  readonly root: DtNode;
  readonly rtas: DtNode;
}

export type TreeFragment = (target: TreeFragmentTarget) => void;

export interface MachineTreeInput {
  cpus: number;
  memoryBytes: number;
  tokens: readonly TokenEntry[];
  /** OV5 byte 23: the interrupt controller's modes. */
  ov5InterruptModes: number;
  /** In order; they run after /rtas's own properties and before its tokens. */
  fragments: readonly TreeFragment[];
}

export function buildMachineTree(input: MachineTreeInput): DeviceTree {
  const tree = new DeviceTree();
  const root = tree.root;
  root.setU32("#address-cells", 2);
  root.setU32("#size-cells", 2);
  root.setString("model", "IBM pSeries (papr-emu)");
  root.setString("compatible", "qemu,pseries");
  root.setString("device_type", "chrp");

  const chosen = root.addChild("chosen");
  // Option vector 5 bytes 23..26: the interrupt controller's modes, hash MMU.
  chosen.setBytes("ibm,arch-vec-5-platform-support", Uint8Array.of(23, input.ov5InterruptModes, 24, 0x00, 25, 0x00, 26, 0x40));

  const memory = root.addChild("memory@0");
  memory.setString("device_type", "memory");
  memory.setU32List("reg", [0, 0, 0, input.memoryBytes]);

  const cpus = root.addChild("cpus");
  cpus.setU32("#address-cells", 1);
  cpus.setU32("#size-cells", 0);
  for (let i = 0; i < input.cpus; i++) {
    const cpu = cpus.addChild(`PowerPC,POWER9@${i}`);
    cpu.setString("device_type", "cpu");
    cpu.setU32("reg", i);
    cpu.setU32List("ibm,ppc-interrupt-server#s", [i]);
  }

  const rtas = root.addChild("rtas");
  rtas.setU32("rtas-size", RTAS_MIN_SIZE + RTAS_ERROR_LOG_MAX + input.cpus * 16 + 8);
  rtas.setU32("rtas-error-log-max", RTAS_ERROR_LOG_MAX);
  rtas.setU32("rtas-event-scan-rate", 1);
  for (const fragment of input.fragments) fragment({ root, rtas });
  for (const entry of input.tokens) rtas.setU32(entry.name, entry.token);
  return tree;
}
