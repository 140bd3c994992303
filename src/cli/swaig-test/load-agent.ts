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
  throw new UsageError(`${file} exports several agents (${names}); choose one with --agent NAME, --agent-class CLASS or --route /path`, 'several_agents');
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

/** How the user picks the agent: `--agent NAME`, `--agent-class CLASS` or `--route /path` (at most one). */
export interface AgentSelector {
  agent?: string | undefined;
  agentClass?: string | undefined;
  route?: string | undefined;
}

/** One agent found in a file, as `--list-agents` shows it. */
export interface AgentListing {
  kind: 'instance' | 'class';
  /** The export that holds it (`default` for the default export). */
  export: string;
  className: string;
  /** Instances only: the agent's name and route. */
  name?: string;
  route?: string;
}

const classNameOf = (agent: LoadableAgent): string => (agent as { constructor?: { name?: string } }).constructor?.name ?? 'Agent';

const normalizeRoute = (route: string): string => {
  const trimmed = `/${route}`.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
};

function exportedClasses(mod: Record<string, unknown>): Array<[string, new () => unknown]> {
  return Object.entries(mod).filter((entry): entry is [string, new () => unknown] => isAgentClass(entry[1]));
}

/** Every agent instance and agent class the file exports (classes are not instantiated). */
export async function listAgentsInFile(file: string): Promise<{ agents: AgentListing[]; instances: LoadableAgent[] }> {
  const mod = await importFile(file);
  const seen = new Set<LoadableAgent>();
  const agents: AgentListing[] = [];
  for (const [key, value] of Object.entries(mod)) {
    if (!isAgent(value) || seen.has(value)) continue;
    seen.add(value);
    agents.push({ kind: 'instance', export: key, className: classNameOf(value), name: value.name, route: value.route });
  }
  for (const [key, cls] of exportedClasses(mod)) agents.push({ kind: 'class', export: key, className: cls.name || key });
  return { agents, instances: [...seen] };
}

function instantiate(file: string, key: string, Cls: new () => unknown): LoadedAgent {
  try {
    return { agent: new Cls() as LoadableAgent, source: `${key === 'default' ? 'default export' : 'export'} class ${Cls.name || key}` };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new CliError(`cannot create ${Cls.name || key} from ${file}: ${message}`, 'agent_load_failed', 1, { cause: err });
  }
}

function describeAll(mod: Record<string, unknown>): string {
  const instances = Object.entries(mod)
    .filter(([, v]) => isAgent(v))
    .map(([k, v]) => `${classNameOf(v as LoadableAgent)} (export ${k}, name "${(v as LoadableAgent).name}", route ${(v as LoadableAgent).route})`);
  const classes = exportedClasses(mod).map(([k, c]) => `${c.name || k} (class, export ${k})`);
  return [...instances, ...classes].join(', ') || 'none';
}

/** `--agent-class CLASS`: an instance of that class (or with that export or agent name), else that class, created. */
function byClass(mod: Record<string, unknown>, file: string, wanted: string): LoadedAgent {
  for (const [key, value] of Object.entries(mod)) {
    if (isAgent(value) && (classNameOf(value) === wanted || key === wanted || value.name === wanted)) {
      return { agent: value, source: key === 'default' ? 'default export' : `export ${key}` };
    }
  }
  const match = exportedClasses(mod).find(([key, cls]) => key === wanted || cls.name === wanted);
  if (match) return instantiate(file, match[0], match[1]);
  throw new UsageError(`--agent-class ${wanted}: no such agent class in ${file}; found: ${describeAll(mod)}`, 'agent_not_found');
}

/** `--route /path`: the exported instance serving that route, else the first exported class whose instance does. */
async function byRoute(mod: Record<string, unknown>, file: string, wanted: string): Promise<LoadedAgent> {
  const route = normalizeRoute(wanted);
  for (const [key, value] of Object.entries(mod)) {
    if (isAgent(value) && normalizeRoute(value.route) === route) return { agent: value, source: key === 'default' ? 'default export' : `export ${key}` };
  }
  for (const [key, cls] of exportedClasses(mod)) {
    const made = instantiate(file, key, cls);
    if (normalizeRoute(made.agent.route) === route) return made;
    await made.agent.close?.().catch(() => undefined);
  }
  throw new UsageError(`--route ${wanted}: no agent in ${file} serves ${route}; found: ${describeAll(mod)}`, 'agent_not_found');
}

/**
 * Imports an agent file (TS via tsx, or JS) and finds its agent. By default: export `agent`, the default export
 * instance, the only exported instance, else a default-exported class or factory (instantiated / called with no
 * arguments), else the only exported agent class. `--agent NAME` picks an instance by agent or export name,
 * `--agent-class CLASS` by class (instantiating an exported class), `--route /path` by the route it serves.
 * Set `SWAIG_CLI_MODE=true` before calling so `serve()` in the file does not listen.
 * @throws UsageError when the file is missing or holds no (or an ambiguous) agent; CliError when it fails to load
 */
export async function loadAgentFile(file: string, selector: AgentSelector = {}): Promise<LoadedAgent> {
  const mod = await importFile(file);
  if (selector.agentClass !== undefined) return byClass(mod, file, selector.agentClass);
  if (selector.route !== undefined) return byRoute(mod, file, selector.route);
  const wanted = selector.agent;
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
