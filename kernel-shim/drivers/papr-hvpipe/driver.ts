// papr-hvpipe: init, /dev/papr-hvpipe and its create-handle ioctl, the event interrupt, the drain
// work for unclaimed sources and migration (spec/hvpipe-driver.md §4, §10).
import type { DriverServices } from "../../driver-services.js";
import { getPseriesErrorlog, PSERIES_ELOG_SECT_ID_HVPIPE_EVENT, rtasErrorType, RTAS_TYPE_HVPIPE } from "../../errorlog.js";
import { File } from "../../file.js";
import { hex } from "../../hex.js";
import { Layout } from "../../memory.js";
import type { Process } from "../../process.js";
import { MIGRATION_RESUME, MIGRATION_SUSPEND, type MigrationAction } from "../../pseries/migration.js";
import { KernelFault } from "../../sched/fault.js";
import { Mutex, SpinLock, spinLock, spinLockIrqsave, spinUnlock, spinUnlockIrqrestore } from "../../sched/locks.js";
import { step, type KStep } from "../../sched/types.js";
import { wakeUp } from "../../sched/waitqueue.js";
import {
  ENOIOCTLCMD, Errno, HVPIPE_HMC_ID_MASK, HVPIPE_LOST_CONNECTION, HVPIPE_MSG_AVAILABLE, O_CLOEXEC, O_RDONLY, O_RDWR,
  PAPR_HVPIPE_IOC_CREATE_HANDLE,
} from "../../uapi.js";
import { WorkItem, Workqueue } from "../../workqueue.js";
import { handleOps } from "./handle.js";
import { PayloadLedger, type Consumed } from "./ledger.js";
import type { HvpipeQuirks } from "./quirks.js";
import { recvMsg } from "./rtas.js";
import { HvpipeSource } from "./source.js";

const RTAS_HVPIPE_MSG_EVENTS = 0x04000000;
const RTAS_VECTOR_EXTERNAL_INTERRUPT = 0x500;
const PAPR_SYSPARM_HVPIPE_ENABLE = 64;
/** The driver's migration actions are pseries_migrate_partition's. */
export const HVPIPE_SUSPEND = MIGRATION_SUSPEND;
export const HVPIPE_RESUME = MIGRATION_RESUME;
const EVENT_SOURCE_NODE = "/event-sources/ibm,hvpipe-msg-events";

export class HvpipeDriver {
  /** hvpipe_feature: false until init succeeds, and between SUSPEND and a successful RESUME. */
  feature = false;
  readonly srcList: HvpipeSource[] = [];
  readonly srcListLock = new SpinLock("hvpipe_src_list_lock");
  readonly sendLock = new Mutex("rtas_ibm_send_hvpipe_msg_lock");
  workqueue: Workqueue | null = null;
  /** papr_hvpipe_work: non-null doubles as "init got past allocating it". */
  work: WorkItem | null = null;
  /** Where every payload taken from the hypervisor went. */
  readonly ledger = new PayloadLedger();

  constructor(
    private readonly k: DriverServices,
    readonly quirks: HvpipeQuirks,
  ) {}

  // ---- init ----

  *init(): KStep<number> {
    const k = this.k;
    // pseries_migrate_partition calls the handler whether or not init succeeded.
    k.migration.register((action) => this.migrationHandler(action));
    k.reportLost(this.ledger);
    k.expose("papr-hvpipe", this);
    if (!k.of.hasProperty("/rtas", "ibm,hypervisor-pipe-capable")) return -Errno.ENODEV;
    if (!k.rtas.implemented("ibm,send-hvpipe-msg") || !k.rtas.implemented("ibm,receive-hvpipe-msg")) return -Errno.ENODEV;
    this.work = new WorkItem("papr_hvpipe_work", () => this.drainWork());
    this.workqueue = new Workqueue(k.sched, "papr hvpipe workqueue");
    let ret = yield* this.enableIrq();
    if (ret === 0) {
      if (!this.quirks.registerBeforeEnable) {
        // 6.18 enabled the pipe before the device existed.
        ret = yield* this.setSysParam(1);
        if (ret === 0) ret = yield* this.registerDevice();
      } else {
        ret = yield* this.registerDevice();
        if (ret === 0) {
          ret = yield* this.setSysParam(1);
          if (ret !== 0) {
            k.files.miscDeregister("papr-hvpipe");
            yield* step({ kind: "state", what: "misc_deregister /dev/papr-hvpipe" });
          }
        }
      }
    }
    if (ret !== 0) {
      this.workqueue.destroy();
      this.workqueue = null;
      this.work = null;
      yield* k.printk("err", `hvpipe feature is not enabled ${ret}`);
      return ret;
    }
    yield* k.printk("info", "hvpipe feature is enabled");
    this.feature = true;
    return 0;
  }

