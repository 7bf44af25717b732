// Nothing a guest puts in an RTAS argument block may crash the emulator (DESIGN.md, Conventions):
// random blocks through H_RTAS never throw, never trap the wasm hot path, and r3 is always
// H_SUCCESS or H_PARAMETER (spec/spapr-platform.md §1.5).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { H_PARAMETER, H_SUCCESS, KVMPPC_H_RTAS } from "../../emulator/hcall-numbers.js";
import type { Machine } from "../../emulator/machine.js";
import { HMC1, LIST_BUF, RAM, enableHvpipe, machine, pattern } from "./helpers.js";

const U32_MAX = 0xffffffff;

/** Addresses around the interesting edges: low RAM, the last bytes of RAM, just past it, far past it. */
const address = fc.oneof(
  fc.constantFrom(0, 0x1000, LIST_BUF, 0x7000, RAM - 4096, RAM - 40, RAM - 24, RAM - 16, RAM - 12, RAM - 8, RAM - 4,
    RAM - 1, RAM, RAM + 4, RAM + 4096, 0x7fffffff, 0xfffff000, U32_MAX - 3, U32_MAX),
  fc.integer({ min: RAM - 256, max: RAM + 256 }),
  fc.integer({ min: 0, max: U32_MAX }),
);

/** A cell: an address, a small number, a parameter / source id / size the functions care about, or any u32. */
const cell = fc.oneof(
  address,
  fc.integer({ min: 0, max: 70 }),
  fc.constantFrom(20, 42, 48, 64, HMC1, 0x02000099, 0x1000, 0x1002, 0x1fff, 0x2000, 0x500, 0x04000000, 0xff,
    2048, 4048, 4096, 4097),
  fc.integer({ min: 0, max: U32_MAX }),
);

/** A 64-bit word of a buffer list: sane lengths and addresses, values with a high word, anything. */
const listWord = fc.oneof(
  fc.constantFrom(0n, 8n, 24n, 40n, 56n, 30n, 1n, 4048n, 4049n, 4096n, 4097n, BigInt(RAM - 10), BigInt(RAM),
    0x7000n, (1n << 32n) + 24n, (1n << 64n) - 1n),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
);

interface Block {
  at: number;
  token: number;
  nargs: number;
  nret: number;
  cells: number[];
  list: bigint[];
  refill: boolean;
}

/** The call shapes the functions accept (spec/hvpipe-driver.md §5.1, spapr-platform.md §1.7, §3.3, §3.4, §4.5). */
const SHAPES: [string, number, number][] = [
  ["ibm,get-system-parameter", 3, 1], ["ibm,set-system-parameter", 2, 1],
  ["ibm,set-xive", 3, 1], ["ibm,get-xive", 1, 3], ["ibm,int-off", 1, 1], ["ibm,int-on", 1, 1],
  ["check-exception", 6, 1], ["check-exception", 7, 1], ["event-scan", 4, 1],
  ["ibm,receive-hvpipe-msg", 2, 3], ["ibm,send-hvpipe-msg", 2, 1],
];

