// Writes schema/scenario.schema.json from the parser's own tables (runner/scenario/schema.ts).
// Run after `npm run build:wasm` (the RTAS function names are read from a built machine);
// test/runner/scenario/schema.test.ts fails when the file is out of date.
import { writeFileSync } from "node:fs";
import { scenarioSchemaText } from "../runner/scenario/schema.js";

const out = new URL("../schema/scenario.schema.json", import.meta.url);
writeFileSync(out, scenarioSchemaText());
console.log(`wrote ${out.pathname}`);
