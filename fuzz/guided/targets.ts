// What the coverage-guided loop feeds its inputs to. A target returns normally for every input
// it handles as designed (a typed refusal included) and throws for a finding.
import { readFileSync } from "node:fs";
import { FdtFormatError, decodeFdt, encodeFdt, printDts } from "../../devicetree/index.js";
import { KVMPPC_H_RTAS } from "../../emulator/hcall-numbers.js";
import { Machine } from "../../emulator/machine.js";

export interface GuidedTarget {
  /** Source folders whose blocks count as coverage. */
  folders: string[];
  run(input: Uint8Array): void;
  /** Seeds beyond the stored corpus. */
  extraSeeds(): Uint8Array[];
}

const fdt: GuidedTarget = {
  folders: ["/devicetree/"],
  run(input) {
    let tree;
    try {
      tree = decodeFdt(input);
    } catch (e) {
      if (e instanceof FdtFormatError) return;
      throw e;
    }
    const again = encodeFdt(tree);
    if (Buffer.compare(again, input.subarray(0, again.length)) !== 0) throw new Error("re-encoding is not byte-exact");
    printDts(tree);
    encodeFdt(tree, { layout: null });
  },
  extraSeeds: () => [new Uint8Array(readFileSync(new URL("../../test/fixtures/dt/qemu-7.2-pseries.dtb", import.meta.url)))],
};

/**
 * RTAS: the input is an argument block as the guest writes it — token, nargs, nret and cells,
 * big-endian — placed at 0x1000 (a first byte of 0xff puts it 64 bytes before the end of RAM
 * instead), sent through H_RTAS on both hot-path builds, which must agree.
 */
function rtasTarget(): GuidedTarget {
  let pair: Machine[] | undefined;
  return {
    folders: ["/emulator/"],
    run(input) {
      pair ??= [new Machine({ hotPath: "wasm" }), new Machine({ hotPath: "js" })];
      const answers = pair.map((m) => {
        const ram = m.memory.bytes.length;
        const near = input[0] === 0xff;
        const at = near ? 16 * 1024 * 1024 - 64 : 0x1000;
        const block = input.subarray(near ? 1 : 0, (near ? 1 : 0) + Math.min(input.length, near ? 64 : 76));
        if (at + block.length <= ram) m.memory.write(at, block);
        const r3 = m.hcall(0, KVMPPC_H_RTAS, [at]).ret;
        return `${r3} ${Buffer.from(m.memory.read(at, Math.min(76, 16 * 1024 * 1024 - at))).toString("hex")}`;
      });
      if (answers[0] !== answers[1]) throw new Error("the wasm and JS builds differ");
    },
    extraSeeds: () => [],
  };
}

export const GUIDED_TARGETS: Record<string, () => GuidedTarget> = { fdt: () => fdt, rtas: rtasTarget };
