// The HMCs at the far end of the pipe: which are connected and what each has received.

export interface HmcSource {
  readonly id: number;
  connected: boolean;
  /** Payloads the partition sent to this source, in order. */
  readonly received: Uint8Array[];
  /** Payloads this source has sent to the partition. */
  sentCount: number;
}

export class HmcSources {
  private readonly byId = new Map<number, HmcSource>();

  constructor(ids: readonly number[]) {
    for (const id of ids) this.add(id);
  }

  add(id: number): HmcSource {
    const existing = this.byId.get(id >>> 0);
    if (existing) return existing;
    const src: HmcSource = { id: id >>> 0, connected: true, received: [], sentCount: 0 };
    this.byId.set(src.id, src);
    return src;
  }

  get(id: number): HmcSource | undefined {
    return this.byId.get(id >>> 0);
  }

  /** The source or an error naming the known ones: outside-world actions must name a real HMC. */
  require(id: number): HmcSource {
    const src = this.get(id);
    if (!src) {
      const known = [...this.byId.keys()].map(hex).join(", ");
      throw new Error(`no HMC source ${hex(id)} is attached to the partition (attached: ${known || "none"})`);
    }
    return src;
  }

  all(): HmcSource[] {
    return [...this.byId.values()];
  }
}

export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, "0")}`;
}
