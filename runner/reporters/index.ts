// The reporters `papr-emu run --reporter <name>` chooses from: adding a reporter is its file and one row here.
import { json } from "./json.js";
import { jsonLines } from "./json-lines.js";
import { junit } from "./junit.js";
import { pretty } from "./pretty.js";
import type { ReporterFactory } from "./reporter.js";
import { tap } from "./tap.js";
import { trace } from "./trace.js";

export const REPORTERS: Readonly<Record<string, ReporterFactory>> = {
  pretty,
  json,
  "json-lines": jsonLines,
  junit,
  tap,
  trace,
};
