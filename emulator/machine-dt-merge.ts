// The tree a partition booted from an existing blob runs on: every node and property of the blob
// kept byte for byte, plus what hvpipe needs (spec/hvpipe-driver.md §9) — RTAS tokens in the free
// range, ibm,hypervisor-pipe-capable, rtas-error-log-max, the ibm,hvpipe-msg-events source — and
// the token table the Machine registers. base-tree.ts has already refused blobs that cannot serve.
import { decodeFdt, encodeFdt, type DeviceTree, type DtNode } from "../devicetree/index.js";
import { EVENT_CLASSES, type EventClassKey } from "./devices/events/queue.js";
import type { BaseTree } from "./base-tree.js";
import { RTAS_ERROR_LOG_MAX } from "./machine-dt.js";
import { RTAS_TOKEN_BASE } from "./rtas/token-table.js";
import { RtasStatus, type RtasCall, type RtasFunction } from "./rtas/types.js";


export interface MergeNeeds {
  /** Every RTAS function the emulator implements, in registration order. */
  functions: readonly RtasFunction[];
  hvpipeCapable: boolean;
  /** Functions left out of the token table and of /rtas (the blob's property too). */
  omitRtas: readonly string[];
}

/** An RTAS function at the token it has in the merged tree. */
export interface PlacedFunction extends RtasFunction {
  readonly token: number;
  /** "blob": the blob named it; "free": added in the free range; "not-implemented": the blob's, answering -5. */
  readonly origin: "blob" | "free" | "not-implemented";
}

export interface MergedTree {
  tree: DeviceTree;
  /** What the Machine registers, in token order. */
  functions: PlacedFunction[];
  /** Paths of the properties and nodes the merge added, changed (only interrupt-ranges, grown) or removed, in order. */
  added: string[];
  changed: string[];
  removed: string[];
}

export function mergeMachineTree(base: BaseTree, needs: MergeNeeds): MergedTree {
  // A copy laid out afresh (dtc's layout): the blob's own layout cannot take new properties in place.
  const tree = decodeFdt(encodeFdt(base.tree, { layout: null }));
  tree.layout = undefined;
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  const rtas = tree.lookup("/rtas", { exact: true })!;
  const omit = new Set(needs.omitRtas);

  // The scenario's explicit removals are the one exception to keeping the blob intact.
  for (const name of omit) if (rtas.removeProperty(name)) removed.push(`/rtas/${name}`);
  if (!needs.hvpipeCapable && rtas.removeProperty("ibm,hypervisor-pipe-capable")) removed.push("/rtas/ibm,hypervisor-pipe-capable");

  const functions = placeFunctions(base, needs, omit);
  for (const fn of functions) {
    if (fn.origin === "free") {
      rtas.setU32(fn.name, fn.token);
      added.push(`/rtas/${fn.name}`);
    }
  }
  if (needs.hvpipeCapable && !rtas.hasProperty("ibm,hypervisor-pipe-capable")) {
    rtas.setEmpty("ibm,hypervisor-pipe-capable");
    added.push("/rtas/ibm,hypervisor-pipe-capable");
  }
  if (!rtas.hasProperty("rtas-error-log-max")) {
    rtas.setU32("rtas-error-log-max", RTAS_ERROR_LOG_MAX);
    added.push("/rtas/rtas-error-log-max");
  }
  addHvpipeEventSource(tree, base, added, changed);
  quietInterruptProviders(tree, added);
  return { tree, functions: functions.sort((a, b) => a.token - b.token), added, changed, removed };
}

/**
 * Tokens: a function the emulator implements and the blob names keeps the blob's token; one the
 * blob lacks gets the next token after the highest the blob uses (dense, skipping any value
 * another 4-byte /rtas property holds); when none is left below 0xffffffff (RTAS_UNKNOWN_SERVICE,
 * which base-tree.ts refuses as a token), the lowest free ones from RTAS_TOKEN_BASE up. A token the blob gives a function the emulator does not
 * implement stays in the tree and is registered under its name answering RtasStatus.FUNC_NOT_SUPPORTED
 * (-5), so traces name the call instead of "unknown token".
 */
/** The highest token the merge hands out: 0xffffffff reads as "no such function" in Linux. */
const LAST_TOKEN = 0xfffffffe;

