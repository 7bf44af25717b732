// What the hypervisor's pipe looks like from outside (runner reports, the step debugger): plain data,
// copied out of the live model by HvpipePipe.inspect().
import type { HvpipePolicy } from "./policies.js";
import type { IdChange, SendRefusals } from "./sources.js";

export interface QueuedPayload {
  source: number;
  length: number;
  /** The head, announced to the OS (event queued or already taken) and not yet received. */
  announced: boolean;
}

/** Under lost-connection-blocks: true, a lost connection waiting its turn in the pipe. */
export interface QueuedLostConnection {
  source: number;
  /** Payloads in `queued` ahead of it (0 = it is the next thing announced). */
  afterPayloads: number;
  announced: boolean;
}

/** What the pipe has announced and is waiting on, if anything. */
export interface Announcement {
  kind: "payload" | "lost-connection";
  source: number;
  /** check-exception has handed the event to the OS (a payload then still waits to be received). */
  taken: boolean;
}

export interface DroppedPayload {
  source: number;
  /** Payload bytes (0 for a lost-connection notice). */
  length: number;
  reason: string;
}

export interface SourceState {
  id: number;
  connected: boolean;
  /** Payloads this HMC sent toward the partition (into the pipe or its outbox). */
  sent: number;
  /** Of those, the ones the partition has received. */
  deliveredToPartition: number;
  /** Payloads the partition sent to this HMC (ibm,send-hvpipe-msg status 0). */
  receivedFromPartition: number;
  /** The partition's sends to this HMC that were refused, by reason. */
  refused: SendRefusals;
  lostConnections: number;
  /** Payloads waiting for room in the pipe, oldest first; `order` is the global send order. */
  outbox: { order: number; length: number }[];
}

/** Sends from the partition to ids no HMC has, by status reason. */
export interface UnknownSourceState {
  id: number;
  refused: { "unknown-source": number; "bad-buffer-list": number };
}

export interface MigrationRecord {
  /** 1 for the partition's first migration. */
  number: number;
  /** Old id → new id for every source (empty under migration-source-ids: keep). */
  sourceIds: IdChange[];
  /** What this migration dropped (payloads and lost-connection notices). */
  dropped: DroppedPayload[];
}

export interface PipeState {
  /** System parameter 64: the OS wants pipe events. */
  enabled: boolean;
  announcement: Announcement | null;
  /** Payloads in the pipe's FIFO, head first. */
  queued: QueuedPayload[];
  lostConnections: QueuedLostConnection[];
  sources: SourceState[];
  unknownSources: UnknownSourceState[];
  dropped: DroppedPayload[];
  migrations: MigrationRecord[];
  policy: HvpipePolicy;
}
