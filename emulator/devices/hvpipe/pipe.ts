// The partition's one hypervisor pipe, shared by every source: a FIFO of inbound payloads (kept
// in the hot-path module's memory), exactly one thing announced at a time until the partition has
// taken it, HMC outboxes for back-pressure, and the outbound path to the HMCs
// (spec/hvpipe-driver.md §1, §10; the policies are in ./policies.ts and docs/policies.md).
import type { HotPath } from "../../hotpath.js";
import { OutsideWorldRefusal } from "../../outside/refusal.js";
import { RtasStatus, type RtasCall, type RtasFunction } from "../../rtas/types.js";
import { formatSourceId as hex } from "../../source-id.js";
import type { EventQueue, PendingEvent } from "../events/queue.js";
import { EVENT_CLASSES } from "../events/queue.js";
import { HVPIPE_EVENT_LOST_CONNECTION, HVPIPE_EVENT_MSG_AVAILABLE, HvpipeEventLog, type PipeClock } from "./event-log.js";
import { HVPIPE_BUFFER_SIZE, MIGRATION_SOURCE_INDEX_OFFSET, type HvpipePolicy } from "./policies.js";
import { HmcSources, type HmcSource } from "./sources.js";
import type { DroppedPayload, MigrationRecord, PipeState, UnknownSourceState } from "./state.js";

const LOST_CONNECTION_DROP = "lost connection: the HMC's waiting payloads are discarded";
const MIGRATION_DROP = "discarded by migration (new pipe)";
const MIGRATION_NOTICE_DROP = "lost-connection notice of the old pipe, discarded by migration";

/** A lost connection queued in the pipe (policy lost-connection-blocks: true). */
interface LostNotice {
  source: HmcSource;
  /** Payloads in the FIFO ahead of it. */
  ahead: number;
}

type Announced = { kind: "payload"; taken: boolean } | { kind: "lost-connection"; notice: LostNotice };

export class HvpipePipe {
  /** System parameter 64: the OS wants pipe events. */
  private enabled = false;
  /** What is announced and not yet received (payload) or taken (lost connection); nothing else is announced meanwhile. */
  private announced: Announced | null = null;
  /** The announcement's event while it is still queued (not yet taken by check-exception). */
  private announcement: PendingEvent | null = null;
  private readonly notices: LostNotice[] = [];
  private readonly log: HvpipeEventLog;
  readonly sources: HmcSources;
  readonly dropped: DroppedPayload[] = [];
  readonly migrations: MigrationRecord[] = [];
  private readonly unknownSends = new Map<number, UnknownSourceState["refused"]>();

  constructor(
    private readonly hot: HotPath,
    private readonly events: EventQueue,
    private readonly policy: HvpipePolicy,
    clock: PipeClock,
    sourceIds: readonly number[],
  ) {
    this.sources = new HmcSources(sourceIds);
    this.log = new HvpipeEventLog(hot, policy, clock);
  }

  // ---- the OS side: system parameter 64 ----

  isEnabled(): boolean {
    return this.enabled;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.announceNext();
  }

  // ---- the outside world ----

  /**
   * An HMC sends a payload to the partition. It enters the pipe, or waits in the HMC's outbox while
   * the pipe is full (policy fifo-depth) or, with source-in-flight 1, while its previous payload is
   * not yet received, and enters in global send order as receives free slots.
   * Refuses (OutsideWorldRefusal), changing nothing, when the HMC cannot send (unknown, closed, size, outbox full).
   */
  hmcSend(sourceId: number, payload: Uint8Array): void {
    const src = this.sources.require(sourceId);
    if (!src.connected) throw new OutsideWorldRefusal("not-connected", `HMC source ${hex(sourceId)} is not connected (hmc-open it first)`);
    const limit = this.policy["payload-limit"];
    if (payload.length === 0 || payload.length > limit) {
      throw new OutsideWorldRefusal("payload-size", `payload of ${payload.length} bytes: the pipe carries 1 to ${limit} bytes (policy payload-limit)`);
    }
    if (this.sources.oldestWaiting(this.mayEnter) === undefined && this.mayEnter(src) && this.enqueue(src.id, payload)) {
      src.sentCount++;
      return this.announceNext();
    }
    const depth = this.policy["hmc-queue-depth"];
    if (src.outbox.length >= depth) {
      throw new OutsideWorldRefusal("pipe-full", `the pipe is full (policy fifo-depth ${this.policy["fifo-depth"]}) and HMC source ${hex(src.id)} ` +
        `already holds ${depth} payloads waiting for it (policy hmc-queue-depth): the HMC's send is refused`);
    }
    this.sources.hold(src, payload);
    src.sentCount++;
  }

