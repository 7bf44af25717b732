// Reading an existing device-tree blob (e.g. one QEMU's pseries machine dumped with
// `-M pseries,dumpdtb=…`) as the base of the partition's tree: what the machine must adopt from
// it (CPU threads, RAM, RTAS tokens, event-source IRQs) and whether it can serve at all
// (spec/spapr-platform.md §1.3, §2, §3.1, §4.6-§4.8; spec/hvpipe-driver.md §9). Nothing here
// changes the tree; machine-dt-merge.ts adds what hvpipe needs.
import { decodeFdt, type DeviceTree, type DtNode } from "../devicetree/index.js";
import { EVENT_CLASSES, type EventClassKey, type EventIrqs } from "./devices/events/queue.js";
import { RTAS_TOKEN_NAMES } from "./rtas/tokens.js";
import { RTAS_TOKEN_BASE } from "./rtas/token-table.js";
import { XICS_IRQ_BASE, XICS_NR_IRQS_DEFAULT } from "./interrupts/xics/constants.js";

/** A blob that cannot serve as the partition's tree; `path` names the node or property. */
export class MachineTreeError extends Error {
  override name = "MachineTreeError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** Guest RAM the emulator backs at most; addresses of the blob's RAM above it are outside RAM to the emulator. */
export const MAX_BACKED_RAM_BYTES = 256 * 1024 * 1024;
/** The kernel-shim and the Machine run at most this many CPU threads. */
const MAX_CPU_THREADS = 64;
/** Largest interrupt server number + 1 (one ICP each) the emulator accepts from a blob. */
const MAX_XICS_SERVERS = 1024;

const XICS_COMPATIBLE = "IBM,ppc-xicp";
const XIVE_COMPATIBLE = "ibm,power-ivpe";
/** OV5 byte 23 (interrupt controller) value meaning "XIVE exploitation only" (§2). */
const OV5_INTC_BYTE = 23;
const OV5_INTC_XIVE_ONLY = 0x40;
const XICS_IRQ_END = XICS_IRQ_BASE + XICS_NR_IRQS_DEFAULT;

export interface BaseTree {
  /** The blob as decoded; never modified. */
  readonly tree: DeviceTree;
  /** CPU threads: entries of every cpu node's ibm,ppc-interrupt-server#s (what the kernel counts). */
  readonly threads: number;
  /** XICS servers: the largest interrupt server number + 1. */
  readonly servers: number;
  /** RAM the blob describes: the contiguous /memory regions from address 0. */
  readonly ramBytes: bigint;
  /** Guest RAM the emulator backs: min(ramBytes, MAX_BACKED_RAM_BYTES). */
  readonly backedBytes: number;
  /** Every token property of /rtas (a known RTAS function name, 4 bytes), in property order. */
  readonly tokens: ReadonlyMap<string, number>;
  /** Values of every other 4-byte /rtas property: the free token range skips them. */
  readonly otherCells: ReadonlySet<number>;
  /** The IRQ of each event class: the blob's, or for hvpipe the first free XICS number when the blob has none. */
  readonly eventIrqs: EventIrqs;
  /** Whether /event-sources/ibm,hvpipe-msg-events must be added (the blob lacks it). */
  readonly hvpipeIrqIsNew: boolean;
}

export interface BaseTreeOptions {
  /** CPUs asked for explicitly: must equal the blob's thread count. */
  cpus?: number;
}

/** Decodes a blob (FdtFormatError, with the offset, if it is not one) and reads it as a base tree. */
export function readBaseDtb(blob: Uint8Array, options: BaseTreeOptions = {}): BaseTree {
  return readBaseTree(decodeFdt(blob), options);
}

/** Reads a decoded tree as a base tree; throws MachineTreeError naming what cannot serve. */
function readBaseTree(tree: DeviceTree, options: BaseTreeOptions = {}): BaseTree {
  const rtas = tree.lookup("/rtas", { exact: true });
  if (!rtas) throw new MachineTreeError("/rtas", "no such node; the RTAS tokens the kernel looks up are advertised there");
  checkInterruptController(tree);
  const { tokens, otherCells } = readTokens(rtas);
  checkHvpipeCapability(rtas);
  const { threads, servers } = readCpus(tree, options.cpus);
  const ramBytes = readRam(tree);
  const backedBytes = Number(ramBytes < BigInt(MAX_BACKED_RAM_BYTES) ? ramBytes : BigInt(MAX_BACKED_RAM_BYTES));
  const { eventIrqs, hvpipeIrqIsNew } = readEventIrqs(tree);
  return { tree, threads, servers, ramBytes, backedBytes, tokens, otherCells, eventIrqs, hvpipeIrqIsNew };
}

// ---- interrupt controller (§4.6, §4.8)

function checkInterruptController(tree: DeviceTree): void {
  const vec5 = tree.lookup("/chosen", { exact: true })?.property("ibm,arch-vec-5-platform-support");
  if (vec5) {
    // Pairs (option-vector-5 byte index, value offered).
    for (let i = 0; i + 1 < vec5.value.length; i += 2) {
      if (vec5.value[i] === OV5_INTC_BYTE && vec5.value[i + 1] === OV5_INTC_XIVE_ONLY) {
        throw new MachineTreeError("/chosen/ibm,arch-vec-5-platform-support",
          "byte 23 offers 0x40 (XIVE only); the emulator's interrupt controller is XICS (byte 23 must offer 0x00 or 0x80)");
      }
    }
  }
  let xics: DtNode | undefined;
  let xive: DtNode | undefined;
  for (const node of tree.root.walk()) {
    const compatible = strings(node, "compatible");
    if (!xics && compatible.includes(XICS_COMPATIBLE)) xics = node;
    if (!xive && compatible.includes(XIVE_COMPATIBLE)) xive = node;
  }
  if (xics) return;
  if (xive) {
    throw new MachineTreeError(xive.path,
      `XIVE interrupt controller (compatible "${XIVE_COMPATIBLE}") and no XICS node (compatible "${XICS_COMPATIBLE}"); the emulator implements XICS only`);
  }
  throw new MachineTreeError("/", `no XICS interrupt controller (a node with compatible "${XICS_COMPATIBLE}")`);
}

// ---- /rtas (§1.3, §2; hvpipe-driver.md §9)

/** The value Linux's rtas_token() gives a function /rtas does not name. */
const RTAS_UNKNOWN_SERVICE = 0xffffffff;

function readTokens(rtas: DtNode): { tokens: Map<string, number>; otherCells: Set<number> } {
  const tokens = new Map<string, number>();
  const owner = new Map<number, string>();
  const otherCells = new Set<number>();
  for (const p of rtas.properties) {
    if (!RTAS_TOKEN_NAMES.has(p.name)) {
      if (p.value.length === 4) otherCells.add(cell(p.value, 0));
      continue;
    }
    // Linux takes only 4-byte properties as tokens: any other length hides the function from it.
    if (p.value.length !== 4) {
      throw new MachineTreeError(`/rtas/${p.name}`, `is ${p.value.length} bytes; an RTAS token is one u32 cell (4 bytes)`);
    }
    const token = cell(p.value, 0);
    if (token < RTAS_TOKEN_BASE) {
      throw new MachineTreeError(`/rtas/${p.name}`, `token ${hex(token)} is below ${hex(RTAS_TOKEN_BASE)} (RTAS_TOKEN_BASE)`);
    }
    // rtas_call() returns -1 without entering firmware for this value (hvpipe-driver.md §4).
    if (token === RTAS_UNKNOWN_SERVICE) {
      throw new MachineTreeError(`/rtas/${p.name}`, `token ${hex(token)} is RTAS_UNKNOWN_SERVICE (-1): the kernel never calls a function with it`);
    }
    const other = owner.get(token);
    if (other !== undefined) {
      throw new MachineTreeError(`/rtas/${p.name}`, `token ${hex(token)} is also the token of "${other}"`);
    }
    owner.set(token, p.name);
    tokens.set(p.name, token);
  }
  return { tokens, otherCells };
}

function checkHvpipeCapability(rtas: DtNode): void {
  const cap = rtas.property("ibm,hypervisor-pipe-capable");
  if (cap && cap.value.length !== 0) {
    throw new MachineTreeError("/rtas/ibm,hypervisor-pipe-capable",
      `is ${cap.value.length} bytes; the capability is an empty property (its presence is the whole message)`);
  }
}

// ---- /cpus: threads and interrupt servers

function readCpus(tree: DeviceTree, cpus: number | undefined): { threads: number; servers: number } {
  const node = tree.lookup("/cpus", { exact: true });
  if (!node) throw new MachineTreeError("/cpus", "no such node; the CPU threads are read from it");
  const seen = new Map<number, string>();
  for (const cpu of node.children) {
    if (strings(cpu, "device_type")[0] !== "cpu") continue;
    const prop = cpu.property("ibm,ppc-interrupt-server#s") ?? cpu.property("reg");
    if (!prop || prop.value.length < 4 || prop.value.length % 4 !== 0) {
      throw new MachineTreeError(`${cpu.path}/ibm,ppc-interrupt-server#s`, "missing or not a list of u32 cells (nor a one-cell reg)");
    }
    const count = prop.name === "reg" ? 1 : prop.value.length / 4;
    for (let i = 0; i < count; i++) {
      const server = cell(prop.value, i * 4);
      const other = seen.get(server);
      if (other !== undefined) throw new MachineTreeError(`${cpu.path}/${prop.name}`, `interrupt server ${server} appears twice in /cpus (first under ${other})`);
      seen.set(server, cpu.path);
    }
  }
  if (seen.size === 0) throw new MachineTreeError("/cpus", 'no cpu node (device_type "cpu")');
  const threads = seen.size;
  if (threads > MAX_CPU_THREADS) throw new MachineTreeError("/cpus", `${threads} CPU threads; the emulator runs at most ${MAX_CPU_THREADS}`);
  let servers = 0;
  for (const server of seen.keys()) servers = Math.max(servers, server + 1);
  if (servers > MAX_XICS_SERVERS) throw new MachineTreeError("/cpus", `interrupt server ${servers - 1}; the emulator's XICS has at most ${MAX_XICS_SERVERS} servers`);
  if (cpus !== undefined && cpus !== threads) {
    throw new MachineTreeError("/cpus",
      `has ${threads} CPU thread${threads === 1 ? "" : "s"} (entries of ibm,ppc-interrupt-server#s), the machine was asked for ${cpus} cpus`);
  }
  return { threads, servers };
}

// ---- RAM: the device_type "memory" nodes under the root

function readRam(tree: DeviceTree): bigint {
  const root = tree.root;
  const addressCells = optionalU32(root, "#address-cells") ?? 2;
  const sizeCells = optionalU32(root, "#size-cells") ?? 1;
  const regions: Array<[bigint, bigint]> = [];
  for (const node of root.children) {
    if (strings(node, "device_type")[0] !== "memory") continue;
    const reg = node.property("reg");
    const stride = 4 * (addressCells + sizeCells);
    if (!reg || stride === 0 || reg.value.length === 0 || reg.value.length % stride !== 0 || addressCells > 2 || sizeCells > 2) {
      throw new MachineTreeError(`${node.path}/reg`, `missing or not (address, size) pairs of ${addressCells}+${sizeCells} cells`);
    }
    for (let at = 0; at < reg.value.length; at += stride) {
      regions.push([cells(reg.value, at, addressCells), cells(reg.value, at + 4 * addressCells, sizeCells)]);
    }
  }
  // The RAM the guest can count on is contiguous from address 0.
  regions.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let end = 0n;
  for (const [base, size] of regions) {
    if (base > end) break;
    if (base + size > end) end = base + size;
  }
  if (end === 0n) throw new MachineTreeError("/memory", 'no RAM at address 0 (reg of the device_type "memory" nodes)');
  return end;
}

// ---- event sources (§3.1, §4.7)

const CLASS_KEYS = Object.keys(EVENT_CLASSES) as EventClassKey[];

function readEventIrqs(tree: DeviceTree): { eventIrqs: EventIrqs; hvpipeIrqIsNew: boolean } {
  const events = tree.lookup("/event-sources", { exact: true });
  const eventIrqs = { epow: null, hotplug: null, hvpipe: null } as Record<EventClassKey, number | null>;
  if (events) {
    const cellsPer = optionalU32(events, "#interrupt-cells");
    if (cellsPer !== undefined && cellsPer !== 2) {
      throw new MachineTreeError("/event-sources/#interrupt-cells", `is ${cellsPer}; XICS event sources have 2 cells <irq sense>`);
    }
    for (const key of CLASS_KEYS) {
      const node = events.child(EVENT_CLASSES[key].name, { exact: true });
      if (node) eventIrqs[key] = firstEdgeIrq(node);
    }
  }
  if (eventIrqs.hvpipe !== null) return { eventIrqs, hvpipeIrqIsNew: false };
  const used = usedIrqs(tree);
  let irq = XICS_IRQ_BASE;
  while (irq < XICS_IRQ_END && used.has(irq)) irq++;
  if (irq === XICS_IRQ_END) {
    throw new MachineTreeError("/event-sources", `no free XICS IRQ in ${hex(XICS_IRQ_BASE)}..${hex(XICS_IRQ_END - 1)} for ibm,hvpipe-msg-events`);
  }
  eventIrqs.hvpipe = irq;
  return { eventIrqs, hvpipeIrqIsNew: true };
}

/** The first <irq sense> pair of an event-source node: an edge source in the XICS range. */
function firstEdgeIrq(node: DtNode): number {
  const path = `${node.path}/interrupts`;
  const value = node.property("interrupts")?.value;
  if (!value || value.length === 0 || value.length % 8 !== 0) {
    throw new MachineTreeError(path, `missing or not <irq sense> pairs (${value?.length ?? 0} bytes)`);
  }
  const irq = cell(value, 0);
  const sense = cell(value, 4);
  if (irq < XICS_IRQ_BASE || irq >= XICS_IRQ_END) {
    throw new MachineTreeError(path, `IRQ ${hex(irq)} is outside the XICS source range ${hex(XICS_IRQ_BASE)}..${hex(XICS_IRQ_END - 1)}`);
  }
  if (sense !== 0) {
    throw new MachineTreeError(path, `IRQ ${hex(irq)} has sense ${sense} (level); the emulator raises event sources as edge (MSI) interrupts, sense 0`);
  }
  return irq;
}

/**
 * XICS numbers the blob already uses: every cell of `interrupts` and `interrupt-map` properties
 * that lies in 0x1000..0x1fff, and every number `interrupt-ranges` pairs cover. Taking every
 * cell of a specifier or map entry over-counts (a unit address or phandle in range marks a
 * number as used), which can only move the new IRQ up, never onto a number in use.
 */
function usedIrqs(tree: DeviceTree): Set<number> {
  const used = new Set<number>();
  for (const node of tree.root.walk()) {
    for (const p of node.properties) {
      if (p.name === "interrupts" || p.name === "interrupt-map") {
        for (let at = 0; at + 4 <= p.value.length; at += 4) {
          const v = cell(p.value, at);
          if (v >= XICS_IRQ_BASE && v < XICS_IRQ_END) used.add(v);
        }
      } else if (p.name === "interrupt-ranges") {
        for (let at = 0; at + 8 <= p.value.length; at += 8) {
          const first = cell(p.value, at);
          const last = Math.min(first + cell(p.value, at + 4), XICS_IRQ_END);
          for (let v = Math.max(first, XICS_IRQ_BASE); v < last; v++) used.add(v);
        }
      }
    }
  }
  return used;
}

// ---- small readers (lenient: a malformed value reads as absent, never throws a DtError)

function strings(node: DtNode, name: string): string[] {
  const v = node.property(name)?.value;
  if (!v || v.length === 0) return [];
  return Buffer.from(v).toString("latin1").replace(/\0$/, "").split("\0");
}

function optionalU32(node: DtNode, name: string): number | undefined {
  const v = node.property(name)?.value;
  return v && v.length === 4 ? cell(v, 0) : undefined;
}

function cell(v: Uint8Array, at: number): number {
  return new DataView(v.buffer, v.byteOffset, v.byteLength).getUint32(at, false);
}

function cells(v: Uint8Array, at: number, n: number): bigint {
  let out = 0n;
  for (let i = 0; i < n; i++) out = (out << 32n) | BigInt(cell(v, at + 4 * i));
  return out;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
