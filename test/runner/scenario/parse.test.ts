import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAPR_HVPIPE_IOC_CREATE_HANDLE } from "../../../kernel-shim/uapi.js";
import { ScenarioError } from "../../../runner/scenario/errors.js";
import { defaultMachine, loadScenarioFile, parseScenario } from "../../../runner/scenario/parse.js";
import type { Step } from "../../../runner/actions/index.js";
import type { MachineConfig } from "../../../runner/scenario/model.js";
import type { Scenario } from "../../../runner/scenario/scenario.js";

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...b: number[]) => new Uint8Array(b);
/** A YAML text from lines: line N of the file is argument N. */
const lines = (...l: string[]) => l.join("\n") + "\n";
const DEFAULT_MACHINE: MachineConfig = {
  cpus: 1,
  sources: [0x02000001],
  driver: "mainline",
  hvpipeCapable: true,
  omitRtas: [],
  policy: {},
};
/** The steps of a file made of `name: t`, `steps:` and the given step lines (which start on line 3). */
const steps = (...stepLines: string[]): Step[] => parseScenario(lines("name: t", "steps:", ...stepLines), "t.yaml").steps;
/** Opens an fd named `h` on line 3, so later steps (line 4 on) can use it. */
const withH = (...stepLines: string[]): Step[] => steps("  - {open: /dev/papr-hvpipe, as: h}", ...stepLines).slice(1);

describe("the example of spec/scenario-format.md", () => {
  const text = `name: HMC message wakes a poller and is read once     # required
machine:                  # optional; every key has a default
  cpus: 2                 # default 1
  sources: [0x02000001]   # HMC source ids connected to the partition; default [0x02000001]
  driver: mainline        # kernel-shim profile: mainline (default) or v6.18
  hvpipe-capable: true    # /rtas/ibm,hypervisor-pipe-capable present; default true
  omit-rtas: []           # RTAS function names left out of /rtas (init-failure tests)
  policy: {}              # hypervisor choices the public spec leaves open, by name
steps:
  - open: /dev/papr-hvpipe
    as: dev                          # names the returned fd
  - ioctl: { fd: dev, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001 }
    as: h1
  - hmc-send: { source: 0x02000001, payload: "hello" }
  - poll: { fd: h1, timeout: 0 }
    expect: { revents: [POLLIN, POLLRDNORM] }
  - read: { fd: h1, size: 4096 }
    expect: { ret: 53, flags: [HVPIPE_MSG_AVAILABLE], payload: "hello" }
  - write: { fd: h1, payload: "ack" }
    expect: { ret: 51 }
  - expect-hmc: { source: 0x02000001, received: ["ack"] }
  - close: h1
`;

  it("parses to the exact model", () => {
    const expected: Scenario = {
      file: "examples/hello.yaml",
      name: "HMC message wakes a poller and is read once",
      machine: { ...DEFAULT_MACHINE, cpus: 2, cpusExplicit: true },
      steps: [
        { action: "open", line: 10, column: 5, proc: "p1", path: "/dev/papr-hvpipe", as: "dev" },
        { action: "ioctl", line: 12, column: 5, proc: "p1", fd: "dev", cmd: 0x8004b209, src: 0x02000001, as: "h1" },
        { action: "hmc-send", line: 14, column: 5, proc: "p1", source: 0x02000001, payload: bytes(0x68, 0x65, 0x6c, 0x6c, 0x6f) },
        { action: "poll", line: 15, column: 5, proc: "p1", fd: "h1", timeout: 0, expect: { revents: ["POLLIN", "POLLRDNORM"] } },
        {
          action: "read",
          line: 17,
          column: 5,
          proc: "p1",
          fd: "h1",
          size: 4096,
          expect: { ret: 53, flags: ["HVPIPE_MSG_AVAILABLE"], payload: utf8("hello") },
        },
        { action: "write", line: 19, column: 5, proc: "p1", fd: "h1", payload: bytes(0x61, 0x63, 0x6b), expect: { ret: 51 } },
        { action: "expect-hmc", line: 21, column: 5, proc: "p1", source: 0x02000001, received: [utf8("ack")] },
        { action: "close", line: 22, column: 5, proc: "p1", fd: "h1" },
      ],
    };
    expect(parseScenario(text, "examples/hello.yaml")).toStrictEqual(expected);
  });
});

