// Where every payload the driver took from the hypervisor went. A receive acknowledges the payload
// to its source, so each one must reach the user of its own source's handle, or leave through one
// of the driver's own drop paths (the drain for unclaimed sources, the drain at close, a copy
// fault reported as -EFAULT). Anything else is a lost message, reported instead of passing silently.
import { hex } from "../../hex.js";
import { Errno, HVPIPE_HDR_LEN } from "../../uapi.js";

export type ConsumePath = "read" | "drain-unclaimed" | "drain-release";

export interface Consumed {
  /** Source id the firmware returned with the data (the driver itself ignores it). */
  firmwareSrc: number;
  /** Bytes the firmware wrote. */
  length: number;
  /** Bytes that reached user memory. */
  copied: number;
  path: ConsumePath;
  /** The handle's source, on the read path. */
  handleSrc?: number;
  /** What read() returned to user space. */
  userRet?: number;
}

export class PayloadLedger {
  readonly entries: (Consumed & { verdict: string })[] = [];
  private lost: string[] = [];

  /** Records a consumed payload; returns the verdict ("ok: …" or "lost: …"). */
  consumed(c: Consumed): string {
    const verdict = this.judge(c);
    this.entries.push({ ...c, verdict });
    if (verdict.startsWith("lost")) this.lost.push(`${verdict}`);
    return verdict;
  }

  /** Lost messages found since the last call. */
  takeLost(): string[] {
    const out = this.lost;
    this.lost = [];
    return out;
  }

  private judge(c: Consumed): string {
    const what = `payload of ${c.length} bytes from ${hex(c.firmwareSrc)}`;
    // A pipe message has at least one byte: a successful receive of 0 bytes handed nothing over
    // (a hypervisor answering an empty pipe with success), so nothing can be lost.
    if (c.length === 0) return `ok: the receive handed over no payload (0 bytes from ${hex(c.firmwareSrc)})`;
    if (c.path !== "read") return `ok: ${what} dropped by the driver (${c.path})`;
    if (c.handleSrc !== undefined && c.handleSrc !== c.firmwareSrc) {
      return `lost: ${what} was read through the handle of ${hex(c.handleSrc)}`;
    }
    const ret = c.userRet ?? 0;
    if (ret === -Errno.EFAULT) return `ok: ${what} consumed, read reported EFAULT`;
    if (ret >= HVPIPE_HDR_LEN && c.copied === ret - HVPIPE_HDR_LEN) {
      return c.copied === c.length ? `ok: ${what} delivered` : `ok: ${what} truncated to ${c.copied} bytes by the reader's buffer`;
    }
    return `lost: ${what} acknowledged to the hypervisor, ${c.copied} bytes reached user space and read returned ${ret}`;
  }
}
