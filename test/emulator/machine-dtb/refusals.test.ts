// Blobs that cannot serve as the partition's tree are refused with the path and the reason, by the
// Machine (MachineTreeError), by the scenario parser (at the dtb key's line:column) and by the CLI.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FdtFormatError, type DeviceTree } from "../../../devicetree/index.js";
import { MachineTreeError } from "../../../emulator/base-tree.js";
import { Machine } from "../../../emulator/machine.js";
import { parseScenario } from "../../../runner/scenario/parse.js";
import { ScenarioError } from "../../../runner/scenario/errors.js";
import { node, QEMU_DTB, qemuVariant } from "./helpers.js";

const REFUSALS: Array<[string, (t: DeviceTree) => void, string]> = [
  ["no /rtas", (t) => t.root.removeChild("rtas"),
    "/rtas: no such node; the RTAS tokens the kernel looks up are advertised there"],
  ["OV5 byte 23 offers XIVE only", (t) => node(t, "/chosen").setBytes("ibm,arch-vec-5-platform-support", Uint8Array.of(23, 0x40, 24, 0xc0, 25, 0, 26, 0x40)),
    "/chosen/ibm,arch-vec-5-platform-support: byte 23 offers 0x40 (XIVE only); the emulator's interrupt controller is XICS (byte 23 must offer 0x00 or 0x80)"],
  ["a XIVE node and no XICS node", (t) => {
    t.root.removeChild("interrupt-controller");
    const xive = t.root.addChild("interrupt-controller@6030203180000");
    xive.setString("device_type", "power-ivpe");
    xive.setString("compatible", "ibm,power-ivpe");
    xive.setEmpty("interrupt-controller");
  }, '/interrupt-controller@6030203180000: XIVE interrupt controller (compatible "ibm,power-ivpe") and no XICS node (compatible "IBM,ppc-xicp"); the emulator implements XICS only'],
  ["no interrupt controller at all", (t) => t.root.removeChild("interrupt-controller"),
    '/: no XICS interrupt controller (a node with compatible "IBM,ppc-xicp")'],
  ["two functions share a token", (t) => node(t, "/rtas").setU32("ibm,nmi-interlock", 0x200e),
    '/rtas/check-exception: token 0x200e is also the token of "ibm,nmi-interlock"'],
  ["a token below 0x2000", (t) => node(t, "/rtas").setU32("display-character", 0xa),
    "/rtas/display-character: token 0xa is below 0x2000 (RTAS_TOKEN_BASE)"],
  ["a token 0xffffffff (issue 14: the merge once placed hvpipe at 0x100000000)", (t) => node(t, "/rtas").setU32("ibm,nmi-interlock", 0xffffffff),
    "/rtas/ibm,nmi-interlock: token 0xffffffff is RTAS_UNKNOWN_SERVICE (-1): the kernel never calls a function with it"],
  ["an hvpipe token of 8 bytes", (t) => node(t, "/rtas").setU32List("ibm,send-hvpipe-msg", [0, 0x2030]),
    "/rtas/ibm,send-hvpipe-msg: is 8 bytes; an RTAS token is one u32 cell (4 bytes)"],
  ["an hvpipe token below 0x2000", (t) => node(t, "/rtas").setU32("ibm,receive-hvpipe-msg", 0x1fff),
    "/rtas/ibm,receive-hvpipe-msg: token 0x1fff is below 0x2000 (RTAS_TOKEN_BASE)"],
  ["an hvpipe token equal to check-exception's", (t) => node(t, "/rtas").setU32("ibm,send-hvpipe-msg", 0x200e),
    '/rtas/ibm,send-hvpipe-msg: token 0x200e is also the token of "check-exception"'],
  ["a capability with a value", (t) => node(t, "/rtas").setU32("ibm,hypervisor-pipe-capable", 1),
    "/rtas/ibm,hypervisor-pipe-capable: is 4 bytes; the capability is an empty property (its presence is the whole message)"],
  ["no /cpus", (t) => t.root.removeChild("cpus"),
    "/cpus: no such node; the CPU threads are read from it"],
  ["a server number twice", (t) => node(t, "/cpus/PowerPC,POWER9@0").setU32List("ibm,ppc-interrupt-server#s", [0, 0]),
    "/cpus/PowerPC,POWER9@0/ibm,ppc-interrupt-server#s: interrupt server 0 appears twice in /cpus (first under /cpus/PowerPC,POWER9@0)"],
  ["65 CPU threads", (t) => node(t, "/cpus/PowerPC,POWER9@0").setU32List("ibm,ppc-interrupt-server#s", Array.from({ length: 65 }, (_, i) => i)),
    "/cpus: 65 CPU threads; the emulator runs at most 64"],
  ["no RAM at 0", (t) => node(t, "/memory@0").setU32List("reg", [0, 0x10000000, 0, 0x10000000]),
    '/memory: no RAM at address 0 (reg of the device_type "memory" nodes)'],
  ["an event source outside the XICS range", (t) => node(t, "/event-sources/epow-events").setU32List("interrupts", [0x17, 0]),
    "/event-sources/epow-events/interrupts: IRQ 0x17 is outside the XICS source range 0x1000..0x1fff"],
  ["a level event source", (t) => node(t, "/event-sources/hot-plug-events").setU32List("interrupts", [0x1001, 1]),
    "/event-sources/hot-plug-events/interrupts: IRQ 0x1001 has sense 1 (level); the emulator raises event sources as edge (MSI) interrupts, sense 0"],
  ["/event-sources with 1-cell specifiers", (t) => node(t, "/event-sources").setU32("#interrupt-cells", 1),
    "/event-sources/#interrupt-cells: is 1; XICS event sources have 2 cells <irq sense>"],
  ["no free XICS number", (t) => node(t, "/event-sources").setU32List("interrupt-ranges", [0x1000, 0x1000]),
    "/event-sources: no free XICS IRQ in 0x1000..0x1fff for ibm,hvpipe-msg-events"],
];