describe("machine", () => {
  it("defaults every key when machine is absent, empty or null", () => {
    expect(parseScenario("name: a\nsteps: []\n", "a.yaml")).toStrictEqual({ file: "a.yaml", name: "a", machine: DEFAULT_MACHINE, steps: [] });
    expect(parseScenario("name: a\nmachine: {}\nsteps: []\n", "a.yaml").machine).toStrictEqual(DEFAULT_MACHINE);
    expect(parseScenario("name: a\nmachine:\nsteps: []\n", "a.yaml").machine).toStrictEqual(DEFAULT_MACHINE);
    expect(defaultMachine()).toStrictEqual(DEFAULT_MACHINE);
  });

  it("reads every key", () => {
    const m = parseScenario(
      lines(
        "name: all machine keys",
        "machine:",
        "  cpus: 64",
        "  sources: [0x02000001, 0x02000002, 5, -1, 0o17]", // no HMC-bit check here: that is the driver's
        "  driver: v6.18",
        "  hvpipe-capable: false",
        "  omit-rtas:",
        "    - ibm,send-hvpipe-msg",
        "    - event-scan",
        "  policy: {lostConnectionOnClose: true, maxPending: 0x10, mode: strict, ratio: 0.5}",
        "  seed: 12345",
        "steps: []",
      ),
      "m.yaml",
    ).machine;
    expect(m).toStrictEqual({
      cpus: 64,
      sources: [0x02000001, 0x02000002, 5, 0xffffffff, 15],
      driver: "v6.18",
      hvpipeCapable: false,
      omitRtas: ["ibm,send-hvpipe-msg", "event-scan"],
      policy: { lostConnectionOnClose: true, maxPending: 16, mode: "strict", ratio: 0.5 },
      seed: 12345,
      cpusExplicit: true,
    });
  });

  it("accepts an empty source list, quoted RTAS names in flow lists, and cpus 1", () => {
    const m = parseScenario(`name: a\nmachine: {cpus: 1, sources: [], omit-rtas: ["ibm,receive-hvpipe-msg"]}\nsteps: []\n`, "a.yaml").machine;
    expect(m).toStrictEqual({ ...DEFAULT_MACHINE, sources: [], omitRtas: ["ibm,receive-hvpipe-msg"], cpusExplicit: true });
  });

  it("keeps a policy named __proto__ as an own property", () => {
    const m = parseScenario(`name: a\nmachine: {policy: {__proto__: 1}}\nsteps: []\n`, "a.yaml").machine;
    expect(Object.keys(m.policy)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(m.policy)).toBe(Object.prototype);
  });

  it("checks policy names only when given the list", () => {
    const text = "name: a\nmachine:\n  policy: {known: 1}\nsteps: []\n";
    expect(parseScenario(text, "a.yaml", { policyNames: ["known", "other"] }).machine.policy).toStrictEqual({ known: 1 });
    expect(() => parseScenario(text, "a.yaml", { policyNames: ["other"] })).toThrow(
      'a.yaml:3:12: unknown policy "known" (allowed: other)',
    );
  });
});

