// Booting from QEMU 7.2's pseries blob (test/fixtures/dt): the merged tree keeps the blob, adds
// what hvpipe needs at the stated tokens and IRQ, and the Machine takes its CPUs, RAM, tokens
// and event IRQs from it (spec/spapr-platform.md §1.3, §2, §3.1, §4.6-§4.7; hvpipe-driver.md §9).
import { describe, expect, it } from "vitest";
import { decodeFdt } from "../../../devicetree/index.js";
import { readBaseDtb, MAX_BACKED_RAM_BYTES } from "../../../emulator/base-tree.js";
import { EVENT_CLASSES } from "../../../emulator/devices/events/queue.js";
import { H_PARAMETER, H_SUCCESS, KVMPPC_H_RTAS } from "../../../emulator/hcall-numbers.js";
import { Machine } from "../../../emulator/machine.js";
import { mergeMachineTree } from "../../../emulator/machine-dt-merge.js";
import { rtasToken } from "../helpers.js";
import { nodePaths, node, propertyMap, QEMU_DTB, qemuVariant } from "./helpers.js";

const fromQemu = (options: ConstructorParameters<typeof Machine>[0] = {}) => new Machine({ ...options, baseDtb: QEMU_DTB });

/** The fixture's own /rtas tokens (QEMU's §1.3 table, 0x2000..0x202c). */
const QEMU_TOKENS: Array<[string, number]> = [
  ["display-character", 0x2000], ["get-time-of-day", 0x2001], ["set-time-of-day", 0x2002], ["power-off", 0x2003],
  ["system-reboot", 0x2004], ["query-cpu-stopped-state", 0x2005], ["start-cpu", 0x2006], ["stop-self", 0x2007],
  ["ibm,get-system-parameter", 0x2008], ["ibm,set-system-parameter", 0x2009], ["ibm,set-xive", 0x200a],
  ["ibm,get-xive", 0x200b], ["ibm,int-off", 0x200c], ["ibm,int-on", 0x200d], ["check-exception", 0x200e],
  ["event-scan", 0x200f], ["ibm,set-tce-bypass", 0x2010], ["quiesce", 0x2011], ["nvram-fetch", 0x2012],
  ["nvram-store", 0x2013], ["read-pci-config", 0x2014], ["write-pci-config", 0x2015], ["ibm,read-pci-config", 0x2016],
  ["ibm,write-pci-config", 0x2017], ["ibm,query-interrupt-source-number", 0x2018], ["ibm,change-msi", 0x2019],
  ["set-indicator", 0x201a], ["set-power-level", 0x201b], ["get-power-level", 0x201c], ["get-sensor-state", 0x201d],
  ["ibm,configure-connector", 0x201e], ["ibm,os-term", 0x201f], ["ibm,set-eeh-option", 0x2020],
  ["ibm,get-config-addr-info2", 0x2021], ["ibm,read-slot-reset-state2", 0x2022], ["ibm,set-slot-reset", 0x2023],
  ["ibm,configure-pe", 0x2024], ["ibm,slot-error-detail", 0x2025], ["ibm,query-pe-dma-window", 0x2026],
  ["ibm,create-pe-dma-window", 0x2027], ["ibm,remove-pe-dma-window", 0x2028], ["ibm,reset-pe-dma-window", 0x2029],
  ["ibm,suspend-me", 0x202a], ["ibm,nmi-register", 0x202b], ["ibm,nmi-interlock", 0x202c],
];
const IMPLEMENTED = [
  "ibm,get-system-parameter", "ibm,set-system-parameter", "ibm,set-xive", "ibm,get-xive", "ibm,int-off", "ibm,int-on",
  "check-exception", "event-scan",
];

describe("reading the QEMU 7.2 blob", () => {
  it("finds 1 CPU thread, 512 MiB of RAM, 45 tokens up to 0x202c, EPOW 0x1000, hot plug 0x1001, and 0x1002 free", () => {
    const base = readBaseDtb(QEMU_DTB);
    expect(base.threads).toBe(1);
    expect(base.servers).toBe(1);
    expect(base.ramBytes).toBe(0x20000000n);
    expect(base.backedBytes).toBe(0x10000000);
    expect([...base.tokens].sort((a, b) => a[1] - b[1])).toEqual(QEMU_TOKENS);
    expect(base.eventIrqs).toEqual({ epow: 0x1000, hotplug: 0x1001, hvpipe: 0x1002 });
    expect(base.hvpipeIrqIsNew).toBe(true);
  });
});

