#!/usr/bin/env node
// The papr-emu command. In the npm package it runs the compiled JavaScript in dist/ (no TypeScript
// loader). In a clone of the repository, where runner/cli/main.ts exists, it runs the TypeScript
// through tsx instead, so a source edit needs no build step (tsx is a devDependency).
import { existsSync } from "node:fs";

const source = new URL("../runner/cli/main.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import("../dist/runner/cli/main.js"));
}
process.exitCode = await main(process.argv.slice(2));