describe("guest process actions", () => {
  it("open: a path, or {path}", () => {
    expect(steps("  - open: /dev/papr-hvpipe", "  - open: {path: /dev/null}", '  - open: ""')).toStrictEqual([
      { action: "open", line: 3, column: 5, proc: "p1", path: "/dev/papr-hvpipe" },
      { action: "open", line: 4, column: 5, proc: "p1", path: "/dev/null" },
      { action: "open", line: 5, column: 5, proc: "p1", path: "" },
    ]);
  });

  it("ioctl: cmd by name, decimal or hex number; src in every numeric form", () => {
    expect(
      withH(
        "  - ioctl: {fd: h, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001}",
        "    as: h2",
        "  - ioctl: {fd: h, cmd: 0x8004b209, src: 33554434}",
        "  - ioctl: {fd: 3, cmd: 1, src: -2}",
        "  - ioctl: {fd: h, cmd: 0o17, src: -0x2}",
      ),
    ).toStrictEqual([
      { action: "ioctl", line: 4, column: 5, proc: "p1", fd: "h", cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001, as: "h2" },
      { action: "ioctl", line: 6, column: 5, proc: "p1", fd: "h", cmd: 0x8004b209, src: 0x02000002 },
      { action: "ioctl", line: 7, column: 5, proc: "p1", fd: 3, cmd: 1, src: 0xfffffffe },
      { action: "ioctl", line: 8, column: 5, proc: "p1", fd: "h", cmd: 15, src: 0xfffffffe },
    ]);
  });

  it("write: payload or raw, with an optional size", () => {
    expect(
      withH(
        "  - write: {fd: h, payload: ack}",
        "  - write: {fd: h, raw: {hex: '01000000 01000000'}, size: 48}",
        "  - write: {fd: h, payload: {size: 4048, fill: 0x5a}, size: 0}",
      ),
    ).toStrictEqual([
      { action: "write", line: 4, column: 5, proc: "p1", fd: "h", payload: utf8("ack") },
      { action: "write", line: 5, column: 5, proc: "p1", fd: "h", raw: bytes(1, 0, 0, 0, 1, 0, 0, 0), size: 48 },
      { action: "write", line: 6, column: 5, proc: "p1", fd: "h", payload: new Uint8Array(4048).fill(0x5a), size: 0 },
    ]);
  });

  it("read, poll (0, a time, -1 for no limit) and close (a name, a number, {fd})", () => {
    expect(
      withH(
        "  - read: {fd: h, size: 0}",
        "  - read: {fd: h, size: 4096}",
        "  - poll: {fd: h, timeout: 0}",
        "  - poll: {fd: h, timeout: 1000}",
        "  - poll: {fd: h, timeout: -1}",
        "  - close: h",
        "  - close: 7",
        "  - close: -1",
        "  - close: {fd: h}",
      ),
    ).toStrictEqual([
      { action: "read", line: 4, column: 5, proc: "p1", fd: "h", size: 0 },
      { action: "read", line: 5, column: 5, proc: "p1", fd: "h", size: 4096 },
      { action: "poll", line: 6, column: 5, proc: "p1", fd: "h", timeout: 0 },
      { action: "poll", line: 7, column: 5, proc: "p1", fd: "h", timeout: 1000 },
      { action: "poll", line: 8, column: 5, proc: "p1", fd: "h", timeout: -1 },
      { action: "close", line: 9, column: 5, proc: "p1", fd: "h" },
      { action: "close", line: 10, column: 5, proc: "p1", fd: 7 },
      { action: "close", line: 11, column: 5, proc: "p1", fd: -1 },
      { action: "close", line: 12, column: 5, proc: "p1", fd: "h" },
    ]);
  });

  it("proc: default p1, processes by name, fd names belong to the process that bound them", () => {
    expect(
      steps(
        "  - open: /dev/papr-hvpipe",
        "    proc: p2",
        "    as: d",
        "  - proc: p2",
        "    close: d",
        "  - {open: /dev/papr-hvpipe, as: d}",
        "  - close: d",
      ),
    ).toStrictEqual([
      { action: "open", line: 3, column: 5, proc: "p2", path: "/dev/papr-hvpipe", as: "d" },
      { action: "close", line: 7, column: 5, proc: "p2", fd: "d" },
      { action: "open", line: 8, column: 6, proc: "p1", path: "/dev/papr-hvpipe", as: "d" },
      { action: "close", line: 9, column: 5, proc: "p1", fd: "d" },
    ]);
  });

  it("rebinding a name is allowed, and a closed name can still be used", () => {
    const s = steps("  - {open: /a, as: x}", "  - close: x", "  - read: {fd: x, size: 1}", "  - {open: /b, as: x}", "  - close: x");
    expect(s.map((st) => st.action)).toEqual(["open", "close", "read", "open", "close"]);
  });
});

