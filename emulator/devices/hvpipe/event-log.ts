// The hvpipe events the pipe posts: a 0xE6 log with a 'PE' section {source id, event type},
// encoded by the hot path into the guest's check-exception buffer (spec/hvpipe-driver.md §6).
import { EVENT_CLASSES, type PendingEvent } from "../events/queue.js";
import type { HotPath } from "../../hotpath.js";
import { formatSourceId as hex } from "../../source-id.js";
import type { HvpipePolicy } from "./policies.js";

export const HVPIPE_EVENT_MSG_AVAILABLE = 0x01;
export const HVPIPE_EVENT_LOST_CONNECTION = 0x02;

export interface PipeClock {
  /** Emulated wall-clock time in milliseconds since the epoch (for the Main-A timestamp). */
  nowMs(): number;
}

export class HvpipeEventLog {
  private plid = 0;

  constructor(
    private readonly hot: HotPath,
    private readonly policy: HvpipePolicy,
    private readonly clock: PipeClock,
  ) {}

  /** An event to post; `taken` runs once check-exception has handed it to the OS. */
  event(source: number, eventType: number, taken?: () => void): PendingEvent {
    const withMain = this.policy["event-log"] === "with-main-sections" ? 1 : 0;
    const plid = ++this.plid;
    const kind = eventType === HVPIPE_EVENT_MSG_AVAILABLE ? "message available" : "lost connection";
    return {
      eventClass: EVENT_CLASSES.hvpipe,
      description: `hvpipe ${kind} from ${hex(source)}`,
      write: (buf, len) => {
        const [date, time] = bcdTimestamp(this.clock.nowMs());
        return this.hot.exports.writeEventLog(buf, len, source, eventType, withMain, plid, date, time) >= 0;
      },
      delivered: taken,
    };
  }
}

/** Main-A creation date and time as BCD words: YYYYMMDD and HHMMSS00 (UTC). */
function bcdTimestamp(ms: number): [number, number] {
  const d = new Date(ms);
  const bcd = (digits: string): number => parseInt(digits, 16);
  const p2 = (n: number): string => String(n).padStart(2, "0");
  const date = bcd(`${String(d.getUTCFullYear()).padStart(4, "0")}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}`);
  const time = bcd(`${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}00`);
  return [date >>> 0, time >>> 0];
}
