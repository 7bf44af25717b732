import { existsSync, readdirSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// The hot-path module is compiled once per test run (about 4 s), never per test, and only when
// missing or older than its AssemblyScript source. The JS build of the same source (tens of
// milliseconds) is always rebuilt, so the two builds the tests compare come from the same source.
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const wasm = `${root}/emulator/assembly/build/hotpath.wasm`;
  const sources = readdirSync(`${root}/emulator/assembly`).filter((f) => f.endsWith(".ts")).map((f) => `${root}/emulator/assembly/${f}`);
  const stale = !existsSync(wasm) || sources.some((s) => statSync(s).mtimeMs > statSync(wasm).mtimeMs);
  if (stale) execFileSync(process.execPath, [`${root}/scripts/build-wasm.mjs`], { stdio: "inherit" });
  execFileSync(process.execPath, [`${root}/scripts/build-hotpath-js.mjs`], { stdio: "inherit" });
}
