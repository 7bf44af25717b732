// The machine's device tree (spec/spapr-platform.md §2, §3.1, §4.6; spec/hvpipe-driver.md §9),
// decoded with our decoder and checked by dtc.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFdt, type DtNode } from "../../devicetree/index.js";
import type { MachineOptions } from "../../emulator/machine.js";
import { machine } from "./helpers.js";

function tree(options: MachineOptions = {}) {
  const m = machine(options);
  return { m, t: decodeFdt(m.dtb) };
}

function node(t: ReturnType<typeof decodeFdt>, path: string): DtNode {
  const n = t.lookup(path);
  if (!n) throw new Error(`no node ${path}`);
  return n;
}

/** dtc -I dtb -O dts on the blob: exit status, stderr and the DTS text. */
function dtcDecompile(blob: Uint8Array): { status: number | null; stderr: string; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), "papr-emu-dt-"));
  try {
    const file = join(dir, "machine.dtb");
    writeFileSync(file, blob);
    const r = spawnSync("dtc", ["-I", "dtb", "-O", "dts", file], { encoding: "utf8" });
    if (r.error) throw r.error;
    return { status: r.status, stderr: r.stderr, stdout: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("/rtas", () => {
  it("has every token as a 4-byte property", () => {
    const { m, t } = tree();
    const rtas = node(t, "/rtas");
    // §1.3 spapr_dt_rtas_tokens; hvpipe-driver.md §5.3: Linux reads only 4-byte properties as tokens.
    expect(m.tokens.entries()).toHaveLength(10);
    for (const e of m.tokens.entries()) {
      expect(rtas.property(e.name)?.value.length, e.name).toBe(4);
      expect(rtas.u32(e.name), e.name).toBe(e.token);
    }
  });

  it("advertises ibm,hypervisor-pipe-capable (empty), absent with hvpipeCapable: false", () => {
    // hvpipe-driver.md §9: presence only.
    expect(node(tree().t, "/rtas").bytes("ibm,hypervisor-pipe-capable")).toEqual(new Uint8Array(0));
    expect(node(tree({ hvpipeCapable: false }).t, "/rtas").hasProperty("ibm,hypervisor-pipe-capable")).toBe(false);
  });

  it("rtas-error-log-max = 2048, rtas-event-scan-rate = 1, rtas-size per QEMU's formula", () => {
    const rtas = node(tree().t, "/rtas");
    // §2: RTAS_ERROR_LOG_MAX; rtas-size = 20 + 2048 + cpus·16 + 8 (2092 for one CPU).
    expect(rtas.u32("rtas-error-log-max")).toBe(2048);
    expect(rtas.u32("rtas-event-scan-rate")).toBe(1);
    expect(rtas.u32("rtas-size")).toBe(2092);
    expect(node(tree({ cpus: 4 }).t, "/rtas").u32("rtas-size")).toBe(2140);
  });
});

describe("/event-sources", () => {
  it("is an interrupt controller with two cells and the three classes' IRQ ranges", () => {
    const ev = node(tree().t, "/event-sources");
    // §3.1: interrupt-controller (empty), #interrupt-cells = <2>, interrupt-ranges pairs (first, 1).
    expect(ev.bytes("interrupt-controller")).toEqual(new Uint8Array(0));
    expect(ev.u32("#interrupt-cells")).toBe(2);
    expect(ev.u32List("interrupt-ranges")).toEqual([0x1000, 1, 0x1001, 1, 0x1002, 1]);
  });

  it("each class has interrupts = <irq 0>; ibm,hvpipe-msg-events is 0x1002", () => {
    const { t } = tree();
    // §3.1 / hvpipe-driver.md §7.1: edge (MSI) sources, second cell 0.
    expect(node(t, "/event-sources/epow-events").u32List("interrupts")).toEqual([0x1000, 0]);
    expect(node(t, "/event-sources/hot-plug-events").u32List("interrupts")).toEqual([0x1001, 0]);
    expect(node(t, "/event-sources/ibm,hvpipe-msg-events").u32List("interrupts")).toEqual([0x1002, 0]);
  });
});

describe("/interrupt-controller", () => {
  it("matches §4.6", () => {
    const ic = node(tree({ cpus: 3 }).t, "/interrupt-controller");
    expect(ic.string("device_type")).toBe("PowerPC-External-Interrupt-Presentation");
    expect(ic.string("compatible")).toBe("IBM,ppc-xicp");
    expect(ic.bytes("interrupt-controller")).toEqual(new Uint8Array(0));
    expect(ic.u32List("ibm,interrupt-server-ranges")).toEqual([0, 3]);
    expect(ic.u32("#interrupt-cells")).toBe(2);
    expect(ic.u32("linux,phandle")).toBe(0x1111);
    expect(ic.u32("phandle")).toBe(0x1111);
  });
});

describe("/cpus and /memory", () => {
  it("one cpu node per CPU, with reg and its interrupt server number", () => {
    const cpus = node(tree({ cpus: 3 }).t, "/cpus");
    expect(cpus.children.map((c) => c.name)).toEqual(["PowerPC,POWER9@0", "PowerPC,POWER9@1", "PowerPC,POWER9@2"]);
    cpus.children.forEach((c, i) => {
      expect(c.string("device_type")).toBe("cpu");
      expect(c.u32("reg")).toBe(i);
      expect(c.u32List("ibm,ppc-interrupt-server#s")).toEqual([i]);
    });
    expect(node(tree().t, "/cpus").children).toHaveLength(1);
  });

  it("/memory reg covers guest RAM with two address and two size cells", () => {
    const { t } = tree({ memoryBytes: 32 * 1024 * 1024 });
    expect(t.root.u32("#address-cells")).toBe(2);
    expect(t.root.u32("#size-cells")).toBe(2);
    const mem = node(t, "/memory@0");
    expect(mem.string("device_type")).toBe("memory");
    expect(mem.u32List("reg")).toEqual([0, 0, 0, 32 * 1024 * 1024]);
  });
});

describe("dtc accepts the blob", () => {
  const machines: [string, MachineOptions][] = [
    ["default", {}],
    ["4 CPUs, 64 MiB", { cpus: 4, memoryBytes: 64 * 1024 * 1024 }],
    ["not hvpipe-capable, send omitted", { hvpipeCapable: false, omitRtas: ["ibm,send-hvpipe-msg"] }],
  ];
  for (const [label, options] of machines) {
    it(`${label}: dtc -I dtb -O dts exits 0 with nothing on stderr`, () => {
      const r = dtcDecompile(machine(options).dtb);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("ibm,hvpipe-msg-events {");
    });
  }
});
