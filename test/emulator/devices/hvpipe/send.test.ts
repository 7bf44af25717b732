// The pipe's outbound side: ibm,send-hvpipe-msg and its buffer list (spec/hvpipe-driver.md §4.4,
// §5.1, §10), and the policies buffer-list-entries, payload-limit and send-to-unknown-source.
import { describe, expect, it } from "vitest";
import type { Machine } from "../../../../emulator/machine.js";
import {
  DATA_BUF, HMC1, HMC2, LIST_BUF, RAM, SENTINEL_WORD, checkException, enableHvpipe, machine, pattern, rtas, send,
  sendPayload, setBe64, walkSections, writeBufferList, writeBytes,
} from "../../helpers.js";

const received = (m: Machine, id = HMC1): number[][] => m.devices.hvpipe.model.sources.get(id)!.received.map((p) => [...p]);

describe("ibm,send-hvpipe-msg", () => {
  it("a one-entry list (be64 24, be64 address, be64 length) delivers the payload to the HMC", () => {
    const m = machine();
    const payload = pattern(4048);
    // §4.4 step 5: list length 24 = 8 + one (addr, len) pair; payload ≤ 4048.
    expect(sendPayload(m, HMC1, payload)).toBe(0);
    expect(received(m)).toEqual([[...payload]]);
    expect(sendPayload(m, HMC1, Uint8Array.of(0x42))).toBe(0);
    expect(received(m)).toEqual([[...payload], [0x42]]);
    expect(m.inspect().hvpipe.sources[0]).toMatchObject({ id: HMC1, receivedFromPartition: 2 });
  });

  it("sending does not need the pipe enabled and does not touch the inbound side", () => {
    const m = machine();
    expect(sendPayload(m, HMC1, pattern(10))).toBe(0);
    expect(m.inspect().events).toEqual([]);
    expect(m.inspect().hvpipe.queued).toEqual([]);
  });

  describe("every malformed buffer list answers -3 and delivers nothing", () => {
    const cases: [string, (m: Machine) => void][] = [
      ["list length not 8 + 16n (30)", (m) => writeBufferList(m, LIST_BUF, [[DATA_BUF, 10]], 30)],
      ["list length not 8 + 16n (23)", (m) => writeBufferList(m, LIST_BUF, [[DATA_BUF, 10]], 23)],
      ["list length 0", (m) => writeBufferList(m, LIST_BUF, [[DATA_BUF, 10]], 0)],
      ["n = 0 (list length 8)", (m) => writeBufferList(m, LIST_BUF, [])],
      ["n = 2 > buffer-list-entries 1", (m) => writeBufferList(m, LIST_BUF, [[DATA_BUF, 10], [DATA_BUF + 10, 10]])],
      ["entry length 0", (m) => writeBufferList(m, LIST_BUF, [[DATA_BUF, 0]])],
      ["entry length 4097 > one 4 KiB buffer", (m) => writeBufferList(m, LIST_BUF, [[DATA_BUF, 4097]])],
      ["total 4049 > payload-limit 4048", (m) => writeBufferList(m, LIST_BUF, [[DATA_BUF, 4049]])],
      ["data outside RAM", (m) => writeBufferList(m, LIST_BUF, [[RAM, 10]])],
      ["data straddling the end of RAM", (m) => writeBufferList(m, LIST_BUF, [[RAM - 5, 10]])],
      ["list length high word non-zero", (m) => writeBufferList(m, LIST_BUF, [[DATA_BUF, 10]], (1n << 32n) + 24n)],
      ["address high word non-zero", (m) => writeBufferList(m, LIST_BUF, [[(1n << 32n) + BigInt(DATA_BUF), 10]])],
      ["length high word non-zero", (m) => writeBufferList(m, LIST_BUF, [[DATA_BUF, (1n << 32n) + 10n]])],
      ["length all ones", (m) => writeBufferList(m, LIST_BUF, [[DATA_BUF, 0xffffffffffffffffn]])],
    ];
    for (const [label, build] of cases) {
      it(label, () => {
        const m = machine();
        writeBytes(m, DATA_BUF, pattern(4096));
        build(m);
        expect(send(m, HMC1)).toBe(-3);
        expect(received(m)).toEqual([]);
      });
    }

    it("list outside RAM or running past its end", () => {
      const m = machine();
      // §5.1: the list is read at its real address; any part outside RAM is a parameter error.
      expect(send(m, HMC1, RAM)).toBe(-3);
      expect(send(m, HMC1, RAM - 4)).toBe(-3);
      expect(send(m, HMC1, 0xfffffff8)).toBe(-3);
      setBe64(m, RAM - 16, 24); // header fits, the one pair does not
      setBe64(m, RAM - 8, DATA_BUF);
      expect(send(m, HMC1, RAM - 16)).toBe(-3);
      expect(received(m)).toEqual([]);
    });
  });

  it("with buffer-list-entries: 3, a three-entry list is gathered in order", () => {
    const m = machine({ policy: { "buffer-list-entries": 3 } });
    writeBytes(m, 0x8000, [1, 2, 3]);
    writeBytes(m, 0xa000, [4, 5]);
    writeBytes(m, 0x9000, [6, 7, 8, 9]);
    writeBufferList(m, LIST_BUF, [[0x8000, 3], [0xa000, 2], [0x9000, 4]]);
    expect(m.memory.view.getBigUint64(LIST_BUF)).toBe(56n); // 8 + 3·16
    expect(send(m, HMC1)).toBe(0);
    expect(received(m)).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    // Four entries exceed the policy; three whose total passes payload-limit (4048) are refused.
    writeBufferList(m, LIST_BUF, [[0x8000, 1], [0x8000, 1], [0x8000, 1], [0x8000, 1]]);
    expect(send(m, HMC1)).toBe(-3);
    writeBufferList(m, LIST_BUF, [[0x8000, 2000], [0x9000, 2000], [0xa000, 49]]);
    expect(send(m, HMC1)).toBe(-3);
    writeBufferList(m, LIST_BUF, [[0x8000, 2000], [0x9000, 2000], [0xa000, 48]]);
    expect(send(m, HMC1)).toBe(0);
    expect(received(m)[1]).toHaveLength(4048);
  });

  it("policy payload-limit bounds the total", () => {
    const m = machine({ policy: { "payload-limit": 100 } });
    expect(sendPayload(m, HMC1, pattern(101))).toBe(-3);
    expect(sendPayload(m, HMC1, pattern(100))).toBe(0);
    expect(received(m)).toEqual([[...pattern(100)]]);
  });

  it("wrong nargs or nret answers -3", () => {
    const m = machine();
    writeBytes(m, DATA_BUF, [1]);
    writeBufferList(m, LIST_BUF, [[DATA_BUF, 1]]);
    // §5.1: send is 2 args / 1 ret.
    expect(rtas(m, "ibm,send-hvpipe-msg", [HMC1], 1).rets).toEqual([-3]);
    expect(rtas(m, "ibm,send-hvpipe-msg", [HMC1, LIST_BUF, 0], 1).rets).toEqual([-3]);
    expect(rtas(m, "ibm,send-hvpipe-msg", [HMC1, LIST_BUF], 2).rets).toEqual([-3, SENTINEL_WORD]);
    expect(received(m)).toEqual([]);
  });
});

