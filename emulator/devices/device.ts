// What a device declares, in one place (its folder's device.ts): its RTAS functions by name, its
// hypercalls, its device-tree fragment, its policies, its outside-world actions and its
// inspection. ./table.ts is the one list; the Machine is assembled by walking it.
import type { BaseTree } from "../base-tree.js";
import type { GuestMemory } from "../guest-memory.js";
import type { HcallRows } from "../hcall-table.js";
import type { HotPath } from "../hotpath.js";
import type { InterruptLines } from "../interrupts/controller.js";
import type { TreeFragment } from "../machine-dt.js";
import type { OutsideWorld } from "../outside/port.js";
import type { PolicyTable, PolicyValues } from "../policy-definition.js";
import type { RtasFunction } from "../rtas/types.js";
import type { EventQueue } from "./events/queue.js";
import type { SystemParameters } from "./sysparm/parameters.js";

export interface HotPathSizing {
  payloadLimit: number;
  fifoSlots: number;
}

/** Machine options devices read (MachineOptions extends these). */
export interface DeviceOptions {
  /** HMC source ids attached at boot (default one: 0x02000001). */
  sources?: readonly number[];
  /** Whether /rtas says ibm,hypervisor-pipe-capable (default true). */
  hvpipeCapable?: boolean;
}

/** What devices offer one another; a device earlier in the table provides, a later one uses. */
export interface DeviceServices {
  events: EventQueue;
  systemParameters: SystemParameters;
}

export interface DeviceContext<P extends PolicyTable> {
  readonly memory: GuestMemory;
  readonly hot: HotPath;
  /** This device's policies, resolved. */
  readonly policy: PolicyValues<P>;
  readonly interrupts: InterruptLines;
  readonly cpus: number;
  /** RAM the partition has (from a blob: what its /memory describes, backed or not). */
  readonly ramBytes: number;
  readonly options: DeviceOptions;
  /** With a base blob: what it gave. */
  readonly base?: BaseTree;
  /** Emulated wall-clock time in milliseconds since the epoch. */
  nowMs(): number;
  /** A service an earlier device provides; throws if none does (an order bug in the table). */
  service<K extends keyof DeviceServices>(name: K): DeviceServices[K];
}

/** One device of a machine, as its definition's create() builds it. */
export interface DeviceInstance {
  /** The device's model object (machine.devices.<name>.model: for tests, inspection tools and the debugger). */
  readonly model?: unknown;
  readonly rtas?: readonly RtasFunction[];
  readonly hcalls?: HcallRows;
  /** Its nodes and properties in the machine's own tree (a blob's tree is merged instead). */
  readonly tree?: TreeFragment;
  readonly outside?: Partial<OutsideWorld>;
  readonly provides?: Partial<DeviceServices>;
  /** A plain-data snapshot, under the device's name in the machine's state. */
  inspect?(): unknown;
}

export interface DeviceDefinition<N extends string, P extends PolicyTable, I extends DeviceInstance> {
  readonly name: N;
  readonly policies: P;
  /**
   * The one device whose per-message work runs in the hot path (emulator/assembly) says how large its
   * area after guest RAM is: the payload limit and the FIFO's slots.
   */
  hotPath?(policy: PolicyValues<P>): HotPathSizing;
  /** Checks combinations of this device's policies; throws PolicyError. */
  checkPolicy?(policy: PolicyValues<P>): void;
  create(ctx: DeviceContext<P>): I;
}

/** Declares a device, keeping its name, policies and instance types for the table. */
export function defineDevice<const N extends string, const P extends PolicyTable, I extends DeviceInstance>(
  definition: DeviceDefinition<N, P, I>,
): DeviceDefinition<N, P, I> {
  return definition;
}
