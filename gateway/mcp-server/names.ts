/**
 * Names `/mcp` shows for the services' tools and prompts: `{service}{separator}{name}`. MCP tool names are
 * 1-128 characters of A-Z, a-z, 0-9, `_`, `-` and `.`; many model APIs stop at 64, so names are capped there.
 * A name that is too long, has other characters, or clashes with one already taken is shortened and given a
 * hash of its origin, so it stays stable across listings and unique.
 */
import { createHash } from 'node:crypto';

/** Longest name handed out. */
export const MAX_NAME_LENGTH = 64;
const VALID_NAME = /^[A-Za-z0-9_.-]+$/;
const HASH_LENGTH = 8;

/** Where an exposed name leads. */
export interface NameOrigin {
  service: string;
  /** The name on the service's own server. */
  name: string;
}

function hashed(service: string, name: string, base: string): string {
  const hash = createHash('sha256').update(`${service}\u0000${name}`).digest('hex').slice(0, HASH_LENGTH);
  const cleaned = base.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${cleaned.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)}-${hash}`;
}

/** Exposed names ↔ origins for one listing; rebuilt with every listing. */
export class NameTable {
  private byName = new Map<string, NameOrigin>();

  constructor(private readonly separator: string) {}

  /** Names `origins` in order (first come, first served on clashes) and replaces the table; returns the names. */
  build(origins: readonly NameOrigin[]): string[] {
    const table = new Map<string, NameOrigin>();
    const names = origins.map((origin) => {
      const base = `${origin.service}${this.separator}${origin.name}`;
      let name = base.length <= MAX_NAME_LENGTH && VALID_NAME.test(base) ? base : hashed(origin.service, origin.name, base);
      if (table.has(name)) name = hashed(origin.service, origin.name, base);
      for (let n = 2; table.has(name); n++) name = `${hashed(origin.service, origin.name, base).slice(0, MAX_NAME_LENGTH - 4)}-${n}`;
      table.set(name, origin);
      return name;
    });
    this.byName = table;
    return names;
  }

  /** The origin of an exposed name, if the last listing had it. */
  resolve(name: string): NameOrigin | undefined {
    return this.byName.get(name);
  }
}