describe("the merged tree", () => {
  const m = fromQemu();
  const original = decodeFdt(QEMU_DTB);
  const merged = decodeFdt(m.dtb);

  it("keeps every node of the blob, in order, and adds only /event-sources/ibm,hvpipe-msg-events", () => {
    const before = nodePaths(original);
    const after = nodePaths(merged);
    expect(before).toHaveLength(19);
    expect(after.filter((p) => before.includes(p))).toEqual(before);
    expect(after.filter((p) => !before.includes(p))).toEqual(["/event-sources/ibm,hvpipe-msg-events"]);
  });

  it("keeps every property byte for byte and in order; only interrupt-ranges grows by <0x1002 1>", () => {
    const before = propertyMap(original);
    const after = propertyMap(merged);
    for (const [path, value] of before) {
      if (path === "/event-sources/interrupt-ranges") continue;
      expect(after.get(path), path).toBe(value);
    }
    expect(before.get("/event-sources/interrupt-ranges")).toBe("00001000000000010000100100000001");
    expect(after.get("/event-sources/interrupt-ranges")).toBe("000010000000000100001001000000010000100200000001");
    for (const n of original.root.walk()) {
      const names = n.properties.map((p) => p.name);
      const kept = merged.lookup(n.path, { exact: true })!.properties.map((p) => p.name).filter((x) => names.includes(x));
      expect(kept, n.path).toEqual(names);
    }
    expect(merged.reservations).toEqual(original.reservations);
    expect(merged.bootCpuId).toBe(original.bootCpuId);
  });

  it("adds exactly the hvpipe pieces, with these values", () => {
    const before = propertyMap(original);
    const added = [...propertyMap(merged)].filter(([path]) => !before.has(path));
    expect(added).toEqual([
      // After the blob's highest token 0x202c, in the order the Machine registers them.
      ["/rtas/ibm,receive-hvpipe-msg", "0000202d"],
      ["/rtas/ibm,send-hvpipe-msg", "0000202e"],
      ["/rtas/ibm,hypervisor-pipe-capable", ""],
      // dtc's interrupt_provider check: QEMU's /event-sources and /interrupt-controller lack it.
      ["/event-sources/#address-cells", "00000000"],
      ["/event-sources/ibm,hvpipe-msg-events/interrupts", "0000100200000000"],
      ["/interrupt-controller/#address-cells", "00000000"],
    ]);
    expect(m.mergedTree!.added).toEqual([
      "/rtas/ibm,receive-hvpipe-msg", "/rtas/ibm,send-hvpipe-msg", "/rtas/ibm,hypervisor-pipe-capable",
      "/event-sources/ibm,hvpipe-msg-events", "/event-sources/#address-cells", "/interrupt-controller/#address-cells",
    ]);
    expect(m.mergedTree!.changed).toEqual(["/event-sources/interrupt-ranges"]);
    expect(m.mergedTree!.removed).toEqual([]);
    // rtas-error-log-max is the blob's own (2048): not added again.
    expect(node(merged, "/rtas").u32("rtas-error-log-max")).toBe(2048);
  });
});

