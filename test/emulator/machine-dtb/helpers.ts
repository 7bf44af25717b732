// Test helpers for booting from an existing blob: the QEMU 7.2 pseries fixture, variants of it,
// and dtc's verdict on a blob.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeFdt, encodeFdt, type DeviceTree, type DtNode } from "../../../devicetree/index.js";

export const QEMU_DTB_PATH = new URL("../../fixtures/dt/qemu-7.2-pseries.dtb", import.meta.url).pathname;
export const QEMU_DTB = new Uint8Array(readFileSync(QEMU_DTB_PATH));

/** The fixture, decoded, changed by `edit` and encoded again. */
export function qemuVariant(edit: (t: DeviceTree) => void): Uint8Array {
  const t = decodeFdt(QEMU_DTB);
  edit(t);
  return encodeFdt(t, { layout: null });
}

export function node(t: DeviceTree, path: string): DtNode {
  const n = t.lookup(path, { exact: true });
  if (!n) throw new Error(`test: no node ${path}`);
  return n;
}

/** `dtc -I dtb -O dts` on a blob: exit status and stderr. */
export function dtcDecompile(blob: Uint8Array): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "papr-emu-dtb-"));
  try {
    const file = join(dir, "in.dtb");
    writeFileSync(file, blob);
    const r = spawnSync("dtc", ["-I", "dtb", "-O", "dts", "-o", join(dir, "out.dts"), file], { encoding: "utf8" });
    if (r.error) throw r.error;
    return { status: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every (path, property) → hex value of a tree. */
export function propertyMap(t: DeviceTree): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of t.root.walk()) {
    const base = n.path === "/" ? "" : n.path;
    for (const p of n.properties) out.set(`${base}/${p.name}`, Buffer.from(p.value).toString("hex"));
  }
  return out;
}

export function nodePaths(t: DeviceTree): string[] {
  return [...t.root.walk()].map((n) => n.path);
}
