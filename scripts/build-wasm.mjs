// Compiles the AssemblyScript hot path (emulator/assembly) to emulator/assembly/build/hotpath.wasm,
// unless the module is newer than every source and asconfig.json (one compile is ~4 s; `npm pack`
// runs prepare and prepack, both of which need it). `--force` compiles regardless.
import { main } from "assemblyscript/asc";
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
process.chdir(root);
const out = "emulator/assembly/build/hotpath.wasm";
const inputs = ["asconfig.json", ...readdirSync("emulator/assembly").filter((f) => f.endsWith(".ts")).map((f) => `emulator/assembly/${f}`)];
const fresh = existsSync(out) && inputs.every((f) => statSync(f).mtimeMs <= statSync(out).mtimeMs);
if (fresh && !process.argv.includes("--force")) process.exit(0);
const { error, stderr } = await main(["--config", "asconfig.json"], {});
if (error) {
  console.error(stderr.toString());
  console.error(`build-wasm: ${error.message}`);
  process.exit(1);
}
