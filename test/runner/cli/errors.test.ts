// Every error a command meets reaches the user in its documented form (runner/cli/errors.ts):
// input problems exit 2 with one line, our own defects exit 70 as an internal error — never a
// stack trace. The crafted blobs are issue 14's.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DtError } from "../../../devicetree/index.js";
import { reportError } from "../../../runner/cli/errors.js";
import { main } from "../../../runner/cli/main.js";
import { deepNesting, propertyAfterChild, sharedNameRun } from "../../../fuzz/blobs/crafted.js";
import { captureConsole } from "../../support/capture-console.js";
import { node, qemuVariant } from "../../emulator/machine-dtb/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "papr-emu-cli-errors-"));
const file = (name: string, bytes: Uint8Array | string): string => {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
};

describe("reportError", () => {
  const lines = (e: unknown): [number, string[]] => {
    const out: string[] = [];
    return [reportError(e, (l) => out.push(l)), out];
  };

  it("a failed invariant is an internal error, exit 70, with a hint to report it and no stack", () => {
    const [code, out] = lines(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(code).toBe(70);
    expect(out).toEqual([
      "papr-emu: internal error (failed invariant): TypeError: Cannot read properties of undefined (reading 'x')",
      "papr-emu: this is a bug in papr-emu, not in your input; please report it with the command line and the files it read",
    ]);
  });

  it("a DtError reaching the top is the model misused by us: internal, exit 70", () => {
    const [code, out] = lines(new DtError("/rtas: property \"x\" is missing"));
    expect(code).toBe(70);
    expect(out[0]).toBe('papr-emu: internal error (device-tree model misuse): DtError: /rtas: property "x" is missing');
  });

  it("a thrown non-Error is reported too", () => {
    expect(lines("boom")).toEqual([70, ["papr-emu: internal error (failed invariant): boom", expect.any(String)]]);
  });
});

describe("crafted blobs on the command line", () => {
  const io = captureConsole({ stdout: true });

  it("dt on 100,000 names in one strings run: exit 2 naming the offset", async () => {
    const f = file("run.dtb", sharedNameRun(100_000));
    expect(await main(["dt", f])).toBe(2);
    expect(io.err).toEqual([`papr-emu: ${f}: DTB offset 0x48: property name at strings offset 0x0 is 100000 bytes long; the limit is 255`]);
  });

  it("dt on 30,000-deep nesting prints it (it once died with RangeError: Invalid string length)", async () => {
    const f = file("deep.dtb", deepNesting(30_000));
    expect(await main(["dt", f])).toBe(0);
    expect(io.err).toEqual([]);
    // "/dts-v1/;", "", "/ {"; per level a blank line (not before the first), "n {", "p;", "};";
    // the root's "};" and the empty string after the final newline.
    expect(io.out.join("").split("\n").length).toBe(3 + 30_000 * 4 - 1 + 1 + 1);
  });

  it("dt on a property after a subnode: exit 2 naming the offset", async () => {
    const f = file("pac.dtb", propertyAfterChild());
    expect(await main(["dt", f])).toBe(2);
    expect(io.err).toEqual([`papr-emu: ${f}: DTB offset 0x4c: FDT_PROP after the subnode /c: properties of / must precede its subnodes`]);
  });

  it("dt on something that is not a regular file, or over 16 MiB: exit 2 saying why", async () => {
    expect(await main(["dt", "/dev/zero"])).toBe(2);
    expect(io.err).toEqual(["papr-emu: /dev/zero: cannot read: not a regular file"]);
    io.err.length = 0;
    const big = file("big.dtb", new Uint8Array(16 * 1024 * 1024 + 1));
    expect(await main(["dt", big])).toBe(2);
    expect(io.err).toEqual([`papr-emu: ${big}: cannot read: 16777217 bytes, more than the 16777216 a DTB file may have`]);
  });

  it("a token 0xffffffff: exit 2 from dt --machine --dtb and run --dtb, naming the property", async () => {
    const f = file("ff.dtb", qemuVariant((t) => node(t, "/rtas").setU32("ibm,nmi-interlock", 0xffffffff)));
    const why = "/rtas/ibm,nmi-interlock: token 0xffffffff is RTAS_UNKNOWN_SERVICE (-1): the kernel never calls a function with it";
    expect(await main(["dt", "--machine", "--dtb", f])).toBe(2);
    expect(io.err).toEqual([`papr-emu: --dtb ${f}: cannot serve as the partition's tree: ${why}`]);
    io.err.length = 0;
    const s = file("s.yaml", "name: s\nsteps: []\n");
    expect(await main(["run", "--dtb", f, s])).toBe(2);
    expect(io.err).toEqual([`papr-emu: --dtb ${f}: cannot serve as the partition's tree: ${why}`]);
  });
});
