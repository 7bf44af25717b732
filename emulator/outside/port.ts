// The outside-world port: what the world outside the partition does to it — HMCs connect, send and
// close, the partition migrates, firmware is told to fail — as one typed object on the machine
// (machine.outside), assembled from what the devices declare. Every action that the hypervisor
// cannot take throws an OutsideWorldRefusal (./refusal.ts); anything else thrown is a bug.
import type { MigrationRecord } from "../devices/hvpipe/state.js";

/** The HMCs at the far end of the hypervisor pipe, by source id. */
export interface HmcPort {
  /** Attaches an HMC with this id if none is, and (re)connects it. */
  connect(source: number): void;
  /** Reconnects an attached HMC whose pipe was lost (unknown-source if none is attached). */
  reopen(source: number): void;
  /** The HMC sends a payload to the partition (unknown-source, not-connected, payload-size, pipe-full). */
  send(source: number, payload: Uint8Array): void;
  /** The pipe to the HMC is lost (unknown-source). */
  close(source: number): void;
  /** What the partition has sent this HMC, oldest first (unknown-source). */
  inbox(source: number): readonly Uint8Array[];
}

export interface MigrationPort {
  /** Live migration: the partition comes back on a new pipe; says what changed. */
  migrate(): MigrationRecord;
}

export interface FaultPort {
  /** The next `times` calls of an RTAS function answer `status` (unknown-rtas-function); times <= 0 clears. */
  inject(rtasFunction: string, status: number, times: number): void;
}

export interface OutsideWorld {
  readonly hmc: HmcPort;
  readonly migration: MigrationPort;
  readonly faults: FaultPort;
}

/** Puts the port together from each part's sections; each section must come from exactly one part. */
export function assembleOutsideWorld(parts: readonly { owner: string; outside: Partial<OutsideWorld> }[]): OutsideWorld {
  const port: Partial<Record<keyof OutsideWorld, { owner: string; value: unknown }>> = {};
  for (const { owner, outside } of parts) {
    for (const [key, value] of Object.entries(outside) as [keyof OutsideWorld, unknown][]) {
      const taken = port[key];
      if (taken) throw new Error(`outside-world section "${key}" of ${owner} is already ${taken.owner}'s`);
      port[key] = { owner, value };
    }
  }
  const sections: (keyof OutsideWorld)[] = ["hmc", "migration", "faults"];
  const missing = sections.filter((k) => !port[k]);
  if (missing.length) throw new Error(`no device provides the outside-world section(s) ${missing.join(", ")}`);
  return Object.fromEntries(sections.map((k) => [k, port[k]!.value])) as unknown as OutsideWorld;
}
