// Payloads beyond one buffer (policies payload-limit and buffer-list-entries): the architecture allows
// up to ~1 MB via several 4 KiB buffers (spec/hvpipe-driver.md §1); a send's buffer list is be64 length
// 8 + 16·n, then n (be64 address, be64 length) pairs (§4.4 step 5).
import { describe, expect, it } from "vitest";
import type { Machine } from "../../../../emulator/machine.js";
import {
  HMC1, HMC2, SENTINEL, bytesAt, checkException, enableHvpipe, fill, machine, pattern, receive, send, writeBufferList,
  writeBytes,
} from "../../helpers.js";

const LIST = 0x80000;
const PAGES = 0x100000;
const BIG_RECV = 0x400000;

/** Splits the payload over 4096-byte buffers placed `stride` bytes apart from PAGES, lists them at LIST and sends. */
function sendPages(m: Machine, source: number, payload: Uint8Array, stride = 8192): number {
  const entries: [number, number][] = [];
  for (let off = 0, i = 0; off < payload.length; off += 4096, i++) {
    writeBytes(m, PAGES + i * stride, payload.subarray(off, off + 4096));
    entries.push([PAGES + i * stride, Math.min(4096, payload.length - off)]);
  }
  writeBufferList(m, LIST, entries);
  return send(m, source, LIST);
}

describe("a 3-entry, 12 KiB payload end to end (payload-limit 12288, buffer-list-entries 3)", () => {
  const policy = { "payload-limit": 12288, "buffer-list-entries": 3 };

  it("partition → HMC: three scattered 4 KiB buffers are gathered, in list order, into one payload", () => {
    const m = machine({ policy });
    const payload = pattern(12288, 5);
    expect(sendPages(m, HMC1, payload)).toBe(0);
    expect(m.memory.view.getBigUint64(LIST)).toBe(56n); // 8 + 3·16
    const got = m.devices.hvpipe.model.sources.get(HMC1)!.received;
    expect(got).toHaveLength(1);
    expect([...got[0]!]).toEqual([...payload]);
  });

  it("HMC → partition: the whole 12 KiB is announced, received into one buffer and ACKed", () => {
    const m = machine({ policy });
    enableHvpipe(m);
    const payload = pattern(12288, 6);
    m.outside.hmc.send(HMC1, payload);
    expect(checkException(m)).toBe(0);
    fill(m, BIG_RECV, 12289);
    // A buffer smaller than the payload is a parameter error and the head stays (§4.5: the driver reads 4096).
    expect(receive(m, BIG_RECV, 4096)).toEqual([-3, expect.any(Number), expect.any(Number)]);
    expect(receive(m, BIG_RECV, 12288)).toEqual([0, HMC1, 12288]);
    expect(bytesAt(m, BIG_RECV, 12289)).toEqual([...payload, SENTINEL]);
  });

  it("an echo: what the HMC sent comes back byte for byte through a 3-entry send", () => {
    const m = machine({ sources: [HMC1, HMC2], policy });
    enableHvpipe(m);
    m.outside.hmc.send(HMC1, pattern(12000, 9));
    expect(checkException(m)).toBe(0);
    expect(receive(m, BIG_RECV, 12288)).toEqual([0, HMC1, 12000]);
    const entries: [number, number][] = [[BIG_RECV, 4096], [BIG_RECV + 4096, 4096], [BIG_RECV + 8192, 12000 - 8192]];
    writeBufferList(m, LIST, entries);
    expect(send(m, HMC2, LIST)).toBe(0);
    expect([...m.devices.hvpipe.model.sources.get(HMC2)!.received[0]!]).toEqual([...pattern(12000, 9)]);
  });

  it("a fourth entry, an entry over 4096 bytes or a total over 12288 is refused with -3", () => {
    const m = machine({ policy });
    expect(sendPages(m, HMC1, pattern(12289))).toBe(-3); // four entries
    writeBufferList(m, LIST, [[PAGES, 4097], [PAGES + 8192, 4096]]);
    expect(send(m, HMC1, LIST)).toBe(-3);
    expect(() => m.outside.hmc.send(HMC1, pattern(12289))).toThrow("payload of 12289 bytes: the pipe carries 1 to 12288 bytes (policy payload-limit)");
    expect(m.inspect().hvpipe.sources[0]!.refused).toEqual({ closed: 0, "bad-buffer-list": 2 });
  });
});

describe("the architectural limit (payload-limit 1048576, buffer-list-entries 256)", () => {
  const policy = { "payload-limit": 1048576, "buffer-list-entries": 256, "fifo-depth": 3 };

  it("256 buffers of 4 KiB make one 1 MiB payload each way", () => {
    const m = machine({ policy });
    enableHvpipe(m);
    const out = pattern(1048576, 3);
    expect(sendPages(m, HMC1, out, 4096)).toBe(0);
    expect(m.devices.hvpipe.model.sources.get(HMC1)!.received[0]!.length).toBe(1048576);
    expect(m.devices.hvpipe.model.sources.get(HMC1)!.received[0]!.every((b, i) => b === out[i])).toBe(true);
    m.outside.hmc.send(HMC1, out);
    expect(checkException(m)).toBe(0);
    expect(receive(m, BIG_RECV, 1048576)).toEqual([0, HMC1, 1048576]);
    expect(m.memory.read(BIG_RECV, 1048576).every((b, i) => b === out[i])).toBe(true);
  });

  it("the FIFO's large slots wrap around in order", () => {
    const m = machine({ policy });
    enableHvpipe(m);
    for (let i = 1; i <= 5; i++) {
      m.outside.hmc.send(HMC1, pattern(1048576 - i, i));
      if (i >= 3) {
        expect(checkException(m)).toBe(0);
        expect(receive(m, BIG_RECV, 1048576)).toEqual([0, HMC1, 1048576 - (i - 2)]);
        expect(m.memory.bytes[BIG_RECV + 1000]).toBe(pattern(1001, i - 2)[1000]);
      }
    }
    expect(m.inspect().hvpipe.queued.map((q) => q.length)).toEqual([1048572, 1048571]);
  });
});
