// ibm,get-system-parameter and ibm,set-system-parameter (spec/spapr-platform.md §1.7,
// spec/hvpipe-driver.md §8). Values travel as a BE16 length followed by the value bytes.
import type { GuestMemory } from "../guest-memory.js";
import { RtasStatus, type RtasCall, type RtasFunction } from "./types.js";

export const SYSPARM_SPLPAR_CHARACTERISTICS = 20;
export const SYSPARM_DIAGNOSTICS_RUN_MODE = 42;
export const SYSPARM_UUID = 48;
export const SYSPARM_HVPIPE_ENABLE = 64;

export interface SystemParameterHost {
  readonly cpus: number;
  readonly memoryBytes: number;
  hvpipeEnabled(): boolean;
  setHvpipeEnabled(enabled: boolean): void;
}

function enc(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The current value of a readable parameter, or undefined if the platform does not have it. */
function parameterValue(host: SystemParameterHost, parameter: number): Uint8Array | undefined {
  switch (parameter) {
    case SYSPARM_SPLPAR_CHARACTERISTICS: {
      const mib = Math.floor(host.memoryBytes / (1024 * 1024));
      return enc(`MaxEntCap=${host.cpus},DesMem=${mib},DesProcs=${host.cpus},MaxPlatProcs=${host.cpus}\0`);
    }
    case SYSPARM_DIAGNOSTICS_RUN_MODE:
      return Uint8Array.of(0);
    case SYSPARM_UUID:
      return new Uint8Array(0); // no UUID configured: length 0
    case SYSPARM_HVPIPE_ENABLE:
      return Uint8Array.of(host.hvpipeEnabled() ? 1 : 0);
    default:
      return undefined;
  }
}

export function systemParameterFunctions(memory: GuestMemory, host: SystemParameterHost): RtasFunction[] {
  const get = (call: RtasCall): void => {
    // args: (parameter, buffer, length); rets: (status)
    if (call.nargs !== 3 || call.nret !== 1) return void (call.rets[0] = RtasStatus.PARAM_ERROR);
    const [parameter, buf, len] = call.args as [number, number, number];
    if (len < 2) return void (call.rets[0] = RtasStatus.SYSPARM_PARAM_ERROR);
    const value = parameterValue(host, parameter);
    if (!value) return void (call.rets[0] = RtasStatus.PARAM_ERROR);
    const copied = Math.min(len - 2, value.length);
    if (!memory.contains(buf, 2 + copied)) return void (call.rets[0] = RtasStatus.PARAM_ERROR);
    // The length prefix is the full value length even when the copy is truncated.
    memory.bytes[buf] = value.length >> 8;
    memory.bytes[buf + 1] = value.length & 0xff;
    memory.bytes.set(value.subarray(0, copied), buf + 2);
    call.rets[0] = RtasStatus.SUCCESS;
  };

  const set = (call: RtasCall): void => {
    // args: (parameter, buffer); rets: (status)
    if (call.nargs !== 2 || call.nret !== 1) return void (call.rets[0] = RtasStatus.PARAM_ERROR);
    const [parameter, buf] = call.args as [number, number];
    if (parameter === SYSPARM_HVPIPE_ENABLE) {
      if (!memory.contains(buf, 3)) return void (call.rets[0] = RtasStatus.PARAM_ERROR);
      const length = memory.u16(buf);
      const value = memory.bytes[buf + 2]!;
      if (length !== 1 || value > 1) return void (call.rets[0] = RtasStatus.SYSPARM_PARAM_ERROR);
      host.setHvpipeEnabled(value === 1);
      return void (call.rets[0] = RtasStatus.SUCCESS);
    }
    call.rets[0] = parameterValue(host, parameter) ? RtasStatus.NOT_AUTHORIZED : RtasStatus.PARAM_ERROR;
  };

  return [
    { name: "ibm,get-system-parameter", token: 0x2008, handler: get },
    { name: "ibm,set-system-parameter", token: 0x2009, handler: set },
  ];
}
