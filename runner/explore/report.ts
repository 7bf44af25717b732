// The explorer's report as text: what was explored, whether the bound was exhausted, the faults by
// kind with their minimal schedules, and coverage.
import type { ExploreResult } from "./result.js";

export function formatReport(scenario: string, driver: string, r: ExploreResult): string {
  const lines: string[] = [];
  const shard = r.shard.count > 1 ? (r.shard.index < 0 ? ` (${r.shard.count} shards merged)` : ` (shard ${r.shard.index}/${r.shard.count})`) : "";
  lines.push(`explore ${scenario} --driver ${driver}${shard}`);
  const reduction = [r.options.reduction ? "sleep sets" : null, r.options.stateHashing ? "state hashing" : null].filter(Boolean).join(" + ") || "none";
  lines.push(`  bound: ${r.options.preemptions} preemption(s); reduction: ${reduction}`);
  lines.push(`  schedules: ${r.schedules} (per bound ${r.perBound.map((n, k) => `${k}: ${n}`).join(", ")}); runs ${r.executions}, cut by state hashing ${r.prunedByState}, sleep-set blocked ${r.prunedBySleepSet}; branches beyond the bound ${r.beyondBound}`);
  lines.push(`  distinct end states: ${r.endStates.length}`);
  lines.push(r.exhausted
    ? `  exhausted: every schedule within ${r.options.preemptions} preemption(s) was explored`
    : `  cut off (${r.cutOff ?? "stopped"}): the bound was not exhausted`);
  const kinds = Object.keys(r.faults).sort();
  if (kinds.length === 0) lines.push("  faults: none");
  for (const k of kinds) {
    const f = r.faults[k]!;
    lines.push(`  fault ${k}: ${f.count} schedule(s); first after ${f.first.afterMs.toFixed(0)} ms (run ${f.first.schedule}); minimal: ${f.first.preemptions} preemption(s), ${f.first.decisions.length} decisions`);
    lines.push(`    ${f.first.message.split("\n")[0]}`);
  }
  const c = r.coverage;
  lines.push(`  coverage: ${c.choicePoints.length} of ${c.offeredChoicePoints} preemption points exercised; ${c.conflictPairs.length} conflicting step pairs seen, ${c.bothOrders} in both orders`);
  lines.push(`  wall time: ${(r.wallMs / 1000).toFixed(2)} s`);
  return lines.join("\n");
}
