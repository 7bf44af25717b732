// The HMCs at the far end of the pipe: which are connected, what each has received, and each one's
// outbox — payloads it has sent that wait for room in the pipe. The outbox is the outside world's
// memory (plain byte arrays here), never guest memory; the pipe's FIFO is in the hot-path module.
import { OutsideWorldRefusal } from "../../outside/refusal.js";
import { formatSourceId as hex } from "../../source-id.js";

export interface OutboxEntry {
  /** Global send order across every HMC: the oldest waiting payload enters the pipe first. */
  readonly order: number;
  readonly bytes: Uint8Array;
}

/** Sends from the partition (ibm,send-hvpipe-msg) to this source that were refused, by reason. */
export interface SendRefusals {
  /** The source's connection was lost: status -4. */
  closed: number;
  /** The buffer list was malformed or too long: status -3. */
  "bad-buffer-list": number;
}

export interface HmcSource {
  /** Changes only when a migration renumbers sources (policy migration-source-ids: renumber). */
  id: number;
  connected: boolean;
  /** Payloads the partition sent to this source, in order. */
  readonly received: Uint8Array[];
  /** Payloads this source has sent toward the partition (into the pipe or its outbox). */
  sentCount: number;
  /** Of those, the ones the partition has received (ibm,receive-hvpipe-msg). */
  deliveredToPartition: number;
  /** Times the connection was lost (hmcClose of a connected source). */
  lostConnections: number;
  readonly refused: SendRefusals;
  /** Payloads waiting for room in the pipe, oldest first. */
  readonly outbox: OutboxEntry[];
}

export interface IdChange {
  from: number;
  to: number;
}

export class HmcSources {
  private byId = new Map<number, HmcSource>();
  /** Ids a migration retired, and what they became (for error messages). */
  private readonly renumbered = new Map<number, number>();
  private nextOrder = 0;

  constructor(ids: readonly number[]) {
    for (const id of ids) this.add(id);
  }

  add(id: number): HmcSource {
    const existing = this.byId.get(id >>> 0);
    if (existing) return existing;
    const src: HmcSource = {
      id: id >>> 0, connected: true, received: [], sentCount: 0, deliveredToPartition: 0, lostConnections: 0,
      refused: { closed: 0, "bad-buffer-list": 0 }, outbox: [],
    };
    this.byId.set(src.id, src);
    return src;
  }

  get(id: number): HmcSource | undefined {
    return this.byId.get(id >>> 0);
  }

  /** The source or an error naming the known ones: outside-world actions must name a real HMC. */
  require(id: number): HmcSource {
    const src = this.get(id);
    if (!src) {
      const known = [...this.byId.keys()].map(hex).join(", ");
      const moved = this.renumbered.get(id >>> 0);
      const note = moved === undefined ? "" : `; migration renumbered ${hex(id)} to ${hex(moved)}`;
      throw new OutsideWorldRefusal("unknown-source", `no HMC source ${hex(id)} is attached to the partition (attached: ${known || "none"}${note})`);
    }
    return src;
  }

  all(): HmcSource[] {
    return [...this.byId.values()];
  }

  /** Gives every source the id `next(id)` (a bijection); returns the changes in attachment order. */
  renumber(next: (id: number) => number): IdChange[] {
    const changes: IdChange[] = [];
    const byId = new Map<number, HmcSource>();
    for (const src of this.byId.values()) {
      const to = next(src.id) >>> 0;
      changes.push({ from: src.id, to });
      src.id = to;
      byId.set(to, src);
    }
    const moved = new Map(changes.map((c) => [c.from, c.to]));
    // Ids retired earlier follow their source to its newest id.
    for (const [old, now] of this.renumbered) this.renumbered.set(old, moved.get(now) ?? now);
    for (const { from, to } of changes) this.renumbered.set(from, to);
    for (const { to } of changes) this.renumbered.delete(to);
    this.byId = byId;
    return changes;
  }

  // ---- outboxes ----

  /** Puts a copy of the payload at the back of the source's outbox. */
  hold(src: HmcSource, payload: Uint8Array): void {
    src.outbox.push({ order: this.nextOrder++, bytes: payload.slice() });
  }

  /** Of the sources `eligible` accepts, the one whose outbox holds the oldest waiting payload, if any. */
  oldestWaiting(eligible: (src: HmcSource) => boolean): HmcSource | undefined {
    let best: HmcSource | undefined;
    for (const src of this.byId.values()) {
      const head = src.outbox[0];
      if (head && (!best || head.order < best.outbox[0]!.order) && eligible(src)) best = src;
    }
    return best;
  }
}

