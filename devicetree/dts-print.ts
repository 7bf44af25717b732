// DeviceTree → DTS source that dtc 1.6.1 compiles back to the same tree. Two things a DTS
// cannot carry: boot_cpuid_phys (dtc takes it from -b) and `name` properties, which dtc
// drops on input when they equal the node's name (they are printed anyway, as found).

import type { DeviceTree, DtNode } from "./model.js";
import { propertyKind } from "./property-types.js";

/**
 * Indentation stops growing at this depth: whitespace means nothing to dtc, and a tab per level
 * would make a 30,000-deep blob depth²/2 characters of DTS (issue 14).
 */
const DTS_MAX_INDENT = 32;
const INDENTS = Array.from({ length: DTS_MAX_INDENT + 2 }, (_, i) => "\t".repeat(i));

export function printDts(tree: DeviceTree): string {
  const out: string[] = ["/dts-v1/;", ""];
  for (const r of tree.reservations) out.push(`/memreserve/ ${hex64(r.address)} ${hex64(r.size)};`);
  if (tree.reservations.length > 0) out.push("");
  // Explicit stack: each node is visited to open it, then again to close it.
  // Paths are built on the way down: DtNode.path would walk up from every node again.
  const stack: Array<{ node: DtNode; path: string; depth: number; open: boolean; gap?: boolean }> = [
    { node: tree.root, path: "/", depth: 0, open: false },
  ];
  while (stack.length > 0) {
    const top = stack.pop()!;
    const indent = INDENTS[Math.min(top.depth, DTS_MAX_INDENT)]!;
    if (top.open) {
      out.push(`${indent}};`);
      continue;
    }
    const node = top.node;
    // Like dtc: a blank line before a node that follows properties or a sibling.
    if (top.gap) out.push("");
    out.push(`${indent}${node === tree.root ? "/" : node.name} {`);
    const path = top.path;
    for (const p of node.properties) out.push(`${INDENTS[Math.min(top.depth + 1, DTS_MAX_INDENT)]}${printProperty(path, p.name, p.value)}`);
    stack.push({ ...top, open: true });
    for (let i = node.children.length - 1; i >= 0; i--) {
      const gap = i > 0 || node.properties.length > 0;
      const child = node.children[i]!;
      const childPath = (path === "/" ? "/" : path + "/") + child.name;
      stack.push({ node: child, path: childPath, depth: top.depth + 1, open: false, gap });
    }
  }
  return out.join("\n") + "\n";
}

/** One `name = value;` line without indentation. */
export function printProperty(nodePath: string, name: string, value: Uint8Array): string {
  switch (propertyKind(nodePath, name, value)) {
    case "empty":
      return `${name};`;
    case "cells":
      return `${name} = <${cells(value).join(" ")}>;`;
    case "strings":
      return `${name} = ${splitStrings(value).map(quote).join(", ")};`;
    case "bytes":
      return `${name} = [${Array.from(value, (b) => b.toString(16).padStart(2, "0")).join(" ")}];`;
  }
}

function cells(v: Uint8Array): string[] {
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  const out: string[] = [];
  for (let i = 0; i < v.length; i += 4) out.push(`0x${dv.getUint32(i).toString(16)}`);
  return out;
}

/** The strings of a NUL-terminated list, as byte arrays (escaping works on bytes, not UTF-8). */
function splitStrings(v: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === 0) {
      out.push(v.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

const ESCAPES: Record<number, string> = { 0x5c: "\\\\", 0x22: '\\"', 0x0a: "\\n", 0x09: "\\t", 0x0d: "\\r" };

function quote(s: Uint8Array): string {
  let out = '"';
  for (const b of s) {
    const esc = ESCAPES[b];
    if (esc) out += esc;
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return out + '"';
}

function hex64(v: bigint): string {
  // Two u32 halves: number formatting is several times faster than BigInt's for a million entries.
  const hi = Number(v >> 32n);
  const lo = Number(v & 0xffffffffn);
  return `0x${hi.toString(16).padStart(8, "0")}${lo.toString(16).padStart(8, "0")}`;
}
