// One emulated partition, assembled from tables: the interrupt controller (interrupts/controllers.ts),
// the devices (devices/table.ts) with their RTAS functions, hypercalls, tree fragments, policies,
// outside-world actions and inspection, and the RTAS token table (rtas/tokens.ts). Seen from the
// guest only as a device-tree blob, hypercalls, memory and the external-interrupt line of each CPU —
// the same surface a CPU emulator would forward `sc 1` to.
import { encodeFdt } from "../devicetree/index.js";
import { readBaseDtb, type BaseTree } from "./base-tree.js";
import type { DeviceContext, DeviceInstance, DeviceOptions, DeviceServices, HotPathSizing } from "./devices/device.js";
import { DEVICES, type MachineDevice } from "./devices/table.js";
import { GuestMemory } from "./guest-memory.js";
import { KVMPPC_H_RTAS, type HcallResult } from "./hcall-numbers.js";
import { HcallTable } from "./hcall-table.js";
import { HOT_PATH_BUILDS, loadHotPath, type HotPath, type HotPathBuild } from "./hotpath.js";
import { loadHotPathJs } from "./hotpath-js/load.js";
import { INTERRUPT_CONTROLLERS, type InterruptControllerName } from "./interrupts/controllers.js";
import { buildMachineTree, type TreeFragment } from "./machine-dt.js";
import { mergeMachineTree, type MergedTree } from "./machine-dt-merge.js";
import { assembleOutsideWorld, type OutsideWorld } from "./outside/port.js";
import type { PolicyDefinition, PolicyTable } from "./policy-definition.js";
import { resolvePolicy, type HypervisorPolicy } from "./policy.js";
import { RtasDispatcher, type RtasTrace } from "./rtas/dispatch.js";
import { TokenTable } from "./rtas/token-table.js";
import { ownTreeTokens } from "./rtas/tokens.js";
import type { RtasFunction } from "./rtas/types.js";

export interface MachineOptions extends DeviceOptions {
  cpus?: number;
  memoryBytes?: number;
  /** RTAS functions left out of the token table and /rtas (init-failure tests). */
  omitRtas?: readonly string[];
  policy?: Record<string, unknown>;
  /** Emulated time in nanoseconds (the timebase and event-log timestamps read it). */
  now?: () => number;
  /**
   * Boot from this blob (e.g. QEMU's `-M pseries,dumpdtb=…`): its nodes and tokens are kept and
   * what hvpipe needs is added (machine-dt-merge.ts). CPU threads, interrupt servers, RAM and the
   * event IRQs come from the blob; `cpus`, if given, must agree; `memoryBytes` may not be given. A
   * blob that cannot serve throws MachineTreeError (FdtFormatError if it is no DTB).
   */
  baseDtb?: Uint8Array;
  /**
   * Which build of the hot path (emulator/assembly/index.ts) runs: the wasm module (default), or the
   * same source built as plain JavaScript — to step it in a JS debugger, or to compare the two.
   */
  hotPath?: HotPathBuild;
  /** The interrupt controller (default "xics", the only one so far). */
  interruptController?: InterruptControllerName;
}

/** POWER's timebase runs at 512 MHz: H_XIRR_X returns it in r5. */
const TIMEBASE_TICKS_PER_NS = 0.512;

const DEFAULT_MEMORY_BYTES = 16 * 1024 * 1024;
/** Epoch of the emulated wall clock: event logs carry dates from here on. */
const WALL_CLOCK_EPOCH_MS = Date.UTC(2026, 0, 1);

type Instance<D> = D extends { create(ctx: never): infer I } ? I : never;
/** Each device's instance (its model and declarations), by device name. */
export type MachineDevices = { readonly [D in MachineDevice as D["name"]]: Instance<D> };
type Inspected<D> = D extends MachineDevice ? (Instance<D> extends { inspect(): unknown } ? D : never) : never;
type InspectedDevice = Inspected<MachineDevice>;
type Controller = ReturnType<(typeof INTERRUPT_CONTROLLERS)[InterruptControllerName]>;

