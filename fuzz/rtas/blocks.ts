// RTAS argument blocks as a guest could write them: every registered token and random ones,
// every nargs/nret (also past the 16 cells a block holds), blocks and buffers around the end
// of RAM, buffer lists with sane and insane (address, length) pairs.
import type { Machine } from "../../emulator/machine.js";
import type { Rng } from "../rng.js";

export const HMC1 = 0x02000001;
export const HMC2 = 0x02000002;
/** Fixed guest areas: the usual block, a buffer list, data. */
export const ARGS = 0x1000;
export const LIST_BUF = 0x6000;
export const DATA_BUF = 0x7000;

/** The call shapes the functions accept (spec/hvpipe-driver.md §5.1, spapr-platform.md §1.7, §3.3, §3.4, §4.5). */
const SHAPES: Array<[string, number, number]> = [
  ["ibm,get-system-parameter", 3, 1], ["ibm,set-system-parameter", 2, 1],
  ["ibm,set-xive", 3, 1], ["ibm,get-xive", 1, 3], ["ibm,int-off", 1, 1], ["ibm,int-on", 1, 1],
  ["check-exception", 6, 1], ["check-exception", 7, 1], ["event-scan", 4, 1],
  ["ibm,receive-hvpipe-msg", 2, 3], ["ibm,send-hvpipe-msg", 2, 1],
];

export interface Block {
  at: number;
  token: number;
  nargs: number;
  nret: number;
  cells: number[];
  list: bigint[];
  cpu: number;
  /** Payload the HMC sends first (so receive and the event log do real work), if any. */
  send: number | undefined;
}

export function address(rng: Rng, ram: number): number {
  switch (rng.below(4)) {
    case 0:
      return rng.pick([0, ARGS, LIST_BUF, DATA_BUF, 0x4000, ram - 4096, ram - 40, ram - 24, ram - 16, ram - 12, ram - 8,
        ram - 4, ram - 1, ram, ram + 4, ram + 4096, 0x7fffffff, 0x80000000, 0xfffff000, 0xfffffffc, 0xffffffff]);
    case 1:
      return (ram + rng.int(-256, 256)) >>> 0;
    default:
      return rng.u32();
  }
}

function cell(rng: Rng, ram: number): number {
  switch (rng.below(4)) {
    case 0:
      return address(rng, ram);
    case 1:
      return rng.int(0, 70);
    case 2:
      return rng.pick([20, 42, 48, 64, HMC1, HMC2, 0x02000099, 0x1000, 0x1002, 0x1fff, 0x2000, 0x500, 0x04000000,
        0xff, 2048, 4048, 4096, 4097, 12144]);
    default:
      return rng.u32();
  }
}

function listWord(rng: Rng, ram: number): bigint {
  if (rng.chance(0.5)) {
    return rng.pick([0n, 1n, 8n, 24n, 30n, 40n, 56n, 4048n, 4049n, 4096n, 4097n, BigInt(DATA_BUF), BigInt(ram - 10),
      BigInt(ram), (1n << 32n) + 24n, (1n << 64n) - 1n]);
  }
  return (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
}

export function randomBlock(rng: Rng, m: Machine, ram: number): Block {
  let token: number;
  let nargs: number;
  let nret: number;
  if (rng.chance(0.7)) {
    const [name, a, r] = rng.pick(SHAPES);
    [token, nargs, nret] = [m.tokens.tokenOf(name) ?? 0, a, r];
    // Now and then the right token with the wrong counts.
    if (rng.chance(0.15)) nargs = rng.int(0, 20);
    if (rng.chance(0.15)) nret = rng.int(0, 20);
  } else {
    const tokens = m.tokens.entries().map((e) => e.token);
    token = rng.chance(0.6) ? rng.pick(tokens) : rng.pick([0, 0xa, 0x1fff, 0x2000, 0x2030, 0xffffffff, rng.u32()]);
    nargs = rng.chance(0.9) ? rng.int(0, 20) : rng.u32();
    nret = rng.chance(0.9) ? rng.int(0, 20) : rng.u32();
  }
  const cells = Array.from({ length: 40 }, () => cell(rng, ram));
  let list: bigint[];
  if (rng.chance(0.5)) {
    list = Array.from({ length: 7 }, () => listWord(rng, ram));
  } else {
    // A plausible list: its length, then (address, length) pairs around the data area and the end of RAM.
    list = [rng.pick([24n, 40n, 56n])];
    for (let i = 0; i < 3; i++) {
      list.push(rng.pick([BigInt(DATA_BUF), 0x8000n, BigInt(ram - 100), BigInt(ram - 4096)]), rng.pick([1n, 17n, 100n, 2024n, 4048n, 4096n]));
    }
  }
  // Half the sends go to an attached HMC with the list written above.
  if (token === m.tokens.tokenOf("ibm,send-hvpipe-msg") && rng.chance(0.5)) cells.splice(0, 2, rng.pick([HMC1, HMC2]), LIST_BUF);
  return {
    at: rng.chance(0.75) ? ARGS : address(rng, ram),
    token, nargs, nret, cells, list,
    cpu: rng.below(3),
    send: rng.chance(0.3) ? rng.int(0, 4100) : undefined,
  };
}

/** Writes the list, then the block's words where they fall inside RAM. */
export function placeBlock(m: Machine, b: Block): void {
  b.list.forEach((w, i) => m.memory.view.setBigUint64(LIST_BUF + 8 * i, w, false));
  [b.token, b.nargs, b.nret, ...b.cells].forEach((w, i) => {
    const a = b.at + 4 * i;
    if (m.memory.contains(a, 4)) m.memory.setU32(a, w);
  });
}

/** §1.5: H_SUCCESS exactly when the whole block is in RAM, holds at most 16 cells and names a handler. */
export function blockIsValid(m: Machine, b: Block): boolean {
  return m.memory.contains(b.at, 12) && b.nargs + b.nret <= 16 && m.memory.contains(b.at, 12 + 4 * (b.nargs + b.nret)) &&
    m.tokens.lookup(b.token) !== undefined;
}
