/** PATH lookup without spawning a shell. */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Absolute path of `command` found on `pathEnv` (default the gateway's PATH), or undefined. */
export function which(command: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  const candidates =
    isAbsolute(command) || command.includes('/')
      ? [command]
      : pathEnv
          .split(delimiter)
          .filter(Boolean)
          .map((d) => join(d, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