export type MachineState =
  { [D in InspectedDevice as D["name"]]: ReturnType<Instance<D>["inspect"]> } &
  { [C in Controller as C["name"]]: ReturnType<C["inspect"]> } &
  { faults: { name: string; status: number; remaining: number }[] };

export class Machine {
  readonly cpus: number;
  readonly memory: GuestMemory;
  readonly policy: HypervisorPolicy;
  readonly interrupts: Controller;
  readonly devices: MachineDevices;
  readonly tokens = new TokenTable();
  readonly rtas: RtasDispatcher;
  /** What the world outside the partition does to it: HMCs, migration, injected faults. */
  readonly outside: OutsideWorld;
  readonly dtb: Uint8Array;
  /** With baseDtb: what the blob gave, and what the merge placed and added. */
  readonly baseTree?: BaseTree;
  readonly mergedTree?: MergedTree;
  private readonly hot: HotPath;
  private readonly hcalls = new HcallTable();

  constructor(options: MachineOptions = {}) {
    if (options.cpus !== undefined && (!Number.isInteger(options.cpus) || options.cpus < 1 || options.cpus > 64)) {
      throw new Error(`cpus must be 1..64, not ${options.cpus}`);
    }
    const base = options.baseDtb ? readBaseDtb(options.baseDtb, { cpus: options.cpus }) : undefined;
    if (base && options.memoryBytes !== undefined) throw new Error("memoryBytes cannot be combined with baseDtb: RAM comes from the blob's /memory");
    this.baseTree = base;
    this.cpus = base?.threads ?? options.cpus ?? 1;
    // From a blob: at most MAX_BACKED_RAM_BYTES of its RAM is backed; addresses above are outside RAM.
    const memoryBytes = base?.backedBytes ?? options.memoryBytes ?? DEFAULT_MEMORY_BYTES;
    this.policy = resolvePolicy(options.policy);
    const now = options.now ?? (() => 0);
    const build = options.hotPath ?? "wasm";
    if (!HOT_PATH_BUILDS.includes(build)) throw new Error(`hotPath must be ${HOT_PATH_BUILDS.join(" or ")}, not "${String(build)}"`);
    const sizing = hotPathSizing(this.policy);
    this.hot = (build === "js" ? loadHotPathJs : loadHotPath)(memoryBytes, sizing.payloadLimit, sizing.fifoSlots);
    this.memory = new GuestMemory(this.hot.bytes, memoryBytes);
    const controllerName = options.interruptController ?? "xics";
    const makeController = Object.hasOwn(INTERRUPT_CONTROLLERS, controllerName) ? INTERRUPT_CONTROLLERS[controllerName] : undefined;
    if (!makeController) throw new Error(`interruptController must be ${Object.keys(INTERRUPT_CONTROLLERS).join(" or ")}, not "${String(controllerName)}"`);
    const interrupts = makeController({ servers: base?.servers ?? this.cpus, timebase: () => Math.floor(now() * TIMEBASE_TICKS_PER_NS) });
    this.interrupts = interrupts;
    this.rtas = new RtasDispatcher(this.memory, this.tokens);

    // The devices, in table order; each may use the services of those before it.
    const services: Partial<DeviceServices> = {};
    const instances: Record<string, DeviceInstance> = {};
    const functions: RtasFunction[] = [...interrupts.rtasFunctions()];
    const fragments: TreeFragment[] = [({ root }) => interrupts.addToTree(root)];
    const outside: { owner: string; outside: Partial<OutsideWorld> }[] = [
      { owner: "the RTAS dispatcher", outside: { faults: { inject: (name, status, times) => this.rtas.injectFault(name, status, times) } } },
    ];
    this.hcalls.add(interrupts.name, interrupts.hcalls);
    this.hcalls.add("the RTAS dispatcher", new Map([[KVMPPC_H_RTAS, (cpu, args) => ({ ret: this.rtas.call(cpu, args[0] ?? 0), outs: [] })]]));
    for (const device of DEVICES) {
      const ctx: DeviceContext<PolicyTable> = {
        memory: this.memory,
        hot: this.hot,
        policy: ownPolicies(this.policy, device.policies) as DeviceContext<PolicyTable>["policy"],
        interrupts,
        cpus: this.cpus,
        ramBytes: base ? Number(base.ramBytes) : memoryBytes,
        options,
        base,
        nowMs: () => WALL_CLOCK_EPOCH_MS + Math.floor(now() / 1e6),
        service: (name) => {
          const s = services[name];
          if (!s) throw new Error(`device ${device.name} needs the ${name} service, which no device before it provides`);
          return s;
        },
      };
      const instance: DeviceInstance = (device.create as (c: DeviceContext<PolicyTable>) => DeviceInstance)(ctx);
      instances[device.name] = instance;
      Object.assign(services, instance.provides);
      functions.push(...(instance.rtas ?? []));
      if (instance.hcalls) this.hcalls.add(device.name, instance.hcalls);
      if (instance.tree) fragments.push(instance.tree);
      if (instance.outside) outside.push({ owner: device.name, outside: instance.outside });
    }
    this.devices = instances as unknown as MachineDevices;
    this.outside = assembleOutsideWorld(outside);

    const omit = new Set(options.omitRtas ?? []);
    const known = new Set(functions.map((f) => f.name));
    for (const name of omit) {
      if (!known.has(name)) throw new Error(`omit-rtas: no RTAS function "${name}" (known: ${[...known].join(", ")})`);
    }
    if (base) {
      this.mergedTree = mergeMachineTree(base, { functions, hvpipeCapable: options.hvpipeCapable ?? true, omitRtas: [...omit] });
      for (const fn of this.mergedTree.functions) this.tokens.register(fn);
      this.dtb = encodeFdt(this.mergedTree.tree);
      return;
    }
    const tokens = ownTreeTokens(functions.map((f) => f.name));
    for (const fn of functions) if (!omit.has(fn.name)) this.tokens.register({ ...fn, token: tokens.get(fn.name) });
    this.dtb = encodeFdt(buildMachineTree({
      cpus: this.cpus, memoryBytes, tokens: this.tokens.entries(), ov5InterruptModes: interrupts.ov5InterruptModes, fragments,
    }));
  }

