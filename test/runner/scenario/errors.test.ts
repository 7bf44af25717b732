import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { Errno } from "../../../kernel-shim/uapi.js";
import { ScenarioError } from "../../../runner/scenario/errors.js";
import { parseScenario } from "../../../runner/scenario/parse.js";

/** A YAML text from lines: line N of the file is argument N. */
const lines = (...l: string[]) => l.join("\n") + "\n";
/** The first two lines of most cases below: steps start on line 3. */
const H = ["name: t", "steps:"] as const;

interface Bad {
  what: string;
  text: string;
  /** `file:line:column` */
  at: string;
  key: string;
  problem: string;
  file?: string;
}

const ACTIONS = "open, ioctl, write, read, poll, close, hmc-send, hmc-close, hmc-open, migrate, fault, expect-hmc, expect-dmesg, parallel, repeat";
const POLL_NAMES = "POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL, POLLRDNORM, POLLRDBAND, POLLWRNORM, POLLWRBAND, POLLMSG, POLLRDHUP";

const cases: Bad[] = [
  // ---- the YAML text ----
  {
    what: "YAML syntax error",
    text: lines("name: t", "steps: [", "  - open: x"),
    at: "x.yaml:3:3",
    key: "",
    problem: "YAML: Block collections are not allowed within flow collections",
  },
  { what: "unterminated quote", text: lines("name: 'x", "steps: []"), at: "x.yaml:3:1", key: "", problem: "YAML: Missing closing 'quote" },
  { what: "duplicate key", text: lines("name: a", "name: b", "steps: []"), at: "x.yaml:2:1", key: "", problem: "YAML: Map keys must be unique" },
  {
    what: "two documents",
    text: lines("name: a", "steps: []", "---", "name: b", "steps: []"),
    at: "x.yaml:3:1",
    key: "",
    problem: "a scenario file holds one YAML document, this one has more (remove the ---)",
  },
  { what: "empty file", text: "", at: "x.yaml:1:1", key: "", problem: "the file has no YAML document (expected a map with name and steps)" },
  { what: "alias without anchor", text: lines(...H, "  - *nope"), at: "x.yaml:3:5", key: "steps[0]", problem: "alias *nope does not name an earlier anchor" },
  { what: "unresolved tag", text: lines("name: !foo a", "steps: []"), at: "x.yaml:1:7", key: "", problem: "YAML: Unresolved tag: !foo" },
  // ---- top level ----
  {
    what: "top level is a list",
    text: lines("- name: a"),
    at: "x.yaml:1:1",
    key: "",
    problem: "the top level must be a map with name, steps and optionally machine, got a list",
  },
  { what: "missing name", text: lines("machine: {cpus: 2}", "steps: []"), at: "x.yaml:1:1", key: "name", problem: 'the scenario is missing "name"' },
  { what: "empty name", text: lines('name: ""', "steps: []"), at: "x.yaml:1:7", key: "name", problem: '"name" must be a non-empty string, got a string ""' },
  {
    what: "unknown top-level key",
    text: lines("name: a", "step: []"),
    at: "x.yaml:2:1",
    key: "step",
    problem: 'unknown top-level key "step" (allowed: name, description, tags, machine, expect-fault, steps)',
  },
  { what: "a key that is a list", text: lines("name: a", "[x]: 1", "steps: []"), at: "x.yaml:2:1", key: "", problem: "a key of the top level must be a plain name" },
  { what: "missing steps", text: lines("name: a"), at: "x.yaml:1:1", key: "steps", problem: 'the scenario is missing "steps"' },
  { what: "steps is a map", text: lines(...H, "  open: /dev/x"), at: "x.yaml:3:3", key: "steps", problem: '"steps" must be a list of steps, got a map' },
  // ---- machine ----
  {
    what: "unknown machine key",
    text: lines("name: a", "machine:", "  cpus: 2", "  cpu: 2", "steps: []"),
    at: "x.yaml:4:3",
    key: "machine.cpu",
    problem: 'unknown machine key "cpu" (allowed: cpus, sources, driver, hvpipe-capable, omit-rtas, policy, seed, dtb, kernel-faults, rtasd)',
  },
  { what: "cpus 0", text: lines("name: a", "machine: {cpus: 0}", "steps: []"), at: "x.yaml:2:17", key: "machine.cpus", problem: '"cpus" must be an integer from 1 to 64, got the number 0' },
  { what: "cpus 65", text: lines("name: a", "machine:", "  cpus: 65", "steps: []"), at: "x.yaml:3:9", key: "machine.cpus", problem: '"cpus" must be an integer from 1 to 64, got the number 65' },
  { what: "cpus a float", text: lines("name: a", "machine:", "  cpus: 2.0", "steps: []"), at: "x.yaml:3:9", key: "machine.cpus", problem: '"cpus" must be an integer from 1 to 64, got the number 2.0' },
  { what: "cpus quoted", text: lines("name: a", "machine:", '  cpus: "2"', "steps: []"), at: "x.yaml:3:9", key: "machine.cpus", problem: '"cpus" must be an integer from 1 to 64, got a string "2"' },
  {
    what: "source over 32 bits",
    text: lines("name: a", "machine:", "  sources: [0x02000001, 0x100000000]", "steps: []"),
    at: "x.yaml:3:25",
    key: "machine.sources[1]",
    problem: '"sources[1]" must be a 32-bit integer (0..0xffffffff, or -2147483648..-1), got the number 0x100000000',
  },
  { what: "source listed twice", text: lines("name: a", "machine:", "  sources: [1, 0x1]", "steps: []"), at: "x.yaml:3:16", key: "machine.sources[1]", problem: "source 0x00000001 is listed twice" },
  { what: "unknown driver", text: lines("name: a", "machine:", "  driver: v6.17", "steps: []"), at: "x.yaml:3:11", key: "machine.driver", problem: '"driver" must be one of mainline, v6.18, got a string "v6.17" (did you mean "v6.18"?)' },
  {
    what: "hvpipe-capable: yes (a string in YAML 1.2)",
    text: lines("name: a", "machine:", "  hvpipe-capable: yes", "steps: []"),
    at: "x.yaml:3:19",
    key: "machine.hvpipe-capable",
    problem: '"hvpipe-capable" must be true or false, got a string "yes"',
  },
  {
    what: "unquoted RTAS name in a flow list",
    text: lines("name: a", "machine:", "  omit-rtas: [ibm,send-hvpipe-msg]", "steps: []"),
    at: "x.yaml:3:15",
    key: "machine.omit-rtas[0]",
    problem: '"ibm" is not an RTAS function name; a comma ends a value inside [...] or {...}, so quote names like "ibm,send-hvpipe-msg" there',
  },
  {
    what: "policy value is a list",
    text: lines("name: a", "machine:", "  policy: {a: [1]}", "steps: []"),
    at: "x.yaml:3:15",
    key: "machine.policy.a",
    problem: '"a" must be a string, a number or true/false, got a list',
  },
  // ---- step shape ----
  { what: "step is a string", text: lines(...H, "  - open"), at: "x.yaml:3:5", key: "steps[0]", problem: '"steps[0]" must be a map with one action key, got a string "open"' },
  { what: "step without action", text: lines(...H, "  - as: x", "    proc: p1"), at: "x.yaml:3:5", key: "steps[0]", problem: `the step has no action (one of: ${ACTIONS})` },
  {
    what: "step with two actions",
    text: lines(...H, "  - open: /dev/x", "    close: 3"),
    at: "x.yaml:4:5",
    key: "steps[0].close",
    problem: 'a step has exactly one action, this one has "open" and "close"',
  },
  {
    what: "unknown action",
    text: lines(...H, "  - opne: /dev/x"),
    at: "x.yaml:3:5",
    key: "steps[0].opne",
    problem: `unknown action or step key "opne" (actions: ${ACTIONS}; step keys: proc, as, expect)`,
  },
  {
    what: "unknown key in an action's map",
    text: lines(...H, "  - {open: /d, as: h}", "  - read: {fd: h, size: 1, count: 2}"),
    at: "x.yaml:4:28",
    key: "steps[1].read.count",
    problem: 'unknown read key "count" (allowed: fd, size, user-fault)',
  },
  {
    what: "missing argument key",
    text: lines(...H, "  - hmc-send: {payload: x}"),
    at: "x.yaml:3:15",
    key: "steps[0].hmc-send.source",
    problem: '"hmc-send" is missing "source"',
  },
  {
    what: "a key without value in a flow map",
    text: lines(...H, "  - read: {fd, size: 1}"),
    at: "x.yaml:3:12",
    key: "steps[0].read.fd",
    problem: '"fd" must be an fd name bound by "as" or an fd number, got nothing',
  },
  {
    what: "as is not a name",
    text: lines(...H, "  - {open: /a, as: 3x}"),
    at: "x.yaml:3:20",
    key: "steps[0].as",
    problem: '"as" must be a name (a letter or _, then letters, digits, _, . or -), got a string "3x"',
  },
  {
    what: "as on a step that returns no fd",
    text: lines(...H, "  - {open: /d, as: h}", "  - write: {fd: h, payload: x}", "    as: w"),
    at: "x.yaml:5:5",
    key: "steps[1].as",
    problem: '"as" names a returned fd, and only open and ioctl return one (not "write")',
  },
  {
    what: "expect on an outside-world action",
    text: lines(...H, "  - hmc-close: {source: 1}", "    expect: {ret: 0}"),
    at: "x.yaml:4:5",
    key: "steps[0].expect",
    problem: '"expect" does not apply to "hmc-close"; only guest process actions have a result',
  },
  {
    what: "proc on an outside-world action",
    text: lines(...H, "  - migrate: {}", "    proc: p2"),
    at: "x.yaml:4:5",
    key: "steps[0].proc",
    problem: '"proc" does not apply to "migrate", which no guest process issues',
  },
  // ---- fds ----
  {
    what: "fd name never bound",
    text: lines(...H, "  - read: {fd: h9, size: 1}"),
    at: "x.yaml:3:16",
    key: "steps[0].read.fd",
    problem: 'fd name "h9" is not bound by an earlier step (bind it with "as" on open or ioctl)',
  },
  {
    what: "fd name of another process",
    text: lines(...H, "  - {open: /d, as: h}", "  - close: h", "    proc: p2"),
    at: "x.yaml:4:12",
    key: "steps[1].close",
    problem: 'fd name "h" is bound in process p1, not in p2 (fds belong to a process)',
  },
  // ---- action arguments ----
  {
    what: "unknown ioctl name",
    text: lines(...H, "  - {open: /d, as: h}", "  - ioctl: {fd: h, cmd: CREATE_HANDLE, src: 1}"),
    at: "x.yaml:4:25",
    key: "steps[1].ioctl.cmd",
    problem: 'unknown ioctl command "CREATE_HANDLE" (allowed: PAPR_HVPIPE_IOC_CREATE_HANDLE, or a number)',
  },
  {
    what: "negative read size",
    text: lines(...H, "  - {open: /d, as: h}", "  - read: {fd: h, size: -1}"),
    at: "x.yaml:4:25",
    key: "steps[1].read.size",
    problem: '"size" must be a non-negative integer (at most 2147483647), got the number -1',
  },
  {
    what: "write with payload and raw",
    text: lines(...H, "  - {open: /d, as: h}", "  - write: {fd: h, raw: x, payload: y}"),
    at: "x.yaml:4:28",
    key: "steps[1].write.payload",
    problem: '"write" takes "payload" or "raw", not both',
  },
  {
    what: "write with neither payload nor raw",
    text: lines(...H, "  - {open: /d, as: h}", "  - write: {fd: h, size: 3}"),
    at: "x.yaml:4:12",
    key: "steps[1].write",
    problem: '"write" needs "payload" (the runner prepends the header) or "raw" (bytes written as given)',
  },
  {
    what: "poll timeout below -1",
    text: lines(...H, "  - {open: /d, as: h}", "  - poll: {fd: h, timeout: -2}"),
    at: "x.yaml:4:28",
    key: "steps[1].poll.timeout",
    problem: '"timeout" must be milliseconds: 0 (do not wait), a positive integer, or -1 (no time limit), got the number -2',
  },
  {
    what: "fault times 0",
    text: lines(...H, "  - fault: {rtas: event-scan, status: -2, times: 0}"),
    at: "x.yaml:3:50",
    key: "steps[0].fault.times",
    problem: '"times" must be a positive integer, got the number 0',
  },
  {
    what: "fault status over 32 bits",
    text: lines(...H, "  - fault: {rtas: event-scan, status: 0x80000000}"),
    at: "x.yaml:3:39",
    key: "steps[0].fault.status",
    problem: '"status" must be a signed 32-bit integer, got the number 0x80000000',
  },
  {
    what: "unquoted RTAS name in a flow map",
    text: lines(...H, "  - fault: {rtas: ibm,send-hvpipe-msg, status: -2}"),
    at: "x.yaml:3:23",
    key: "steps[0].fault.send-hvpipe-msg",
    problem: 'unknown fault key "send-hvpipe-msg" (allowed: rtas, status, times); a comma ends a value inside {...}: quote "ibm,send-hvpipe-msg" if that was meant',
  },
  {
    what: "unknown migrate phase",
    text: lines(...H, "  - migrate: {phase: sideways}"),
    at: "x.yaml:3:22",
    key: "steps[0].migrate.phase",
    problem: '"phase" must be one of both, suspend, resume, got a string "sideways"',
  },
  // ---- payloads ----
  { what: "hex with an odd digit count", text: lines(...H, "  - hmc-send: {source: 1, payload: {hex: abc}}"), at: "x.yaml:3:42", key: "steps[0].hmc-send.payload.hex", problem: '"hex" has an odd number of hex digits (3)' },
  {
    what: "hex with a non-hex character",
    text: lines(...H, '  - hmc-send: {source: 1, payload: {hex: "0g"}}'),
    at: "x.yaml:3:42",
    key: "steps[0].hmc-send.payload.hex",
    problem: '"hex" must contain only hex digits and whitespace, found "g"',
  },
  { what: "hex with 0x", text: lines(...H, "  - hmc-send: {source: 1, payload: {hex: 0x0a}}"), at: "x.yaml:3:42", key: "steps[0].hmc-send.payload.hex", problem: '"hex" must be hex digits without a 0x prefix' },
  {
    what: "fill payload over 1 MiB",
    text: lines(...H, "  - hmc-send: {source: 1, payload: {size: 1048577}}"),
    at: "x.yaml:3:43",
    key: "steps[0].hmc-send.payload.size",
    problem: '"size" must be an integer from 0 to 1048576, got the number 1048577',
  },
  {
    what: "fill byte over 255",
    text: lines(...H, "  - hmc-send: {source: 1, payload: {size: 1, fill: 256}}"),
    at: "x.yaml:3:52",
    key: "steps[0].hmc-send.payload.fill",
    problem: '"fill" must be a byte value from 0 to 255, got the number 256',
  },
  {
    what: "payload is a number",
    text: lines(...H, "  - hmc-send: {source: 1, payload: 42}"),
    at: "x.yaml:3:36",
    key: "steps[0].hmc-send.payload",
    problem: '"payload" must be a string, {hex: "..."} or {size: N, fill: B}, got the number 42',
  },
  {
    what: "unknown payload key",
    text: lines(...H, "  - hmc-send: {source: 1, payload: {bytes: 1}}"),
    at: "x.yaml:3:37",
    key: "steps[0].hmc-send.payload.bytes",
    problem: 'unknown payload key "bytes" (allowed: hex, size, fill)',
  },
  // ---- expect ----
  {
    what: "the message of the brief, verbatim",
    file: "examples/x.yaml",
    text: lines(
      "name: revents typo",
      "steps:",
      "  - open: /dev/papr-hvpipe",
      "    as: dev",
      "  - ioctl: {fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001}",
      "    as: h1",
      "  - hmc-send: {source: 0x02000001, payload: hello}",
      "  - poll:",
      "      fd: h1",
      "      timeout: 0",
      "    expect:",
      "      revent: [POLLIN]",
    ),
    at: "examples/x.yaml:12:7",
    key: "steps[3].expect.revent",
    problem: 'unknown expectation key "revent" (allowed: ret, errno, flags, payload, revents, header, refused)',
  },
  {
    what: "unknown revents name",
    text: lines(...H, "  - {open: /d, as: h}", "  - poll: {fd: h, timeout: 0}", "    expect: {revents: [POLLIN, POLLFOO]}"),
    at: "x.yaml:5:32",
    key: "steps[1].expect.revents[1]",
    problem: `unknown revents bit "POLLFOO" (allowed: ${POLL_NAMES})`,
  },
  {
    what: "a revents name listed twice",
    text: lines(...H, "  - {open: /d, as: h}", "  - poll: {fd: h, timeout: 0}", "    expect: {revents: [POLLIN, POLLIN]}"),
    at: "x.yaml:5:32",
    key: "steps[1].expect.revents[1]",
    problem: 'POLLIN is listed twice in "revents"',
  },
  {
    what: "revents on read",
    text: lines(...H, "  - {open: /d, as: h}", "  - read: {fd: h, size: 1}", "    expect: {revents: []}"),
    at: "x.yaml:5:14",
    key: "steps[1].expect.revents",
    problem: 'expectation key "revents" does not apply to "read" (it applies to: poll)',
  },
  {
    what: "unknown errno",
    text: lines(...H, "  - {open: /d, as: h}", "  - read: {fd: h, size: 1}", "    expect: {errno: EWHAT}"),
    at: "x.yaml:5:21",
    key: "steps[1].expect.errno",
    problem: `unknown errno "EWHAT" (allowed: ${Object.keys(Errno).join(", ")})`,
  },
  {
    what: "unknown flag",
    text: lines(...H, "  - {open: /d, as: h}", "  - read: {fd: h, size: 1}", "    expect: {flags: [HVPIPE_MSG]}"),
    at: "x.yaml:5:22",
    key: "steps[1].expect.flags[0]",
    problem: 'unknown flag "HVPIPE_MSG" (allowed: HVPIPE_MSG_AVAILABLE, HVPIPE_LOST_CONNECTION)',
  },
  {
    what: "ret other than -1 with errno",
    text: lines(...H, "  - {open: /d, as: h}", "  - close: h", "    expect: {ret: 0, errno: EBADF}"),
    at: "x.yaml:5:19",
    key: "steps[1].expect.ret",
    problem: '"ret" must be -1 when "errno" is expected (a failing call returns -1)',
  },
  // ---- parallel ----
  {
    what: "outside-world action in a process branch",
    text: lines(...H, "  - parallel:", "      - proc: p1", "        steps:", "          - hmc-send: {source: 1, payload: x}", "      - outside: []"),
    at: "x.yaml:6:13",
    key: "steps[0].parallel[0].steps[0].hmc-send",
    problem: 'outside-world action "hmc-send" is not allowed in the branch of process p1; put it in the {outside: [...]} branch',
  },
  {
    what: "guest action in the outside branch",
    text: lines(...H, "  - parallel:", "      - {proc: p1, steps: []}", "      - outside:", "          - open: /dev/papr-hvpipe"),
    at: "x.yaml:6:13",
    key: "steps[0].parallel[1].outside[0].open",
    problem: 'guest action "open" is not allowed in the outside branch; put it in a {proc: ..., steps: [...]} branch',
  },
  {
    what: "parallel with one branch",
    text: lines(...H, "  - parallel: [{proc: p1, steps: []}]"),
    at: "x.yaml:3:15",
    key: "steps[0].parallel",
    problem: '"parallel" needs at least two branches',
  },
  {
    what: "nested parallel",
    text: lines(...H, "  - parallel:", "      - {proc: p1, steps: []}", "      - proc: p2", "        steps:", "          - parallel: []"),
    at: "x.yaml:7:13",
    key: "steps[0].parallel[1].steps[0].parallel",
    problem: '"parallel" cannot be nested in a parallel branch',
  },
  {
    what: "two outside branches",
    text: lines(...H, "  - parallel: [{outside: []}, {outside: []}]"),
    at: "x.yaml:3:32",
    key: "steps[0].parallel[1].outside",
    problem: '"parallel" has at most one outside branch',
  },
  {
    what: "one name bound by two branches of a process",
    text: lines(...H, "  - parallel:", "      - proc: p1", "        steps: [{open: /a, as: x}]", "      - proc: p1", "        steps: [{open: /b, as: x}]"),
    at: "x.yaml:7:32",
    key: "steps[0].parallel[1].steps[0].as",
    problem: 'fd name "x" is bound in process p1 by two branches of this parallel step',
  },
  {
    what: "a name bound in another branch",
    text: lines(...H, "  - parallel:", "      - proc: p1", "        steps: [{open: /a, as: x}]", "      - proc: p2", "        steps: [{close: x}]"),
    at: "x.yaml:7:25",
    key: "steps[0].parallel[1].steps[0].close",
    problem: 'fd name "x" is not bound by an earlier step (bind it with "as" on open or ioctl)',
  },
  {
    what: "a step naming another process in a branch",
    text: lines(...H, "  - parallel:", "      - proc: p1", "        steps:", "          - open: /a", "            proc: p2", "      - outside: []"),
    at: "x.yaml:7:19",
    key: "steps[0].parallel[0].steps[0].proc",
    problem: "a step in the branch of process p1 cannot name process p2",
  },
  {
    what: "unknown branch key",
    text: lines(...H, "  - parallel: [{proc: p1, step: []}, {outside: []}]"),
    at: "x.yaml:3:27",
    key: "steps[0].parallel[0].step",
    problem: 'unknown branch key "step" (allowed: proc, steps, outside)',
  },
];

