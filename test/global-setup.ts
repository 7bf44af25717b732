import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// The hot-path module is compiled once per test run (about 4 s), never per test.
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  if (!existsSync(`${root}/emulator/assembly/build/hotpath.wasm`)) {
    execFileSync(process.execPath, [`${root}/scripts/build-wasm.mjs`], { stdio: "inherit" });
  }
}
