// State hashing for the explorer: a key of what the partition's future depends on. A context's
// local state (its generator's position and locals) cannot be read, so it stands in as the history
// of what that context did (every trace event it emitted, results included); the rest is read:
// threads and CPUs, the hypervisor's inspection, the driver's sources, the clock.
import type { TraceRecord } from "../../kernel-shim/sched/context.js";
import type { Partition } from "../harness/partition.js";

/** A 53-bit string hash (cyrb53), as 14 hex digits. */
export function hash53(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0");
}

interface DriverView {
  srcList?: readonly { srcID: number; hvpipeStatus: number; linked: boolean; freed: boolean }[];
  work?: { pending: boolean } | null;
  ledger?: { entries: readonly unknown[] };
}

/** Keeps each context's history hash as trace records arrive, and keys the whole state. */
export class StateKeys {
  private readonly history = new Map<string, string>();

  constructor(private readonly part: Partition) {}

  /** Folds new records into their contexts' histories. */
  absorb(records: readonly TraceRecord[]): void {
    for (const r of records) {
      const ctx = r.context;
      this.history.set(ctx, hash53(JSON.stringify(r.event), parseInt((this.history.get(ctx) ?? "0").slice(-8), 16)));
    }
  }

  key(): string {
    const { kernel, machine } = this.part;
    const s = kernel.sched;
    const parts: string[] = [String(s.nowNs)];
    for (const t of s.threads) parts.push(`${t.key}:${t.state}:${t.cpu?.index ?? "-"}:${t.wakePending ? 1 : 0}`);
    for (const cpu of s.cpus) parts.push(`cpu${cpu.index}:${cpu.current?.key ?? "-"}/${cpu.irqStack.map((c) => c.key).join(",")}/${cpu.irqsDisabled}`);
    for (const [ctx, h] of [...this.history].sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(`${ctx}=${h}`);
    for (const a of s.externals) parts.push(`ext:${a.name}:${a.ready() ? 1 : 0}`);
    const d = kernel.inspection.get("papr-hvpipe") as DriverView | undefined;
    if (d) {
      parts.push((d.srcList ?? []).map((x) => `${x.srcID}:${x.hvpipeStatus}:${x.linked ? 1 : 0}:${x.freed ? 1 : 0}`).join(","));
      parts.push(`work:${d.work?.pending ? 1 : 0}:ledger:${d.ledger?.entries.length ?? 0}`);
    }
    parts.push(JSON.stringify(machine.inspect()));
    return hash53(parts.join("|"));
  }
}
