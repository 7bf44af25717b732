// Open Firmware device-tree access for the kernel: the blob it was booted with, decoded once.
import { decodeFdt, type DeviceTree, type DtNode } from "../devicetree/index.js";

export class OfTree {
  readonly tree: DeviceTree;

  constructor(dtb: Uint8Array) {
    this.tree = decodeFdt(dtb);
  }

  findNodeByPath(path: string): DtNode | undefined {
    return this.tree.lookup(path);
  }

  /** of_find_property: presence only, any length. */
  hasProperty(path: string, name: string): boolean {
    return this.findNodeByPath(path)?.hasProperty(name) ?? false;
  }

  /** of_property_read_u32: undefined unless the property exists with at least 4 bytes. */
  readU32(path: string, name: string): number | undefined {
    const value = this.findNodeByPath(path)?.property(name)?.value;
    if (!value || value.length < 4) return undefined;
    return new DataView(value.buffer, value.byteOffset, value.byteLength).getUint32(0, false);
  }

  /** Hardware threads: one per entry of each cpu node's ibm,ppc-interrupt-server#s (at least 1). */
  cpuThreadCount(): number {
    let threads = 0;
    for (const node of this.findNodeByPath("/cpus")?.children ?? []) {
      const type = node.property("device_type")?.value;
      if (!type || new TextDecoder().decode(type).replace(/\0+$/, "") !== "cpu") continue;
      const servers = node.property("ibm,ppc-interrupt-server#s")?.value;
      threads += servers && servers.length >= 4 ? Math.floor(servers.length / 4) : 1;
    }
    return Math.max(1, threads);
  }

  /** The interrupt specifiers of a node: pairs (hwirq, sense) from its `interrupts` property. */
  interrupts(node: DtNode, cellsPerSpecifier: number): number[][] {
    const value = node.property("interrupts")?.value;
    if (!value) return [];
    const dv = new DataView(value.buffer, value.byteOffset, value.byteLength);
    const out: number[][] = [];
    const stride = 4 * cellsPerSpecifier;
    for (let at = 0; at + stride <= value.length; at += stride) {
      const spec: number[] = [];
      for (let c = 0; c < cellsPerSpecifier; c++) spec.push(dv.getUint32(at + 4 * c, false));
      out.push(spec);
    }
    return out;
  }
}
