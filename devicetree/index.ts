// Public API of the device tree module: model, DTB decode/encode, DTS printing.

export { DtError, FdtFormatError } from "./errors.js";
export { DeviceTree, DtNode } from "./model.js";
export type { DeviceTreeInit, DtProperty, LookupOptions, MemoryReservation } from "./model.js";
export type { FdtBlock, FdtHeader, FdtLayout } from "./layout.js";
export { decodeFdt } from "./fdt-decode.js";
export { encodeFdt } from "./fdt-encode.js";
export type { EncodeOptions } from "./fdt-encode.js";
export { printDts, printProperty } from "./dts-print.js";
export { KNOWN_PROPERTY_KINDS, guessKind, propertyKind } from "./property-types.js";
export type { PropertyKind } from "./property-types.js";
export {
  FDT_BEGIN_NODE,
  FDT_END,
  FDT_END_NODE,
  FDT_HEADER_SIZE,
  FDT_LAST_COMP_VERSION,
  FDT_MAGIC,
  FDT_NOP,
  FDT_PROP,
  FDT_VERSION,
} from "./fdt-format.js";