describe("send to a closed or unknown source", () => {
  it("a closed source answers -4 (RTAS_HVPIPE_CLOSED); hmcOpen reconnects it", () => {
    const m = machine();
    m.outside.hmc.close(HMC1);
    // §3/§4.4: -4 = pipe to the source closed (write → -EPIPE).
    expect(sendPayload(m, HMC1, pattern(10))).toBe(-4);
    expect(received(m)).toEqual([]);
    m.outside.hmc.connect(HMC1);
    expect(sendPayload(m, HMC1, pattern(10))).toBe(0);
    expect(received(m)).toEqual([[...pattern(10)]]);
  });

  it("an unknown source answers -4 under send-to-unknown-source: closed (default)", () => {
    const m = machine();
    expect(sendPayload(m, 0x02000099, pattern(10))).toBe(-4);
  });

  it("an unknown source answers -3 under send-to-unknown-source: param-error", () => {
    const m = machine({ policy: { "send-to-unknown-source": "param-error" } });
    expect(sendPayload(m, 0x02000099, pattern(10))).toBe(-3);
    expect(sendPayload(m, HMC1, pattern(10))).toBe(0);
  });

  it("hmcOpen of a new id attaches a new HMC that can then be sent to", () => {
    const m = machine();
    m.outside.hmc.connect(HMC2);
    expect(sendPayload(m, HMC2, pattern(3))).toBe(0);
    expect(received(m, HMC2)).toEqual([[...pattern(3)]]);
  });
});

describe("lost connection", () => {
  it("hmcClose posts a 'PE' event of type 0x02 when the pipe is enabled", () => {
    const m = machine({ sources: [HMC1, HMC2] });
    enableHvpipe(m);
    m.outside.hmc.close(HMC2);
    expect(m.inspect().events).toEqual(["hvpipe lost connection from 0x02000002"]);
    expect(checkException(m)).toBe(0);
    const log = m.memory.read(0x3000, 40);
    // §6.3: 'PE' data = be32 srcID, u8 event_type (0x02 = loss of pipe connection).
    expect(log[3]).toBe(0xe6);
    const pe = walkSections(log).find((s) => s.id === "PE")!;
    expect([...pe.data.subarray(0, 5)]).toEqual([0x02, 0x00, 0x00, 0x02, 0x02]);
    expect(m.inspect().hvpipe.sources.find((s) => s.id === HMC2)!.connected).toBe(false);
  });

  it("hmcClose while the pipe is disabled posts nothing", () => {
    const m = machine();
    m.outside.hmc.close(HMC1);
    expect(m.inspect().events).toEqual([]);
    expect(checkException(m)).toBe(1);
  });
});