describe("the Machine booted from the QEMU blob", () => {
  it("registers what it implements at the blob's tokens and hvpipe at 0x202d/0x202e", () => {
    const m = fromQemu();
    for (const name of IMPLEMENTED) {
      expect(m.tokens.tokenOf(name), name).toBe(QEMU_TOKENS.find(([n]) => n === name)![1]);
    }
    expect(m.tokens.tokenOf("check-exception")).toBe(0x200e);
    expect(m.tokens.tokenOf("ibm,receive-hvpipe-msg")).toBe(0x202d);
    expect(m.tokens.tokenOf("ibm,send-hvpipe-msg")).toBe(0x202e);
    // 45 of the blob + 2 added, dense from 0x2000.
    expect(m.tokens.entries().map((e) => e.token)).toEqual(Array.from({ length: 47 }, (_, i) => 0x2000 + i));
    const origins = new Map(m.mergedTree!.functions.map((f) => [f.name, f.origin]));
    expect([...origins].filter(([, o]) => o === "blob").map(([n]) => n).sort()).toEqual([...IMPLEMENTED].sort());
    expect([...origins].filter(([, o]) => o === "free").map(([n]) => n)).toEqual(["ibm,receive-hvpipe-msg", "ibm,send-hvpipe-msg"]);
    expect([...origins].filter(([, o]) => o === "not-implemented")).toHaveLength(37);
  });

  it("answers a blob function it does not implement with -5 under its name, an unknown token as before", () => {
    const m = fromQemu();
    const calls: Array<[string | undefined, number]> = [];
    m.onRtasCall = (t) => calls.push([t.name, t.rets[0]!]);
    // ibm,os-term(buffer): RTAS_FUNC_NOT_SUPPORTED -5 (spec/spapr-platform.md §6.2, not QEMU's -3); the hcall succeeds.
    expect(rtasToken(m, 0x201f, [0x2000], 1)).toEqual({ r3: H_SUCCESS, rets: [-5] });
    expect(rtasToken(m, 0x202f, [], 1)).toEqual({ r3: H_PARAMETER, rets: [-3] });
    expect(calls).toEqual([["ibm,os-term", -5], [undefined, -3]]);
  });

  it("takes CPU threads and XICS servers from /cpus, and backs 256 of the blob's 512 MiB", () => {
    const m = fromQemu();
    expect(m.cpus).toBe(1);
    expect(m.interrupts.servers).toBe(1);
    expect(m.memory.size).toBe(MAX_BACKED_RAM_BYTES);
    expect(m.memory.contains(0x0ffffffc, 4)).toBe(true);
    expect(m.memory.contains(0x10000000, 4)).toBe(false);
    // An RTAS argument block above the backed RAM is outside RAM to the emulator.
    expect(m.hcall(0, KVMPPC_H_RTAS, [0x10000000]).ret).toBe(H_PARAMETER);
  });

  it("backs all of a smaller blob's RAM (64 MiB)", () => {
    const blob = qemuVariant((t) => node(t, "/memory@0").setU32List("reg", [0, 0, 0, 0x04000000]));
    const m = new Machine({ baseDtb: blob });
    expect(m.memory.size).toBe(0x04000000);
  });

  it("counts SMT threads: one cpu node with servers <0 1 2 3> is 4 CPUs and 4 ICPs", () => {
    const blob = qemuVariant((t) => node(t, "/cpus/PowerPC,POWER9@0").setU32List("ibm,ppc-interrupt-server#s", [0, 1, 2, 3]));
    const m = new Machine({ baseDtb: blob });
    expect(m.cpus).toBe(4);
    expect(m.interrupts.servers).toBe(4);
    expect(new Machine({ baseDtb: blob, cpus: 4 }).cpus).toBe(4);
  });

  it("sparse server numbers <0 8>: 2 threads, 9 servers (largest + 1)", () => {
    const blob = qemuVariant((t) => node(t, "/cpus/PowerPC,POWER9@0").setU32List("ibm,ppc-interrupt-server#s", [0, 8]));
    const m = new Machine({ baseDtb: blob });
    expect(m.cpus).toBe(2);
    expect(m.interrupts.servers).toBe(9);
  });

  it("routes the event classes to the blob's IRQs and claims them in XICS", () => {
    const blob = qemuVariant((t) => {
      node(t, "/event-sources/epow-events").setU32List("interrupts", [0x1010, 0]);
      node(t, "/event-sources").setU32List("interrupt-ranges", [0x1010, 1, 0x1001, 1]);
    });
    const m = new Machine({ baseDtb: blob });
    expect(m.devices.events.model.irqOf(EVENT_CLASSES.epow)).toBe(0x1010);
    expect(m.devices.events.model.irqOf(EVENT_CLASSES.hotplug)).toBe(0x1001);
    // 0x1000 still counts as used: the PHB's interrupt-map has a cell 0x1000 (a unit address).
    expect(m.devices.events.model.irqOf(EVENT_CLASSES.hvpipe)).toBe(0x1002);
    const claimed = m.interrupts.inspect().sources.filter((s) => s.type === "MSI").map((s) => s.irq);
    expect(claimed).toEqual([0x1001, 0x1002, 0x1010]);
    // An EPOW event edges 0x1010 (masked at reset: it is left pending there).
    m.devices.events.model.post({ eventClass: EVENT_CLASSES.epow, description: "epow", write: () => true });
    expect(m.interrupts.inspect().sources.find((s) => s.irq === 0x1010)!.status).toEqual(["MASKED_PENDING"]);
    expect(m.interrupts.inspect().sources.find((s) => s.irq === 0x1000)).toBeUndefined();
  });

  it("keeps a blob's own ibm,hvpipe-msg-events (0x1234): nothing added under /event-sources", () => {
    const blob = qemuVariant((t) => {
      const events = node(t, "/event-sources");
      events.addChild("ibm,hvpipe-msg-events").setU32List("interrupts", [0x1234, 0]);
      events.setU32List("interrupt-ranges", [0x1000, 1, 0x1001, 1, 0x1234, 1]);
    });
    const m = new Machine({ baseDtb: blob });
    expect(m.devices.events.model.irqOf(EVENT_CLASSES.hvpipe)).toBe(0x1234);
    expect(m.mergedTree!.changed).toEqual([]);
    expect(m.mergedTree!.added.filter((p) => p.startsWith("/event-sources"))).toEqual(["/event-sources/#address-cells"]);
  });

  it("creates /event-sources when the blob has none: EPOW and hot plug get no IRQ, hvpipe the first free number", () => {
    const blob = qemuVariant((t) => t.root.removeChild("event-sources"));
    const m = new Machine({ baseDtb: blob });
    const events = node(decodeFdt(m.dtb), "/event-sources");
    // 0x1000 is a cell of the PHB's interrupt-map, so the first free number is 0x1001.
    expect(events.properties.map((p) => [p.name, Buffer.from(p.value).toString("hex")])).toEqual([
      ["interrupt-controller", ""],
      ["#interrupt-cells", "00000002"],
      ["interrupt-ranges", "0000100100000001"],
      ["#address-cells", "00000000"],
    ]);
    expect(events.children.map((c) => [c.name, c.u32List("interrupts")])).toEqual([["ibm,hvpipe-msg-events", [0x1001, 0]]]);
    expect(m.devices.events.model.irqOf(EVENT_CLASSES.epow)).toBeNull();
    expect(m.devices.events.model.irqOf(EVENT_CLASSES.hvpipe)).toBe(0x1001);
  });

  it("adds rtas-error-log-max = 2048 when the blob lacks it", () => {
    const blob = qemuVariant((t) => node(t, "/rtas").removeProperty("rtas-error-log-max"));
    const m = new Machine({ baseDtb: blob });
    expect(node(decodeFdt(m.dtb), "/rtas").u32("rtas-error-log-max")).toBe(2048);
    expect(m.mergedTree!.added).toContain("/rtas/rtas-error-log-max");
  });

  it("hvpipeCapable: false adds no capability; omitRtas removes the blob's property and registers nothing", () => {
    const m = fromQemu({ hvpipeCapable: false, omitRtas: ["check-exception"] });
    const rtas = node(decodeFdt(m.dtb), "/rtas");
    expect(rtas.hasProperty("ibm,hypervisor-pipe-capable")).toBe(false);
    expect(rtas.hasProperty("check-exception")).toBe(false);
    expect(m.tokens.tokenOf("check-exception")).toBeUndefined();
    expect(m.mergedTree!.removed).toEqual(["/rtas/check-exception"]);
    // The omitted token stays reserved: hvpipe still starts after 0x202c.
    expect(m.tokens.tokenOf("ibm,receive-hvpipe-msg")).toBe(0x202d);
  });

  it("hvpipeCapable: false removes a capability the blob has", () => {
    const blob = qemuVariant((t) => node(t, "/rtas").setEmpty("ibm,hypervisor-pipe-capable"));
    const m = new Machine({ baseDtb: blob, hvpipeCapable: false });
    expect(m.mergedTree!.removed).toEqual(["/rtas/ibm,hypervisor-pipe-capable"]);
    expect(new Machine({ baseDtb: blob }).mergedTree!.added).not.toContain("/rtas/ibm,hypervisor-pipe-capable");
  });

  it("the free range skips a value another 4-byte /rtas property holds", () => {
    const blob = qemuVariant((t) => node(t, "/rtas").setU32("vendor,private-cell", 0x202d));
    const m = new Machine({ baseDtb: blob });
    expect(m.tokens.tokenOf("ibm,receive-hvpipe-msg")).toBe(0x202e);
    expect(m.tokens.tokenOf("ibm,send-hvpipe-msg")).toBe(0x202f);
  });

  it("is a pure function of the blob: merging twice gives the same bytes, and the base tree is untouched", () => {
    const base = readBaseDtb(QEMU_DTB);
    const before = propertyMap(base.tree);
    const needs = { functions: [{ name: "check-exception", handler: () => {} }], hvpipeCapable: true, omitRtas: [] };
    mergeMachineTree(base, needs);
    expect(propertyMap(base.tree)).toEqual(before);
    expect(fromQemu().dtb).toEqual(fromQemu().dtb);
  });

  it("without baseDtb nothing changes: the machine's own tree and fixed tokens", () => {
    const m = new Machine();
    expect(m.mergedTree).toBeUndefined();
    expect(m.tokens.tokenOf("ibm,send-hvpipe-msg")).toBe(0x202f);
    expect(m.devices.events.model.irqOf(EVENT_CLASSES.hvpipe)).toBe(0x1002);
  });
});
