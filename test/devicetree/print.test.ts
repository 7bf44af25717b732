// DTS printing: the property type table, the guess for unknown names, escaping, and the exact
// text of a small tree (compiled by dtc in devicetree-dtc/-property tests).

import { describe, expect, it } from "vitest";
import { DeviceTree, printDts, printProperty, propertyKind } from "../../devicetree/index.js";

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const str = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "latin1"));

describe("propertyKind: the table", () => {
  it.each([
    ["compatible", "strings"],
    ["model", "strings"],
    ["device_type", "strings"],
    ["name", "strings"],
    ["status", "strings"],
    ["bootargs", "strings"],
    ["stdout-path", "strings"],
    ["ibm,hypertas-functions", "strings"],
    ["qemu,hypertas-functions", "strings"],
  ])("%s is a string list when NUL-terminated", (name, kind) => {
    expect(propertyKind("/", name, str("x\0"))).toBe(kind);
  });

  it.each([
    "reg",
    "#address-cells",
    "#size-cells",
    "#interrupt-cells",
    "interrupts",
    "interrupt-ranges",
    "interrupt-parent",
    "phandle",
    "linux,phandle",
    "ibm,interrupt-server-ranges",
    "rtas-size",
    "rtas-error-log-max",
    "rtas-event-scan-rate",
    "ibm,lrdr-capacity",
    "ibm,associativity-reference-points",
  ])("%s is cells, even when the bytes look like a string", (name) => {
    expect(propertyKind("/", name, str("abc\0"))).toBe("cells");
  });

  it.each(["ibm,arch-vec-5-platform-support", "ibm,numa-distance-table"])("%s is bytes", (name) => {
    expect(propertyKind("/", name, bytes(0x17, 0x80, 0x18, 0xc0))).toBe("bytes");
  });

  it("any 4-byte /rtas property not in the table is an RTAS token (cells)", () => {
    expect(propertyKind("/rtas", "ibm,send-hvpipe-msg", str("abc\0"))).toBe("cells");
    expect(propertyKind("/", "ibm,send-hvpipe-msg", str("abc\0"))).toBe("strings"); // the guess
    // The table wins in /rtas too: a one-string hypertas list of 4 bytes stays a string.
    expect(propertyKind("/rtas", "qemu,hypertas-functions", str("abc\0"))).toBe("strings");
  });

  it("a declared kind that does not fit the bytes falls back to bytes", () => {
    expect(propertyKind("/", "reg", bytes(1, 2, 3))).toBe("bytes");
    expect(propertyKind("/", "model", str("abc"))).toBe("bytes");
    expect(propertyKind("/", "interrupt-controller", bytes(1))).toBe("bytes");
  });

  it("empty values are empty whatever the name", () => {
    expect(propertyKind("/", "reg", bytes())).toBe("empty");
    expect(propertyKind("/", "anything", bytes())).toBe("empty");
  });
});

describe("propertyKind: the guess for unknown names", () => {
  it.each([
    ["printable NUL-terminated strings", str("hello\0world\0"), "strings"],
    ["an empty string inside the list (looks binary)", str("a\0\0b\0\0\0\0"), "cells"],
    ["a non-printable byte, length a multiple of 4", bytes(1, 0, 0, 0), "cells"],
    ["odd length, not a string", bytes(1, 2, 3), "bytes"],
    ["no terminating NUL", str("abcde"), "bytes"],
  ])("%s", (_label, v, kind) => {
    expect(propertyKind("/", "vendor,unknown", v)).toBe(kind);
  });
});

describe("printProperty", () => {
  it("cells as <0x…>", () => {
    expect(printProperty("/", "reg", bytes(0, 0, 0, 0, 0, 0, 0x10, 0))).toBe("reg = <0x0 0x1000>;");
  });

  it("string lists quoted and comma-separated", () => {
    expect(printProperty("/", "compatible", str("IBM,ppc-xicp\0chrp\0"))).toBe('compatible = "IBM,ppc-xicp", "chrp";');
  });

  it("escapes backslash, quote, newline, tab and non-printables as \\xNN", () => {
    const v = str('a\\b"c\nd\te\x01\xff\0');
    expect(printProperty("/", "model", v)).toBe('model = "a\\\\b\\"c\\nd\\te\\x01\\xff";');
  });

  it("bytes as [0a 0b]", () => {
    expect(printProperty("/", "ibm,numa-distance-table", bytes(0x0a, 0x0b))).toBe("ibm,numa-distance-table = [0a 0b];");
  });

  it("empty as `name;`", () => {
    expect(printProperty("/event-sources", "interrupt-controller", bytes())).toBe("interrupt-controller;");
  });
});

describe("printDts", () => {
  it("prints header, reservations and a tab-indented tree", () => {
    const t = new DeviceTree({ reservations: [{ address: 0x1000n, size: 0x2000n }] });
    t.root.setString("model", "m").setU32("#address-cells", 1);
    const ev = t.root.addChild("event-sources").setEmpty("interrupt-controller").setU32("#interrupt-cells", 2);
    ev.addChild("ibm,hvpipe-msg-events").setU32List("interrupts", [0x1002, 0]);
    t.root.addChild("rtas").setU32("ibm,receive-hvpipe-msg", 0x2031);
    expect(printDts(t)).toBe(
      [
        "/dts-v1/;",
        "",
        "/memreserve/ 0x0000000000001000 0x0000000000002000;",
        "",
        "/ {",
        '\tmodel = "m";',
        "\t#address-cells = <0x1>;",
        "",
        "\tevent-sources {",
        "\t\tinterrupt-controller;",
        "\t\t#interrupt-cells = <0x2>;",
        "",
        "\t\tibm,hvpipe-msg-events {",
        "\t\t\tinterrupts = <0x1002 0x0>;",
        "\t\t};",
        "\t};",
        "",
        "\trtas {",
        "\t\tibm,receive-hvpipe-msg = <0x2031>;",
        "\t};",
        "};",
        "",
      ].join("\n"),
    );
  });

  it("an empty tree is just the root", () => {
    expect(printDts(new DeviceTree())).toBe("/dts-v1/;\n\n/ {\n};\n");
  });
});
