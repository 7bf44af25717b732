// Runs scenarios on worker threads: each worker takes the next scenario when it finishes one.
// Results arrive in any order; the caller puts them back in order (harness/run.ts).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Scenario } from "../../scenario/scenario.js";
import type { ScenarioResult } from "../results.js";
import type { Job, JobDone } from "./messages.js";

/** Takes a result; false stops the pool (no further scenario is started). */
type Deliver = (index: number, result: ScenarioResult) => boolean;

/** Runs `units` on `workers` threads (at most one per unit); rejects on the first escaped error. */
export function runInWorkers(units: readonly Scenario[], workers: number, deliver: Deliver): Promise<void> {
  const threads = Array.from({ length: Math.max(1, Math.min(workers, units.length)) }, spawnWorker);
  let next = 0;
  let running = 0;
  let stopped = false;
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: Error): void => {
      stopped = true;
      void Promise.all(threads.map((t) => t.terminate())).then(() => (error ? reject(error) : resolve()));
    };
    const feed = (t: Worker): void => {
      if (stopped || next >= units.length) {
        if (running === 0 && !stopped) finish();
        return;
      }
      const job: Job = { index: next, scenario: units[next]! };
      next++;
      running++;
      t.postMessage(job);
    };
    for (const t of threads) {
      t.on("message", (m: JobDone) => {
        running--;
        if (stopped) return;
        if ("error" in m) return finish(new Error(`scenario ${units[m.index]!.file} failed in a worker: ${m.error}`));
        let more: boolean;
        try {
          more = deliver(m.index, m.result);
        } catch (e) {
          return finish(e as Error);
        }
        if (!more) return finish();
        feed(t);
      });
      t.on("error", (e) => {
        if (!stopped) finish(e);
      });
      // A worker gone with work in flight would leave the run waiting forever.
      t.on("exit", (exitCode) => {
        if (!stopped) finish(new Error(`a scenario worker exited (code ${exitCode}) before the run ended`));
      });
      feed(t);
    }
  });
}

// From TypeScript sources (tsx, vitest) the worker registers tsx before importing its .ts entry;
// from compiled JavaScript it is the .js file itself.
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./worker.js", here));
  // tsx's ESM build of its API (the require condition names the CommonJS one beside it).
  const tsx = pathToFileURL(createRequire(here).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = new URL("./worker.ts", here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}
