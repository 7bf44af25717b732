// The hvpipe's hypervisor policies: what the public spec leaves open about the pipe
// (spec/hvpipe-driver.md §16), each with a documented default (docs/policies.md lists them all).
import { PolicyError, type PolicyDefinition, type PolicyValues } from "../../policy-definition.js";

/** One send buffer is one 4 KiB page (spec §4.4). */
export const HVPIPE_BUFFER_SIZE = 4096;
/** The architecture's payload limit: "up to ~1 MB via several 4K buffers" (spec §1) = 256 × 4 KiB. */
export const ARCHITECTURAL_PAYLOAD_LIMIT = 256 * HVPIPE_BUFFER_SIZE;
/** fifo-depth × payload-limit may not pass this: the FIFO lives in the hot-path module's memory. */
export const FIFO_MEMORY_LIMIT = 64 * 1024 * 1024;
/** migration-source-ids: renumber adds this to every source id's QQQQ index (mod 0x10000). */
export const MIGRATION_SOURCE_INDEX_OFFSET = 0x100;

export const HVPIPE_POLICIES = {
  "receive-when-empty": {
    values: ["hardware-error", "empty-success"],
    default: "hardware-error",
    meaning: "ibm,receive-hvpipe-msg with no announced payload: status -1, or status 0 with source id 0 and 0 bytes",
    reason: "§10/§16: unspecified; the driver only receives after an event, so a receive without one is an error (-1 maps to -EIO, §4.5)",
  },
  "send-to-unknown-source": {
    values: ["closed", "param-error"],
    default: "closed",
    meaning: "ibm,send-hvpipe-msg to a source id no HMC has (never attached, or renumbered by migration): -4, or -3",
    reason: "§16: unspecified; -4 (RTAS_HVPIPE_CLOSED, §3) says there is no pipe to that source, which is what user space must hear after a migration renumbered ids (§4.10)",
  },
  "event-log": {
    values: ["minimal", "with-main-sections"],
    default: "minimal",
    meaning: "the 0xE6 log holds only the 'PE' section, or Main-A ('PH') and Main-B ('UH') before it",
    reason: "§6.4: the driver reads only the 'PE' section; §16: required severity/section values are unknown",
  },
  "migration-pending": {
    values: ["discard", "keep"],
    default: "discard",
    meaning: "after migration, payloads still in the pipe are dropped (recorded with the reason), or kept and re-announced",
    reason: "§1/§10: after migration the hypervisor assigns a new pipe, so undelivered payloads presumably do not survive",
  },
  "migration-source-ids": {
    values: ["keep", "renumber"],
    default: "keep",
    meaning: "after migration every source keeps its id, or its QQQQ index (0xCCRRQQQQ, §3) grows by 0x100 mod 0x10000 and the old id becomes unknown",
    reason: "§1/§4.10: ids *may* change; keeping them is the case every driver handles, renumber tests that user space recreates its handles",
  },
  "lost-connection-blocks": {
    values: [false, true],
    default: false,
    meaning: "false: a lost connection is posted at once (when enabled) and blocks nothing; true: it is queued in the pipe behind the payloads already there, announced like one, and nothing further is announced until check-exception has handed it to the OS",
    reason: "§10/§16: unknown; the driver never receives for a lost connection (§4.8), so a non-blocking event is the one it cannot get stuck on",
  },
  "payload-limit": {
    values: "positive-integer",
    max: ARCHITECTURAL_PAYLOAD_LIMIT,
    default: 4048,
    meaning: "largest payload the hypervisor accepts in one send or delivers in one receive (bytes), up to the architectural 1 MiB",
    reason: "§1/§3: 4048 bytes today (HVPIPE_MAX_WRITE_BUFFER_SIZE; 48 + 4048 = one 4 KiB page)",
  },
  "buffer-list-entries": {
    values: "positive-integer",
    max: 256,
    default: 1,
    meaning: "(address, length) pairs a send's buffer list may hold, each at most one 4096-byte buffer; up to 256 (1 MiB)",
    reason: "§1/§4.4: one entry today; §16: the architectural maximum is unknown, 256 × 4 KiB covers the ~1 MB the architecture allows",
  },
  "fifo-depth": {
    values: "positive-integer",
    default: 64,
    meaning: "inbound payloads the pipe holds (in the hot-path module's memory); fifo-depth × payload-limit may not pass 64 MiB",
    reason: "§10: the hypervisor keeps a FIFO per partition of unknown depth; 64 × 4048 bytes is small and never the bottleneck in a scenario",
  },
  "hmc-queue-depth": {
    values: "positive-integer",
    default: 16,
    meaning: "payloads each HMC holds back in its outbox while the pipe is full; they enter the pipe in global send order as receives free slots, and a send beyond this is refused",
    reason: "§1: the pipe blocks until the partition receives; HMC-side buffering is the HMC's own (not in PAPR), 16 lets back-pressure show without hiding a stuck partition",
  },
  "source-in-flight": {
    values: ["unlimited", 1],
    default: "unlimited",
    meaning: "payloads one source may have in the pipe before the partition has received (ACKed) the previous one: any number, or 1 (the next waits in the HMC's outbox, counted against hmc-queue-depth, and enters the pipe in send order at the ACK)",
    reason: "§1/§16: a receive is the ACK to the source, but whether a source may have a second payload in flight before it is not public; unlimited is what the pipe's global FIFO allows",
  },
} as const satisfies Record<string, PolicyDefinition>;

export type HvpipePolicy = PolicyValues<typeof HVPIPE_POLICIES>;

/** fifo-depth × payload-limit: the FIFO lives in the hot-path module's memory. */
export function checkHvpipePolicy(policy: HvpipePolicy): void {
  const fifoBytes = policy["fifo-depth"] * policy["payload-limit"];
  if (fifoBytes > FIFO_MEMORY_LIMIT) {
    throw new PolicyError("fifo-depth",
      `policies fifo-depth (${policy["fifo-depth"]}) × payload-limit (${policy["payload-limit"]}) = ${fifoBytes} bytes of pipe FIFO, ` +
      `above the ${FIFO_MEMORY_LIMIT} (64 MiB) the emulator allows: lower one of them`);
  }
}