describe("invalid scenario files", () => {
  it("has at least 25 cases", () => expect(cases.length).toBeGreaterThanOrEqual(25));

  for (const c of cases) {
    it(c.what, () => {
      const file = c.file ?? "x.yaml";
      let error: unknown;
      try {
        parseScenario(c.text, file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ScenarioError);
      const e = error as ScenarioError;
      const [, line, column] = c.at.slice(file.length).split(":").map(Number);
      expect({ file: e.file, line: e.line, column: e.column, key: e.key }).toEqual({ file, line, column, key: c.key });
      expect(e.message).toBe(`${c.at}: ${c.problem}`);
      expect(e.problem).toBe(e.message.slice(c.at.length + 2));
    });
  }
});

describe("limits on what a small file can ask for", () => {
  it("all payload bytes together stay within 64 MiB", () => {
    const text = lines(
      ...H,
      "  - hmc-send: {source: 1, payload: &p {size: 1048576}}",
      "  - expect-hmc:",
      "      source: 1",
      "      received:",
      ...Array.from({ length: 64 }, () => "        - *p"),
    );
    let err: unknown;
    try {
      parseScenario(text, "x.yaml");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).message).toBe("x.yaml:70:11: the payloads of this scenario add up to more than 67108864 bytes");
    expect((err as ScenarioError).key).toBe("steps[1].expect-hmc.received[63]");
  });

  it("aliases cannot expand a file past a million values", () => {
    const list = "[" + Array(1000).fill("{close: 1}").join(", ") + "]";
    const text = lines(...H, "  - parallel:", `      - {proc: p1, steps: &L ${list}}`, ...Array(999).fill("      - {proc: p1, steps: *L}"));
    expect(() => parseScenario(text, "x.yaml")).toThrow(/: the scenario is too large: more than 1000000 values once aliases are expanded$/);
  });
});

