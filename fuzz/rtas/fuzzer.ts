// RTAS fuzzer: random argument blocks through H_RTAS on two machines, one per hot-path build
// (wasm and the same source as JavaScript). Every case: r3 is H_SUCCESS exactly for a valid
// block (else H_PARAMETER), neither build throws or traps, and both give the same r3, the same
// block words and the same pipe state; every 256 cases their whole guest memory is compared.
import { H_PARAMETER, H_SUCCESS, KVMPPC_H_RTAS } from "../../emulator/hcall-numbers.js";
import { Machine, type MachineOptions } from "../../emulator/machine.js";
import { OutsideWorldRefusal } from "../../emulator/outside/refusal.js";
import type { Fuzzer } from "../fuzzer.js";
import type { Rng } from "../rng.js";
import { HMC1, HMC2, blockIsValid, placeBlock, randomBlock } from "./blocks.js";

/** The policies each pair of machines runs under, in turn (one pair per policy set). */
export const RTAS_POLICIES: ReadonlyArray<MachineOptions["policy"]> = [
  {},
  { "event-log": "with-main-sections", "receive-when-empty": "empty-success", "buffer-list-entries": 3,
    "send-to-unknown-source": "param-error", "fifo-depth": 2 },
];

const RAM = 16 * 1024 * 1024;

export function rtasFuzzer(policy: MachineOptions["policy"] = {}): Fuzzer {
  let pair: [Machine, Machine] | undefined;
  let cases = 0;
  const build = (): [Machine, Machine] => {
    const make = (hotPath: "wasm" | "js"): Machine => {
      const m = new Machine({ cpus: 2, sources: [HMC1, HMC2], policy, hotPath });
      // ibm,set-system-parameter(64, {BE16 1, u8 1}): what papr-hvpipe does at init (hvpipe-driver.md §8).
      m.memory.write(0x2000, Uint8Array.of(0, 1, 1));
      placeBlock(m, { at: 0x1000, token: m.tokens.tokenOf("ibm,set-system-parameter")!, nargs: 2, nret: 1, cells: [64, 0x2000], list: [], cpu: 0, send: undefined });
      m.hcall(0, KVMPPC_H_RTAS, [0x1000]);
      return m;
    };
    return [make("wasm"), make("js")];
  };
  return {
    name: "rtas",
    runCase(rng: Rng): string | undefined {
      pair ??= build();
      const [w] = pair;
      const b = randomBlock(rng, w, RAM);
      const valid = blockIsValid(w, b);
      const source = rng.chance(0.5) ? HMC1 : HMC2;
      const results = pair.map((m) => {
        if (b.send !== undefined && pipeState(m).queued.length < 3) {
          try {
            m.outside.hmc.send(source, payload(b.send, b.cells[0]!));
          } catch (e) {
            // The outside world refuses a send the policies do not allow: a typed answer, expected.
            if (!(e instanceof OutsideWorldRefusal)) throw e;
          }
        }
        placeBlock(m, b);
        const r3 = m.hcall(b.cpu, KVMPPC_H_RTAS, [b.at]).ret;
        const words = Array.from({ length: 3 + 40 }, (_, i) => (m.memory.contains(b.at + 4 * i, 4) ? m.memory.u32(b.at + 4 * i) : null));
        return JSON.stringify({ r3, words, pipe: pipeState(m) });
      });
      const r3 = (JSON.parse(results[0]!) as { r3: number }).r3;
      const block = `token 0x${b.token.toString(16)} nargs ${b.nargs} nret ${b.nret} at 0x${b.at.toString(16)}`;
      if (r3 !== (valid ? H_SUCCESS : H_PARAMETER)) return `${block}: r3 ${r3}, expected ${valid ? "H_SUCCESS" : "H_PARAMETER"}`;
      if (results[0] !== results[1]) return `${block}: the wasm and JS builds differ`;
      if (++cases % 256 === 0 && Buffer.compare(pair[0].memory.bytes, pair[1].memory.bytes) !== 0) {
        return `${block}: guest memory differs between the builds after ${cases} cases`;
      }
      return undefined;
    },
  };
}

/** The hvpipe device's own inspection: Machine.inspect() also walks every XICS source, which
 *  dominated the run's time. */
function pipeState(m: Machine): { queued: unknown[] } {
  return (m.devices as unknown as Record<string, { inspect(): { queued: unknown[] } }>).hvpipe!.inspect();
}

function payload(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + seed * 31) & 0xff;
  return out;
}