function blocks(m: Machine): fc.Arbitrary<Block> {
  const tokens = m.tokens.entries().map((e) => e.token);
  const shaped = SHAPES.map(([name, nargs, nret]) => ({ token: m.tokens.tokenOf(name)!, nargs, nret }));
  // Mostly well-formed calls at a block inside RAM, so the functions do real work on random arguments.
  const shape = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...shaped) },
    {
      weight: 1,
      arbitrary: fc.record({
        token: fc.oneof(fc.constantFrom(...tokens), fc.constantFrom(0, 0xa, 0x2000, 0x2010, 0x202d, 0x2030, U32_MAX),
          fc.integer({ min: 0, max: U32_MAX })),
        nargs: fc.integer({ min: 0, max: 20 }),
        nret: fc.integer({ min: 0, max: 20 }),
      }),
    },
  );
  return fc.record({
    at: fc.oneof({ weight: 3, arbitrary: fc.constant(0x1000) }, { weight: 1, arbitrary: address }),
    shape,
    cells: fc.array(cell, { minLength: 40, maxLength: 40 }),
    list: fc.oneof(
      fc.array(listWord, { minLength: 7, maxLength: 7 }),
      // A plausible list: 1..3 pairs of (address, length) around the data area and the end of RAM.
      fc.tuple(fc.constantFrom(24n, 40n, 56n), fc.array(fc.tuple(
        fc.constantFrom(0x7000n, 0x8000n, BigInt(RAM - 100), BigInt(RAM - 4096)),
        fc.constantFrom(1n, 17n, 100n, 2024n, 4048n, 4096n),
      ), { minLength: 3, maxLength: 3 })).map(([len, pairs]) => [len, ...pairs.flat()]),
    ),
    listArg: fc.boolean(),
    refill: fc.boolean(),
  }).map(({ shape: sh, listArg, ...rest }) => {
    // Half the sends go to the attached HMC with the list the harness wrote.
    if (listArg && sh.token === m.tokens.tokenOf("ibm,send-hvpipe-msg")) rest.cells.splice(0, 2, HMC1, LIST_BUF);
    return { ...rest, ...sh };
  });
}

/** Writes the block's words where they fall inside RAM; the rest of the block is simply not there. */
function place(m: Machine, b: Block): void {
  // The list first: a block placed over it wins, as it would in the guest.
  b.list.forEach((w, i) => m.memory.view.setBigUint64(LIST_BUF + 8 * i, w, false));
  const words = [b.token, b.nargs, b.nret, ...b.cells];
  words.forEach((w, i) => {
    const a = b.at + 4 * i;
    if (m.memory.contains(a, 4)) m.memory.setU32(a, w);
  });
}

function blockIsValid(m: Machine, b: Block): boolean {
  return m.memory.contains(b.at, 12) && b.nargs + b.nret <= 16 && m.memory.contains(b.at, 12 + 4 * (b.nargs + b.nret));
}

function run(m: Machine, runs: number, seed: number): void {
  const bytesBefore = m.memory.bytes.byteLength;
  fc.assert(
    fc.property(blocks(m), (b) => {
      // Keep something in the pipe so receive, check-exception and the log encoder do real work.
      if (b.refill && m.inspect().hvpipe.queued.length < 2) m.outside.hmc.send(HMC1, pattern(1 + (b.cells[0]! % 4048)));
      place(m, b);
      const r3 = m.hcall(b.cells[1]! % 3, KVMPPC_H_RTAS, [b.at]).ret;
      // §1.5: H_PARAMETER exactly for a block that cannot be read or a token with no handler.
      const known = m.tokens.lookup(b.token) !== undefined;
      expect(r3).toBe(blockIsValid(m, b) && known ? H_SUCCESS : H_PARAMETER);
      m.inspect();
    }),
    { numRuns: runs, seed },
  );
  expect(m.memory.bytes.byteLength).toBe(bytesBefore);
}

describe("random argument blocks through H_RTAS", () => {
  it("3000 blocks on the default machine: never a throw or a trap, r3 is H_SUCCESS or H_PARAMETER", () => {
    const m = machine({ cpus: 2 });
    enableHvpipe(m);
    run(m, 3000, 0x5eed);
  });

  it("1000 blocks under the other policies (main sections, empty-success, 3-entry lists, param-error)", () => {
    const m = machine({
      policy: {
        "event-log": "with-main-sections",
        "receive-when-empty": "empty-success",
        "buffer-list-entries": 3,
        "send-to-unknown-source": "param-error",
        "fifo-depth": 2,
      },
    });
    enableHvpipe(m);
    run(m, 1000, 0xbeef);
  });

  it("a guest memory access outside RAM from the hypervisor side is a RangeError, not a silent wrap", () => {
    const m = machine();
    // The RTAS paths above never reach these; they guard direct hypervisor-side use.
    expect(() => m.memory.u32(RAM - 2)).toThrow(RangeError);
    expect(() => m.memory.setU32(RAM, 0)).toThrow(RangeError);
  });
});
