import { describe, expect, it } from "vitest";
import { PayloadLedger } from "../../../../kernel-shim/drivers/papr-hvpipe/ledger.js";

describe("the payload ledger", () => {
  it("a successful receive of 0 bytes handed nothing over: nothing is lost, on any path", () => {
    // A pipe message has at least one byte; a hypervisor that answers an empty pipe with success
    // (policy receive-when-empty: empty-success) returns source 0 and 0 bytes.
    const l = new PayloadLedger();
    expect(l.consumed({ firmwareSrc: 0, length: 0, copied: 0, path: "read", handleSrc: 0x02000001, userRet: 48 }))
      .toBe("ok: the receive handed over no payload (0 bytes from 0x0)");
    expect(l.consumed({ firmwareSrc: 0, length: 0, copied: 0, path: "read", handleSrc: 0x02000001, userRet: 0 }))
      .toBe("ok: the receive handed over no payload (0 bytes from 0x0)");
    expect(l.takeLost()).toEqual([]);
  });

  it("a payload read through another source's handle is still lost", () => {
    const l = new PayloadLedger();
    expect(l.consumed({ firmwareSrc: 0x02000002, length: 5, copied: 5, path: "read", handleSrc: 0x02000001, userRet: 53 }))
      .toBe("lost: payload of 5 bytes from 0x2000002 was read through the handle of 0x2000001");
    expect(l.takeLost()).toHaveLength(1);
  });
});
