// Short human forms of values for reports.
import { errnoName, HvpipeFlag, type HvpipeFlagName } from "../kernel-shim/uapi.js";

/** `-22` → `-1 EINVAL`-style: a syscall's result as strace prints it. */
export function errnoText(ret: number): string {
  if (ret >= 0) return String(ret);
  const name = errnoName(-ret);
  return name ? `-1 ${name}` : String(ret);
}

/** An HMC source id as every runner message prints it: `0x02000001` (8 hex digits). */
export function sourceIdText(id: number): string {
  return `0x${(id >>> 0).toString(16).padStart(8, "0")}`;
}

/** A payload as text when it is printable UTF-8, else as hex; long ones are cut. */
export function describeBytes(b: Uint8Array, max = 48): string {
  const printable = b.every((c) => c === 0x0a || c === 0x09 || (c >= 0x20 && c < 0x7f));
  if (printable && b.length > 0) {
    const text = new TextDecoder().decode(b.subarray(0, max));
    return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"${b.length > max ? `… (${b.length} bytes)` : ""}`;
  }
  const hex = Buffer.from(b.subarray(0, max / 2)).toString("hex");
  return `{hex: ${hex}${b.length > max / 2 ? "…" : ""}} (${b.length} bytes)`;
}

/** papr_hvpipe_hdr.flags by name; unknown bits as one hex number. */
export function flagNames(flags: number): string[] {
  const names = (Object.keys(HvpipeFlag) as HvpipeFlagName[]).filter((n) => flags & HvpipeFlag[n]);
  const unknown = flags & ~(HvpipeFlag.HVPIPE_MSG_AVAILABLE | HvpipeFlag.HVPIPE_LOST_CONNECTION);
  return unknown ? [...names, `0x${(unknown >>> 0).toString(16)}`] : names;
}