describe("MachineTreeError for a blob that cannot serve", () => {
  it.each(REFUSALS)("%s", (_what, edit, message) => {
    const blob = qemuVariant(edit);
    let error: unknown;
    try {
      new Machine({ baseDtb: blob });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MachineTreeError);
    expect((error as Error).message).toBe(message);
    expect((error as MachineTreeError).path).toBe(message.slice(0, message.indexOf(": ")));
  });

  it("cpus given and different from the blob's threads", () => {
    expect(() => new Machine({ baseDtb: QEMU_DTB, cpus: 2 })).toThrow(new MachineTreeError("/cpus",
      "has 1 CPU thread (entries of ibm,ppc-interrupt-server#s), the machine was asked for 2 cpus"));
    expect(new Machine({ baseDtb: QEMU_DTB, cpus: 1 }).cpus).toBe(1);
  });

  it("memoryBytes with a blob", () => {
    expect(() => new Machine({ baseDtb: QEMU_DTB, memoryBytes: 1 << 24 }))
      .toThrow("memoryBytes cannot be combined with baseDtb: RAM comes from the blob's /memory");
  });

  it("a blob that is no DTB is an FdtFormatError with its offset", () => {
    expect(() => new Machine({ baseDtb: new Uint8Array(16) })).toThrow(FdtFormatError);
    expect(() => new Machine({ baseDtb: new Uint8Array(16) })).toThrow("DTB offset 0x10: blob is 16 bytes, shorter than the 40-byte header");
  });

  it("XICS and XIVE both present (QEMU's dual mode, OV5 byte 23 = 0x80) is accepted", () => {
    const blob = qemuVariant((t) => t.root.addChild("interrupt-controller@6030203180000").setString("compatible", "ibm,power-ivpe"));
    expect(new Machine({ baseDtb: blob }).cpus).toBe(1);
  });
});

describe("machine.dtb in a scenario file", () => {
  const dir = mkdtempSync(join(tmpdir(), "papr-emu-dtb-scn-"));
  writeFileSync(join(dir, "qemu.dtb"), QEMU_DTB);
  writeFileSync(join(dir, "garbage.dtb"), new TextEncoder().encode("not a device tree blob at all, just text\n"));
  writeFileSync(join(dir, "nortas.dtb"), qemuVariant((t) => t.root.removeChild("rtas")));
  const file = join(dir, "s.yaml");
  const scenario = (machine: string[]) => ["name: d", "machine:", ...machine.map((l) => `  ${l}`), "steps: []", ""].join("\n");
  const failure = (text: string): ScenarioError => {
    try {
      parseScenario(text, file);
    } catch (e) {
      if (e instanceof ScenarioError) return e;
      throw e;
    }
    throw new Error("test: no error");
  };

  it("reads the blob relative to the scenario's directory and takes its CPU count", () => {
    const s = parseScenario(scenario(["dtb: qemu.dtb"]), file);
    expect(s.machine.dtb!.path).toBe(join(dir, "qemu.dtb"));
    expect(s.machine.dtb!.blob).toEqual(QEMU_DTB);
    expect(s.machine.cpus).toBe(1);
    expect(s.machine.cpusExplicit).toBeUndefined();
    expect(parseScenario(scenario(["cpus: 1", "dtb: qemu.dtb"]), file).machine.cpusExplicit).toBe(true);
  });

  it("an unreadable file: at the key", () => {
    const e = failure(scenario(["cpus: 1", "dtb: missing.dtb"]));
    expect(e.message).toBe(`${file}:4:3: dtb: cannot read "missing.dtb": ENOENT: no such file or directory, open '${join(dir, "missing.dtb")}'`);
    expect(e.key).toBe("machine.dtb");
  });

  it("not a regular file (a device that never ends): at the key, without reading it", () => {
    expect(failure(scenario(["dtb: /dev/zero"])).message).toBe(`${file}:3:3: dtb: cannot read "/dev/zero": not a regular file`);
  });

  it("not a DTB: at the key, with the offset", () => {
    expect(failure(scenario(["dtb: garbage.dtb"])).message)
      .toBe(`${file}:3:3: dtb: "garbage.dtb" is not a valid DTB: DTB offset 0x0: bad magic 0x6e6f7420 (expected 0xd00dfeed)`);
  });

  it("refused: at the key, with the reason", () => {
    expect(failure(scenario(["sources: [0x02000001]", "dtb: nortas.dtb"])).message)
      .toBe(`${file}:4:3: dtb: "nortas.dtb" cannot serve as the partition's tree: /rtas: no such node; the RTAS tokens the kernel looks up are advertised there`);
  });

  it("cpus that disagree with the blob: at the cpus key, whatever the key order", () => {
    const e = failure(scenario(["dtb: qemu.dtb", "cpus: 2"]));
    expect(e.message).toBe(`${file}:4:3: "cpus" is 2, but the DTB's /cpus has 1 CPU thread (remove cpus, or make it 1)`);
    expect(e.key).toBe("machine.cpus");
  });

  it("dtb must be a non-empty string", () => {
    expect(failure(scenario(["dtb: 3"])).message).toBe(`${file}:3:8: "dtb" must be a path to a .dtb file, got the number 3`);
    expect(failure(scenario(['dtb: ""'])).message).toBe(`${file}:3:8: "dtb" must be a path to a .dtb file, got a string ""`);
  });
});
