// Test-only helpers for the devicetree tests: running dtc, comparing trees structurally, and a
// tiny writer that lays a blob out the way libfdt's sequential-write API does (as QEMU uses it).

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeFdt, FdtFormatError, type DeviceTree, type DtNode } from "../../devicetree/index.js";

export interface DtcResult {
  dtb: Uint8Array;
  stderr: string;
}

/** `dtc -I <in> -O dtb` on `source` in a temporary directory; throws if dtc fails. */
export function dtc(source: string | Uint8Array, inputFormat: "dts" | "dtb" = "dts", extra: string[] = []): DtcResult {
  const dir = mkdtempSync(join(tmpdir(), "papr-dt-"));
  try {
    const input = join(dir, `in.${inputFormat}`);
    const output = join(dir, "out.dtb");
    writeFileSync(input, source);
    const stderrFile = join(dir, "stderr");
    execFileSync("sh", ["-c", `dtc -I ${inputFormat} -O dtb ${extra.join(" ")} -o "${output}" "${input}" 2>"${stderrFile}"`]);
    return { dtb: new Uint8Array(readFileSync(output)), stderr: readFileSync(stderrFile, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface NodeShape {
  name: string;
  props: Array<[string, string]>;
  children: NodeShape[];
}

/** A plain, comparable picture of a tree; `dropName` leaves out `name` properties (dtc drops them). */
export function shape(tree: DeviceTree, opts: { dropName?: boolean } = {}): {
  reservations: Array<[string, string]>;
  bootCpuId: number;
  root: NodeShape;
} {
  const node = (n: DtNode): NodeShape => ({
    name: n.name,
    props: n.properties
      .filter((p) => !(opts.dropName && p.name === "name"))
      .map((p) => [p.name, Buffer.from(p.value).toString("hex")]),
    children: n.children.map(node),
  });
  return {
    reservations: tree.reservations.map((r) => [r.address.toString(16), r.size.toString(16)]),
    bootCpuId: tree.bootCpuId,
    root: node(tree.root),
  };
}

export function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

/**
 * Lays `tree` out like libfdt's fdt_create/…/fdt_finish: header, reservation map at 0x28,
 * structure block, then the strings block — which libfdt grows downwards, so the newest name
 * comes first and a name is found anywhere in the table built so far (also as a suffix).
 * `freeSpace` bytes of zeros after the strings block model a buffer opened larger than
 * needed (totalsize then covers them, as after fdt_open_into). Nodes and properties are
 * written in tree order.
 */
export function libfdtSequentialWrite(tree: DeviceTree, freeSpace = 0): Uint8Array {
  let table = ""; // latin1, lowest address first
  const struct: number[] = [];
  const u32 = (v: number): void => {
    struct.push(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  };
  const pad = (): void => {
    while (struct.length % 4) struct.push(0);
  };
  // Index in `struct` of each nameoff cell, and its offset from the (final) table end.
  const fixups: Array<[number, number]> = [];
  const findAdd = (name: string): number => {
    const key = name + "\0";
    const at = table.indexOf(key);
    if (at >= 0) return at - table.length;
    table = key + table;
    return -table.length;
  };
  const walk = (n: DtNode): void => {
    u32(1);
    for (const ch of Buffer.from(n.name, "latin1")) struct.push(ch);
    struct.push(0);
    pad();
    for (const p of n.properties) {
      u32(3);
      u32(p.value.length);
      fixups.push([struct.length, findAdd(p.name)]);
      u32(0);
      for (const b of p.value) struct.push(b);
      pad();
    }
    n.children.forEach(walk);
    u32(2);
  };
  walk(tree.root);
  u32(9);

  const rsv = (tree.reservations.length + 1) * 16;
  const offStruct = 0x28 + rsv;
  const offStrings = offStruct + struct.length;
  const total = offStrings + table.length + freeSpace;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  [0xd00dfeed, total, offStruct, offStrings, 0x28, 17, 16, tree.bootCpuId, table.length, struct.length].forEach((v, i) =>
    dv.setUint32(i * 4, v),
  );
  tree.reservations.forEach((r, i) => {
    dv.setBigUint64(0x28 + i * 16, r.address);
    dv.setBigUint64(0x28 + i * 16 + 8, r.size);
  });
  out.set(struct, offStruct);
  for (const [at, neg] of fixups) dv.setUint32(offStruct + at, table.length + neg);
  out.set(Buffer.from(table, "latin1"), offStrings);
  return out;
}

/** The FdtFormatError decoding `blob` raises (a blob that decodes, or any other error, fails the test). */
export function decodeFailure(blob: Uint8Array): FdtFormatError {
  try {
    decodeFdt(blob);
  } catch (e) {
    if (e instanceof FdtFormatError) return e;
    throw e;
  }
  throw new Error("decoded without error");
}
