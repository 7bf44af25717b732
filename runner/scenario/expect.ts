// A step's `expect`: every key present is compared exactly; which keys apply to which action is
// each action's `expects` (runner/actions/).
import { Errno, HvpipeFlag, Poll } from "../../kernel-shim/uapi.js";
import { actionsExpecting } from "../actions/index.js";
import { DRIVER_PROFILES, type DriverProfile } from "../../kernel-shim/profile.js";
import { EXPECT_KEYS, REFUSAL_CODES, type Expect, type ExpectKey, type StepBase } from "./model.js";
import type { Located, NodeReader } from "./nodes.js";
import { readPayload } from "./payload.js";

/** `expect`: one map of expectations, or a map of driver profiles to such maps. */
export function readStepExpect(r: NodeReader, v: Located, action: string): Pick<StepBase, "expect" | "expectFor"> {
  if (r.isMap(v)) {
    const names = [...r.map(v, null, "key").keys()];
    if (names.some((n) => (DRIVER_PROFILES as readonly string[]).includes(n))) {
      const fields = r.map(v, DRIVER_PROFILES, "driver profile", "a map of driver profiles to expectations");
      const expectFor: Partial<Record<DriverProfile, Expect>> = {};
      for (const f of fields.values()) expectFor[f.name as DriverProfile] = readExpect(r, f, action);
      return { expectFor };
    }
  }
  return { expect: readExpect(r, v, action) };
}

function readExpect(r: NodeReader, v: Located, action: string): Expect {
  const fields = r.map(v, EXPECT_KEYS, "expectation key", "a map of expectations");
  const expect: Expect = {};
  for (const f of fields.values()) {
    const key = f.name as ExpectKey;
    const appliesTo = actionsExpecting(key);
    if (!appliesTo.includes(action)) {
      r.source.fail(f.keyOffset, f.path, `expectation key "${key}" does not apply to "${action}" (it applies to: ${appliesTo.join(", ")})`);
    }
    switch (key) {
      case "ret":
        expect.ret = r.integer(f, "an integer", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
        break;
      case "errno":
        expect.errno = readNameOf(r, f, Errno, "errno");
        break;
      case "flags":
        expect.flags = readNameList(r, f, HvpipeFlag, "flag");
        break;
      case "payload":
        expect.payload = readPayload(r, f);
        break;
      case "revents":
        expect.revents = readNameList(r, f, Poll, "revents bit");
        break;
      case "header":
        expect.header = readPayload(r, f);
        break;
      case "refused":
        expect.refused = r.oneOf(f, REFUSAL_CODES);
        break;
    }
  }
  const ret = fields.get("ret");
  if (ret !== undefined && expect.errno !== undefined && expect.ret !== -1) {
    r.fail(ret, `"ret" must be -1 when "errno" is expected (a failing call returns -1)`);
  }
  return expect;
}

function readNameOf<N extends string>(r: NodeReader, v: Located, names: Record<N, number>, noun: string): N {
  const value = r.scalar(v);
  if (typeof value !== "string" || !Object.hasOwn(names, value)) {
    const got = typeof value === "string" ? `"${value}"` : r.describe(v);
    r.fail(v, `unknown ${noun} ${got} (allowed: ${Object.keys(names).join(", ")})`);
  }
  return value as N;
}

function readNameList<N extends string>(r: NodeReader, v: Located, names: Record<N, number>, noun: string): N[] {
  const result: N[] = [];
  for (const item of r.seq(v, `a list of names ([] for none)`)) {
    const name = readNameOf(r, item, names, noun);
    if (result.includes(name)) r.fail(item, `${name} is listed twice in "${v.label}"`);
    result.push(name);
  }
  return result;
}

