// The hypervisor pipe (spec/hvpipe-driver.md): its RTAS calls, system parameter 64, its policies,
// /rtas/ibm,hypervisor-pipe-capable, the HMCs and migration as outside-world actions, and its state.
import { RtasStatus } from "../../rtas/types.js";
import { defineDevice } from "../device.js";
import { HvpipePipe } from "./pipe.js";
import { HVPIPE_POLICIES, checkHvpipePolicy } from "./policies.js";

/** System parameter 64: the OS wants pipe events (spec/hvpipe-driver.md §8). */
const SYSPARM_HVPIPE_ENABLE = 64;
const DEFAULT_SOURCES = [0x02000001];

export const hvpipeDevice = defineDevice({
  name: "hvpipe",
  policies: HVPIPE_POLICIES,
  checkPolicy: checkHvpipePolicy,
  // The pipe's FIFO lives in the hot path's memory after guest RAM.
  hotPath: (policy) => ({ payloadLimit: policy["payload-limit"], fifoSlots: policy["fifo-depth"] }),
  create(ctx) {
    const pipe = new HvpipePipe(ctx.hot, ctx.service("events"), ctx.policy, { nowMs: () => ctx.nowMs() },
      ctx.options.sources ?? DEFAULT_SOURCES);
    const memory = ctx.memory;
    ctx.service("systemParameters").define(SYSPARM_HVPIPE_ENABLE, {
      read: () => Uint8Array.of(pipe.isEnabled() ? 1 : 0),
      write: (buf) => {
        if (!memory.contains(buf, 3)) return RtasStatus.PARAM_ERROR;
        const length = memory.u16(buf);
        const value = memory.bytes[buf + 2]!;
        if (length !== 1 || value > 1) return RtasStatus.SYSPARM_PARAM_ERROR;
        pipe.setEnabled(value === 1);
        return RtasStatus.SUCCESS;
      },
    });
    return {
      model: pipe,
      rtas: pipe.rtasFunctions(),
      tree: ({ rtas }) => {
        if (ctx.options.hvpipeCapable ?? true) rtas.setEmpty("ibm,hypervisor-pipe-capable");
      },
      outside: {
        hmc: {
          connect: (source) => pipe.hmcOpen(source),
          reopen: (source) => {
            pipe.sources.require(source);
            pipe.hmcOpen(source);
          },
          send: (source, payload) => pipe.hmcSend(source, payload),
          close: (source) => pipe.hmcClose(source),
          inbox: (source) => pipe.sources.require(source).received,
        },
        migration: { migrate: () => pipe.migrate() },
      },
      inspect: () => pipe.inspect(),
    };
  },
});