describe("robustness", () => {
  const VALID = lines(
    "name: robust",
    "machine: {cpus: 2, sources: [0x02000001, 0x02000002], driver: v6.18, omit-rtas: [event-scan], policy: {x: 1}}",
    "steps:",
    "  - open: /dev/papr-hvpipe",
    "    as: dev",
    "  - ioctl: { fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001 }",
    "    as: h1",
    "  - hmc-send: { source: 0x02000001, payload: {hex: 0a0b} }",
    "  - poll: { fd: h1, timeout: 0 }",
    "    expect: { revents: [POLLIN, POLLRDNORM] }",
    "  - read: { fd: h1, size: 4096 }",
    "    expect: { ret: 50, flags: [HVPIPE_MSG_AVAILABLE], payload: {size: 2, fill: 7} }",
    "  - write: { fd: h1, raw: 'ack', size: 3 }",
    "    expect: { ret: -1, errno: EINVAL }",
    '  - fault: { rtas: "ibm,send-hvpipe-msg", status: -2, times: 2 }',
    "  - migrate: {phase: suspend}",
    "  - parallel:",
    "      - proc: p2",
    "        steps: [{open: /dev/papr-hvpipe, as: d2}]",
    "      - outside: [{hmc-close: {source: 1}}, {hmc-open: {source: -1}}]",
    "  - expect-hmc: { source: 0x02000001, received: [ack] }",
    "  - close: h1",
  );

  /** Parses, and fails the property on any exception other than a well-formed ScenarioError. */
  const parsesOrScenarioError = (text: string): boolean => {
    try {
      parseScenario(text, "f.yaml");
      return true;
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      const lineCount = text.split(/\r\n|\r|\n/).length;
      if (!(e.line >= 1 && e.line <= lineCount && e.column >= 1)) throw new Error(`position out of the file: ${e.message}`);
      if (!e.message.startsWith(`f.yaml:${e.line}:${e.column}: `)) throw new Error(`bad message: ${e.message}`);
      return true;
    }
  };

  it("the valid file parses", () => {
    expect(parseScenario(VALID, "f.yaml").steps).toHaveLength(11);
  });

  it("random text parses or throws ScenarioError", () => {
    const yamlish = fc.constantFrom(..."{}[]:,-#&*!|>'\"%@` \n\t?0x1aAbz.".split(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: yamlish }), fc.string({ unit: "binary" })), parsesOrScenarioError),
      { numRuns: 400 },
    );
  });

  it("random mutations of a valid file parse or throw ScenarioError", () => {
    const piece = fc.oneof(
      fc.constantFrom(":", "- ", "{", "}", "[", "]", ",", "\n", "  ", "#", "&a ", "*a", "!!str ", "---\n", "'", '"', "-1", "0x", "as: x", "proc: p2", "expect: {}", "parallel: []", "null", "~"),
      fc.string({ maxLength: 6 }),
    );
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: piece }),
      fc.record({ kind: fc.constant("swapLines" as const), a: fc.nat(), b: fc.nat() }),
      fc.record({ kind: fc.constant("dropLine" as const), a: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        let text = VALID;
        for (const m of mutations) {
          if (m.kind === "delete") {
            const at = m.at % (text.length + 1);
            text = text.slice(0, at) + text.slice(at + m.length);
          } else if (m.kind === "insert") {
            const at = m.at % (text.length + 1);
            text = text.slice(0, at) + m.text + text.slice(at);
          } else {
            const ls = text.split("\n");
            const a = m.a % ls.length;
            if (m.kind === "dropLine") ls.splice(a, 1);
            else {
              const b = m.b % ls.length;
              [ls[a], ls[b]] = [ls[b]!, ls[a]!];
            }
            text = ls.join("\n");
          }
        }
        return parsesOrScenarioError(text);
      }),
      { numRuns: 1500 },
    );
  });

  it("random YAML values in every place of a valid structure parse or throw ScenarioError", () => {
    const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom("h1", "dev", "POLLIN", "EINVAL", "0a0b", -1, 0x02000001));
    const step = fc.record(
      {
        action: fc.constantFrom("open", "ioctl", "write", "read", "poll", "close", "hmc-send", "hmc-close", "hmc-open", "migrate", "fault", "expect-hmc", "parallel", "bogus"),
        arg: fc.oneof(value, fc.dictionary(fc.constantFrom("fd", "cmd", "src", "payload", "raw", "size", "timeout", "source", "phase", "rtas", "status", "times", "received", "path", "hex", "fill", "proc", "steps", "outside"), value)),
        extra: fc.dictionary(fc.constantFrom("proc", "as", "expect"), value),
      },
      { requiredKeys: ["action", "arg"] },
    );
    const doc = fc.record({
      name: value,
      machine: fc.dictionary(fc.constantFrom("cpus", "sources", "driver", "hvpipe-capable", "omit-rtas", "policy", "seed", "bogus"), value),
      steps: fc.array(step, { maxLength: 6 }),
    });
    fc.assert(
      fc.property(doc, (d) => {
        const steps = [{ open: "/dev/papr-hvpipe", as: "dev" }, { open: "/dev/papr-hvpipe", as: "h1" }, ...d.steps.map((s) => ({ [s.action]: s.arg, ...(s.extra ?? {}) }))];
        return parsesOrScenarioError(stringify({ name: d.name, machine: d.machine, steps }));
      }),
      { numRuns: 1000 },
    );
  });
});
