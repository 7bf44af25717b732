// The RTAS token table: dense tokens from 0x2000, one name each, advertised as /rtas properties.
import type { RtasFunction } from "./types.js";

export const RTAS_TOKEN_BASE = 0x2000;

export interface TokenEntry extends RtasFunction {
  readonly token: number;
}

export class TokenTable {
  private readonly byToken = new Map<number, TokenEntry>();
  private readonly byName = new Map<string, TokenEntry>();

  /** Adds a function at its fixed token, or at the next free token from 0x2000. */
  register(fn: RtasFunction): TokenEntry {
    if (this.byName.has(fn.name)) throw new Error(`RTAS function "${fn.name}" is already registered`);
    const token = fn.token ?? this.nextFree();
    if (!Number.isInteger(token) || token < RTAS_TOKEN_BASE || token > 0xffffffff) {
      throw new Error(`RTAS token 0x${token.toString(16)} for "${fn.name}" is outside 0x2000..0xffffffff`);
    }
    const taken = this.byToken.get(token);
    if (taken) throw new Error(`RTAS token 0x${token.toString(16)} for "${fn.name}" is taken by "${taken.name}"`);
    const entry = { ...fn, token };
    this.byToken.set(token, entry);
    this.byName.set(fn.name, entry);
    return entry;
  }

  lookup(token: number): TokenEntry | undefined {
    return this.byToken.get(token);
  }

  tokenOf(name: string): number | undefined {
    return this.byName.get(name)?.token;
  }

  /** Entries in token order: the order their /rtas properties are written. */
  entries(): TokenEntry[] {
    return [...this.byToken.values()].sort((a, b) => a.token - b.token);
  }

  private nextFree(): number {
    let t = RTAS_TOKEN_BASE;
    while (this.byToken.has(t)) t++;
    return t;
  }
}
