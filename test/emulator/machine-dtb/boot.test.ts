// The kernel-shim booted from the merged QEMU blob: init, an hvpipe round trip both ways, the
// CLI's --dtb options, and dtc's silence on every blob the emulator emits.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { captureConsole } from "../../support/capture-console.js";
import { decodeFdt } from "../../../devicetree/index.js";
import { Machine } from "../../../emulator/machine.js";
import { HVPIPE_MSG_AVAILABLE } from "../../../kernel-shim/uapi.js";
import { main } from "../../../runner/cli/main.js";
import { withHeader } from "../../../runner/harness/guest-syscalls.js";
import { boot, handle, HMC1, text, hvpipeInitResult } from "../../support/partition-harness.js";
import { dtcDecompile, node, QEMU_DTB, QEMU_DTB_PATH, qemuVariant } from "./helpers.js";

const fromQemu = (blob: Uint8Array = QEMU_DTB) => boot({ dtb: { path: QEMU_DTB_PATH, blob } });

describe("the kernel-shim on the merged QEMU blob", () => {
  it("routes IRQ 0x1002, enables the pipe through the blob's tokens and registers the device", () => {
    const t = fromQemu();
    expect(t.rtasCalls.map((c) => [c.name, c.token, c.args, c.rets[0]])).toEqual([
      ["ibm,set-xive", 0x200a, [0x1002, 0, 5], 0],
      ["ibm,int-on", 0x200d, [0x1002], 0],
      ["ibm,set-system-parameter", 0x2009, [64, 0x12000], 0],
    ]);
    expect(t.dmesg()).toEqual(["hvpipe feature is enabled"]);
    expect(hvpipeInitResult(t.kernel)).toBe(0);
    expect(t.kernel.sched.cpus).toHaveLength(1);
  });

  it("hmc-send → read and write → HMC, through check-exception 0x200e and the tokens 0x202d/0x202e", () => {
    const t = fromQemu();
    const fd = handle(t, HMC1);
    t.machine.outside.hmc.send(HMC1, text("from the HMC"));
    t.kernel.settle();
    const r = t.sys.read(1, fd, 4096);
    expect(r.ret).toBe(48 + 12);
    expect(r.header![4]).toBe(HVPIPE_MSG_AVAILABLE);
    expect(new TextDecoder().decode(r.payload)).toBe("from the HMC");
    expect(t.sys.write(1, fd, withHeader(text("from the guest")))).toBe(48 + 14);
    expect(t.machine.devices.hvpipe.model.sources.get(HMC1)!.received.map((b) => new TextDecoder().decode(b))).toEqual(["from the guest"]);
    const calls = t.rtasCalls.slice(3).map((c) => [c.name, c.token, c.rets[0]]);
    expect(calls).toEqual([
      ["check-exception", 0x200e, 0],
      ["ibm,receive-hvpipe-msg", 0x202d, 0],
      ["ibm,send-hvpipe-msg", 0x202e, 0],
    ]);
    // The IRQ handler asked check-exception for the hvpipe class on the blob-derived IRQ.
    expect(t.rtasCalls[3]!.args.slice(0, 3)).toEqual([0x500, 0x1002, 0x04000000]);
  });

  it("boots 4 CPUs from a blob whose cpu node has 4 threads, and the round trip still works", () => {
    const t = fromQemu(qemuVariant((tree) => node(tree, "/cpus/PowerPC,POWER9@0").setU32List("ibm,ppc-interrupt-server#s", [0, 1, 2, 3])));
    expect(t.kernel.sched.cpus).toHaveLength(4);
    expect(t.machine.interrupts.inspect().icps.map((i) => i.cppr)).toEqual([0xff, 0xff, 0xff, 0xff]);
    const fd = handle(t, HMC1);
    t.machine.outside.hmc.send(HMC1, text("smt"));
    t.kernel.settle();
    expect(t.sys.read(1, fd, 4096).ret).toBe(51);
  });
});

