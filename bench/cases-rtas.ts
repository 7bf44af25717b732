// Raw RTAS calls through Machine.hcall(cpu, H_RTAS, [args]) — what a CPU emulator forwarding
// `sc 1` would do — with no guest kernel: the hot path plus the TypeScript around it (dispatch,
// policy checks, the pipe's bookkeeping).
import type { HotPathBuild } from "../emulator/hotpath.js";
import { KVMPPC_H_RTAS } from "../emulator/hcall-numbers.js";
import { Machine } from "../emulator/machine.js";
import { check, type Bench, type Workload } from "./harness.js";

const HMC1 = 0x02000001;
const ARGS = 0x1000;
const SYSPARM_BUF = 0x2000;
const LOG_BUF = 0x3000;
const RECV_BUF = 0x4000;
const LIST_BUF = 0x6000;
const DATA_BUF = 0x8000;
const HVPIPE_EVENT_MASK = 0x04000000;
const HVPIPE_IRQ = 0x1002;

/** An RTAS argument block at ARGS: token, nargs, nret, args; returns the address of rets[0]. */
function block(m: Machine, name: string, args: readonly number[], nret: number): number {
  const token = m.tokens.tokenOf(name);
  if (token === undefined) throw new Error(`no token for ${name}`);
  const words = [token, args.length, nret, ...args];
  words.forEach((w, i) => m.memory.setU32(ARGS + 4 * i, w));
  return ARGS + 4 * words.length;
}

function rtasCall(m: Machine): void {
  m.hcall(0, KVMPPC_H_RTAS, [ARGS]);
}

/** A partition whose OS has enabled the pipe (set-system-parameter 64), as papr-hvpipe does at init. */
function hvpipeMachine(build: HotPathBuild, policy: Record<string, unknown> = {}): Machine {
  const m = new Machine({ hotPath: build, sources: [HMC1], policy });
  m.memory.write(SYSPARM_BUF, Uint8Array.of(0x00, 0x01, 0x01));
  const rets = block(m, "ibm,set-system-parameter", [64, SYSPARM_BUF], 1);
  rtasCall(m);
  check(m.memory.u32(rets) === 0, () => "enabling the pipe failed");
  return m;
}

const payloadOf = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff);

/** hmcSend(payload) then ibm,receive-hvpipe-msg into a 16 KiB buffer: one message in, one out. */
function receiveWorkload(build: HotPathBuild, length: number): Workload {
  const m = hvpipeMachine(build);
  const payload = payloadOf(length);
  const src = m.devices.hvpipe.model.sources.get(HMC1)!;
  const view = m.memory.view;
  const rets = block(m, "ibm,receive-hvpipe-msg", [RECV_BUF, 16384], 3);
  return {
    run(n) {
      const before = src.deliveredToPartition;
      for (let i = 0; i < n; i++) {
        m.outside.hmc.send(HMC1, payload);
        rtasCall(m);
        if (view.getUint32(rets) !== 0) check(false, () => `receive answered ${view.getInt32(rets)}`);
      }
      check(src.deliveredToPartition - before === n && view.getUint32(rets + 8) === length &&
        m.memory.bytes[RECV_BUF + length - 1] === payload[length - 1], () => "receive did not deliver every payload");
    },
  };
}

/** ibm,send-hvpipe-msg with a buffer list of `entries` 4048-byte entries. */
function sendWorkload(build: HotPathBuild, entries: number): Workload {
  const policy = entries > 1 ? { "buffer-list-entries": entries, "payload-limit": 4048 * entries } : {};
  const m = hvpipeMachine(build, policy);
  m.memory.write(DATA_BUF, payloadOf(4048 * entries));
  const list = new DataView(m.memory.bytes.buffer, LIST_BUF, 8 + 16 * entries);
  list.setBigUint64(0, BigInt(8 + 16 * entries));
  for (let i = 0; i < entries; i++) {
    list.setBigUint64(8 + 16 * i, BigInt(DATA_BUF + 4048 * i));
    list.setBigUint64(16 + 16 * i, 4048n);
  }
  const src = m.devices.hvpipe.model.sources.get(HMC1)!;
  const view = m.memory.view;
  const rets = block(m, "ibm,send-hvpipe-msg", [HMC1, LIST_BUF], 1);
  return {
    run(n) {
      src.received.length = 0;
      for (let i = 0; i < n; i++) {
        // The HMC's inbox keeps every payload; empty it so a long run does not measure memory growth.
        if (src.received.length === 256) src.received.length = 0;
        rtasCall(m);
        if (view.getUint32(rets) !== 0) check(false, () => `send answered ${view.getInt32(rets)}`);
      }
      const last = src.received.at(-1);
      check(last !== undefined && last.length === 4048 * entries, () => "the HMC did not receive the payloads");
    },
  };
}

/**
 * A lost connection posts an hvpipe event (hmcClose, then hmcOpen to reconnect), and check-exception
 * hands its log to the guest: the event-log encoder and the event queue, no payload.
 */
function checkExceptionWorkload(build: HotPathBuild, eventLog: string): Workload {
  const m = hvpipeMachine(build, { "event-log": eventLog });
  const view = m.memory.view;
  const rets = block(m, "check-exception", [0x500, HVPIPE_IRQ, HVPIPE_EVENT_MASK, 1, LOG_BUF, 2048], 1);
  const logLength = eventLog === "with-main-sections" ? 112 : 40;
  return {
    run(n) {
      for (let i = 0; i < n; i++) {
        m.outside.hmc.close(HMC1);
        m.outside.hmc.connect(HMC1);
        rtasCall(m);
        if (view.getUint32(rets) !== 0) check(false, () => `check-exception answered ${view.getInt32(rets)}`);
      }
      check(view.getUint32(LOG_BUF) === 0x062400e6 && view.getUint32(LOG_BUF + 4) + 8 === logLength,
        () => "check-exception did not write the hvpipe event log");
    },
  };
}

export const RTAS_BENCHES: Bench[] = [
  { id: "a", title: "receive-hvpipe-msg, 4048-byte payload (hmcSend + H_RTAS)", op: "calls", make: (b) => receiveWorkload(b, 4048) },
  { id: "a16", title: "receive-hvpipe-msg, 16-byte payload (hmcSend + H_RTAS)", op: "calls", make: (b) => receiveWorkload(b, 16) },
  { id: "b1", title: "send-hvpipe-msg, 1-entry list of 4048 bytes", op: "calls", make: (b) => sendWorkload(b, 1) },
  { id: "b3", title: "send-hvpipe-msg, 3-entry list (3 × 4048 bytes)", op: "calls", make: (b) => sendWorkload(b, 3) },
  { id: "c", title: "check-exception, hvpipe event log (40 bytes)", op: "calls", make: (b) => checkExceptionWorkload(b, "minimal") },
  { id: "cm", title: "check-exception, log with Main-A/Main-B (112 bytes)", op: "calls", make: (b) => checkExceptionWorkload(b, "with-main-sections") },
];
