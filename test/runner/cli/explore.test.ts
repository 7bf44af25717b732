// `papr-emu explore` and `papr-emu run --schedule`: the report, the schedule file it writes and the
// exact replay of it, shards merged, and usage errors.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../runner/cli/main.js";
import { captureConsole } from "../../support/capture-console.js";

// The race as first written (no expect-fault), so a replayed deadlock is a failing run.
const SCENARIO = new URL("../fixtures/profile-differences/race-ioctl-irq-deadlock.yaml", import.meta.url).pathname;

describe("papr-emu explore", () => {
  const io = captureConsole();
  const dir = mkdtempSync(join(tmpdir(), "papr-emu-explore-"));

  it("finds the 6.18 deadlock within 1 preemption, writes its minimal schedule, and run --schedule replays it", async () => {
    const file = join(dir, "deadlock.json");
    expect(await main(["explore", SCENARIO, "--driver", "v6.18", "--preemptions", "1", "--schedule-out", file])).toBe(1);
    const report = io.out.join("\n");
    expect(report).toContain("exhausted: every schedule within 1 preemption(s) was explored");
    expect(report).toMatch(/fault deadlock: \d+ schedule\(s\); first after \d+ ms \(run \d+\); minimal: 1 preemption\(s\)/);
    const schedule = JSON.parse(readFileSync(file, "utf8"));
    expect(schedule).toMatchObject({ format: "papr-emu-schedule/1", driver: "v6.18", preemptions: 1, fault: { kind: "deadlock" } });
    io.out.length = 0;
    expect(await main(["run", SCENARIO, "--schedule", file])).toBe(1);
    expect(io.out.join("\n")).toContain(`fault: ${schedule.fault.message}`);
  });

  it("mainline: no fault within 2 preemptions; shards as JSON merge into the same end states", async () => {
    expect(await main(["explore", SCENARIO, "--preemptions", "2", "--json"])).toBe(0);
    const whole = JSON.parse(io.out.pop()!);
    expect(whole.exhausted).toBe(true);
    const files: string[] = [];
    for (const i of [0, 1]) {
      expect(await main(["explore", SCENARIO, "--preemptions", "2", "--json", "--shard", `${i}/2`])).toBe(0);
      files.push(join(dir, `shard${i}.json`));
      writeFileSync(files[i]!, io.out.pop()!);
    }
    expect(await main(["explore", "--merge", ...files, "--json"])).toBe(0);
    const merged = JSON.parse(io.out.pop()!);
    expect(merged.exhausted).toBe(true);
    expect(merged.endStates).toEqual(whole.endStates);
    expect(merged.faults).toEqual({});
  });

  it("--workers 2 runs two shard processes and merges them into the same end states as one", async () => {
    expect(await main(["explore", SCENARIO, "--preemptions", "1", "--json"])).toBe(0);
    const one = JSON.parse(io.out.pop()!);
    expect(await main(["explore", SCENARIO, "--preemptions", "1", "--json", "--workers", "2"])).toBe(0);
    const two = JSON.parse(io.out.pop()!);
    expect(two.exhausted).toBe(true);
    expect(two.endStates).toEqual(one.endStates);
    expect(two.faults).toEqual({});
  }, 60_000);

  it.each([
    [["--shard", "2/2"], 'papr-emu: --shard takes i/n with 0 <= i < n, not "2/2"'],
    [["--preemptions", "-1"], 'papr-emu: --preemptions takes an integer >= 0, not "-1"'],
    [["--driver", "v5"], 'papr-emu: --driver takes mainline or v6.18, not "v5"'],
  ])("refuses %j", async (args, message) => {
    expect(await main(["explore", SCENARIO, ...args])).toBe(2);
    expect(io.err).toEqual([message]);
  });

  it("run --schedule refuses a bad schedule file, naming it", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{}");
    expect(await main(["run", SCENARIO, "--schedule", bad])).toBe(2);
    expect(io.err).toEqual([`papr-emu: ${bad}: format: expected "papr-emu-schedule/1"`]);
  });
});
