// The benchmark figures as a console table and as the generated part of docs/benchmarks.md.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { AGED_BY } from "./cases-stack.js";
import type { Bench, Measurement } from "./harness.js";

export interface Row {
  bench: Bench;
  wasm?: Measurement;
  js?: Measurement;
}

export interface MachineInfo {
  node: string;
  cpu: string;
  cores: number;
  date: string;
}

export function machineInfo(): MachineInfo {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: os.cpus() names it.
  }
  return { node: process.version, cpu, cores: cpus().length, date: new Date().toISOString().replace(/:\d\d\.\d+Z$/, " UTC").replace("T", " ") };
}

const fmtRate = (x: number): string =>
  x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toLocaleString("en-US", { maximumSignificantDigits: 3 });
const fmtUs = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toPrecision(3));
const usPerOp = (m: Measurement | undefined): number => (m ? 1e6 / m.median : NaN);
const ratio = (r: Row): string => (r.wasm && r.js ? `${(r.wasm.median / r.js.median).toFixed(2)}×` : "–");
/** (max − min) / median of a build's runs. */
const spread = (m: Measurement | undefined): string => {
  if (!m || m.rates.length < 2) return "–";
  return `${Math.round(((Math.max(...m.rates) - Math.min(...m.rates)) / m.median) * 100)}%`;
};
const runs = (r: Row): string => `${r.wasm?.rates.length ?? 0} / ${r.js?.rates.length ?? 0}`;
const steps = (r: Row): string => {
  const f = r.wasm?.figures ?? r.js?.figures ?? {};
  return f["scheduler steps/op"] === undefined ? "" : `${fmtUs(f["scheduler steps/op"])} steps`;
};

export function formatTable(rows: readonly Row[]): string {
  const head = ["id", "benchmark", "wasm /s", "js /s", "wasm/js", "µs/op wasm", "µs/op js", "runs", "spread", "per op"];
  const body = rows.map((r) => [
    r.bench.id, r.bench.title, r.wasm ? fmtRate(r.wasm.median) : "–", r.js ? fmtRate(r.js.median) : "–", ratio(r),
    fmtUs(usPerOp(r.wasm)), fmtUs(usPerOp(r.js)), runs(r), `${spread(r.wasm)} / ${spread(r.js)}`, steps(r),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 1 || i === 9 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function markdownTable(rows: readonly Row[]): string {
  const out = [
    "| id | benchmark | unit | wasm | JS | wasm/JS | µs/op wasm | µs/op JS | runs wasm / JS | spread wasm / JS | per op |",
    "|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
  ];
  for (const r of rows) {
    out.push(`| ${r.bench.id} | ${r.bench.title} | ${r.bench.op}/s | ${r.wasm ? fmtRate(r.wasm.median) : "–"} | ` +
      `${r.js ? fmtRate(r.js.median) : "–"} | ${ratio(r)} | ${fmtUs(usPerOp(r.wasm))} | ${fmtUs(usPerOp(r.js))} | ` +
      `${runs(r)} | ${spread(r.wasm)} / ${spread(r.js)} | ${steps(r)} |`);
  }
  return out.join("\n");
}

/** Sentences computed from the figures: how a round trip's time divides, what the ratios are at each level. */
export function whereTimeGoes(rows: readonly Row[]): string[] {
  const by = new Map(rows.map((r) => [r.bench.id, r]));
  const us = (id: string, build: "wasm" | "js" = "wasm"): number => usPerOp(by.get(id)?.[build]);
  const rat = (id: string): string => ratio(by.get(id) ?? ({} as Row));
  const pct = (part: number, whole: number): string => `${((part / whole) * 100).toPrecision(2)}%`;
  const out: string[] = [];
  const rt = us("d-rt");
  if (!Number.isNaN(rt)) {
    const f = by.get("d-rt")!.wasm!.figures;
    const calls = Object.entries(f).filter(([k]) => k.startsWith("rtas ")).map(([k, v]) => `${k.slice(5, -3)} ×${fmtUs(v)}`);
    out.push(`A round trip through the kernel-shim (d-rt) takes ${fmtUs(rt)} µs on the wasm build and ${fmtUs(us("d-rt", "js"))} µs ` +
      `on the JS build: ${fmtUs(f["scheduler steps/op"]!)} scheduler steps, ${fmtUs(f["trace events/op"]!)} trace events and these RTAS calls: ${calls.join(", ")}.`);
    const rtas = us("a") + us("b1") + us("c");
    const hot = us("h-recv") + us("h-send1") + us("h-log");
    if (!Number.isNaN(rtas + hot)) {
      out.push(`The hypervisor's side of it as raw RTAS calls — an hmcSend and a receive (a), a 1-entry send (b1), a check-exception (c) — ` +
        `takes ${fmtUs(rtas)} µs, ${pct(rtas, rt)} of the round trip; the hot path itself (h-recv + h-send1 + h-log) ${fmtUs(hot)} µs, ` +
        `${pct(hot, rt)}. The other ${pct(rt - rtas, rt)} is the kernel-shim and the guest process: scheduler steps, generators, locks, ` +
        `user-memory copies and the syscall harness.`);
    }
    const aged = us("d-aged");
    if (!Number.isNaN(aged)) {
      out.push(`After ${AGED_BY} earlier round trips on the same partition a round trip takes ${fmtUs(aged)} µs, ${(aged / rt).toFixed(1)}× a fresh ` +
        `partition's: finished threads are no longer scanned, but every thread object and trace record of the run is kept for inspection, so memory and GC work grow with the run.`);
    }
  }
  const e = us("e");
  const boot = us("e-boot");
  if (!Number.isNaN(e + boot)) {
    out.push(`One seed of the race sweep takes ${fmtUs(e)} µs (wasm) / ${fmtUs(us("e", "js"))} µs (JS); booting its partition alone ` +
      `${fmtUs(boot)} / ${fmtUs(us("e-boot", "js"))} µs, ${pct(boot, e)} of a wasm scenario.`);
  }
  const levels = [["hot path alone", ["h-recv", "h-send1", "h-send3", "h-log"]], ["raw RTAS calls", ["a", "a16", "b1", "b3", "c", "cm"]],
    ["through the kernel-shim", ["d-in", "d-out", "d-rt"]], ["race sweep", ["e-boot", "e"]]] as const;
  out.push(`wasm/JS by level — ${levels.map(([name, ids]) => `${name}: ${ids.filter((id) => by.has(id)).map((id) => `${id} ${rat(id)}`).join(", ")}`).join("; ")}.`);
  return out;
}

export function generatedSection(rows: readonly Row[], info: MachineInfo, timing: string): string {
  return [
    `Run of ${info.date}: Node ${info.node}, ${info.cpu} (${info.cores} logical CPUs). ${timing}`,
    "",
    markdownTable(rows),
    "",
    ...whereTimeGoes(rows).map((s) => `- ${s}`),
  ].join("\n");
}

const BEGIN = "<!-- bench:begin (written by npm run bench; edit around it) -->";
const END = "<!-- bench:end -->";

/** Replaces the generated part of the document, keeping what is written around it. */
export function updateDoc(path: string, generated: string): void {
  const text = existsSync(path) ? readFileSync(path, "utf8") : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${path}: the markers ${BEGIN} … ${END} are missing`);
  writeFileSync(path, `${text.slice(0, a + BEGIN.length)}\n${generated}\n${text.slice(b)}`);
}
