// Builds what the npm package runs (prepack): both hot-path builds, the TypeScript compiled to
// dist/ with type declarations (tsconfig.build.json), and the two hot-path artefacts copied to
// where the compiled loaders look for them (emulator/hotpath.ts and emulator/hotpath-js/load.ts
// resolve them next to themselves, so dist/emulator/... mirrors emulator/...).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const node = (script, ...args) => execFileSync(process.execPath, [join(root, script), ...args], { stdio: "inherit", cwd: root });

node("scripts/build-wasm.mjs");
node("scripts/build-hotpath-js.mjs");
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
try {
  execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit", cwd: root });
} catch {
  console.error("build-dist: tsc failed (see above)");
  process.exit(1);
}
const ARTEFACTS = [
  "emulator/assembly/build/hotpath.wasm",
  "emulator/hotpath-js/build/hotpath.cjs",
  "emulator/hotpath-js/build/hotpath.cjs.map",
];
for (const file of ARTEFACTS) {
  const from = join(root, file);
  if (!existsSync(from)) {
    console.error(`build-dist: ${file} was not built`);
    process.exit(1);
  }
  mkdirSync(dirname(join(dist, file)), { recursive: true });
  copyFileSync(from, join(dist, file));
}
