/**
 * Finds the services and tools to expose: `GET /services`, then `GET /services/:name/tools` for each. A service
 * the gateway cannot list right now (unreachable, failing, or not configured yet) is reported as pending, not
 * as an error, so the agent can start without it; a tool name the service does not have is a mistake in the
 * skill's params and is an error naming the field.
 */
import { GatewayRequestError, type GatewayClient, type GatewayResource, type GatewayTool } from './gateway-client.js';
import type { McpServiceSelection } from './params.js';

/** A service with the tools this agent exposes from it. */
export interface DiscoveredService {
  name: string;
  description: string;
  tools: GatewayTool[];
  /** The entry of the `services` param it was picked by (every option at its default for "every service"). */
  pick: McpServiceSelection;
  /** The service's resources, when the skill offers them and the gateway exposes them; undefined otherwise. */
  resources?: GatewayResource[];
}

/** A discovery problem the user must fix; `field` names the skill param (e.g. `services.0.tools`). */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** What is still wanted: one selected service (with its index in `services`), or "every enabled service". */
export type WantedService = SelectedService | { all: true };

/** One entry of the `services` param and its index there (for error fields). */
export interface SelectedService {
  pick: McpServiceSelection;
  index: number;
}

/** A wanted service that is not available yet, and why. */
export interface PendingService {
  wanted: WantedService;
  /** Readable reason, for logs (never credentials). */
  reason: string;
}

/** Services found now, and the ones to look for again later. */
export interface DiscoveryOutcome {
  found: DiscoveredService[];
  pending: PendingService[];
}

/** Credentials refused: not something a retry fixes. */
export function isAuthFailure(err: unknown): boolean {
  return err instanceof GatewayRequestError && err.failure.kind === 'http' && (err.failure.status === 401 || err.failure.status === 403);
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The wanted list for a `services` param: each entry, or every enabled service when it is empty. */
export function wantedFrom(selection: readonly McpServiceSelection[]): WantedService[] {
  return selection.length > 0 ? selection.map((pick, index) => ({ pick, index })) : [{ all: true }];
}

function pickTools(listed: GatewayTool[], wanted: SelectedService): GatewayTool[] {
  const { pick, index } = wanted;
  if (pick.tools === '*') return listed;
  const names = pick.tools;
  const missing = names.filter((name) => !listed.some((t) => t.name === name));
  if (missing.length > 0) {
    const offered = listed.map((t) => t.name).join(', ') || 'none';
    throw new DiscoveryError(`service "${pick.name}" has no tool ${missing.map((m) => `"${m}"`).join(', ')} (it has: ${offered})`, `services.${index}.tools`);
  }
  return listed.filter((t) => names.includes(t.name));
}

/** The service's resources; undefined when the gateway does not expose them (or cannot list them now). */
async function listResourcesIfExposed(client: GatewayClient, service: string): Promise<GatewayResource[] | undefined> {
  try {
    return await client.listResources(service);
  } catch (err) {
    if (isAuthFailure(err) || !(err instanceof GatewayRequestError)) throw err;
    return undefined;
  }
}

/**
 * Lists what can be registered now. Throws {@link DiscoveryError} for a tool the service does not have, and
 * the client's GatewayRequestError when the gateway refuses the credentials (401/403); any other failure
 * leaves the service pending.
 */
export async function discoverServices(client: GatewayClient, wanted: readonly WantedService[]): Promise<DiscoveryOutcome> {
  let catalog: Awaited<ReturnType<GatewayClient['listServices']>>;
  try {
    catalog = await client.listServices();
  } catch (err) {
    if (isAuthFailure(err) || !(err instanceof GatewayRequestError)) throw err;
    return { found: [], pending: wanted.map((w) => ({ wanted: w, reason: `cannot list services: ${reasonOf(err)}` })) };
  }
  const available = Object.keys(catalog).sort();
  const chosen = wanted.flatMap((w): SelectedService[] =>
    'all' in w
      ? available
          .filter((name) => catalog[name]?.enabled !== false)
          .map((name, index) => ({ pick: { name, tools: '*' as const, prompts: true, resources: true, global_data_resources: [] }, index }))
      : [w],
  );
  const outcome: DiscoveryOutcome = { found: [], pending: [] };
  for (const w of chosen) {
    const entry = catalog[w.pick.name];
    if (!entry) {
      outcome.pending.push({ wanted: w, reason: `the gateway has no service "${w.pick.name}" (it has: ${available.join(', ') || 'none'})` });
      continue;
    }
    let listed: GatewayTool[];
    try {
      listed = await client.listTools(w.pick.name);
    } catch (err) {
      if (isAuthFailure(err) || !(err instanceof GatewayRequestError)) throw err;
      outcome.pending.push({ wanted: w, reason: `cannot list its tools: ${reasonOf(err)}` });
      continue;
    }
    const tools = pickTools(listed, w);
    const found: DiscoveredService = { name: w.pick.name, description: entry.description, tools, pick: w.pick };
    const resources = w.pick.resources ? await listResourcesIfExposed(client, w.pick.name) : undefined;
    if (resources !== undefined) found.resources = resources;
    outcome.found.push(found);
  }
  return outcome;
}
