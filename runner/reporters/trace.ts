// The `trace` reporter: each scenario's scheduler steps, one line each — time, CPU, context and
// what happened.
import type { TraceRecord } from "../../kernel-shim/sched/context.js";
import type { ReporterFactory } from "./reporter.js";

export function formatTraceRecord(r: TraceRecord): string {
  const e = r.event;
  let what: string;
  switch (e.kind) {
    case "rtas": what = `rtas ${e.name}(${e.args.map(hex).join(", ")}) = ${e.status}${e.outputs.length ? ` [${e.outputs.map(hex).join(", ")}]` : ""}`; break;
    case "hcall": what = `hcall 0x${e.opcode.toString(16)}(${e.args.map(hex).join(", ")}) = ${e.ret}${e.outs.length ? ` [${e.outs.map(hex).join(", ")}]` : ""}`; break;
    case "lock": what = `${e.op} ${e.lock}${e.irqsave ? " (irqsave)" : ""}`; break;
    case "mutex": what = `mutex ${e.op} ${e.lock}`; break;
    case "syscall-enter": what = `→ ${e.name}`; break;
    case "syscall-exit": what = `← ${e.name} = ${e.ret}`; break;
    case "irq-entry": what = `irq entry hwirq 0x${e.hwirq.toString(16)} (xirr 0x${e.xirr.toString(16)})`; break;
    case "irq-exit": what = `irq exit hwirq 0x${e.hwirq.toString(16)}`; break;
    case "copy": what = `copy ${e.dir} 0x${e.addr.toString(16)} +${e.length}${e.fault ? " FAULT" : ""}`; break;
    case "wait": what = `wait on ${e.queue}`; break;
    case "wake": what = `wake_up ${e.queue} (${e.woken} woken)`; break;
    case "sleep": what = `sleep ${e.ms} ms`; break;
    case "work": what = `work ${e.op} ${e.name}`; break;
    case "printk": what = `printk: ${e.text}`; break;
    case "state": what = e.what; break;
    case "outside": what = `${e.actor}: ${e.what}`; break;
    case "ledger": what = e.what; break;
  }
  const cpu = r.cpu < 0 ? "    " : `cpu${r.cpu}`;
  return `${(r.timeNs / 1e9).toFixed(6).padStart(12)}  ${cpu}  ${r.context.padEnd(22)} ${what}`;
}

function formatTrace(records: readonly TraceRecord[]): string {
  return records.map(formatTraceRecord).join("\n");
}

function hex(n: number): string {
  return n > 9 ? `0x${(n >>> 0).toString(16)}` : String(n);
}

export const trace: ReporterFactory = (o) => ({
  onScenarioEnd: (e) => o.print(formatTrace(e.result.trace)),
});