function placeFunctions(base: BaseTree, needs: MergeNeeds, omit: ReadonlySet<string>): PlacedFunction[] {
  const placed: PlacedFunction[] = [];
  const implemented = new Set(needs.functions.map((f) => f.name));
  const inUse = new Set([...base.tokens.values(), ...base.otherCells]);
  let next = Math.min(LAST_TOKEN, Math.max(RTAS_TOKEN_BASE - 1, ...base.tokens.values()) + 1);
  for (const fn of needs.functions) {
    if (omit.has(fn.name)) continue;
    const token = base.tokens.get(fn.name);
    if (token !== undefined) {
      placed.push({ ...fn, token, origin: "blob" });
      continue;
    }
    while (inUse.has(next)) next = next >= LAST_TOKEN ? RTAS_TOKEN_BASE : next + 1;
    inUse.add(next);
    placed.push({ ...fn, token: next, origin: "free" });
  }
  for (const [name, token] of base.tokens) {
    if (implemented.has(name) || omit.has(name)) continue;
    placed.push({ name, token, origin: "not-implemented", handler: notSupported });
  }
  return placed;
}

function notSupported(call: RtasCall): void {
  // QEMU answers a function it lacks with -3 (the same value as a parameter error);
  // spec/spapr-platform.md §6.2 says a model must use -5 so the guest can tell them apart.
  call.answer(RtasStatus.FUNC_NOT_SUPPORTED);
}

/** /event-sources/ibm,hvpipe-msg-events = <irq 0>, and <irq 1> appended to interrupt-ranges (§3.1). */
function addHvpipeEventSource(tree: DeviceTree, base: BaseTree, added: string[], changed: string[]): void {
  if (!base.hvpipeIrqIsNew) return;
  const irq = base.eventIrqs.hvpipe!;
  let events = tree.lookup("/event-sources", { exact: true });
  if (!events) {
    events = tree.root.addChild("event-sources");
    added.push("/event-sources");
  }
  const set = (name: string, write: (n: DtNode) => void): void => {
    if (events!.hasProperty(name)) return;
    write(events!);
    added.push(`/event-sources/${name}`);
  };
  set("interrupt-controller", (n) => n.setEmpty("interrupt-controller"));
  set("#interrupt-cells", (n) => n.setU32("#interrupt-cells", 2));
  const ranges = events.property("interrupt-ranges");
  if (ranges) {
    const grown = new Uint8Array(ranges.value.length + 8);
    grown.set(ranges.value);
    new DataView(grown.buffer).setUint32(ranges.value.length, irq);
    new DataView(grown.buffer).setUint32(ranges.value.length + 4, 1);
    events.setBytes("interrupt-ranges", grown);
    changed.push("/event-sources/interrupt-ranges");
  } else {
    // Absent: one (irq, 1) pair per event source the node has, the new one last.
    const pairs: number[] = [];
    for (const key of Object.keys(EVENT_CLASSES) as EventClassKey[]) {
      const i = base.eventIrqs[key];
      if (key !== "hvpipe" && i !== null) pairs.push(i, 1);
    }
    events.setU32List("interrupt-ranges", [...pairs, irq, 1]);
    added.push("/event-sources/interrupt-ranges");
  }
  // Second cell 0: an edge (MSI-type) source.
  events.addChild(EVENT_CLASSES.hvpipe.name).setU32List("interrupts", [irq, 0]);
  added.push(`/event-sources/${EVENT_CLASSES.hvpipe.name}`);
}

/**
 * dtc warns about an interrupt provider without #address-cells (QEMU's /event-sources and
 * /interrupt-controller have none). `#address-cells = <0>` is what such a node means — its
 * specifiers carry no parent unit address — and Linux reads it only when walking an
 * interrupt-map, so it is added to every interrupt controller lacking it that has no child with
 * a reg (whose addressing it would change).
 */
function quietInterruptProviders(tree: DeviceTree, added: string[]): void {
  for (const node of tree.root.walk()) {
    if (!node.hasProperty("interrupt-controller") || node.hasProperty("#address-cells")) continue;
    if (node.children.some((c) => c.hasProperty("reg"))) continue;
    node.setU32("#address-cells", 0);
    added.push(`${node.path === "/" ? "" : node.path}/#address-cells`);
  }
}
