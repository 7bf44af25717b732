// Hypercall fuzzer: random sequences of the XICS hypercalls (H_CPPR, H_IPI, H_XIRR, H_XIRR_X,
// H_EOI, H_IPOLL), unknown opcodes, XICS RTAS calls and HMC sends that raise the hvpipe IRQ,
// from existing and non-existing CPUs; after every call the presenters must satisfy the
// invariants of spec/spapr-platform.md §4.2-§4.3 (see `icpProblems`).
import { H_CPPR, H_EOI, H_IPI, H_IPOLL, H_XIRR, H_XIRR_X, KVMPPC_H_RTAS } from "../../emulator/hcall-numbers.js";
import { Machine } from "../../emulator/machine.js";
import { OutsideWorldRefusal } from "../../emulator/outside/refusal.js";
import type { Fuzzer } from "../fuzzer.js";
import type { Rng } from "../rng.js";
import { ARGS, HMC1, placeBlock } from "../rtas/blocks.js";

const PRIORITY_MASKED = 0xff;
const XICS_IPI = 2;
const HVPIPE_IRQ = 0x1002;

/** The presenter fields read here (emulator/interrupts/xics/icp.ts); read directly, since the
 *  controller's inspect() also walks every source and would dominate the run. */
interface IcpView {
  readonly server: number;
  readonly xirr: number;
  readonly cppr: number;
  readonly xisr: number;
  readonly pendingPriority: number;
  readonly mfrr: number;
  readonly owner: object | null;
  readonly output: boolean;
}

/** What must hold of every presenter between two calls. */
export function icpProblems(m: Machine): string[] {
  const out: string[] = [];
  const icps = (m.interrupts as unknown as { icps: readonly IcpView[] }).icps;
  for (const p of icps) {
    const at = `server ${p.server}`;
    if (!Number.isInteger(p.xirr) || p.xirr < 0 || p.xirr > 0xffffffff) out.push(`${at}: xirr ${p.xirr} is not a u32`);
    if ((p.xisr === 0) !== (p.pendingPriority === PRIORITY_MASKED)) out.push(`${at}: xisr ${p.xisr} with pending priority ${p.pendingPriority}`);
    if (p.output !== (p.xisr !== 0)) out.push(`${at}: output ${p.output} with xisr ${p.xisr}`);
    // Not an invariant: pending priority < CPPR. H_EOI stores CPPR without withdrawing what is
    // pending (§4.3 "eoi"), so a pending interrupt can outlive a more favoured CPPR.
    // An IPI (XISR 2) and nothing pending have no owning ICS; any other source has one.
    if ((p.owner !== null) !== (p.xisr !== 0 && p.xisr !== XICS_IPI)) out.push(`${at}: xisr ${p.xisr} with owner ${p.owner ? "an ICS" : "none"}`);
    if (m.externalInterruptPending(p.server) !== p.output) out.push(`${at}: the CPU's input disagrees with the presenter's output`);
    if (p.mfrr < 0 || p.mfrr > 0xff || p.cppr > 0xff) out.push(`${at}: mfrr ${p.mfrr} / cppr ${p.cppr} out of range`);
  }
  return out;
}

const PRIORITIES = [0, 1, 5, 0xfe, 0xff, 0x100, 0xffffffff];

export function hcallFuzzer(): Fuzzer {
  let m: Machine | undefined;
  let cases = 0;
  let lastXirr = 0;
  const fresh = (): Machine => {
    const machine = new Machine({ cpus: 3, sources: [HMC1] });
    // Enable the pipe (set-system-parameter 64) so HMC sends raise the hvpipe IRQ.
    machine.memory.write(0x2000, Uint8Array.of(0, 1, 1));
    placeBlock(machine, { at: ARGS, token: machine.tokens.tokenOf("ibm,set-system-parameter")!, nargs: 2, nret: 1, cells: [64, 0x2000], list: [], cpu: 0, send: undefined });
    machine.hcall(0, KVMPPC_H_RTAS, [ARGS]);
    return machine;
  };
  const prio = (rng: Rng): number => (rng.chance(0.8) ? rng.pick(PRIORITIES) : rng.u32());
  const rtas = (mm: Machine, name: string, cpu: number, cells: number[], nret: number): string => {
    placeBlock(mm, { at: ARGS, token: mm.tokens.tokenOf(name)!, nargs: cells.length, nret, cells, list: [], cpu, send: undefined });
    return `${name}(${cells.join(", ")}) = ${mm.hcall(cpu, KVMPPC_H_RTAS, [ARGS]).ret}`;
  };
  return {
    name: "hcalls",
    runCase(rng: Rng): string | undefined {
      // A fresh partition every 500 cases, so states far from reset and near it both occur.
      if (!m || cases++ % 500 === 0) m = fresh();
      const mm = m;
      const steps = rng.int(1, 24);
      const done: string[] = [];
      for (let i = 0; i < steps; i++) {
        const cpu = rng.chance(0.95) ? rng.below(3) : rng.pick([3, 64, 0xffffffff]);
        const irq = rng.chance(0.7) ? rng.pick([HVPIPE_IRQ, 0x1000, 0x1001, XICS_IPI]) : rng.u32();
        let what: string;
        switch (rng.below(10)) {
          case 0: what = `H_CPPR ${mm.hcall(cpu, H_CPPR, [prio(rng)]).ret}`; break;
          case 1: what = `H_IPI ${mm.hcall(cpu, H_IPI, [rng.chance(0.9) ? rng.below(4) : rng.u32(), prio(rng)]).ret}`; break;
          case 2: {
            const r = mm.hcall(cpu, rng.chance(0.5) ? H_XIRR : H_XIRR_X, []);
            if (r.outs?.[0] !== undefined) lastXirr = r.outs[0];
            what = `H_XIRR ${r.ret}`;
            break;
          }
          case 3: what = `H_EOI ${mm.hcall(cpu, H_EOI, [rng.chance(0.6) ? lastXirr : rng.u32()]).ret}`; break;
          case 4: what = `H_IPOLL ${mm.hcall(cpu, H_IPOLL, [rng.below(4)]).ret}`; break;
          case 5: what = `opcode ${mm.hcall(cpu, rng.chance(0.5) ? rng.below(0x400) * 4 : rng.u32(), [rng.u32()]).ret}`; break;
          case 6: what = rtas(mm, "ibm,set-xive", cpu, [irq, rng.chance(0.9) ? rng.below(4) : rng.u32(), prio(rng)], 1); break;
          case 7: what = rtas(mm, rng.chance(0.5) ? "ibm,int-on" : "ibm,int-off", cpu, [irq], 1); break;
          case 8: what = rtas(mm, "ibm,get-xive", cpu, [irq], 3); break;
          default:
            try {
              mm.outside.hmc.send(HMC1, Uint8Array.of(1, 2, 3));
              what = "HMC send";
            } catch (e) {
              if (!(e instanceof OutsideWorldRefusal)) throw e;
              what = "HMC send refused";
            }
        }
        done.push(`cpu ${cpu} ${what}`);
        const problems = icpProblems(mm);
        if (problems.length > 0) return `after ${done.join("; ")}: ${problems.join("; ")}`;
      }
      return undefined;
    },
  };
}
