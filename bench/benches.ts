// Every benchmark, in the order the table lists them.
import { HOTPATH_BENCHES } from "./cases-hotpath.js";
import { PARSE_BENCHES } from "./cases-parse.js";
import { RTAS_BENCHES } from "./cases-rtas.js";
import { STACK_BENCHES } from "./cases-stack.js";
import type { Bench } from "./harness.js";

export const BENCHES: Bench[] = [...HOTPATH_BENCHES, ...RTAS_BENCHES, ...STACK_BENCHES, ...PARSE_BENCHES];