describe("outside-world actions", () => {
  it("hmc-send, hmc-close, hmc-open", () => {
    expect(
      steps(
        "  - hmc-send: {source: 0x02000001, payload: hi}",
        "  - hmc-close: {source: 0x02000001}",
        "  - hmc-open: {source: 33554433}",
      ),
    ).toStrictEqual([
      { action: "hmc-send", line: 3, column: 5, proc: "p1", source: 0x02000001, payload: utf8("hi") },
      { action: "hmc-close", line: 4, column: 5, proc: "p1", source: 0x02000001 },
      { action: "hmc-open", line: 5, column: 5, proc: "p1", source: 0x02000001 },
    ]);
  });

  it("migrate: nothing, {} or a phase", () => {
    expect(
      steps("  - migrate:", "  - migrate: {}", "  - migrate: {phase: suspend}", "  - migrate: {phase: resume}", "  - migrate: {phase: both}"),
    ).toStrictEqual([
      { action: "migrate", line: 3, column: 5, proc: "p1", phase: "both" },
      { action: "migrate", line: 4, column: 5, proc: "p1", phase: "both" },
      { action: "migrate", line: 5, column: 5, proc: "p1", phase: "suspend" },
      { action: "migrate", line: 6, column: 5, proc: "p1", phase: "resume" },
      { action: "migrate", line: 7, column: 5, proc: "p1", phase: "both" },
    ]);
  });

  it("fault: times defaults to 1; statuses negative, hex or decimal", () => {
    expect(
      steps(
        '  - fault: {rtas: "ibm,send-hvpipe-msg", status: -2}',
        "  - fault:",
        "      rtas: ibm,receive-hvpipe-msg",
        "      status: 9900",
        "      times: 3",
        "  - fault: {rtas: check-exception, status: -0x1, times: 1}",
        "  - fault: {rtas: event-scan, status: 0x7fffffff}",
      ),
    ).toStrictEqual([
      { action: "fault", line: 3, column: 5, proc: "p1", rtas: "ibm,send-hvpipe-msg", status: -2, times: 1 },
      { action: "fault", line: 4, column: 5, proc: "p1", rtas: "ibm,receive-hvpipe-msg", status: 9900, times: 3 },
      { action: "fault", line: 8, column: 5, proc: "p1", rtas: "check-exception", status: -1, times: 1 },
      { action: "fault", line: 9, column: 5, proc: "p1", rtas: "event-scan", status: 0x7fffffff, times: 1 },
    ]);
  });

  it("expect-hmc: a list of payloads in any form, possibly empty", () => {
    expect(
      steps(
        "  - expect-hmc: {source: 0x02000001, received: []}",
        "  - expect-hmc:",
        "      source: 0x02000001",
        "      received:",
        "        - ack",
        "        - {hex: 00ff}",
        "        - {size: 2}",
      ),
    ).toStrictEqual([
      { action: "expect-hmc", line: 3, column: 5, proc: "p1", source: 0x02000001, received: [] },
      { action: "expect-hmc", line: 4, column: 5, proc: "p1", source: 0x02000001, received: [utf8("ack"), bytes(0, 255), bytes(0, 0)] },
    ]);
  });
});