  /** The pipe to a source is lost: sends to it answer -4, its outbox is discarded and the partition is told. */
  hmcClose(sourceId: number): void {
    const src = this.sources.require(sourceId);
    if (!src.connected) return;
    src.connected = false;
    src.lostConnections++;
    for (const w of src.outbox.splice(0)) this.dropped.push({ source: src.id, length: w.bytes.length, reason: LOST_CONNECTION_DROP });
    if (this.policy["lost-connection-blocks"]) {
      this.notices.push({ source: src, ahead: this.hot.exports.fifoCount() });
      this.announceNext();
    } else if (this.enabled) {
      this.events.post(this.log.event(src.id, HVPIPE_EVENT_LOST_CONNECTION));
    }
  }

  /** (Re)connects a source, attaching a new HMC if the id is not known. */
  hmcOpen(sourceId: number): void {
    this.sources.add(sourceId).connected = true;
  }

  /**
   * Live migration: the partition comes back on a new pipe. Queued hvpipe events and lost-connection
   * notices of the old pipe are gone; payloads per migration-pending, source ids per migration-source-ids.
   */
  migrate(): MigrationRecord {
    const dropped: DroppedPayload[] = [];
    this.events.withdraw((e) => e.eventClass === EVENT_CLASSES.hvpipe);
    this.announcement = null;
    this.announced = null;
    for (const n of this.notices.splice(0)) dropped.push({ source: n.source.id, length: 0, reason: MIGRATION_NOTICE_DROP });
    if (this.policy["migration-pending"] === "discard") {
      while (this.hot.exports.fifoCount() > 0) dropped.push(this.dropHead(MIGRATION_DROP));
    }
    const sourceIds = this.policy["migration-source-ids"] === "renumber" ? this.renumberSources() : [];
    this.dropped.push(...dropped);
    const record: MigrationRecord = { number: this.migrations.length + 1, sourceIds, dropped };
    this.migrations.push(record);
    this.admitWaiting();
    this.announceNext();
    return structuredClone(record);
  }

  private renumberSources(): MigrationRecord["sourceIds"] {
    const next = (id: number): number => ((id & 0xffff0000) | ((id + MIGRATION_SOURCE_INDEX_OFFSET) & 0xffff)) >>> 0;
    const e = this.hot.exports;
    for (let i = 0; i < e.fifoCount(); i++) e.fifoSetSource(i, next(e.fifoSource(i) >>> 0));
    return this.sources.renumber(next);
  }

  // ---- RTAS ----

  rtasFunctions(): RtasFunction[] {
    return [
      { name: "ibm,receive-hvpipe-msg", handler: (c) => this.receive(c) },
      { name: "ibm,send-hvpipe-msg", handler: (c) => this.send(c) },
    ];
  }

  /** args: (buffer, size); rets: (status, source id, bytes written), written by the hot path. */
  private receive(call: RtasCall): void {
    if (call.nargs !== 2 || call.nret !== 3) return call.status(RtasStatus.PARAM_ERROR);
    if (this.announced?.kind !== "payload" || this.hot.exports.fifoCount() === 0) {
      if (this.policy["receive-when-empty"] === "empty-success") return call.answer(RtasStatus.SUCCESS, 0, 0);
      return call.status(RtasStatus.HARDWARE_ERROR);
    }
    const source = this.hot.exports.fifoSource(0) >>> 0;
    if (this.hot.exports.receiveCall(call.args[0]!, call.args[1]!, call.retsAddr) !== RtasStatus.SUCCESS) return;
    const src = this.sources.get(source);
    if (src) src.deliveredToPartition++;
    // A receive before check-exception took the announcement makes it stale: it named this payload.
    if (this.announcement) this.events.withdraw((e) => e === this.announcement);
    this.announcement = null;
    this.announced = null;
    for (const n of this.notices) n.ahead--;
    this.admitWaiting();
    this.announceNext();
  }

  /** args: (source id, buffer-list address); rets: (status). */
  private send(call: RtasCall): void {
    if (call.nargs !== 2 || call.nret !== 1) return call.status(RtasStatus.PARAM_ERROR);
    const id = call.args[0]! >>> 0;
    const src = this.sources.get(id);
    const length = this.hot.exports.sendGather(call.args[1]!, this.policy["buffer-list-entries"], HVPIPE_BUFFER_SIZE);
    if (length < 0) {
      if (src) src.refused["bad-buffer-list"]++;
      else this.unknownSend(id)["bad-buffer-list"]++;
      return call.status(length);
    }
    if (!src) {
      this.unknownSend(id)["unknown-source"]++;
      return call.status(this.policy["send-to-unknown-source"] === "closed" ? RtasStatus.HVPIPE_CLOSED : RtasStatus.PARAM_ERROR);
    }
    if (!src.connected) {
      src.refused.closed++;
      return call.status(RtasStatus.HVPIPE_CLOSED);
    }
    // Delivery to the HMC: the outside world keeps its own copy.
    const out = this.hot.exports.outboundAddr() >>> 0;
    src.received.push(this.hot.bytes.slice(out, out + length));
    call.status(RtasStatus.SUCCESS);
  }

