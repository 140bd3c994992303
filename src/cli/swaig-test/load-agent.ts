import { existsSync, statSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, UsageError } from '../shared/cli-error.js';

/** What swaig-test needs from an agent (duck-typed, so agents built against another copy of the package work). */
export interface LoadableAgent {
  name: string;
  route: string;
  credentials: { user: string; password: string };
  app(): RequestListener;
  renderSwml(...args: unknown[]): unknown;
  ready?(): Promise<void>;
  close?(): Promise<void>;
}

/** The agent found in a file and where it came from (for messages). */
export interface LoadedAgent {
  agent: LoadableAgent;
  /** e.g. `export agent`, `default export`, `default export class TodoAgent`. */
  source: string;
}

const isAgent = (value: unknown): value is LoadableAgent =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as LoadableAgent).app === 'function' &&
  typeof (value as LoadableAgent).renderSwml === 'function' &&
  typeof (value as LoadableAgent).credentials === 'object';

const isAgentClass = (value: unknown): value is new () => unknown =>
  typeof value === 'function' && typeof (value as { prototype?: { renderSwml?: unknown } }).prototype?.renderSwml === 'function';

async function importFile(file: string): Promise<Record<string, unknown>> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new UsageError(`agent file not found: ${file}`, 'agent_file_not_found');
  }
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new CliError(`cannot load ${file}: ${message}`, 'agent_load_failed', 1, { cause: err });
  }
}

function pickInstance(mod: Record<string, unknown>, file: string, wanted: string | undefined): LoadedAgent | undefined {
  const found = new Map<LoadableAgent, string>();
  for (const [key, value] of Object.entries(mod)) {
    if (isAgent(value) && !found.has(value)) found.set(value, key === 'default' ? 'default export' : `export ${key}`);
  }
  const all = [...found].map(([agent, source]) => ({ agent, source }));
  if (wanted !== undefined) {
    const match = all.find(({ agent, source }) => agent.name === wanted || source === `export ${wanted}`);
    if (match) return match;
    const names = all.map(({ agent, source }) => `${agent.name} (${source})`).join(', ') || 'none';
    throw new UsageError(`--agent ${wanted}: no such agent in ${file}; found: ${names}`, 'agent_not_found');
  }
  const byName = (name: string): LoadedAgent | undefined => all.find(({ source }) => source === name);
  const chosen = byName('export agent') ?? byName('default export') ?? (all.length === 1 ? all[0] : undefined);
  if (chosen || all.length === 0) return chosen;
  const names = all.map(({ agent, source }) => `${agent.name} (${source})`).join(', ');
  throw new UsageError(`${file} exports several agents (${names}); choose one with --agent NAME`, 'several_agents');
}

async function construct(mod: Record<string, unknown>): Promise<LoadedAgent | undefined> {
  const entry = mod.default;
  if (isAgentClass(entry)) return { agent: new entry() as LoadableAgent, source: `default export class ${entry.name}` };
  if (typeof entry === 'function') {
    const made: unknown = await (entry as () => unknown)();
    if (isAgent(made)) return { agent: made, source: `default export factory ${entry.name || '(anonymous)'}` };
  }
  const classes = Object.entries(mod).filter(([, value]) => isAgentClass(value));
  if (classes.length === 1) {
    const [key, Cls] = classes[0] as [string, new () => unknown];
    return { agent: new Cls() as LoadableAgent, source: `export class ${key}` };
  }
  return undefined;
}

/**
 * Imports an agent file (TS via tsx, or JS) and finds its agent: export `agent`, the default export instance,
 * the only exported instance (or the one `--agent NAME` names), else a default-exported class or factory
 * (instantiated / called with no arguments), else the only exported agent class.
 * Set `SWAIG_CLI_MODE=true` before calling so `serve()` in the file does not listen.
 * @throws UsageError when the file is missing or holds no (or an ambiguous) agent; CliError when it fails to load
 */
export async function loadAgentFile(file: string, wanted?: string): Promise<LoadedAgent> {
  const mod = await importFile(file);
  let loaded = pickInstance(mod, file, wanted);
  if (!loaded && wanted === undefined) {
    try {
      loaded = await construct(mod);
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new CliError(`cannot create the agent exported by ${file}: ${message}`, 'agent_load_failed', 1, { cause: err });
    }
  }
  if (!loaded) {
    throw new UsageError(
      `no agent found in ${file}: export \`agent\`, export an Agent instance as default, or default-export an Agent class or factory`,
      'agent_not_found',
    );
  }
  return loaded;
}
