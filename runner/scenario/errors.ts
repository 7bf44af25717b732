// The one error a bad scenario file produces, and how it finds its line and column.

import type { LineCounter } from "yaml";

/**
 * A scenario file that cannot be accepted. `message` is `file:line:column: <problem>`;
 * `key` is the path of the offending key (`steps[3].expect.revents[1]`; steps are counted
 * from 0), or "" when the problem is the YAML text itself.
 */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  constructor(
    readonly file: string,
    /** 1-based. */
    readonly line: number,
    /** 1-based. */
    readonly column: number,
    readonly key: string,
    /** The message without its `file:line:column: ` prefix. */
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}`);
  }
}

/** A scenario's text as positions are reported against it. */
export class ScenarioSource {
  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {}

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(Math.max(0, offset));
    return { line, column: col };
  }

  error(offset: number, key: string, problem: string): ScenarioError {
    const { line, column } = this.position(offset);
    return new ScenarioError(this.file, line, column, key, problem);
  }

  fail(offset: number, key: string, problem: string): never {
    throw this.error(offset, key, problem);
  }
}
