// Payloads and numbers as a scenario writes them.
//
// Payload forms, anywhere a payload appears:
//   "text"                   the UTF-8 bytes of the text
//   {hex: "0a0b 0c"}         hex digits, whitespace between them allowed, no 0x, an even count
//   {size: N, fill: 0xAB}    N bytes of the fill byte (0..255, default 0)
// Every form is at most MAX_PAYLOAD_BYTES (1 MiB) long.
// Numbers: YAML integers (12, 0x02000001, 0o17, -2) and signed hex (-0x2).

import { isScalar } from "yaml";
import type { Located, NodeReader } from "./nodes.js";

/** Largest payload in any form (text, hex or size): 1 MiB, above anything the driver or the pipe takes. */
export const MAX_PAYLOAD_BYTES = 1048576;
/** All payload bytes of one scenario together (aliases count each time they are used). */
const MAX_SCENARIO_PAYLOAD_BYTES = 64 * 1048576;
/** Largest count a step may pass to read(2)/write(2) (a ssize_t the shim can return). */
export const MAX_IO_SIZE = 0x7fffffff;

const PAYLOAD_KEYS = ["hex", "size", "fill"] as const;
const PAYLOAD_FORMS = 'a string, {hex: "..."} or {size: N, fill: B}';
const utf8 = new TextEncoder();

const payloadBytes = new WeakMap<NodeReader, number>();

export function readPayload(r: NodeReader, v: Located): Uint8Array {
  const bytes = payloadOf(r, v);
  const total = (payloadBytes.get(r) ?? 0) + bytes.length;
  if (total > MAX_SCENARIO_PAYLOAD_BYTES) r.fail(v, `the payloads of this scenario add up to more than ${MAX_SCENARIO_PAYLOAD_BYTES} bytes`);
  payloadBytes.set(r, total);
  return bytes;
}

function payloadOf(r: NodeReader, v: Located): Uint8Array {
  if (r.isMap(v)) {
    const fields = r.map(v, PAYLOAD_KEYS, "payload key", PAYLOAD_FORMS);
    const hex = fields.get("hex");
    if (hex !== undefined) {
      for (const other of ["size", "fill"]) {
        const f = fields.get(other);
        if (f !== undefined) r.source.fail(f.keyOffset, f.path, `"${other}" cannot be combined with "hex" in a payload`);
      }
      return hexBytes(r, hex);
    }
    const size = fields.get("size");
    if (size === undefined) r.fail(v, `a payload map needs "hex" or "size" (forms: ${PAYLOAD_FORMS})`);
    const n = r.integer(size, `an integer from 0 to ${MAX_PAYLOAD_BYTES}`, 0, MAX_PAYLOAD_BYTES);
    const fill = fields.get("fill");
    const byte = fill === undefined ? 0 : r.integer(fill, "a byte value from 0 to 255", 0, 255);
    return new Uint8Array(n).fill(byte);
  }
  const text = r.scalar(v);
  if (typeof text !== "string") r.expected(v, PAYLOAD_FORMS);
  const bytes = text.length > MAX_PAYLOAD_BYTES ? undefined : utf8.encode(text);
  if (bytes === undefined || bytes.length > MAX_PAYLOAD_BYTES) r.fail(v, `a text payload is at most ${MAX_PAYLOAD_BYTES} bytes (UTF-8)`);
  return bytes;
}

/** The bytes of a `hex:` value. A plain scalar YAML read as a number (`0102`, `1e10`) is taken as written. */
function hexBytes(r: NodeReader, v: Located): Uint8Array {
  const node = r.node(v);
  let text: string | undefined;
  if (isScalar(node)) {
    if (typeof node.value === "string") text = node.value;
    else if (node.type === "PLAIN" && typeof node.value === "number" && node.source !== undefined) text = node.source;
  }
  if (text === undefined) r.expected(v, "a string of hex digits");
  const digits = text.replace(/\s+/g, "");
  if (/^0x/i.test(digits)) r.fail(v, `"${v.label}" must be hex digits without a 0x prefix`);
  const bad = /[^0-9a-fA-F]/.exec(digits);
  if (bad) r.fail(v, `"${v.label}" must contain only hex digits and whitespace, found ${JSON.stringify(bad[0])}`);
  if (digits.length % 2 !== 0) r.fail(v, `"${v.label}" has an odd number of hex digits (${digits.length})`);
  if (digits.length > 2 * MAX_PAYLOAD_BYTES) r.fail(v, `"${v.label}" is ${digits.length / 2} bytes, more than the ${MAX_PAYLOAD_BYTES} a payload may have`);
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** A u32 id (HMC source id, ioctl argument). A negative value (-2^31..-1) stands for its 32-bit two's complement. */
export function readU32(r: NodeReader, v: Located): number {
  return r.integer(v, "a 32-bit integer (0..0xffffffff, or -2147483648..-1)", -0x80000000, 0xffffffff) >>> 0;
}

/** An RTAS status: a signed 32-bit integer (e.g. -2, 9900, -1). */
export function readStatus(r: NodeReader, v: Located): number {
  return r.integer(v, "a signed 32-bit integer", -0x80000000, 0x7fffffff);
}

/** A byte count for read(2)/write(2). */
export function readSize(r: NodeReader, v: Located): number {
  return r.integer(v, `a non-negative integer (at most ${MAX_IO_SIZE})`, 0, MAX_IO_SIZE);
}

/** Vendor prefixes of RTAS names: alone, they are what YAML leaves of `ibm,foo` in [...] or {...}. */
const RTAS_VENDORS = ["ibm", "qemu", "slof", "linux", "chrp"];
export const RTAS_NAME = /^(?:[a-z0-9]+,)?[a-z0-9][a-z0-9-]*$/;

/** An RTAS function name (`ibm,send-hvpipe-msg`, `event-scan`). */
export function readRtasName(r: NodeReader, v: Located): string {
  const name = r.string(v, "an RTAS function name");
  if (RTAS_VENDORS.includes(name)) {
    r.fail(v, `"${name}" is not an RTAS function name; a comma ends a value inside [...] or {...}, so quote names like "ibm,send-hvpipe-msg" there`);
  }
  if (!RTAS_NAME.test(name)) r.expected(v, "an RTAS function name (like ibm,send-hvpipe-msg or event-scan)");
  return name;
}
