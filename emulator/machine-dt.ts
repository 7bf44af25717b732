// The partition's device tree as the guest kernel is booted with it: /cpus, /memory, /rtas with
// every token, the XICS presentation controller and /event-sources (spec/spapr-platform.md §2-§4,
// spec/hvpipe-driver.md §9).
import { DeviceTree, type DtNode } from "../devicetree/index.js";
import { EVENT_CLASSES } from "./events.js";
import type { TokenEntry } from "./rtas/token-table.js";

export const PHANDLE_XICS = 0x1111;
export const RTAS_ERROR_LOG_MAX = 2048;
/** Size of QEMU's RTAS blob; rtas-size also reserves the error log and per-CPU FWNMI space. */
const RTAS_MIN_SIZE = 20;

export interface MachineTreeInput {
  cpus: number;
  memoryBytes: number;
  tokens: readonly TokenEntry[];
  hvpipeCapable: boolean;
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
  // Option vector 5 bytes 23..26: XICS only, hash MMU.
  chosen.setBytes("ibm,arch-vec-5-platform-support", Uint8Array.of(23, 0x00, 24, 0x00, 25, 0x00, 26, 0x40));

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

  addRtas(root, input);
  addXics(root, input.cpus);
  addEventSources(root);
  return tree;
}

function addRtas(root: DtNode, input: MachineTreeInput): void {
  const rtas = root.addChild("rtas");
  rtas.setU32("rtas-size", RTAS_MIN_SIZE + RTAS_ERROR_LOG_MAX + input.cpus * 16 + 8);
  rtas.setU32("rtas-error-log-max", RTAS_ERROR_LOG_MAX);
  rtas.setU32("rtas-event-scan-rate", 1);
  if (input.hvpipeCapable) rtas.setEmpty("ibm,hypervisor-pipe-capable");
  for (const entry of input.tokens) rtas.setU32(entry.name, entry.token);
}

function addXics(root: DtNode, cpus: number): void {
  const icp = root.addChild("interrupt-controller");
  icp.setString("device_type", "PowerPC-External-Interrupt-Presentation");
  icp.setString("compatible", "IBM,ppc-xicp");
  icp.setEmpty("interrupt-controller");
  icp.setU32List("ibm,interrupt-server-ranges", [0, cpus]);
  icp.setU32("#address-cells", 0);
  icp.setU32("#interrupt-cells", 2);
  icp.setU32("linux,phandle", PHANDLE_XICS);
  icp.setU32("phandle", PHANDLE_XICS);
}

function addEventSources(root: DtNode): void {
  const events = root.addChild("event-sources");
  const classes = Object.values(EVENT_CLASSES);
  events.setEmpty("interrupt-controller");
  // #address-cells keeps dtc's interrupt-provider check quiet; Linux does not read it here.
  events.setU32("#address-cells", 0);
  events.setU32("#interrupt-cells", 2);
  events.setU32List("interrupt-ranges", classes.flatMap((c) => [c.irq, 1]));
  for (const c of classes) {
    // Second cell 0: edge (MSI-type) source.
    events.addChild(c.name).setU32List("interrupts", [c.irq, 0]);
  }
}
