// Issue 14: a blob whose highest token is at the top of the u32 range. 0xffffffff itself is
// refused (refusals.test.ts); below it, added functions take what is left and then the lowest
// free tokens from 0x2000, never a value above 0xfffffffe.
import { describe, expect, it } from "vitest";
import { Machine } from "../../../emulator/machine.js";
import { node, qemuVariant } from "./helpers.js";

describe("tokens at the top of the u32 range", () => {
  it("highest blob token 0xfffffffe: hvpipe gets the lowest free tokens, 0x202c (given up by ibm,nmi-interlock) and 0x202d", () => {
    const m = new Machine({ baseDtb: qemuVariant((t) => node(t, "/rtas").setU32("ibm,nmi-interlock", 0xfffffffe)) });
    expect(m.tokens.tokenOf("ibm,receive-hvpipe-msg")).toBe(0x202c);
    expect(m.tokens.tokenOf("ibm,send-hvpipe-msg")).toBe(0x202d);
    expect(m.tokens.tokenOf("ibm,nmi-interlock")).toBe(0xfffffffe);
  });

  it("highest blob token 0xfffffffd: the first added function takes 0xfffffffe, the next wraps to 0x202c", () => {
    const m = new Machine({ baseDtb: qemuVariant((t) => node(t, "/rtas").setU32("ibm,nmi-interlock", 0xfffffffd)) });
    expect(m.tokens.tokenOf("ibm,receive-hvpipe-msg")).toBe(0xfffffffe);
    expect(m.tokens.tokenOf("ibm,send-hvpipe-msg")).toBe(0x202c);
  });
});