  /** Which build of the hot path this machine runs. */
  get hotPath(): HotPathBuild {
    return this.hot.build;
  }

  /** A hypercall from a guest CPU: opcode in r3, arguments r4…; returns r3 and the outputs. */
  hcall(cpu: number, opcode: number, args: readonly number[]): HcallResult {
    return this.hcalls.call(cpu, opcode, args);
  }

  /** Whether the CPU's external-interrupt input (vector 0x500) is raised. */
  externalInterruptPending(cpu: number): boolean {
    return this.interrupts.outputRaised(cpu);
  }

  set onRtasCall(fn: ((t: RtasTrace) => void) | undefined) {
    this.rtas.onCall = fn;
  }

  inspect(): MachineState {
    const state: Record<string, unknown> = {};
    for (const device of DEVICES) {
      const instance = (this.devices as unknown as Record<string, DeviceInstance>)[device.name]!;
      if (instance.inspect) state[device.name] = instance.inspect();
    }
    state[this.interrupts.name] = this.interrupts.inspect();
    state.faults = [...this.rtas.pendingFaults()].map(([name, f]) => ({ name, ...f }));
    return state as MachineState;
  }
}

/** What the one device declaring a hot-path area needs of it. */
function hotPathSizing(policy: HypervisorPolicy): HotPathSizing {
  const sized = DEVICES.flatMap((d) => (d.hotPath ? [(d.hotPath as (p: unknown) => HotPathSizing)(ownPolicies(policy, d.policies))] : []));
  if (sized.length !== 1) throw new Error(`${sized.length} devices declare a hot-path area; the hot path has one`);
  return sized[0]!;
}

/** The resolved values of one device's policies. */
function ownPolicies(policy: HypervisorPolicy, table: PolicyTable): Record<string, PolicyDefinition["default"]> {
  const all = policy as unknown as Record<string, PolicyDefinition["default"]>;
  const own: Record<string, PolicyDefinition["default"]> = {};
  for (const name of Object.keys(table)) own[name] = all[name]!;
  return own;
}
