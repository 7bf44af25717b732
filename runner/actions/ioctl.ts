// `ioctl` — {fd, cmd, src}: cmd by name or number, src the source id its argument points to. Returns an fd.
import { IoctlCmd } from "../../kernel-shim/uapi.js";
import { errnoText, sourceIdText } from "../format.js";
import type { FdRef, StepBase, UserFault } from "../scenario/model.js";
import type { Located, NodeReader } from "../scenario/nodes.js";
import { readU32 } from "../scenario/payload.js";
import type { GuestAction, StepArgs } from "./action.js";
import { faultNote, placement, plain, readUserFault } from "./guest-common.js";

export interface IoctlStep extends StepBase {
  action: "ioctl";
  fd: FdRef;
  cmd: number;
  src: number;
  /** Extension: the pointer to the source id is not mapped (only "buffer"). */
  userFault?: UserFault;
}

export const ioctl: GuestAction<IoctlStep> = {
  name: "ioctl",
  kind: "guest",
  keys: ["fd", "cmd", "src", "user-fault"],
  expects: ["ret", "errno"],
  returnsFd: true,
  reference: {
    argument: "`{fd, cmd, src}`",
    does: "ioctl(2) with a pointer to the __u32 `src`; `cmd` by name (`PAPR_HVPIPE_IOC_CREATE_HANDLE`) or number; returns an fd",
  },
  parse(arg, { r, fd }) {
    const fields = r.map(arg, ioctl.keys, "ioctl key", "{fd, cmd, src}");
    const ref = fd(r.required(arg, fields, "fd"));
    const cmd = readIoctlCmd(r, r.required(arg, fields, "cmd"));
    const step: StepArgs<IoctlStep> = { fd: ref, cmd, src: readU32(r, r.required(arg, fields, "src")) };
    const fault = readUserFault(r, fields, ["buffer"]);
    if (fault) step.userFault = fault;
    return step;
  },
  call: (session, s) =>
    plain(session.sys.ioctlPlan(session.pid(s.proc), session.fd(s.proc, s.fd), s.cmd, s.src, placement(s.userFault))),
  summary: (s, o) =>
    `ioctl(${s.fd}, 0x${(s.cmd >>> 0).toString(16)}, &${sourceIdText(s.src)})${faultNote(s.userFault)} = ${errnoText(o.ret)}`,
};

function readIoctlCmd(r: NodeReader, v: Located): number {
  const value = r.scalar(v);
  if (typeof value === "string" && !/^[-+]0x/i.test(value)) {
    if (!Object.hasOwn(IoctlCmd, value)) {
      r.fail(v, `unknown ioctl command "${value}" (allowed: ${Object.keys(IoctlCmd).join(", ")}, or a number)`);
    }
    return IoctlCmd[value as keyof typeof IoctlCmd];
  }
  return readU32(r, v);
}
