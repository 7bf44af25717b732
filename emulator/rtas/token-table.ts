// The RTAS token table: one name per token, advertised as /rtas properties.
import type { RtasFunction } from "./types.js";

export const RTAS_TOKEN_BASE = 0x2000;

export interface TokenEntry extends RtasFunction {
  readonly token: number;
}

export class TokenTable {
  private readonly byToken = new Map<number, TokenEntry>();
  private readonly byName = new Map<string, TokenEntry>();

  /** Adds a function at its token, or at the next free token from 0x2000 when it has none. */
  register(fn: RtasFunction & { readonly token?: number }): TokenEntry {
    const { name, handler, injected } = fn;
    if (this.byName.has(name)) throw new Error(`RTAS function "${name}" is already registered`);
    const t = fn.token ?? this.nextFree();
    if (!Number.isInteger(t) || t < RTAS_TOKEN_BASE || t > 0xffffffff) {
      throw new Error(`RTAS token 0x${t.toString(16)} for "${name}" is outside 0x2000..0xffffffff`);
    }
    const taken = this.byToken.get(t);
    if (taken) throw new Error(`RTAS token 0x${t.toString(16)} for "${name}" is taken by "${taken.name}"`);
    const entry: TokenEntry = injected ? { name, token: t, handler, injected } : { name, token: t, handler };
    this.byToken.set(t, entry);
    this.byName.set(name, entry);
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