describe("payload forms", () => {
  const payloadOf = (yaml: string) => {
    const [step] = steps(`  - hmc-send: {source: 1, payload: ${yaml}}`);
    return step!.action === "hmc-send" ? step!.payload : undefined;
  };

  it("a string is its UTF-8 bytes", () => {
    expect(payloadOf('"héllo"')).toStrictEqual(bytes(0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f));
    expect(payloadOf('""')).toStrictEqual(bytes());
    expect(payloadOf('"123"')).toStrictEqual(utf8("123"));
  });

  it("{hex}: pairs of digits, either case, whitespace anywhere between them", () => {
    expect(payloadOf('{hex: "0a0B ff\\n 10"}')).toStrictEqual(bytes(0x0a, 0x0b, 0xff, 0x10));
    expect(payloadOf('{hex: ""}')).toStrictEqual(bytes());
    expect(payloadOf("{hex: deadbeef}")).toStrictEqual(bytes(0xde, 0xad, 0xbe, 0xef));
  });

  it("{hex} written without quotes is taken as written even where YAML reads a number", () => {
    expect(payloadOf("{hex: 0102}")).toStrictEqual(bytes(1, 2));
    expect(payloadOf("{hex: 1e10}")).toStrictEqual(bytes(0x1e, 0x10));
  });

  it("{size, fill}: fill defaults to 0; size 0 and 1 MiB are the limits", () => {
    expect(payloadOf("{size: 3}")).toStrictEqual(bytes(0, 0, 0));
    expect(payloadOf("{size: 2, fill: 0xAB}")).toStrictEqual(bytes(0xab, 0xab));
    expect(payloadOf("{size: 0, fill: 255}")).toStrictEqual(bytes());
    const mib = payloadOf("{size: 1048576, fill: 1}")!;
    expect(mib.length).toBe(1048576);
    expect(mib.every((b) => b === 1)).toBe(true);
  });

  it("a payload may come from a YAML anchor", () => {
    const s = steps("  - hmc-send: {source: 1, payload: &p {hex: 0a0b}}", "  - expect-hmc: {source: 1, received: [*p, *p]}");
    expect(s[1]).toMatchObject({ received: [bytes(10, 11), bytes(10, 11)] });
  });
});

describe("expectations", () => {
  it("every key, with every name", () => {
    const s = withH(
      "  - read: {fd: h, size: 100}",
      "    expect: {ret: 48, flags: [HVPIPE_MSG_AVAILABLE, HVPIPE_LOST_CONNECTION], payload: {hex: ''}}",
      "  - read: {fd: h, size: 100}",
      "    expect: {ret: -1, errno: EAGAIN}",
      "  - poll: {fd: h, timeout: 0}",
      "    expect: {ret: 0, revents: []}",
      "  - poll: {fd: h, timeout: 0}",
      "    expect: {revents: [POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL, POLLRDNORM, POLLRDBAND, POLLWRNORM, POLLWRBAND, POLLMSG, POLLRDHUP]}",
      "  - read: {fd: h, size: 100}",
      "    expect: {flags: []}",
      "  - close: h",
      "    expect: {}",
    );
    expect(s.map((st) => st.expect)).toStrictEqual([
      { ret: 48, flags: ["HVPIPE_MSG_AVAILABLE", "HVPIPE_LOST_CONNECTION"], payload: bytes() },
      { ret: -1, errno: "EAGAIN" },
      { ret: 0, revents: [] },
      {
        revents: [
          "POLLIN",
          "POLLPRI",
          "POLLOUT",
          "POLLERR",
          "POLLHUP",
          "POLLNVAL",
          "POLLRDNORM",
          "POLLRDBAND",
          "POLLWRNORM",
          "POLLWRBAND",
          "POLLMSG",
          "POLLRDHUP",
        ],
      },
      { flags: [] },
      {},
    ]);
  });

  it("every errno name of the uapi, on every guest action", () => {
    const names = ["EPERM", "ENOENT", "EINTR", "EIO", "ENXIO", "EBADF", "EAGAIN", "ENOMEM", "EFAULT", "EBUSY", "EEXIST", "ENODEV", "EINVAL", "EMFILE", "ENOTTY", "EPIPE", "EOPNOTSUPP", "EALREADY"];
    const actions = [
      "open: /dev/papr-hvpipe",
      "ioctl: {fd: h, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 1}",
      "write: {fd: h, payload: x}",
      "read: {fd: h, size: 1}",
      "poll: {fd: h, timeout: 0}",
      "close: h",
    ];
    for (const [i, name] of names.entries()) {
      const [step] = withH(`  - ${actions[i % actions.length]}`, `    expect: {errno: ${name}}`);
      expect(step!.expect).toStrictEqual({ errno: name });
    }
  });
});