  private *enableIrq(): KStep<number> {
    const k = this.k;
    if (!k.rtas.implemented("check-exception")) return -Errno.ENODEV;
    if (!k.of.findNodeByPath(EVENT_SOURCE_NODE)) {
      yield* k.printk("err", this.quirks.noEventNodeMessage);
      return -Errno.ENODEV;
    }
    yield* k.eventSources.requestIrqs(EVENT_SOURCE_NODE, (_v, hwirq) => this.irqHandler(hwirq), "HPIPE_EVENT");
    return 0;
  }

  private *registerDevice(): KStep<number> {
    const ret = this.k.files.miscRegister({
      name: "papr-hvpipe",
      ops: { ioctl: (f, cmd, arg) => this.devIoctl(f, cmd, arg) },
    });
    yield* step({ kind: "state", what: `misc_register /dev/papr-hvpipe = ${ret}` });
    return ret;
  }

  /** set_hvpipe_sys_param: system parameter 64 := val (papr_sysparm_set). */
  *setSysParam(val: 0 | 1): KStep<number> {
    const ret = yield* this.k.sysparm.set(PAPR_SYSPARM_HVPIPE_ENABLE, new Uint8Array([val]));
    if (ret !== 0) yield* this.k.printk("err", `Can not enable hvpipe ${ret}`);
    return ret;
  }

  // ---- /dev/papr-hvpipe ----

  private *devIoctl(_f: File, cmd: number, arg: number): KStep<number> {
    const k = this.k;
    if (!this.feature) return -Errno.ENXIO;
    const p = k.files.current();
    // get_user(srcID, arg) comes before the command is looked at.
    if (p.mappedLength(arg, 4) < 4) return -Errno.EFAULT;
    yield* step({ kind: "copy", dir: "from-user", addr: arg, length: 4, fault: false });
    const srcID = new DataView(k.mem.ram.buffer, k.mem.ram.byteOffset).getUint32(arg, true);
    if ((srcID & HVPIPE_HMC_ID_MASK) === 0) return -Errno.EINVAL;
    if (cmd !== PAPR_HVPIPE_IOC_CREATE_HANDLE) return -ENOIOCTLCMD;
    return this.quirks.atomicCreateHandle ? yield* this.createHandle(p, srcID) : yield* this.createHandle618(p, srcID);
  }

  private newHandleFile(src: HvpipeSource): File {
    return new File("[papr-hvpipe]", handleOps(this.k, this), src, O_RDWR);
  }

  private *createHandle(p: Process, srcID: number): KStep<number> {
    const k = this.k;
    const src = new HvpipeSource(srcID, `${p.name}:${p.pid}`);
    yield* spinLockIrqsave(k.sched, this.srcListLock);
    if (this.find(srcID)) {
      yield* spinUnlockIrqrestore(k.sched, this.srcListLock);
      yield* k.printk("err", `pid(${p.name}:${p.pid}) could not get the source(${hex(srcID)})`);
      return -Errno.EALREADY;
    }
    this.link(src);
    yield* spinUnlockIrqrestore(k.sched, this.srcListLock);
    return k.files.fdInstall(p, this.newHandleFile(src), O_RDONLY | O_CLOEXEC);
  }

  /** 6.18: look up, build the file, look up again, then add; a duplicate on the re-check fput()s a node never linked. */
  private *createHandle618(p: Process, srcID: number): KStep<number> {
    const k = this.k;
    yield* spinLock(k.sched, this.srcListLock);
    const early = this.find(srcID);
    yield* spinUnlock(k.sched, this.srcListLock);
    if (early) {
      yield* k.printk("err", `pid(${p.name}:${p.pid}) could not get the source(${hex(srcID)})`);
      return -Errno.EALREADY;
    }
    const src = new HvpipeSource(srcID, `${p.name}:${p.pid}`);
    const file = this.newHandleFile(src);
    yield* step({ kind: "state", what: "anon_inode_getfile [papr-hvpipe]" });
    yield* spinLock(k.sched, this.srcListLock);
    if (this.find(srcID)) {
      yield* spinUnlock(k.sched, this.srcListLock);
      yield* k.printk("err", `pid(${p.name}:${p.pid}) could not get the source(${hex(srcID)})`);
      yield* k.files.fput(file); // release runs list_del on a node that was never added, and frees it
      this.free(src); // … and create frees it again
      return -Errno.EALREADY;
    }
    this.link(src);
    yield* spinUnlock(k.sched, this.srcListLock);
    return k.files.fdInstall(p, file, O_RDONLY | O_CLOEXEC);
  }

