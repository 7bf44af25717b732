// The partition's one hypervisor pipe, shared by every source: a FIFO of inbound payloads (kept
// in the hot-path module's memory), exactly one announced at a time until the partition has
// received it, and the outbound path to the HMCs (spec/hvpipe-driver.md §1, §10).
import type { EventQueue, PendingEvent } from "../events.js";
import { EVENT_CLASSES } from "../events.js";
import type { GuestMemory } from "../guest-memory.js";
import type { HotPath } from "../hotpath.js";
import type { Policy } from "../policy.js";
import { RtasStatus, type RtasCall, type RtasFunction } from "../rtas/types.js";
import { HmcSources, hex } from "./sources.js";

export const HVPIPE_EVENT_MSG_AVAILABLE = 0x01;
export const HVPIPE_EVENT_LOST_CONNECTION = 0x02;
/** One send buffer is one 4 KiB page. */
export const HVPIPE_BUFFER_SIZE = 4096;

export interface DroppedPayload {
  source: number;
  length: number;
  reason: string;
}

export interface PipeClock {
  /** Emulated wall-clock time in milliseconds since the epoch (for the Main-A timestamp). */
  nowMs(): number;
}

export class HvpipePipe {
  /** System parameter 64: the OS wants pipe events. */
  private enabled = false;
  /** The FIFO head has an event queued or taken; no other payload is announced until it is received. */
  private headAnnounced = false;
  /** The head's announcement while it is still queued (not yet taken by check-exception). */
  private announcement: PendingEvent | null = null;
  private plid = 0;
  readonly sources: HmcSources;
  readonly dropped: DroppedPayload[] = [];
  /** Payloads the partition has received, per source. */
  readonly deliveredToPartition = new Map<number, number>();

  constructor(
    private readonly hot: HotPath,
    private readonly memory: GuestMemory,
    private readonly events: EventQueue,
    private readonly policy: Policy,
    private readonly clock: PipeClock,
    sourceIds: readonly number[],
  ) {
    this.sources = new HmcSources(sourceIds);
  }

  // ---- the OS side: system parameter 64 ----

  isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.announceHead();
  }

  // ---- the outside world ----

  /** An HMC sends a payload to the partition. Throws when the HMC cannot (unknown, closed, too big, pipe full). */
  hmcSend(sourceId: number, payload: Uint8Array): void {
    const src = this.sources.require(sourceId);
    if (!src.connected) throw new Error(`HMC source ${hex(sourceId)} is not connected (hmc-open it first)`);
    const limit = this.policy["payload-limit"];
    if (payload.length === 0 || payload.length > limit) {
      throw new Error(`payload of ${payload.length} bytes: the pipe carries 1 to ${limit} bytes (policy payload-limit)`);
    }
    const at = this.hot.exports.fifoReserve() >>> 0;
    if (at === 0) throw new Error(`the pipe already holds ${this.policy["fifo-depth"]} payloads (policy fifo-depth): the HMC's send is refused`);
    this.hot.bytes.set(payload, at);
    this.hot.exports.fifoCommit(src.id, payload.length);
    src.sentCount++;
    this.announceHead();
  }

  /** The pipe to a source is lost: sends to it fail with -4 and the partition is told. */
  hmcClose(sourceId: number): void {
    const src = this.sources.require(sourceId);
    src.connected = false;
    if (this.enabled) this.events.post(this.pipeEvent(src.id, HVPIPE_EVENT_LOST_CONNECTION));
  }

  hmcOpen(sourceId: number): void {
    this.sources.add(sourceId).connected = true;
  }

  /** Live migration: the partition comes back on a new pipe. */
  migrate(): void {
    this.events.withdraw((e) => e.eventClass === EVENT_CLASSES.hvpipe);
    this.announcement = null;
    this.headAnnounced = false;
    if (this.policy["migration-pending"] === "discard") {
      while (this.hot.exports.fifoCount() > 0) this.dropHead("discarded by migration (new pipe)");
    }
    this.announceHead();
  }

  // ---- RTAS ----

  rtasFunctions(): RtasFunction[] {
    return [
      { name: "ibm,receive-hvpipe-msg", token: 0x202e, handler: (c) => this.receive(c), writesRets: true },
      { name: "ibm,send-hvpipe-msg", token: 0x202f, handler: (c) => this.send(c), writesRets: true },
    ];
  }

  /** args: (buffer, size); rets: (status, source id, bytes written). */
  private receive(call: RtasCall): void {
    const rets = call.argsAddr + 12 + 4 * call.nargs;
    if (call.nargs !== 2 || call.nret !== 3) return this.status(rets, call.nret, RtasStatus.PARAM_ERROR);
    if (!this.headAnnounced || this.hot.exports.fifoCount() === 0) {
      if (this.policy["receive-when-empty"] === "empty-success") {
        this.memory.setU32(rets, RtasStatus.SUCCESS);
        this.memory.setU32(rets + 4, 0);
        return this.memory.setU32(rets + 8, 0);
      }
      return this.status(rets, call.nret, RtasStatus.HARDWARE_ERROR);
    }
    const source = this.hot.exports.fifoSource(0) >>> 0;
    if (this.hot.exports.receiveCall(call.argsAddr) !== RtasStatus.SUCCESS) return;
    this.deliveredToPartition.set(source, (this.deliveredToPartition.get(source) ?? 0) + 1);
    // A receive before check-exception took the announcement makes it stale: it named this payload.
    if (this.announcement) this.events.withdraw((e) => e === this.announcement);
    this.announcement = null;
    this.headAnnounced = false;
    this.announceHead();
  }

  /** args: (source id, buffer-list address); rets: (status). */
  private send(call: RtasCall): void {
    const rets = call.argsAddr + 12 + 4 * call.nargs;
    if (call.nargs !== 2 || call.nret !== 1) return this.status(rets, call.nret, RtasStatus.PARAM_ERROR);
    const length = this.hot.exports.sendGather(call.argsAddr, this.policy["buffer-list-entries"], HVPIPE_BUFFER_SIZE);
    if (length < 0) return this.status(rets, 1, length);
    const src = this.sources.get(call.args[0]!);
    if (!src) {
      const unknown = this.policy["send-to-unknown-source"] === "closed" ? RtasStatus.HVPIPE_CLOSED : RtasStatus.PARAM_ERROR;
      return this.status(rets, 1, unknown);
    }
    if (!src.connected) return this.status(rets, 1, RtasStatus.HVPIPE_CLOSED);
    const out = this.hot.exports.outboundAddr() >>> 0;
    src.received.push(this.hot.bytes.slice(out, out + length));
    this.status(rets, 1, RtasStatus.SUCCESS);
  }

  private status(rets: number, nret: number, status: number): void {
    if (nret >= 1 && this.memory.contains(rets, 4)) this.memory.setU32(rets, status);
  }

  // ---- announcing ----

  private announceHead(): void {
    if (!this.enabled || this.headAnnounced || this.hot.exports.fifoCount() === 0) return;
    this.headAnnounced = true;
    const event = this.pipeEvent(this.hot.exports.fifoSource(0) >>> 0, HVPIPE_EVENT_MSG_AVAILABLE, () => {
      this.announcement = null;
    });
    this.announcement = event;
    this.events.post(event);
  }

  private pipeEvent(source: number, eventType: number, taken?: () => void): PendingEvent {
    const withMain = this.policy["event-log"] === "with-main-sections" ? 1 : 0;
    const plid = ++this.plid;
    const kind = eventType === HVPIPE_EVENT_MSG_AVAILABLE ? "message available" : "lost connection";
    return {
      eventClass: EVENT_CLASSES.hvpipe,
      description: `hvpipe ${kind} from ${hex(source)}`,
      write: (buf, len) => {
        const [date, time] = bcdTimestamp(this.clock.nowMs());
        return this.hot.exports.writeEventLog(buf, len, source, eventType, withMain, plid, date, time) >= 0;
      },
      delivered: taken,
    };
  }

  private dropHead(reason: string): void {
    this.dropped.push({ source: this.hot.exports.fifoSource(0) >>> 0, length: this.hot.exports.fifoLength(0), reason });
    this.hot.exports.fifoDropHead();
  }

  // ---- inspection ----

  inspect(): PipeState {
    const e = this.hot.exports;
    const queued: QueuedPayload[] = [];
    for (let i = 0; i < e.fifoCount(); i++) {
      queued.push({ source: e.fifoSource(i) >>> 0, length: e.fifoLength(i), announced: i === 0 && this.headAnnounced });
    }
    return {
      enabled: this.enabled,
      queued,
      sources: this.sources.all().map((s) => ({
        id: s.id, connected: s.connected, sent: s.sentCount, received: s.received.length,
        receivedByPartition: this.deliveredToPartition.get(s.id) ?? 0,
      })),
      dropped: [...this.dropped],
    };
  }

  /** The bytes of a queued payload (for inspection; not on the hot path). */
  queuedPayload(i: number): Uint8Array {
    const at = this.hot.exports.fifoPayloadAddr(i) >>> 0;
    return this.hot.bytes.slice(at, at + this.hot.exports.fifoLength(i));
  }
}

export interface QueuedPayload {
  source: number;
  length: number;
  announced: boolean;
}

export interface PipeState {
  enabled: boolean;
  queued: QueuedPayload[];
  sources: { id: number; connected: boolean; sent: number; received: number; receivedByPartition: number }[];
  dropped: DroppedPayload[];
}

/** Main-A creation date and time as BCD words: YYYYMMDD and HHMMSS00 (UTC). */
export function bcdTimestamp(ms: number): [number, number] {
  const d = new Date(ms);
  const bcd = (digits: string): number => parseInt(digits, 16);
  const p2 = (n: number): string => String(n).padStart(2, "0");
  const date = bcd(`${String(d.getUTCFullYear()).padStart(4, "0")}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}`);
  const time = bcd(`${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}00`);
  return [date >>> 0, time >>> 0];
}
