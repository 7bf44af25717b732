// Compiles the AssemblyScript hot path (emulator/assembly) to emulator/assembly/build/hotpath.wasm.
import { main } from "assemblyscript/asc";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
process.chdir(root);
const { error, stderr } = await main(["--config", "asconfig.json"], {});
if (error) {
  console.error(stderr.toString());
  console.error(`build-wasm: ${error.message}`);
  process.exit(1);
}
