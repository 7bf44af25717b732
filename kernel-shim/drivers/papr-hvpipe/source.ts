// struct hvpipe_source_info: one per created handle, in the global source list.
import { hex } from "../../hex.js";
import { WaitQueue } from "../../sched/waitqueue.js";

export class HvpipeSource {
  /** Bitmask of HVPIPE_MSG_AVAILABLE / HVPIPE_LOST_CONNECTION. */
  hvpipeStatus = 0;
  readonly recvWqh: WaitQueue;
  /** kfree'd: any later access is a use after free. */
  freed = false;
  /** In hvpipe_src_list. */
  linked = false;

  constructor(
    readonly srcID: number,
    /** "comm:pid" of the creator (6.18 kept a task pointer for its messages). */
    readonly owner: string,
  ) {
    this.recvWqh = new WaitQueue(`hvpipe recv_wqh ${hex(srcID)}`);
  }
}