  // ---- the source list ----

  find(srcID: number): HvpipeSource | undefined {
    return this.srcList.find((s) => s.srcID === srcID);
  }

  private link(src: HvpipeSource): void {
    this.srcList.push(src);
    src.linked = true;
  }

  /** list_del. A node that was never added has zeroed (NULL) links: Linux oopses on them. */
  unlink(src: HvpipeSource): void {
    const i = this.srcList.indexOf(src);
    if (i < 0) {
      throw new KernelFault("oops",
        `BUG: Kernel NULL pointer dereference in list_del: hvpipe source ${hex(src.srcID)} was never added to hvpipe_src_list (zeroed list node)`);
    }
    this.srcList.splice(i, 1);
    src.linked = false;
  }

  free(src: HvpipeSource): void {
    if (src.freed) throw new KernelFault("bug", `double free of hvpipe source ${hex(src.srcID)} (kfree twice)`);
    src.freed = true;
  }

  // ---- events ----

  /** The HPIPE_EVENT hard-IRQ handler: one check-exception, one event, per interrupt. */
  private *irqHandler(hwirq: number): KStep {
    const k = this.k;
    const buf = Layout.hvpipeRasBuf;
    const r = yield* k.rtas.call("check-exception", 1, [
      RTAS_VECTOR_EXTERNAL_INTERRUPT, hwirq, RTAS_HVPIPE_MSG_EVENTS, 1, buf, k.rtas.errorLogMax,
    ]);
    if (r.status !== 0) {
      yield* k.printk("err", `unexpected hvpipe-event-notification failed ${r.status}`);
      return;
    }
    const log = k.mem.bytes(buf, k.rtas.errorLogMax);
    if (rtasErrorType(log) !== RTAS_TYPE_HVPIPE) {
      yield* k.printk("err", `Unexpected event type ${rtasErrorType(log)}`);
      return;
    }
    const section = getPseriesErrorlog(log, PSERIES_ELOG_SECT_ID_HVPIPE_EVENT);
    if (!section) throw new KernelFault("oops", "BUG: Kernel NULL pointer dereference: hvpipe event log has no 'PE' section");
    const data = section.offset + 8;
    const srcID = new DataView(log.buffer, log.byteOffset).getUint32(data, false);
    const eventType = log[data + 4]!;
    yield* spinLock(k.sched, this.srcListLock);
    const src = this.find(srcID);
    if (src) {
      // Both bits at once record only LOST (spec §13.9).
      const flags = eventType & 0x02 ? HVPIPE_LOST_CONNECTION : eventType & 0x01 ? HVPIPE_MSG_AVAILABLE : 0;
      src.hvpipeStatus |= flags;
      yield* wakeUp(k.sched, src.recvWqh);
      yield* spinUnlock(k.sched, this.srcListLock);
      return;
    }
    yield* spinUnlock(k.sched, this.srcListLock);
    if (!(eventType & 0x01)) return;
    if (!this.workqueue || !this.work) {
      // Init failed after the IRQ was requested (and, in 6.18, after the pipe was enabled): the
      // handler still queues papr_hvpipe_work, which init freed along with the workqueue.
      throw new KernelFault("oops", "use after free: queue_work on the destroyed papr hvpipe workqueue with the freed papr_hvpipe_work");
    }
    yield* this.workqueue.queueWork(this.work);
  }

  /** papr_hvpipe_work: nobody holds the source, so drain the payload to unblock the pipe. */
  private *drainWork(): KStep {
    const r = yield* recvMsg(this.k, this.quirks, null);
    if (r.consumed) yield* this.account({ ...r.consumed, path: "drain-unclaimed" });
  }

  /** Books a payload taken from the hypervisor (see ledger.ts). */
  *account(c: Consumed): KStep {
    const verdict = this.ledger.consumed(c);
    yield* step({ kind: "ledger", what: verdict });
  }

  // ---- migration ----

  *migrationHandler(action: MigrationAction): KStep {
    const k = this.k;
    yield* k.printk("info", `hvpipe migration event ${action}`);
    if (!this.work) return;
    if (action === HVPIPE_SUSPEND) {
      if (this.feature) {
        this.feature = false;
        yield* this.setSysParam(0);
      }
      return;
    }
    if ((yield* this.setSysParam(1)) === 0) this.feature = true;
    else yield* k.printk("err", "hvpipe is not enabled after migration");
  }
}