describe("dtc -I dtb -O dts is silent on every blob the emulator emits", () => {
  const blobs: Array<[string, () => Uint8Array]> = [
    ["the default machine", () => new Machine().dtb],
    ["1 CPU", () => new Machine({ cpus: 1 }).dtb],
    ["2 CPUs", () => new Machine({ cpus: 2 }).dtb],
    ["4 CPUs", () => new Machine({ cpus: 4 }).dtb],
    ["the merged QEMU blob", () => new Machine({ baseDtb: QEMU_DTB }).dtb],
    ["the merged QEMU blob, hvpipe-capable false", () => new Machine({ baseDtb: QEMU_DTB, hvpipeCapable: false }).dtb],
    ["the merged QEMU blob without /event-sources", () => new Machine({ baseDtb: qemuVariant((t) => t.root.removeChild("event-sources")) }).dtb],
  ];

  it("while the QEMU blob itself draws two warnings (hence the added #address-cells)", () => {
    const r = dtcDecompile(QEMU_DTB);
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split("\n").map((l) => l.replace(/^.*Warning/, "Warning"))).toEqual([
      "Warning (interrupt_provider): /event-sources: Missing #address-cells in interrupt provider",
      "Warning (interrupt_provider): /interrupt-controller: Missing #address-cells in interrupt provider",
    ]);
  });

  it.each(blobs)("%s", (_what, make) => {
    const r = dtcDecompile(make());
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("the CLI", () => {
  let dir: string;
  const { out, err } = captureConsole({ stdout: true });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "papr-emu-dtb-cli-"));
  });

  const roundTrip = (machine: string) => [
    "name: round trip", machine, "steps:",
    "  - open: /dev/papr-hvpipe", "    as: dev",
    "  - ioctl: { fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001 }", "    as: h",
    '  - hmc-send: { source: 0x02000001, payload: "abc" }',
    "  - read: { fd: h, size: 4096 }", "    expect: { ret: 51, payload: \"abc\" }",
    '  - write: { fd: h, payload: "xyz" }', "    expect: { ret: 51 }",
    '  - expect-hmc: { source: 0x02000001, received: ["xyz"] }', "",
  ].join("\n");

  it("run --dtb boots every scenario from the blob; a scenario's explicit cpus that disagree make it invalid", async () => {
    const ok = join(dir, "a.yaml");
    writeFileSync(ok, roundTrip("machine: { sources: [0x02000001] }"));
    const two = join(dir, "b.yaml");
    writeFileSync(two, roundTrip("machine: { cpus: 2 }"));
    expect(await main(["run", "--dtb", QEMU_DTB_PATH, ok])).toBe(0);
    expect(out.join("\n")).toContain("1 passed, 0 failed");
    expect(await main(["run", "--dtb", QEMU_DTB_PATH, ok, two])).toBe(2);
    expect(err).toEqual([`INVALID  ${two}: machine.cpus is 2, but --dtb ${QEMU_DTB_PATH} has 1 CPU thread`]);
  });

  it("run --dtb with a blob that cannot serve is a usage error (2) naming the reason", async () => {
    const f = join(dir, "a.yaml");
    writeFileSync(f, roundTrip("machine: {}"));
    const bad = join(dir, "nortas.dtb");
    writeFileSync(bad, qemuVariant((t) => t.root.removeChild("rtas")));
    expect(await main(["run", "--dtb", bad, f])).toBe(2);
    expect(err.join("\n")).toBe(`papr-emu: --dtb ${bad}: cannot serve as the partition's tree: /rtas: no such node; the RTAS tokens the kernel looks up are advertised there`);
  });

  it("machine.dtb in the file: the scenario runs on the blob", async () => {
    writeFileSync(join(dir, "q.dtb"), QEMU_DTB);
    const f = join(dir, "c.yaml");
    writeFileSync(f, roundTrip("machine: { dtb: q.dtb }"));
    expect(await main(["run", f])).toBe(0);
  });

  it("dt --machine --dtb <file> prints the merged tree; with a scenario, that scenario's machine", async () => {
    expect(await main(["dt", "--machine", "--dtb", QEMU_DTB_PATH])).toBe(0);
    const dts = out.join("");
    expect(dts).toContain("ibm,receive-hvpipe-msg = <0x202d>;");
    expect(dts).toContain("ibm,send-hvpipe-msg = <0x202e>;");
    expect(dts).toContain("check-exception = <0x200e>;");
    expect(dts).toContain('model = "IBM pSeries (emulated by qemu)";');
    out.length = 0;
    const f = join(dir, "off.yaml");
    writeFileSync(f, "name: off\nmachine: { hvpipe-capable: false }\nsteps: []\n");
    expect(await main(["dt", "--machine", f, "--dtb", QEMU_DTB_PATH, "-o", join(dir, "m.dts")])).toBe(0);
    const written = readFileSync(join(dir, "m.dts"), "utf8");
    expect(written).toContain("ibm,hvpipe-msg-events");
    expect(written).not.toContain("ibm,hypervisor-pipe-capable");
  });

  it("dt --dtb keeps its old meaning: re-encode, with the blob before or as the option's value", async () => {
    const m = new Machine({ baseDtb: QEMU_DTB });
    const blob = join(dir, "merged.dtb");
    writeFileSync(blob, m.dtb);
    expect(await main(["dt", blob, "--dtb", "-o", join(dir, "a.dtb")])).toBe(0);
    expect(await main(["dt", "--dtb", blob, "-o", join(dir, "b.dtb")])).toBe(0);
    expect(new Uint8Array(readFileSync(join(dir, "a.dtb")))).toEqual(m.dtb);
    expect(new Uint8Array(readFileSync(join(dir, "b.dtb")))).toEqual(m.dtb);
    expect(decodeFdt(m.dtb).lookup("/event-sources/ibm,hvpipe-msg-events")).toBeDefined();
  });
});
