// A DTB stores property values as bare bytes; printing DTS needs to know what they mean.
// Known names come from this table; the rest are guessed from the bytes. Whatever the choice,
// the printed form encodes the same bytes: a kind that does not fit the value falls back.

export type PropertyKind = "empty" | "cells" | "strings" | "bytes";

const CELLS = [
  "reg",
  "#address-cells",
  "#size-cells",
  "#interrupt-cells",
  "interrupts",
  "interrupt-ranges",
  "interrupt-parent",
  "interrupt-map",
  "interrupt-map-mask",
  "ranges",
  "phandle",
  "linux,phandle",
  "ibm,interrupt-server-ranges",
  "ibm,ppc-interrupt-server#s",
  "ibm,ppc-interrupt-gserver#s",
  "rtas-size",
  "rtas-error-log-max",
  "rtas-event-scan-rate",
  "rtas-version",
  "ibm,lrdr-capacity",
  "ibm,associativity",
  "ibm,associativity-reference-points",
  "ibm,max-associativity-domains",
  "ibm,my-drc-index",
  "ibm,drc-indexes",
  "ibm,drc-power-domains",
  "ibm,pft-size",
  "ibm,segment-page-sizes",
  "ibm,processor-segment-sizes",
  "ibm,chip-id",
  "clock-frequency",
  "timebase-frequency",
  "cpu-version",
];

const STRINGS = [
  "compatible",
  "model",
  "device_type",
  "name",
  "status",
  "bootargs",
  "stdout-path",
  "linux,stdout-path",
  "ibm,hypertas-functions",
  "qemu,hypertas-functions",
  "ibm,loc-code",
  "vm,uuid",
];

const BYTES = [
  "ibm,arch-vec-5-platform-support",
  "ibm,numa-distance-table",
  "ibm,architecture-vec-5",
  "ibm,pa-features",
  // PAPR's count-prefixed string lists: a u32 count, then the strings.
  "ibm,drc-names",
  "ibm,drc-types",
  "rng-seed",
];

const EMPTY = ["interrupt-controller", "ibm,extended-os-term", "ibm,change-msix-capable", "64-bit"];

/** The declared kind of well-known properties, by name. */
export const KNOWN_PROPERTY_KINDS: ReadonlyMap<string, PropertyKind> = new Map<string, PropertyKind>([
  ...CELLS.map((n) => [n, "cells"] as const),
  ...STRINGS.map((n) => [n, "strings"] as const),
  ...BYTES.map((n) => [n, "bytes"] as const),
  ...EMPTY.map((n) => [n, "empty"] as const),
]);

/**
 * How to print property `name` of the node at `nodePath` holding `value`: the table first; any
 * other 4-byte /rtas property is an RTAS token (cells); otherwise a guess from the bytes.
 */
export function propertyKind(nodePath: string, name: string, value: Uint8Array): PropertyKind {
  if (value.length === 0) return "empty";
  const known = KNOWN_PROPERTY_KINDS.get(name) ?? (nodePath === "/rtas" && value.length === 4 ? "cells" : undefined);
  if (known === "cells" && value.length % 4 === 0) return "cells";
  if (known === "strings" && value[value.length - 1] === 0) return "strings";
  if (known === "bytes") return "bytes";
  if (known !== undefined) return "bytes"; // declared kind does not fit these bytes
  return guessKind(value);
}

/** Printable NUL-terminated strings → strings; else a multiple of 4 → cells; else bytes. */
export function guessKind(value: Uint8Array): PropertyKind {
  if (value.length === 0) return "empty";
  if (isPrintableStringList(value)) return "strings";
  return value.length % 4 === 0 ? "cells" : "bytes";
}

function isPrintableStringList(v: Uint8Array): boolean {
  if (v[v.length - 1] !== 0 || v[0] === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const b = v[i]!;
    if (b === 0) {
      if (v[i - 1] === 0) return false; // an empty string in the list looks like binary data
    } else if (b < 0x20 || b > 0x7e) {
      return false;
    }
  }
  return true;
}
