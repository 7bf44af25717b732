// The hot path alone: its exports called directly on a loaded module, no Machine, no dispatch.
// What the wasm/JS ratio is for the code the two builds actually differ in.
import { loadHotPath, type HotPath, type HotPathBuild } from "../emulator/hotpath.js";
import { loadHotPathJs } from "../emulator/hotpath-js/load.js";
import { check, type Bench, type Workload } from "./harness.js";

const RAM = 16 * 1024 * 1024;
/** Where rets[0] of a (buffer, size) receive block at 0x1000 sits. */
const RETS = 0x1000 + 20;
const LOG_BUF = 0x3000;
const RECV_BUF = 0x4000;
const LIST_BUF = 0x6000;
const DATA_BUF = 0x8000;
const HMC1 = 0x02000001;

function load(build: HotPathBuild, payloadLimit = 4048): { hot: HotPath; view: DataView } {
  const hot = (build === "js" ? loadHotPathJs : loadHotPath)(RAM, payloadLimit, 16);
  return { hot, view: new DataView(hot.bytes.buffer) };
}

/** fifoReserve + fifoCommit (of whatever bytes the slot holds) + receiveCall of 4048 bytes. */
function receiveCall(build: HotPathBuild): Workload {
  const { hot, view } = load(build);
  const e = hot.exports;
  return {
    run(n) {
      for (let i = 0; i < n; i++) {
        e.fifoReserve();
        e.fifoCommit(HMC1, 4048);
        if (e.receiveCall(RECV_BUF, 16384, RETS) !== 0) check(false, () => "receiveCall failed");
      }
      check(view.getUint32(RETS + 8) === 4048, () => "receiveCall did not copy 4048 bytes");
    },
  };
}

/** sendGather of a 1-entry (or 3-entry) buffer list of 4048-byte entries. */
function sendGather(build: HotPathBuild, entries: number): Workload {
  const { hot, view } = load(build, 4048 * entries);
  const e = hot.exports;
  view.setBigUint64(LIST_BUF, BigInt(8 + 16 * entries));
  for (let i = 0; i < entries; i++) {
    view.setBigUint64(LIST_BUF + 8 + 16 * i, BigInt(DATA_BUF + 4048 * i));
    view.setBigUint64(LIST_BUF + 16 + 16 * i, 4048n);
  }
  return {
    run(n) {
      for (let i = 0; i < n; i++) {
        if (e.sendGather(LIST_BUF, entries, 4048) !== 4048 * entries) check(false, () => "sendGather failed");
      }
    },
  };
}

/** writeEventLog of the minimal 40-byte hvpipe log. */
function writeEventLog(build: HotPathBuild): Workload {
  const { hot, view } = load(build);
  const e = hot.exports;
  return {
    run(n) {
      for (let i = 0; i < n; i++) {
        if (e.writeEventLog(LOG_BUF, 2048, HMC1, 1, 0, i, 0x20260101, 0) !== 40) check(false, () => "writeEventLog failed");
      }
      check(view.getUint32(LOG_BUF) === 0x062400e6, () => "writeEventLog wrote no 0xE6 log");
    },
  };
}

export const HOTPATH_BENCHES: Bench[] = [
  { id: "h-recv", title: "hot path alone: fifoCommit + receiveCall, 4048 bytes", op: "calls", make: receiveCall },
  { id: "h-send1", title: "hot path alone: sendGather, 1 × 4048 bytes", op: "calls", make: (b) => sendGather(b, 1) },
  { id: "h-send3", title: "hot path alone: sendGather, 3 × 4048 bytes", op: "calls", make: (b) => sendGather(b, 3) },
  { id: "h-log", title: "hot path alone: writeEventLog, 40 bytes", op: "calls", make: writeEventLog },
];
