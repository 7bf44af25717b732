// A pool worker: runs each scenario it is sent, exactly as the run's own thread would, and sends
// the result back. Any exception escaping the harness is a bug; it goes back as text.
import { parentPort } from "node:worker_threads";
import { runScenario } from "../run-scenario.js";
import type { Job, JobDone } from "./messages.js";

const port = parentPort;
if (port === null) throw new Error("runner/harness/pool/worker.ts runs only as a worker thread");
port.on("message", (job: Job) => {
  let done: JobDone;
  try {
    done = { index: job.index, result: runScenario(job.scenario) };
  } catch (e) {
    done = { index: job.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(done);
});
