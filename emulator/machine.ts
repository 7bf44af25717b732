// One emulated partition: guest memory, XICS, the RTAS token table and functions, platform events
// and the hvpipe. Seen from the guest only as a device-tree blob, hypercalls, memory and the
// external-interrupt line of each CPU — the same surface a CPU emulator would forward `sc 1` to.
import { encodeFdt } from "../devicetree/index.js";
import { readBaseDtb, type BaseTree } from "./base-tree.js";
import { EventQueue, EVENT_CLASSES } from "./events.js";
import { GuestMemory } from "./guest-memory.js";
import { H_FUNCTION, KVMPPC_H_RTAS, type HcallResult } from "./hcall-numbers.js";
import { HOT_PATH_BUILDS, loadHotPath, type HotPath, type HotPathBuild } from "./hotpath.js";
import { loadHotPathJs } from "./hotpath-js/load.js";
import { HvpipePipe, type PipeState } from "./hvpipe/pipe.js";
import { buildMachineTree } from "./machine-dt.js";
import { mergeMachineTree, type MergedTree } from "./machine-dt-merge.js";
import { resolvePolicy, type Policy } from "./policy.js";
import { RtasDispatcher, type RtasTrace } from "./rtas/dispatch.js";
import { systemParameterFunctions } from "./rtas/sysparm.js";
import { TokenTable } from "./rtas/token-table.js";
import type { RtasFunction } from "./rtas/types.js";
import { Xics } from "./xics/xics.js";

export interface MachineOptions {
  cpus?: number;
  memoryBytes?: number;
  sources?: readonly number[];
  hvpipeCapable?: boolean;
  /** RTAS functions left out of the token table and /rtas (init-failure tests). */
  omitRtas?: readonly string[];
  policy?: Record<string, unknown>;
  /** Emulated time in nanoseconds (the timebase and event-log timestamps read it). */
  now?: () => number;
  /**
   * Boot from this blob (e.g. QEMU's `-M pseries,dumpdtb=…`): its nodes and tokens are kept and
   * what hvpipe needs is added (machine-dt-merge.ts). CPU threads, XICS servers, RAM and the event
   * IRQs come from the blob; `cpus`, if given, must agree; `memoryBytes` may not be given. A blob
   * that cannot serve throws MachineTreeError (FdtFormatError if it is no DTB).
   */
  baseDtb?: Uint8Array;
  /**
   * Which build of the hot path (emulator/assembly/index.ts) runs: the wasm module (default), or the
   * same source built as plain JavaScript — to step it in a JS debugger, or to compare the two.
   */
  hotPath?: HotPathBuild;
}

/** POWER's timebase runs at 512 MHz: H_XIRR_X returns it in r5. */
const TIMEBASE_TICKS_PER_NS = 0.512;

export const DEFAULT_MEMORY_BYTES = 16 * 1024 * 1024;
/** Epoch of the emulated wall clock: event logs carry dates from here on. */
const WALL_CLOCK_EPOCH_MS = Date.UTC(2026, 0, 1);

export class Machine {
  readonly cpus: number;
  readonly memory: GuestMemory;
  readonly policy: Policy;
  readonly xics: Xics;
  readonly tokens = new TokenTable();
  readonly rtas: RtasDispatcher;
  readonly events: EventQueue;
  readonly hvpipe: HvpipePipe;
  readonly dtb: Uint8Array;
  /** With baseDtb: what the blob gave, and what the merge placed and added. */
  readonly baseTree?: BaseTree;
  readonly mergedTree?: MergedTree;
  private readonly hot: HotPath;
  private readonly now: () => number;

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
    this.now = options.now ?? (() => 0);
    const build = options.hotPath ?? "wasm";
    if (!HOT_PATH_BUILDS.includes(build)) throw new Error(`hotPath must be ${HOT_PATH_BUILDS.join(" or ")}, not "${String(build)}"`);
    this.hot = (build === "js" ? loadHotPathJs : loadHotPath)(memoryBytes, this.policy["payload-limit"], this.policy["fifo-depth"]);
    this.memory = new GuestMemory(this.hot.bytes, memoryBytes);
    this.xics = new Xics({ servers: base?.servers ?? this.cpus, timebase: () => Math.floor(this.now() * TIMEBASE_TICKS_PER_NS) });
    // The event classes signal the IRQs the tree gives them (EVENT_CLASSES' numbers in the machine's own tree).
    this.events = new EventQueue(this.memory, (irq) => this.xics.pulse(irq), base?.eventIrqs);
    const eventIrqs = new Set(Object.values(EVENT_CLASSES).map((c) => this.events.irqOf(c)));
    for (const irq of eventIrqs) if (irq !== null) this.xics.claim(irq, false);
    this.hvpipe = new HvpipePipe(this.hot, this.memory, this.events, this.policy,
      { nowMs: () => WALL_CLOCK_EPOCH_MS + Math.floor(this.now() / 1e6) }, options.sources ?? [0x02000001]);
    this.rtas = new RtasDispatcher(this.memory, this.tokens);

    const omit = new Set(options.omitRtas ?? []);
    const functions: RtasFunction[] = [
      ...systemParameterFunctions(this.memory, {
        cpus: this.cpus,
        memoryBytes: base ? Number(base.ramBytes) : memoryBytes,
        hvpipeEnabled: () => this.hvpipe.isEnabled(),
        setHvpipeEnabled: (on) => this.hvpipe.setEnabled(on),
      }),
      ...this.xics.rtasFunctions(),
      ...this.events.rtasFunctions(),
      ...this.hvpipe.rtasFunctions(),
    ];
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
    for (const fn of functions) if (!omit.has(fn.name)) this.tokens.register(fn);

    this.dtb = encodeFdt(buildMachineTree({
      cpus: this.cpus,
      memoryBytes,
      tokens: this.tokens.entries(),
      hvpipeCapable: options.hvpipeCapable ?? true,
    }));
  }

  /** Which build of the hot path this machine runs. */
  get hotPath(): HotPathBuild {
    return this.hot.build;
  }

  /** A hypercall from a guest CPU: opcode in r3, arguments r4…; returns r3 and the outputs. */
  hcall(cpu: number, opcode: number, args: readonly number[]): HcallResult {
    if (opcode === KVMPPC_H_RTAS) return { ret: this.rtas.call(cpu, args[0] ?? 0), outs: [] };
    return this.xics.hcall(cpu, opcode, [...args]) ?? { ret: H_FUNCTION, outs: [] };
  }

  /** Whether the CPU's external-interrupt input (vector 0x500) is raised. */
  externalInterruptPending(cpu: number): boolean {
    return this.xics.outputRaised(cpu);
  }

  set onRtasCall(fn: ((t: RtasTrace) => void) | undefined) {
    this.rtas.onCall = fn;
  }

  inspect(): MachineState {
    return {
      hvpipe: this.hvpipe.inspect(),
      events: this.events.list().map((e) => e.description),
      xics: this.xics.inspect(),
      faults: [...this.rtas.pendingFaults()].map(([name, f]) => ({ name, ...f })),
    };
  }
}

export interface MachineState {
  hvpipe: PipeState;
  events: string[];
  xics: ReturnType<Xics["inspect"]>;
  faults: { name: string; status: number; remaining: number }[];
}