describe("parallel (extension)", () => {
  it("parses branches of processes and of the outside world", () => {
    const s = steps(
      "  - {open: /dev/papr-hvpipe, as: d}",
      "  - parallel:",
      "      - proc: p1",
      "        steps:",
      "          - ioctl: {fd: d, cmd: PAPR_HVPIPE_IOC_CREATE_HANDLE, src: 0x02000001}",
      "            as: h",
      "          - read: {fd: h, size: 4096}",
      "            expect: {errno: EAGAIN}",
      "      - proc: p2",
      "        steps: [{open: /dev/papr-hvpipe, as: e, proc: p2}]",
      "      - outside:",
      "          - hmc-send: {source: 0x02000001, payload: x}",
      "          - migrate: {phase: suspend}",
      "  - close: h",
      "  - {close: e, proc: p2}",
    );
    expect(s).toStrictEqual([
      { action: "open", line: 3, column: 6, proc: "p1", path: "/dev/papr-hvpipe", as: "d" },
      {
        action: "parallel",
        line: 4,
        column: 5,
        proc: "p1",
        branches: [
          {
            proc: "p1",
            steps: [
              { action: "ioctl", line: 7, column: 13, proc: "p1", fd: "d", cmd: 0x8004b209, src: 0x02000001, as: "h" },
              { action: "read", line: 9, column: 13, proc: "p1", fd: "h", size: 4096, expect: { errno: "EAGAIN" } },
            ],
          },
          { proc: "p2", steps: [{ action: "open", line: 12, column: 18, proc: "p2", path: "/dev/papr-hvpipe", as: "e" }] },
          {
            steps: [
              { action: "hmc-send", line: 14, column: 13, proc: "p1", source: 0x02000001, payload: utf8("x") },
              { action: "migrate", line: 15, column: 13, proc: "p1", phase: "suspend" },
            ],
          },
        ],
      },
      { action: "close", line: 16, column: 5, proc: "p1", fd: "h" },
      { action: "close", line: 17, column: 6, proc: "p2", fd: "e" },
    ]);
  });

  it("two branches of the same process are two threads sharing its fds", () => {
    const s = withH(
      "  - parallel:",
      "      - {proc: p1, steps: [{read: {fd: h, size: 10}}]}",
      "      - {proc: p1, steps: [{close: h}]}",
    );
    expect(s[0]).toMatchObject({ action: "parallel", branches: [{ proc: "p1" }, { proc: "p1" }] });
  });
});

describe("loadScenarioFile", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "scenario-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a file and names it in the model and in errors", async () => {
    const path = join(dir, "ok.yaml");
    await writeFile(path, "name: from disk\nsteps:\n  - migrate: {}\n");
    const s = await loadScenarioFile(path);
    expect(s.file).toBe(path);
    expect(s.steps).toStrictEqual([{ action: "migrate", line: 3, column: 5, proc: "p1", phase: "both" }]);
    const bad = join(dir, "bad.yaml");
    await writeFile(bad, "name: x\nsteps:\n  - migrate: {phase: sideways}\n");
    await expect(loadScenarioFile(bad)).rejects.toThrow(`${bad}:3:22: "phase" must be one of both, suspend, resume, got a string "sideways"`);
  });

  it("an unreadable file is a ScenarioError at 1:1", async () => {
    const missing = join(dir, "missing.yaml");
    const err = await loadScenarioFile(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).message).toMatch(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1:1: cannot read the file: `));
  });
});

describe("docs/scenario-format.md", () => {
  it("every YAML example in it parses", async () => {
    const doc = await readFile(new URL("../../../docs/scenario-format.md", import.meta.url), "utf8");
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(15);
    // Step fragments run after steps that bind the fd names the examples use.
    const preamble = ["  - {open: /dev/papr-hvpipe, as: dev}", "  - {open: /dev/papr-hvpipe, as: h1}"];
    for (const block of blocks) {
      const text = block.startsWith("- ")
        ? lines("name: doc example", "steps:", ...preamble, ...block.trimEnd().split("\n").map((l) => "  " + l))
        : block.startsWith("machine:")
          ? `name: doc example\n${block}steps: []\n`
          : block;
      // As if the example were a file in examples/ (a machine.dtb path resolves from there).
      expect(() => parseScenario(text, new URL("../../../examples/doc.yaml", import.meta.url).pathname), block).not.toThrow();
    }
  });
});
