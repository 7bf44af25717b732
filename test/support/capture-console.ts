// What a CLI test sees of the command: console.log and console.error lines (and with `stdout`, raw
// writes to process.stdout), captured afresh for each test of the describe block that calls this.
import { afterEach, beforeEach, vi } from "vitest";

export function captureConsole(opts: { stdout?: boolean } = {}): { out: string[]; err: string[] } {
  const io = { out: [] as string[], err: [] as string[] };
  beforeEach(() => {
    io.out.length = 0;
    io.err.length = 0;
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void io.out.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void io.err.push(a.join(" ")));
    if (opts.stdout) vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => (io.out.push(String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  return io;
}