  private unknownSend(id: number): UnknownSourceState["refused"] {
    let counts = this.unknownSends.get(id);
    if (!counts) this.unknownSends.set(id, (counts = { "unknown-source": 0, "bad-buffer-list": 0 }));
    return counts;
  }

  // ---- the FIFO and the outboxes ----

  /** Copies an inbound payload into a free FIFO slot; false when the FIFO is full. */
  private enqueue(source: number, payload: Uint8Array): boolean {
    const at = this.hot.exports.fifoReserve() >>> 0;
    if (at === 0) return false;
    this.hot.bytes.set(payload, at);
    this.hot.exports.fifoCommit(source, payload.length);
    return true;
  }

  /** Whether a source's next payload may enter the pipe now (policy source-in-flight: 1 waits for the ACK). */
  private readonly mayEnter = (src: HmcSource): boolean => {
    if (this.policy["source-in-flight"] === "unlimited") return true;
    const e = this.hot.exports;
    for (let i = 0; i < e.fifoCount(); i++) if (e.fifoSource(i) >>> 0 === src.id) return false;
    return true;
  };

  /** Moves waiting payloads into free FIFO slots, oldest send first across every HMC that may send. */
  private admitWaiting(): void {
    for (let src = this.sources.oldestWaiting(this.mayEnter); src; src = this.sources.oldestWaiting(this.mayEnter)) {
      if (!this.enqueue(src.id, src.outbox[0]!.bytes)) return;
      src.outbox.shift();
    }
  }

  private dropHead(reason: string): DroppedPayload {
    const d = { source: this.hot.exports.fifoSource(0) >>> 0, length: this.hot.exports.fifoLength(0), reason };
    this.hot.exports.fifoDropHead();
    return d;
  }

  // ---- announcing: one thing at a time ----

  private announceNext(): void {
    if (!this.enabled || this.announced) return;
    const notice = this.notices[0];
    if (notice && notice.ahead === 0) {
      this.announced = { kind: "lost-connection", notice };
      this.post(this.log.event(notice.source.id, HVPIPE_EVENT_LOST_CONNECTION, () => {
        this.notices.shift();
        this.announcement = null;
        this.announced = null;
        this.announceNext();
      }));
    } else if (this.hot.exports.fifoCount() > 0) {
      const announced = { kind: "payload" as const, taken: false };
      this.announced = announced;
      this.post(this.log.event(this.hot.exports.fifoSource(0) >>> 0, HVPIPE_EVENT_MSG_AVAILABLE, () => {
        announced.taken = true;
        this.announcement = null;
      }));
    }
  }

  private post(event: PendingEvent): void {
    this.announcement = event;
    this.events.post(event);
  }

  // ---- inspection ----

  inspect(): PipeState {
    const e = this.hot.exports;
    const queued = [];
    for (let i = 0; i < e.fifoCount(); i++) {
      queued.push({ source: e.fifoSource(i) >>> 0, length: e.fifoLength(i), announced: i === 0 && this.announced?.kind === "payload" });
    }
    const a = this.announced;
    return {
      enabled: this.enabled,
      announcement: a === null ? null
        : a.kind === "payload" ? { kind: "payload", source: e.fifoSource(0) >>> 0, taken: a.taken }
        : { kind: "lost-connection", source: a.notice.source.id, taken: false },
      queued,
      lostConnections: this.notices.map((n) => ({ source: n.source.id, afterPayloads: n.ahead, announced: a?.kind === "lost-connection" && a.notice === n })),
      sources: this.sources.all().map((s) => ({
        id: s.id, connected: s.connected, sent: s.sentCount, deliveredToPartition: s.deliveredToPartition,
        receivedFromPartition: s.received.length, refused: { ...s.refused }, lostConnections: s.lostConnections,
        outbox: s.outbox.map((w) => ({ order: w.order, length: w.bytes.length })),
      })),
      unknownSources: [...this.unknownSends].map(([id, refused]) => ({ id, refused: { ...refused } })),
      dropped: this.dropped.map((d) => ({ ...d })),
      migrations: structuredClone(this.migrations),
      policy: { ...this.policy },
    };
  }

  /** The bytes of a queued payload (for inspection; not on the hot path). */
  queuedPayload(i: number): Uint8Array {
    const at = this.hot.exports.fifoPayloadAddr(i) >>> 0;
    return this.hot.bytes.slice(at, at + this.hot.exports.fifoLength(i));
  }
}
